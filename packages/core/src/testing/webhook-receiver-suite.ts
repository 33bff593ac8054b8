import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDoitong, silentLogger, type Doitong, type WebhookEvent } from '@doitong/core';
import { generateWebhookSecret } from '../webhooks/secret';
import { signWebhook } from '../webhooks/signature';
import { fakeProvider } from './fake-provider';
import { eventually } from './eventually';
import { probe, type ProbeResponse } from './http-probe';
import type { RunningHost } from './listen';
import type { TestApi } from './test-api';

export interface WebhookReceiverSuiteOptions {
  /** Names the suite in test output: `Express 5 receiver after express.json()`. */
  name: string;
  /**
   * Serves the binding's webhook receiver, built with `receiver`, at `/webhooks` of a fresh host
   * app listening on 127.0.0.1 (`listen(app, '/webhooks')` reports that URL), with the host's
   * body parser if the variant has one.
   */
  start(receiver: { secret: string; onEvent(event: WebhookEvent, delivery: { webhookId: string; timestamp: number }): unknown }): Promise<RunningHost>;
}

/**
 * The conformance suite of a binding's webhook receiver, over real HTTP: a real Doitong instance
 * delivers to it, and hand-made requests check that only a correctly signed raw body gets through.
 */
export function webhookReceiverTestSuite(test: TestApi, options: WebhookReceiverSuiteOptions): void {
  const { describe, it, beforeAll, afterAll } = test;
  describe(`${options.name} webhook receiver`, () => {
    const secret = generateWebhookSecret();
    const received: Array<{ event: WebhookEvent; webhookId: string }> = [];
    let failNext = 0;
    let host: RunningHost;
    let doitong: Doitong;
    let apiKey = '';
    let assetDirectory = '';

    beforeAll(async () => {
      host = await options.start({
        secret,
        onEvent(event, delivery) {
          if (failNext > 0) {
            failNext--;
            throw new Error('the receiving application failed');
          }
          received.push({ event, webhookId: delivery.webhookId });
        },
      });
      assetDirectory = mkdtempSync(join(tmpdir(), 'doitong-receiver-'));
      doitong = createDoitong({
        providers: [fakeProvider().adapter],
        logger: silentLogger,
        assets: { directory: assetDirectory },
        webhooks: { secret, allowPrivateUrls: true, retrySchedule: [10, 20] },
      });
      ({ apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 1_000 }));
    });

    afterAll(async () => {
      await doitong?.close();
      await host?.close();
      if (assetDirectory) rmSync(assetDirectory, { recursive: true, force: true });
    });

    const deliver = async () => {
      const created = await doitong.handle({
        method: 'POST',
        url: '/',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ query: `mutation { generate(input: { type: IMAGE, input: { text: "x" }, webhookUrl: "${host.url}" }) { id } }` }),
        baseUrl: 'http://localhost/graphql',
      });
      return JSON.parse(String(created.body)).data.generate.id as string;
    };
    const deliveryOf = async (generationId: string) => {
      const response = await doitong.handle({
        method: 'POST',
        url: '/',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({
          query: `{ webhookDeliveries(generationId: "${generationId}") { nodes { webhookId status attempts { status responseStatus } } } }`,
        }),
      });
      return JSON.parse(String(response.body)).data.webhookDeliveries.nodes[0] as
        { webhookId: string; status: string; attempts: Array<{ status: string; responseStatus: number | null }> } | undefined;
    };

    it('hands a delivery from Doitong to onEvent, verified, and answers 204', async () => {
      const generationId = await deliver();
      const delivery = await eventually(
        () => deliveryOf(generationId),
        (value) => value?.status === 'SUCCEEDED',
      );
      assert.deepEqual(delivery!.attempts, [{ status: 'SUCCEEDED', responseStatus: 204 }]);
      const event = received.find((entry) => entry.event.data.generation.id === generationId);
      assert.ok(event, 'onEvent saw the event');
      assert.equal(event.event.type, 'generation.completed');
      assert.equal(event.webhookId, delivery!.webhookId);
    });

    it('answers 5xx when onEvent throws, so Doitong retries with the same webhook-id', async () => {
      failNext = 1;
      const generationId = await deliver();
      const delivery = await eventually(
        () => deliveryOf(generationId),
        (value) => value?.status === 'SUCCEEDED',
      );
      assert.equal(delivery!.attempts.length, 2);
      assert.equal(delivery!.attempts[0]!.status, 'FAILED');
      assert.ok((delivery!.attempts[0]!.responseStatus ?? 0) >= 500, `first attempt answered ${delivery!.attempts[0]!.responseStatus}`);
      assert.equal(received.filter((entry) => entry.webhookId === delivery!.webhookId).length, 1);
    });

    it('refuses tampered, wrongly signed, stale and unsigned requests with 400 and the reason', async () => {
      const before = received.length;
      const body = JSON.stringify({
        type: 'generation.completed',
        timestamp: new Date().toISOString(),
        data: { generation: { id: 'gen_forged', status: 'COMPLETED' } },
      });
      const send = (text: string, headers: Record<string, string>) =>
        probe(host.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: text });
      const signed = (key: string, timestamp = Math.floor(Date.now() / 1000)) => ({
        'webhook-id': 'msg_suite',
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook([key], 'msg_suite', timestamp, body),
      });
      assertRefused(await send(body.replace('gen_forged', 'gen_other'), signed(secret)), 'NO_MATCHING_SIGNATURE');
      assertRefused(await send(body, signed(generateWebhookSecret())), 'NO_MATCHING_SIGNATURE');
      assertRefused(await send(body, signed(secret, Math.floor(Date.now() / 1000) - 600)), 'TIMESTAMP_TOO_OLD');
      assertRefused(await send(body, {}), 'MISSING_HEADERS');
      // Re-serialised JSON (spaces) is not the signed body: what is verified is the raw body.
      assertRefused(await send(JSON.stringify(JSON.parse(body), null, 2), signed(secret)), 'NO_MATCHING_SIGNATURE');
      const good = await send(body, signed(secret));
      assert.equal(good.status, 204, good.text);
      assert.equal(received.length, before + 1);
    });
  });
}

function assertRefused(response: ProbeResponse, reason: string): void {
  assert.equal(response.status, 400, `expected 400 ${reason}, got ${response.status}: ${response.text}`);
  assert.equal(response.json?.errors?.[0]?.extensions?.code, 'WEBHOOK_VERIFICATION_FAILED', response.text);
  assert.equal(response.json?.errors?.[0]?.extensions?.reason, reason, response.text);
}
