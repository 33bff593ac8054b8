/**
 * A draining close: requests are refused with a code at once, running generations go on (each
 * poll queuing the next) until they end, their webhooks are sent, and credits and slots are
 * settled; at the drain deadline close() returns even if a job never ends.
 */
import { afterEach, expect, it } from 'vitest';
import {
  InProcessQueue,
  MemoryConcurrencySlots,
  MemoryKeyValueStore,
  MemoryLedger,
  silentLogger,
  systemClock,
  type Doitong,
  type KeyValueStore,
} from '@doitong/core';
import { fakeProvider, post, queueIdle, testDoitong } from './support';
import { startReceiver } from './receiver';

let doitong: Doitong | undefined;
let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
afterEach(async () => {
  await doitong?.close({ drainSeconds: 0 });
  await receiver?.close();
  doitong = receiver = undefined;
});

const generate = 'mutation($url: String) { generate(input: { type: IMAGE, input: { text: "a fox" }, webhookUrl: $url }) { id creditCost } }';

it('finishes running generations and their webhooks while it drains, refusing new requests with 503 SERVICE_UNAVAILABLE', async () => {
  receiver = await startReceiver();
  const provider = fakeProvider({ pollsToFinish: 6 });
  const ledger = new MemoryLedger();
  const slots = new MemoryConcurrencySlots(systemClock);
  // Kept readable after close (the memory store forgets everything when closed).
  const memory = new MemoryKeyValueStore();
  const storage: KeyValueStore = {
    get: (key) => memory.get(key),
    getMany: (keys) => memory.getMany(keys),
    set: (key, value, ttl) => memory.set(key, value, ttl),
    delete: (key) => memory.delete(key),
    update: (key, change) => memory.update(key, change),
    close: async () => undefined,
  };
  doitong = testDoitong({
    providers: [provider.adapter],
    ledger,
    slots,
    storage,
    pollSchedule: () => 60,
    webhooks: { allowPrivateUrls: true, retrySchedule: [10, 20, 40] },
  });
  const { account, apiKey } = await doitong.accounts.create({ plan: 'enterprise', credits: 1_000 });
  const ids: string[] = [];
  let charged = 0;
  for (let index = 0; index < 10; index++) {
    const created = await post(doitong, apiKey, { query: generate, variables: { url: receiver.url() } });
    expect(created.body.errors).toBeUndefined();
    ids.push(created.body.data.generate.id);
    charged += created.body.data.generate.creditCost;
  }
  // Still polling: six status calls, 60 ms apart, each queued by the one before.
  const before = await Promise.all(ids.map((id) => doitong!.getGeneration(id)));
  expect(before.filter((generation) => generation!.status === 'COMPLETED')).toHaveLength(0);

  const closed = doitong.close({ drainSeconds: 60 });
  const refused = await post(doitong, apiKey, { query: generate });
  expect(refused.status).toBe(503);
  expect(refused.body.errors[0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'shutting_down' });
  expect(refused.headers['retry-after']).toBe('1');
  const ready = await doitong.handle({ method: 'GET', url: '/ready', headers: {}, body: '' });
  expect(ready.status).toBe(503);
  const health = await doitong.handle({ method: 'GET', url: '/health', headers: {}, body: '' });
  expect(health.status).toBe(200);
  await closed;

  const after = await Promise.all(ids.map((id) => doitong!.getGeneration(id)));
  expect(after.map((generation) => generation!.status)).toEqual(ids.map(() => 'COMPLETED'));
  expect(after.every((generation) => generation!.notifiedAt)).toBe(true);
  expect(provider.calls.start).toBe(10);
  expect(new Set(receiver.received.map((request) => JSON.parse(request.body).data.generation.id))).toEqual(new Set(ids));
  expect(await ledger.balance(account.id)).toBe(1_000 - charged);
  expect(await ledger.openReservations(100)).toEqual([]);
  expect(await slots.held(100)).toEqual([]);
}, 60_000);

it('returns at the drain deadline when a job never ends', async () => {
  const provider = fakeProvider({ pollsToFinish: Number.MAX_SAFE_INTEGER });
  const queue = new InProcessQueue({ logger: silentLogger });
  doitong = testDoitong({ providers: [provider.adapter], pollSchedule: () => 20, queue });
  const { apiKey } = await doitong.accounts.create({ plan: 'enterprise', credits: 1_000 });
  const created = await post(doitong, apiKey, { query: generate });
  expect(created.body.errors).toBeUndefined();
  await doitong.close({ drainSeconds: 0.3 });
  const polls = provider.calls.status;
  expect(polls).toBeGreaterThan(0);
  // No job is left, waiting, delayed or running (a poll still running at the deadline has returned).
  await queueIdle(queue);
  // Nothing runs after close: the chain of polls stopped with the drain.
  expect(provider.calls.status).toBe(polls);
});
