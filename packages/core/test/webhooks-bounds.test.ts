import { afterEach, describe, expect, it } from 'vitest';
import type { Doitong } from '@doitong/core';
import { eventually, fakeProvider, post, testDoitong } from './support';
import { startReceiver, type Receiver } from './receiver';

let doitong: Doitong | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await doitong?.close();
  await receiver?.close();
  doitong = undefined;
  receiver = undefined;
});

const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;

describe('webhook delivery bounds', () => {
  it('lets a receiver that hangs hold only its own endpoint slots, while other receivers get theirs', async () => {
    receiver = await startReceiver((request) => (request.path === '/hangs' ? 'hang' : 204));
    doitong = testDoitong({
      providers: [fakeProvider().adapter],
      webhooks: { allowPrivateUrls: true, maxConcurrentPerEndpoint: 2, responseTimeoutMilliseconds: 60_000 },
    });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 1_000 });
    await post(doitong, apiKey, { query: `mutation { createWebhookEndpoint(url: "${receiver.url('/hangs')}") { secret } }` });
    for (let index = 0; index < 5; index++)
      await post(doitong, apiKey, {
        query: `mutation { generate(input: { type: IMAGE, input: { text: "x" }, webhookUrl: "${receiver.url('/fast')}" }) { id } }`,
      });

    await eventually(
      async () => receiver!.on('/fast').length,
      (count) => count === 5,
    );
    await eventually(
      async () => receiver!.on('/hangs').length,
      (count) => count === 2,
    );
    // Five deliveries are due to the hanging endpoint; two are in flight and three wait for its slots.
    const list = await post(doitong, apiKey, { query: '{ webhookDeliveries(first: 20) { nodes { url status attempts { number } } } }' });
    const hanging = list.body.data.webhookDeliveries.nodes.filter((node: { url: string }) => node.url.endsWith('/hangs'));
    expect(hanging).toHaveLength(5);
    expect(hanging.every((node: { status: string; attempts: unknown[] }) => node.status === 'PENDING' && node.attempts.length === 0)).toBe(true);
    expect(receiver.on('/hangs')).toHaveLength(2);
    expect(receiver.mostOpenOn('/hangs')).toBe(2);
  });

  it('close() aborts attempts in flight and leaves no timer behind, even with retries scheduled', async () => {
    receiver = await startReceiver((request) => (request.path === '/hangs' ? 'hang' : 500));
    const before = timers();
    doitong = testDoitong({
      providers: [fakeProvider().adapter],
      webhooks: { allowPrivateUrls: true, retrySchedule: [60_000], responseTimeoutMilliseconds: 60_000 },
    });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 1_000 });
    await post(doitong, apiKey, { query: `mutation { createWebhookEndpoint(url: "${receiver.url('/hangs')}") { secret } }` });
    await post(doitong, apiKey, {
      query: `mutation { generate(input: { type: IMAGE, input: { text: "x" }, webhookUrl: "${receiver.url('/fails')}" }) { id } }`,
    });
    await eventually(
      async () => receiver!.on('/hangs').length + receiver!.on('/fails').length,
      (count) => count === 2,
    );
    // The failed one now waits a minute for its retry.
    await eventually(
      () => post(doitong!, apiKey, { query: '{ webhookDeliveries { nodes { url nextAttemptAt attempts { number } } } }' }),
      (response) =>
        response.body.data.webhookDeliveries.nodes.some(
          (node: { url: string; attempts: unknown[] }) => node.url.endsWith('/fails') && node.attempts.length === 1,
        ),
    );

    await doitong.close();
    doitong = undefined;
    await eventually(
      async () => receiver!.closedByClient,
      (closed) => closed.includes('/hangs'),
    );
    expect(timers()).toBeLessThanOrEqual(before);
    expect(receiver.on('/fails')).toHaveLength(1);
  });
});
