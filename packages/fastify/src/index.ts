import { Readable } from 'node:stream';
import { failureResponse, type Doitong, type DoitongResponse } from '@doitong/core';
import type { FastifyInstance, FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';

export interface DoitongFastifyOptions {
  /** The mount path, when not given as the `prefix` of `register`. Default `/graphql`. */
  path?: string;
}

/**
 * Serves Doitong from a Fastify 4 or 5 app, as an encapsulated plugin:
 *
 * ```ts
 * await app.register(doitongFastify(doitong), { prefix: '/graphql' });
 * ```
 *
 * Inside its own scope it replaces the content-type parsers with one that leaves the body unread,
 * so Doitong reads it once, within `limits.maxBodyBytes`, whatever parsers the host registered for
 * its own routes. The answer goes out through `reply.send`, so the host's hooks (`onSend`,
 * `onResponse`, CORS, compression, logging) see it as they see any other reply.
 */
export function doitongFastify(doitong: Doitong, options: DoitongFastifyOptions = {}): FastifyPluginCallback {
  const plugin: FastifyPluginCallback = (instance, _pluginOptions, done) => {
    const mountPath = (instance.prefix || options.path || '/graphql').replace(/\/+$/, '');
    // Routes are registered relative to the prefix; without one the plugin mounts itself at `path`.
    const base = instance.prefix ? '' : mountPath;
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', (_request: unknown, _payload: unknown, parsed: (error: Error | null, body?: unknown) => void) => parsed(null));
    const handler = (request: FastifyRequest, reply: FastifyReply) => serve(doitong, mountPath, request, reply);
    for (const url of [base || '/', `${base}/*`]) instance.route({ method: methods(instance), url, handler });
    done();
  };
  // Fastify names a plugin in its errors and in `printPlugins()` by this symbol.
  Object.defineProperty(plugin, Symbol.for('fastify.display-name'), { value: '@doitong/fastify' });
  return plugin;
}

async function serve(doitong: Doitong, mountPath: string, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  let response: DoitongResponse;
  try {
    const raw = request.raw.url ?? '/';
    const below = raw.startsWith(mountPath) ? raw.slice(mountPath.length) : raw;
    const url = below === '' ? '/' : below.startsWith('?') ? `/${below}` : below;
    response = await doitong.handle(await doitong.toRequest(request.raw, { url, mountPath }, reply.raw));
  } catch (error) {
    // Reading the request failed (413, or the client went away): answer it, never reject.
    response = failureResponse(error);
  }
  reply.code(response.status).headers(response.headers);
  const body = response.body;
  // HEAD: Fastify keeps the entity's Content-Length when nothing is sent.
  if (body === null) return reply.send();
  if (typeof body === 'string' || body instanceof Uint8Array)
    return reply.send(typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  return reply.send(Readable.from(body));
}

/** Every method the instance's router knows (Fastify 5 lists them; Fastify 4 has a fixed set). */
function methods(instance: FastifyInstance): string[] {
  const supported = (instance as { supportedMethods?: string[] }).supportedMethods;
  return supported ?? ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT', 'OPTIONS'];
}

export { doitongWebhookReceiver, type DoitongFastifyWebhookReceiverOptions } from './webhook-receiver';
