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
export async function handleNodeRequest(
  handler: RequestHandlerFunction,
  request: IncomingMessage,
  response: ServerResponse,
  options: NodeRequestOptions,
): Promise<void> {
  let result: DoitongResponse;
  try {
    result = await handler(await nodeToRequest(request, options, response));
  } catch (error) {
    result = failureResponse(error);
  }
  await writeNodeResponse(response, result);
}

/**
 * Reads a Node request (its body within the limit) into the framework-neutral form. Its
 * `signal` aborts when the client goes away; it is made the first time something asks for it
 * (a live-updates stream does, a GraphQL request does not), so an ordinary request pays for no
 * AbortController and no close listener.
 */
export async function nodeToRequest(request: IncomingMessage, options: NodeRequestOptions, response?: ServerResponse): Promise<DoitongRequest> {
  const body = await readBody(request, options);
  const baseUrl = `${protocolOf(request)}://${request.headers.host ?? 'localhost'}${options.mountPath.replace(/\/$/, '')}`;
  return new NodeRequest(request, options.url || '/', body.value, body.parsed, baseUrl, response);
}

/** A class rather than an object literal with a defined getter, which V8 keeps in its slow dictionary form. */
class NodeRequest implements DoitongRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: DoitongRequest['body'];
  readonly bodyParsed: boolean;
  readonly baseUrl: string;
  readonly remoteAddress: string | undefined;
  readonly #request: IncomingMessage;
  readonly #response: ServerResponse | undefined;
  #signal: AbortSignal | undefined;

  constructor(request: IncomingMessage, url: string, body: DoitongRequest['body'], bodyParsed: boolean, baseUrl: string, response: ServerResponse | undefined) {
    this.method = request.method ?? 'GET';
    this.url = url;
    this.headers = request.headers;
    this.body = body;
    this.bodyParsed = bodyParsed;
    this.baseUrl = baseUrl;
    this.remoteAddress = request.socket.remoteAddress;
    this.#request = request;
    this.#response = response;
  }

  get signal(): AbortSignal | undefined {
    if (!this.#signal && this.#response) {
      const abort = new AbortController();
      this.#signal = abort.signal;
      if (this.#response.destroyed || this.#request.socket.destroyed) abort.abort();
      else this.#response.once('close', () => abort.abort());
    }
    return this.#signal;
  }

  set signal(signal: AbortSignal | undefined) {
    this.#signal = signal;
  }
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
  return { value: await collectBody(request, options.maxBodyBytes), parsed: false };
}

/**
 * The body as one buffer, refused past `limit`. Listeners rather than `for await`: the stream's
 * async iterator costs more than reading a small GraphQL body does.
 */
function collectBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        // Drain the rest so the connection can answer the 413.
        request.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    // The client went away before the body was complete.
    const onClose = () => {
      cleanup();
      reject(new DoitongError('BAD_REQUEST', 'The request was closed before its body was complete.'));
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('close', onClose);
  });
}

/** Writes a response; a streamed body stops when the client has gone (`signal`, or the response closing). */
export async function writeNodeResponse(response: ServerResponse, result: DoitongResponse, signal?: AbortSignal): Promise<void> {
  if (response.headersSent) return;
  const body = result.body;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    // A string goes to the socket as it is (encoded on the way out), not copied into a Buffer first.
    const length = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    response.writeHead(result.status, { ...result.headers, 'content-length': String(length) });
    response.end(body);
    return;
  }
  response.writeHead(result.status, result.headers);
  if (body === null) {
    response.end();
    return;
  }
  try {
    for await (const chunk of body) {
      if (signal?.aborted || response.destroyed) break;
      if (!response.write(chunk))
        await new Promise<void>((resolve) => {
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
