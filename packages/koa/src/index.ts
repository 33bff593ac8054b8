import { Readable } from 'node:stream';
import { failureResponse, pathBelowMount, type Doitong, type DoitongResponse } from '@doitong/core';
import type { Context, Middleware } from 'koa';

export interface DoitongKoaOptions {
  /** Where Doitong answers; requests for other paths go on to the next middleware. Default `/graphql`. */
  path?: string;
}

/**
 * Serves Doitong from a Koa 2 or 3 app: `app.use(doitongKoa(doitong, { path: '/graphql' }))`.
 *
 * It sets `ctx.status`, the headers and `ctx.body` rather than writing to the socket, so
 * upstream middleware (logging, compression) sees the response. A body that a parser such as
 * `@koa/bodyparser` already read is reused; otherwise Doitong reads it within
 * `limits.maxBodyBytes`. Mounted after such a parser, malformed JSON is refused by the parser
 * itself; mount Doitong before it to answer those in Doitong's error format too.
 */
export function doitongKoa(doitong: Doitong, options: DoitongKoaOptions = {}): Middleware {
  const path = (options.path ?? '/graphql').replace(/\/+$/, '');
  return async (context, next) => {
    const below = pathBelowMount(context.path, path);
    if (below === undefined) return next();
    let response: DoitongResponse;
    try {
      const parsedBody = (context.request as { body?: unknown }).body;
      const request = await doitong.toRequest(context.req, { url: below + context.search, mountPath: mountPathOf(context, path), parsedBody }, context.res);
      response = await doitong.handle(request);
    } catch (error) {
      // Reading the request failed (413, or the client went away): answer it, never reject.
      response = failureResponse(error);
    }
    respond(context, response);
  };
}

/** The mount path as the client sees it, including any prefix koa-mount already stripped. */
function mountPathOf(context: Context, path: string): string {
  const query = context.originalUrl.indexOf('?');
  // Not below koa-mount (the usual case): no URL to parse.
  if ((query === -1 ? context.originalUrl : context.originalUrl.slice(0, query)) === context.path) return path;
  const original = new URL(context.originalUrl, 'http://koa.local').pathname;
  return original.endsWith(context.path) ? original.slice(0, original.length - context.path.length) + path : path;
}

function respond(context: Context, response: DoitongResponse): void {
  context.status = response.status;
  // Headers first: Koa keeps a Content-Type that is already set when the body is assigned.
  context.set(response.headers);
  const body = response.body;
  if (body === null) {
    // Left unset for HEAD, so Koa keeps the Content-Length of the entity; `null` would turn the status into 204.
    if (context.method !== 'HEAD') context.body = Buffer.alloc(0);
  } else if (typeof body === 'string') {
    context.body = body;
  } else if (body instanceof Uint8Array) {
    context.body = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  } else {
    context.body = Readable.from(body);
  }
}

export { doitongWebhookReceiver, type DoitongKoaWebhookReceiverOptions } from './webhook-receiver';
