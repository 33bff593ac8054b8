import type { AddressInfo } from 'node:net';
import { webhookReceiverTestSuite } from '@doitong/core/testing';
import { doitongWebhookReceiver } from '@doitong/fastify';
import fastify from 'fastify';
import fastify4 from 'fastify4';
import * as vitest from 'vitest';

for (const [version, factory] of [
  ['Fastify 5', fastify],
  ['Fastify 4', fastify4],
] as const) {
  webhookReceiverTestSuite(vitest, {
    name: version,
    async start(receiver) {
      const app = factory({ forceCloseConnections: true });
      // The host's own JSON parser stays in force for its other routes; the receiver reads the raw bytes.
      app.post('/other', async (request) => request.body);
      await app.register(doitongWebhookReceiver(receiver), { prefix: '/webhooks' });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      return { url: `http://127.0.0.1:${port}/webhooks`, close: () => app.close() };
    },
  });
}
