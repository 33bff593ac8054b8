import { DoitongError, failureResponse, writeNodeResponse, type Doitong, type ErrorCode } from '@doitong/core';
import type { ErrorRequestHandler, RequestHandler } from 'express';

export type DoitongExpressMiddleware = [RequestHandler, ErrorRequestHandler];

/** What a host's body parser (express.json(), body-parser) reports, as Doitong error codes. */
const parserRefusals: Record<number, ErrorCode> = { 400: 'BAD_REQUEST', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' };

/**
 * Serves Doitong from an Express 4 or 5 app. Mount it with a path, so Express strips it from
 * `req.url` and reports it in `req.baseUrl`:
 *
 * ```ts
 * app.use('/graphql', doitongExpress(doitong));
 * ```
 *
 * A body that the host's parser already read (`express.json()`, `express.text()`,
 * `express.raw()`) is reused; otherwise Doitong reads it within `limits.maxBodyBytes`. The
 * second handler answers a host parser's refusal of a GraphQL request (malformed JSON, body too
 * large) in Doitong's JSON error format; anything unexpected goes to the host's error handlers.
 */
export function doitongExpress(doitong: Doitong): DoitongExpressMiddleware {
  const handle: RequestHandler = (request, response, next) => {
    doitong.handleNode(request, response, { url: request.url, mountPath: request.baseUrl, parsedBody: request.body }).catch(next);
  };
  const answerParserRefusal: ErrorRequestHandler = (error, request, response, next) => {
    const status = (error as { status?: unknown } | null)?.status;
    const code = typeof status === 'number' ? parserRefusals[status] : undefined;
    // http-errors marks client errors whose message is safe to show with `expose`.
    if (!code || response.headersSent || (error as { expose?: unknown }).expose !== true) return next(error);
    const failure = new DoitongError(code, (error as Error).message);
    writeNodeResponse(response, failureResponse(failure)).catch(next);
  };
  return [handle, answerParserRefusal];
}

export { doitongWebhookReceiver, type DoitongWebhookReceiverOptions } from './webhook-receiver';
