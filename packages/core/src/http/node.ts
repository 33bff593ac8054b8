import type { IncomingMessage, ServerResponse } from 'node:http';
import { DoitongError } from '../errors';
import type { DoitongRequest, DoitongResponse } from './types';

export type RequestHandlerFunction = (request: DoitongRequest) => Promise<DoitongResponse>;

export interface NodeRequestOptions {
  /** Path below the mount point plus query string (Express: `req.url` inside a mounted app). */
  url: string;
  /** The mount path as the client sees it, for absolute links: `/graphql`. */
  mountPath: string;
  /** A body a host's parser already read (Express `req.body`, Koa `ctx.request.body`). */
  parsedBody?: unknown;
  maxBodyBytes: number;
}

/**
 * The bridge between Node's request and response and the framework-neutral handler, shared
 * by every binding and by the bare node:http listener so none of them holds any logic.
 */
export async function handleNodeRequest(handler: RequestHandlerFunction, request: IncomingMessage, response: ServerResponse, options: NodeRequestOptions): Promise<void> {
  const abort = new AbortController();
  const onClose = () => abort.abort();
  response.once('close', onClose);
  let result: DoitongResponse;
  try {
    result = await handler(await nodeToRequest(request, options, abort.signal));
  } catch (error) {
    result = failureResponse(error);
  }
  await writeNodeResponse(response, result, abort.signal);
  response.off('close', onClose);
}

/** Reads a Node request (its body within the limit) into the framework-neutral form. */
export async function nodeToRequest(request: IncomingMessage, options: NodeRequestOptions, signal?: AbortSignal): Promise<DoitongRequest> {
  const body = await readBody(request, options);
  const converted: DoitongRequest = {
    method: request.method ?? 'GET',
    url: options.url || '/',
    headers: request.headers,
    body: body.value,
    bodyParsed: body.parsed,
    baseUrl: `${protocolOf(request)}://${request.headers.host ?? 'localhost'}${options.mountPath.replace(/\/$/, '')}`,
  };
  if (signal) converted.signal = signal;
  if (request.socket.remoteAddress) converted.remoteAddress = request.socket.remoteAddress;
  return converted;
}

/** The response for an error thrown while reading a request (413 for an oversized body). */
export function failureResponse(error: unknown): DoitongResponse {
  const failure = error instanceof DoitongError ? error : new DoitongError('INTERNAL_SERVER_ERROR');
  return {
    status: failure.status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ errors: [{ message: failure.message, extensions: failure.toExtensions() }] }),
  };
}

async function readBody(request: IncomingMessage, options: NodeRequestOptions): Promise<{ value: DoitongRequest['body']; parsed: boolean }> {
  const declared = Number(request.headers['content-length']);
  // A host's body parser already read the stream: use what it made of it instead of parsing twice.
  const consumed = request.readableEnded || (request as { _body?: boolean })._body === true;
  if (consumed) {
    // The host's parser had its own, usually larger, limit; ours still holds for GraphQL requests.
    if (declared > options.maxBodyBytes) throw tooLarge(options.maxBodyBytes);
    const parsed = options.parsedBody;
    if (parsed instanceof Uint8Array || typeof parsed === 'string') return { value: parsed, parsed: false };
    if (parsed === undefined) return { value: null, parsed: false };
    return { value: parsed as Record<string, unknown>, parsed: true };
  }
  if (request.method === 'GET' || request.method === 'HEAD') return { value: null, parsed: false };
  if (declared > options.maxBodyBytes) throw tooLarge(options.maxBodyBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > options.maxBodyBytes) {
      request.resume();
      throw tooLarge(options.maxBodyBytes);
    }
    chunks.push(chunk);
  }
  return { value: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), parsed: false };
}

export async function writeNodeResponse(response: ServerResponse, result: DoitongResponse, signal: AbortSignal): Promise<void> {
  if (response.headersSent) return;
  const body = result.body;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const payload = typeof body === 'string' ? Buffer.from(body) : body;
    response.writeHead(result.status, { ...result.headers, 'content-length': String(payload.byteLength) });
    response.end(payload);
    return;
  }
  response.writeHead(result.status, result.headers);
  if (body === null) {
    response.end();
    return;
  }
  try {
    for await (const chunk of body) {
      if (signal.aborted) break;
      if (!response.write(chunk)) await new Promise<void>((resolve) => {
        const done = () => {
          response.off('drain', done);
          response.off('close', done);
          resolve();
        };
        response.on('drain', done);
        response.on('close', done);
      });
    }
  } finally {
    response.end();
  }
}

function protocolOf(request: IncomingMessage): string {
  const forwarded = request.headers['x-forwarded-proto'];
  const value = Array.isArray(forwarded) ? forwarded[0] : forwarded?.split(',')[0];
  if (value === 'https' || value === 'http') return value;
  return (request.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
}

function tooLarge(limit: number): DoitongError {
  return new DoitongError('PAYLOAD_TOO_LARGE', `The request body is larger than ${limit} bytes.`, { details: { limit } });
}
