// The shapes of the handler's own answers (request errors, refusals, plain JSON), in one place so
// every stage and the admin route answer alike.
import type { GraphQLError } from 'graphql';
import type { DoitongError } from '../errors';
import type { Logger } from '../logger';
import { errorBody, formatError } from './error-format';
import type { ResponseMediaType } from './graphql-params';
import type { DoitongResponse } from './types';

/**
 * What a stage of the request path returns when it answered the request itself (a refusal, a
 * replay): the handler sends it and runs no later stage.
 */
export class Answered {
  constructor(readonly response: DoitongResponse) {}
}

/**
 * Errors that stop a request before execution. GraphQL-over-HTTP: `application/json`
 * clients get 200 (legacy behaviour the audits expect), the new media type gets 400;
 * a document refused for its size or cost is 400 for everyone.
 */
export function requestErrors(code: string, errors: readonly GraphQLError[], mediaType: ResponseMediaType, logger: Logger): DoitongResponse {
  const status = mediaType === 'application/json' && code !== 'QUERY_TOO_COMPLEX' ? 200 : 400;
  const body = { errors: errors.map((error) => formatError(error, logger, code)) };
  return { status, headers: contentType(mediaType), body: JSON.stringify(body) };
}

export function errorResponse(error: DoitongError, mediaType: ResponseMediaType): DoitongResponse {
  return { status: error.status, headers: { ...contentType(mediaType), ...lowerCase(error.headers) }, body: errorBody(error) };
}

export function contentType(mediaType: ResponseMediaType): Record<string, string> {
  return { 'content-type': `${mediaType}; charset=utf-8` };
}

export function json(status: number, value: unknown): DoitongResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(value) };
}

function lowerCase(headers: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) result[name.toLowerCase()] = value;
  return result;
}
