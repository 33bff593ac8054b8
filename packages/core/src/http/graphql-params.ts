import { DoitongError } from '../errors';
import type { DoitongRequest } from './types';

export interface GraphQLParams {
  query: string;
  operationName: string | null;
  variables: Record<string, unknown> | null;
  extensions: Record<string, unknown> | null;
}

export type ResponseMediaType = 'application/graphql-response+json' | 'application/json';

/**
 * Picks the response type from `Accept` by its q-values. `*\/*`, `application/*` and a
 * missing header get `application/json`, which every client understands; undefined means
 * nothing acceptable (406).
 */
export function negotiate(accept: string | undefined): ResponseMediaType | undefined {
  if (!accept) return 'application/json';
  // A client sends the same Accept on every request: remember the answers for the few values seen.
  const known = negotiated.get(accept);
  if (known !== undefined) return known ?? undefined;
  const answer = negotiateUncached(accept);
  if (negotiated.size >= 256) negotiated.clear();
  negotiated.set(accept, answer ?? null);
  return answer;
}

const negotiated = new Map<string, ResponseMediaType | null>();

function negotiateUncached(accept: string): ResponseMediaType | undefined {
  let best: ResponseMediaType | undefined;
  let bestQuality = 0;
  for (const part of accept.split(',')) {
    const [rawType = '', ...parameters] = part.split(';');
    const type = rawType.trim().toLowerCase();
    let quality = 1;
    for (const parameter of parameters) {
      const [name, value] = parameter.split('=');
      if (name?.trim() === 'q') quality = Number(value) || 0;
    }
    const candidate: ResponseMediaType | undefined =
      type === 'application/graphql-response+json'
        ? type
        : type === 'application/json' || type === '*/*' || type === 'application/*'
          ? 'application/json'
          : undefined;
    if (candidate && quality > bestQuality) {
      best = candidate;
      bestQuality = quality;
    }
  }
  return best;
}

/** Reads and checks the GraphQL-over-HTTP parameters of a GET or POST request. */
export function readParams(request: DoitongRequest, search: URLSearchParams, maxBodyBytes: number): GraphQLParams {
  if (request.method === 'GET') {
    return checkParams({
      query: search.get('query'),
      operationName: search.get('operationName'),
      variables: jsonParam(search.get('variables'), 'variables'),
      extensions: jsonParam(search.get('extensions'), 'extensions'),
    });
  }
  const contentType = mediaTypeOf(headerValue(request.headers['content-type']));
  if (!contentType) throw new DoitongError('UNSUPPORTED_MEDIA_TYPE', 'Send the GraphQL request as "Content-Type: application/json".');
  if (contentType !== 'application/json' && contentType !== 'application/graphql+json')
    throw new DoitongError('UNSUPPORTED_MEDIA_TYPE', `Content-Type "${contentType}" is not supported; send application/json.`);
  let body = request.body;
  if (body instanceof Uint8Array) {
    if (body.byteLength > maxBodyBytes) throw tooLarge(maxBodyBytes);
    body = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  }
  if (typeof body === 'string') {
    if (body.length > maxBodyBytes) throw tooLarge(maxBodyBytes);
    try {
      body = JSON.parse(body);
    } catch {
      // Told apart only on failure: trimming every body to look for an empty one copied it each time.
      if ((body as string).trim() === '') throw new DoitongError('BAD_REQUEST', 'The request body is empty; send a JSON object with a "query".');
      throw new DoitongError('BAD_REQUEST', 'The request body is not valid JSON.');
    }
  }
  if (body === null || body === undefined || typeof body !== 'object' || Array.isArray(body))
    throw new DoitongError('BAD_REQUEST', 'The request body must be a JSON object with a "query".');
  const record = body as Record<string, unknown>;
  return checkParams({ query: record.query, operationName: record.operationName, variables: record.variables, extensions: record.extensions });
}

/** The media type of a Content-Type value, lower-cased, without parameters; remembered for the few values clients send. */
function mediaTypeOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  let type = mediaTypes.get(contentType);
  if (type === undefined) {
    type = contentType.split(';')[0]!.trim().toLowerCase();
    if (mediaTypes.size >= 256) mediaTypes.clear();
    mediaTypes.set(contentType, type);
  }
  return type;
}

const mediaTypes = new Map<string, string>();

function checkParams(raw: { query: unknown; operationName: unknown; variables: unknown; extensions: unknown }): GraphQLParams {
  if (typeof raw.query !== 'string' || raw.query === '') throw new DoitongError('BAD_REQUEST', 'The "query" parameter must be a non-empty string.');
  if (raw.operationName !== undefined && raw.operationName !== null && typeof raw.operationName !== 'string')
    throw new DoitongError('BAD_REQUEST', 'The "operationName" parameter must be a string.');
  for (const name of ['variables', 'extensions'] as const) {
    const value = raw[name];
    if (value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value)))
      throw new DoitongError('BAD_REQUEST', `The "${name}" parameter must be a JSON object.`);
    if (value && tooDeep(value, maxJsonDepth))
      throw new DoitongError('BAD_REQUEST', `The "${name}" parameter is nested more than ${maxJsonDepth} levels deep.`, {
        details: { maxDepth: maxJsonDepth },
      });
  }
  return {
    query: raw.query,
    operationName: (raw.operationName as string | null | undefined) ?? null,
    variables: (raw.variables as Record<string, unknown> | null | undefined) ?? null,
    extensions: (raw.extensions as Record<string, unknown> | null | undefined) ?? null,
  };
}

/**
 * How deep variables and extensions may nest. JSON.parse takes any depth, but what walks the
 * value afterwards recursively (the Idempotency-Key fingerprint, GraphQL's input coercion) would
 * run out of stack on thousands of levels; no input of the schema comes near this.
 */
export const maxJsonDepth = 64;

/** Whether a parsed JSON value nests deeper than `limit`; iterative, so any depth is safe to ask about. */
function tooDeep(value: object, limit: number): boolean {
  const stack: Array<[object, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (depth > limit) return true;
    for (const key in current) {
      const item = (current as Record<string, unknown>)[key];
      if (item !== null && typeof item === 'object') stack.push([item, depth + 1]);
    }
  }
  return false;
}

function jsonParam(value: string | null, name: string): unknown {
  if (value === null || value === '') return null;
  try {
    return JSON.parse(value);
  } catch {
    throw new DoitongError('BAD_REQUEST', `The "${name}" parameter is not valid JSON.`);
  }
}

function tooLarge(maxBodyBytes: number): DoitongError {
  return new DoitongError('PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBodyBytes} bytes.`, { details: { limit: maxBodyBytes } });
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
