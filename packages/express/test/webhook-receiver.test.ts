import { listen, webhookReceiverTestSuite, probe } from '@doitong/core/testing';
import { generateWebhookSecret } from '@doitong/core';
import { doitongWebhookReceiver } from '@doitong/express';
import express5 from 'express';
import express4 from 'express4';
import * as vitest from 'vitest';
import { signWebhook } from '../../core/src/webhooks/signature';

for (const [version, express] of [
  ['Express 5', express5],
  ['Express 4', express4],
] as const) {
  webhookReceiverTestSuite(vitest, {
    name: version,
    start: (receiver) => {
      const app = express();
      app.post('/webhooks', doitongWebhookReceiver(receiver));
      return listen(app, '/webhooks');
    },
  });

  webhookReceiverTestSuite(vitest, {
    name: `${version}, express.json() installed after it`,
    start: (receiver) => {
      const app = express();
      app.post('/webhooks', doitongWebhookReceiver(receiver));
      app.use(express.json());
      return listen(app, '/webhooks');
    },
  });

  webhookReceiverTestSuite(vitest, {
    name: `${version}, after express.json() that keeps the raw body`,
    start: (receiver) => {
      const app = express();
      app.use(
        express.json({
          verify: (request, _response, raw) => {
            Object.assign(request, { rawBody: raw });
          },
        }),
      );
      app.post('/webhooks', doitongWebhookReceiver(receiver));
      return listen(app, '/webhooks');
    },
  });

  vitest.describe(`${version} webhook receiver after a JSON parser that dropped the raw body`, () => {
    vitest.it('answers 500 RAW_BODY_UNAVAILABLE rather than verify re-serialised JSON', async () => {
      const secret = generateWebhookSecret();
      const app = express();
      app.use(express.json());
      let called = false;
      app.post('/webhooks', doitongWebhookReceiver({ secret, onEvent: () => (called = true) }));
      const host = await listen(app, '/webhooks');
      try {
        const body = '{"type":"generation.completed","timestamp":"2026-01-01T00:00:00.000Z","data":{"generation":{"id":"gen_1","status":"COMPLETED"}}}';
        const timestamp = Math.floor(Date.now() / 1000);
        const response = await probe(host.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'webhook-id': 'msg_1',
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signWebhook([secret], 'msg_1', timestamp, body),
          },
          body,
        });
        vitest.expect(response.status).toBe(500);
        vitest.expect(response.json.errors[0].extensions).toMatchObject({ code: 'WEBHOOK_VERIFICATION_FAILED', reason: 'RAW_BODY_UNAVAILABLE' });
        vitest.expect(called).toBe(false);
      } finally {
        await host.close();
      }
    });
  });
}
