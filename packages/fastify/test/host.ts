import type { AddressInfo } from 'node:net';
import type { Doitong } from '@doitong/core';
import type { RunningHost } from '@doitong/core/testing';
import { doitongFastify } from '@doitong/fastify';
import type fastify from 'fastify';

export type FastifyFactory = typeof fastify;

/** A host app as a user writes one: its own route beside Doitong, Fastify's default 404 for the rest. */
export async function startFastifyHost(factory: FastifyFactory, doitong: Doitong, options: { prefix?: boolean } = {}): Promise<RunningHost> {
  // Keep-alive connections from fetch would otherwise hold close() open until they time out.
  const app = factory({ forceCloseConnections: true });
  app.get('/other', async (_request, reply) => reply.type('text/plain').send('other'));
  // The two ways to mount it: Fastify's own `prefix`, or the plugin's `path`.
  if (options.prefix === false) await app.register(doitongFastify(doitong, { path: '/graphql' }));
  else await app.register(doitongFastify(doitong), { prefix: '/graphql' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/graphql`, close: () => app.close() };
}
