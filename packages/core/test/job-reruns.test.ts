/**
 * A distributed queue runs a job again when its run failed or its instance died half-way. Every
 * step of the lifecycle must pick up where the earlier run stopped: the chain of status calls
 * must never break, and nothing may be sent to the provider or charged twice.
 */
import { afterEach, expect, it } from 'vitest';
import {
  InProcessQueue,
  KeyValueIdempotencyStore,
  MemoryConcurrencySlots,
  MemoryLedger,
  memoryStore,
  silentLogger,
  type Doitong,
  type JobQueue,
  type KeyValueStore,
} from '@doitong/core';
import { eventually, fakeProvider, post, testDoitong } from './support';
import { testProvider } from './providers';

let doitong: Doitong | undefined;
afterEach(async () => {
  await doitong?.close();
  doitong = undefined;
});

/** Like BullMQ with `attempts`: a job whose run throws is run again, up to `attempts` times. */
function retryingQueue(failEnqueue: (name: string, data: unknown) => boolean, attempts = 5) {
  const inner = new InProcessQueue({ logger: silentLogger });
  const runs: string[] = [];
  const queue: JobQueue = {
    register(name, handler) {
      inner.register(name, async (data) => {
        runs.push(name);
        try {
          await handler(data);
        } catch (error) {
          const attempt = Number(data.attempt ?? 1);
          if (attempt >= attempts) throw error;
          await inner.enqueue(name, { ...data, attempt: attempt + 1 }, { delayMilliseconds: 5 });
        }
      });
    },
    async enqueue(name, data, options) {
      if (failEnqueue(name, data)) throw new Error('the queue is unreachable');
      await inner.enqueue(name, data, options);
    },
    close: () => inner.close(),
  };
  return { queue, runs };
}

async function runToEnd(queue: JobQueue, provider: ReturnType<typeof fakeProvider>) {
  doitong = testDoitong({ providers: [provider.adapter], queue, pollSchedule: () => 5 });
  const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
  const created = await post(doitong, apiKey, { query: 'mutation { generate(input: { type: IMAGE, input: { text: "a fox" } }) { id creditCost } }' });
  const id = created.body.data.generate.id as string;
  const read = async () => (await post(doitong!, apiKey, { query: `{ generation(id: "${id}") { status } me { credits } }` })).body.data;
  return {
    ended: await eventually(read, (data) => data.generation.status !== 'PROCESSING' && data.generation.status !== 'PENDING'),
    creditCost: created.body.data.generate.creditCost as number,
  };
}

it('starts polling when a submit run saved the provider’s job but could not queue its first status call', async () => {
  let failed = false;
  const { queue, runs } = retryingQueue((name) => {
    if (name !== 'generation.poll' || failed) return false;
    failed = true;
    return true;
  });
  const provider = fakeProvider({ pollsToFinish: 2 });
  const { ended, creditCost } = await runToEnd(queue, provider);
  expect(ended.generation.status).toBe('COMPLETED');
  expect(ended.me.credits).toBe(100 - creditCost);
  expect(provider.calls.start).toBe(1);
  expect(runs.filter((name) => name === 'generation.submit')).toHaveLength(2);
});

it('goes on polling when a poll run could not queue the next status call', async () => {
  let polls = 0;
  const { queue } = retryingQueue((name) => name === 'generation.poll' && ++polls === 2);
  const provider = fakeProvider({ pollsToFinish: 3 });
  const { ended, creditCost } = await runToEnd(queue, provider);
  expect(ended.generation.status).toBe('COMPLETED');
  expect(ended.me.credits).toBe(100 - creditCost);
  expect(provider.calls.start).toBe(1);
});

it('sends one create call when two runs of a submit job overlap', async () => {
  const inner = new InProcessQueue({ logger: silentLogger });
  // Like a distributed queue that took a slow worker for dead: every submit job runs twice at once.
  const queue: JobQueue = {
    register: (name, handler) => inner.register(name, handler),
    async enqueue(name, data, options) {
      await inner.enqueue(name, data, options);
      if (name === 'generation.submit') await inner.enqueue(name, data, options);
    },
    close: () => inner.close(),
  };
  const provider = fakeProvider({ pollsToFinish: 2 });
  const { ended, creditCost } = await runToEnd(queue, provider);
  expect(ended.generation.status).toBe('COMPLETED');
  expect(ended.me.credits).toBe(100 - creditCost);
  expect(provider.calls.start).toBe(1);
});

it('submits a fallback whose submission the run that moved it could not queue, once', async () => {
  let submits = 0;
  const { queue, runs } = retryingQueue((name) => name === 'generation.submit' && ++submits === 2);
  // The first provider accepts and then reports its own failure: the poll job moves the generation
  // to the next provider, and queuing that submission fails once.
  const broken = testProvider({ id: 'broken', quality: 10, creditCost: 30, end: 'fail-provider' });
  const next = testProvider({ id: 'next', quality: 6, creditCost: 20 });
  doitong = testDoitong({ providers: [broken.adapter, next.adapter], queue, pollSchedule: () => 5 });
  const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
  const created = await post(doitong, apiKey, {
    query: 'mutation { generate(input: { type: VIDEO, priority: QUALITY, input: { text: "a fox" } }) { id provider } }',
  });
  expect(created.body.data.generate.provider).toBe('broken');
  const id = created.body.data.generate.id as string;
  const read = async () =>
    (await post(doitong!, apiKey, { query: `{ generation(id: "${id}") { status provider attempts { provider outcome } } me { credits } }` })).body.data;
  const ended = await eventually(read, (data) => ['COMPLETED', 'FAILED'].includes(data.generation.status));
  expect(ended.generation).toEqual({
    status: 'COMPLETED',
    provider: 'next',
    attempts: [
      { provider: 'broken', outcome: 'failed' },
      { provider: 'next', outcome: 'succeeded' },
    ],
  });
  expect(ended.me.credits).toBe(80);
  expect([broken.calls.start, next.calls.start]).toEqual([1, 1]);
  expect(submits).toBe(3);
  // The poll run that failed to queue the fallback ran again and queued it.
  expect(runs.filter((name) => name === 'generation.poll').length).toBeGreaterThanOrEqual(2);
});

it('hands each next poll to a queue that stores follow-ups in place of the job that ends, and completes', async () => {
  const inner = new InProcessQueue({ logger: silentLogger });
  const queued: string[] = [];
  const handedOn: string[] = [];
  // Like RedisJobQueue: a follow-up a handler answers with is stored where its job was.
  const queue: JobQueue = {
    storesFollowUps: true,
    register: (name, handler) =>
      inner.register(name, async (data) => {
        const followUp = await handler(data);
        if (!followUp) return;
        handedOn.push(followUp.name);
        await inner.enqueue(followUp.name, followUp.data, { delayMilliseconds: followUp.delayMilliseconds });
      }),
    async enqueue(name, data, options) {
      queued.push(name);
      await inner.enqueue(name, data, options);
    },
    close: () => inner.close(),
  };
  const provider = fakeProvider({ pollsToFinish: 3 });
  const { ended, creditCost } = await runToEnd(queue, provider);
  expect(ended.generation.status).toBe('COMPLETED');
  expect(ended.me.credits).toBe(100 - creditCost);
  expect(provider.calls.start).toBe(1);
  // The submission was queued; every status call after it was handed on by the job before it.
  expect(queued).toEqual(['generation.submit']);
  expect(handedOn.length).toBeGreaterThanOrEqual(3);
  expect(new Set(handedOn)).toEqual(new Set(['generation.poll']));
});

it('sends no create call when the copy a submission starts from is out of date (cancelled meanwhile)', async () => {
  const inner = memoryStore();
  // Like the Redis store: the copy this process last wrote, kept after another instance wrote the record.
  const copies = new Map<string, unknown>();
  const consulted: string[] = [];
  const storage: KeyValueStore = {
    ...inner,
    get: (key) => inner.get(key),
    getMany: (keys) => inner.getMany(keys),
    set: async (key, value, ttl) => {
      copies.set(key, value);
      await inner.set(key, value, ttl);
    },
    delete: (key) => inner.delete(key),
    update: (key, change) => inner.update!(key, change),
    recent: <Value>(key: string) => {
      consulted.push(key);
      return copies.get(key) as Value | undefined;
    },
    close: () => inner.close(),
  };
  const queueInner = new InProcessQueue({ logger: silentLogger });
  const held: Array<() => Promise<void>> = [];
  const queue: JobQueue = {
    register: (name, handler) => queueInner.register(name, handler),
    async enqueue(name, data, options) {
      // Submissions wait until the test lets them run.
      if (name === 'generation.submit') held.push(() => queueInner.enqueue(name, data, options));
      else await queueInner.enqueue(name, data, options);
    },
    close: () => queueInner.close(),
  };
  const provider = fakeProvider({ pollsToFinish: 1 });
  doitong = testDoitong({ providers: [provider.adapter], queue, storage, pollSchedule: () => 5 });
  const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
  const created = await post(doitong, apiKey, { query: 'mutation { generate(input: { type: IMAGE, input: { text: "a fox" } }) { id } }' });
  const id = created.body.data.generate.id as string;
  const cancelled = await post(doitong, apiKey, { query: `mutation { cancelGeneration(id: "${id}") }` });
  expect(cancelled.body.data.cancelGeneration).toBe(true);
  expect((copies.get(`generation:${id}`) as { status: string }).status).toBe('PENDING');
  await Promise.all(held.map((release) => release()));
  const read = async () => (await post(doitong!, apiKey, { query: `{ generation(id: "${id}") { status } me { credits } }` })).body.data;
  const ended = await eventually(read, (data) => data.generation.status === 'CANCELLED');
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(consulted).toContain(`generation:${id}`);
  expect(provider.calls.start).toBe(0);
  expect((await read()).me.credits).toBe(100);
  expect(ended.generation.status).toBe('CANCELLED');
});

it('moves a generation to its fallback once when two runs on two instances see its provider fail, and sends one create call to the fallback', async () => {
  // Two instances share the records, the ledger and the slots, each with its own queue; the
  // provider's first status answer (to the first instance) is held back until the second instance
  // has seen the same failure and moved the generation to the next provider.
  const storage = memoryStore();
  const ledger = new MemoryLedger();
  const slots = new MemoryConcurrencySlots({ now: Date.now });
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let heldStatus!: () => void;
  const statusHeld = new Promise<void>((resolve) => (heldStatus = resolve));
  const broken = testProvider({ id: 'broken', quality: 10, creditCost: 30, end: 'fail-provider' });
  const brokenStatus = broken.adapter.status!;
  let statusCalls = 0;
  broken.adapter.status = async (...args) => {
    if (statusCalls++ === 0) {
      heldStatus();
      await held;
    }
    return brokenStatus(...args);
  };
  const next = testProvider({ id: 'next', quality: 6, creditCost: 20, end: 'never' });
  const queues = [new InProcessQueue({ logger: silentLogger }), new InProcessQueue({ logger: silentLogger })];
  const [first, second] = queues.map((queue) =>
    testDoitong({ providers: [broken.adapter, next.adapter], storage, ledger, slots, queue, pollSchedule: () => 5 }),
  ) as [Doitong, Doitong];
  try {
    const { apiKey } = await first.accounts.create({ plan: 'pro', credits: 100 });
    const created = await post(first, apiKey, { query: 'mutation { generate(input: { type: VIDEO, priority: QUALITY, input: { text: "a fox" } }) { id } }' });
    const id = created.body.data.generate.id as string;
    await statusHeld;
    // The second instance's run (a provider's callback, a job taken over) sees the failure and moves on.
    await queues[1]!.enqueue('generation.poll', { id });
    const read = async () => (await post(second, apiKey, { query: `{ generation(id: "${id}") { status provider } me { credits } }` })).body.data;
    await eventually(read, (data) => data.generation.status === 'PROCESSING' && data.generation.provider === 'next');
    // The first instance's run now gets the same failure, from the attempt that was moved on.
    release();
    await eventually(
      async () => broken.calls.status,
      (calls) => calls >= 2,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    next.state.end = 'succeed';
    const ended = await eventually(read, (data) => data.generation.status === 'COMPLETED');
    expect(next.calls.start).toBe(1);
    expect(ended.me.credits).toBe(80);
    const attempts = (await post(second, apiKey, { query: `{ generation(id: "${id}") { attempts { provider outcome } } }` })).body.data.generation.attempts;
    expect(attempts).toEqual([
      { provider: 'broken', outcome: 'failed' },
      { provider: 'next', outcome: 'succeeded' },
    ]);
  } finally {
    await first.close();
    await second.close();
  }
});

it('answers a request retried after its instance died with the generation that instance created, charged once', async () => {
  // Two instances share the records, the ledger and the slots. The first dies right after storing
  // the generation: its submission never gets queued, and its claim on the key is no longer renewed.
  const storage = memoryStore();
  const ledger = new MemoryLedger();
  const slots = new MemoryConcurrencySlots({ now: Date.now });
  const shared = { storage, ledger, slots, idempotencyLeaseSeconds: 0.3, pollSchedule: () => 5 };
  const provider = fakeProvider({ pollsToFinish: 1 });
  const deadQueue = new InProcessQueue({ logger: silentLogger });
  const dead = testDoitong({
    ...shared,
    providers: [provider.adapter],
    queue: { register: (name, handler) => deadQueue.register(name, handler), enqueue: () => new Promise(() => undefined), close: () => deadQueue.close() },
    idempotency: (() => {
      const store = new KeyValueIdempotencyStore(storage);
      // A dead instance renews nothing.
      return { claim: store.claim.bind(store), renew: async () => true, complete: store.complete.bind(store), release: store.release.bind(store) };
    })(),
  });
  const alive = testDoitong({ ...shared, providers: [provider.adapter] });
  try {
    const { apiKey } = await alive.accounts.create({ plan: 'pro', credits: 100 });
    const body = { query: 'mutation { generate(input: { type: IMAGE, input: { text: "a fox" } }) { id creditCost } }' };
    const headers = { 'Idempotency-Key': 'order-7' };
    void post(dead, apiKey, body, headers);
    const listed = async () =>
      (await post(alive, apiKey, { query: '{ generations(first: 10) { edges { node { id status } } } me { credits } }' })).body.data as {
        generations: { edges: Array<{ node: { id: string; status: string } }> };
        me: { credits: number };
      };
    const first = await eventually(listed, (data) => data.generations.edges.length === 1);
    const createdId = first.generations.edges[0]!.node.id;
    // The key's claim lapses; the client retries on the other instance.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const retried = await post(alive, apiKey, body, headers);
    expect(retried.status).toBe(200);
    expect(retried.body.data.generate.id).toBe(createdId);
    const ended = await eventually(listed, (data) => data.generations.edges.every(({ node }) => node.status === 'COMPLETED'));
    expect(ended.generations.edges.map(({ node }) => node.id)).toEqual([createdId]);
    expect(ended.me.credits).toBe(100 - (retried.body.data.generate.creditCost as number));
    expect(provider.calls.start).toBe(1);
    // A retry now replays the answer.
    const replayed = await post(alive, apiKey, body, headers);
    expect(replayed.body.data.generate.id).toBe(createdId);
  } finally {
    await dead.close();
    await alive.close();
  }
});
