/**
 * A draining close on both Redis queues: the running job finishes, the follow-up it queues while
 * the instance closes is stored (not dropped), and another instance sharing the queue runs it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Redis as IORedis, type Redis } from 'ioredis';
import type { JobQueue } from '@doitong/core';
import { BullQueue, RedisJobQueue } from '@doitong/redis';
import { connectRedis, redisUrl, testPrefix } from './services';

let client: Redis;
const connections: Redis[] = [];
beforeAll(async () => {
  client = await connectRedis();
});
afterAll(async () => {
  client?.disconnect();
  for (const connection of connections) connection.disconnect();
});

async function drainsAndHandsOver(make: () => JobQueue) {
  const first = make();
  const seen: string[] = [];
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  first.register('step', async (data) => {
    if (data.n === 1) {
      started();
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Queued while its instance closes: a follow-up such as the next poll.
      await first.enqueue('step', { n: 2 });
    }
    seen.push(`first:${data.n}`);
  });
  await first.enqueue('step', { n: 1 });
  await running;
  await first.close({ drainMilliseconds: 10_000 });
  expect(seen).toEqual(['first:1']);
  // The next instance (or this one restarted) runs the follow-up.
  const other = make();
  other.register('step', async (data) => void seen.push(`other:${data.n}`));
  const deadline = Date.now() + 20_000;
  while (!seen.includes('other:2') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  await other.close({ drainMilliseconds: 0 });
  expect(seen).toEqual(['first:1', 'other:2']);
}

it('RedisJobQueue: finishes the running job and keeps the follow-up it queues while closing', async () => {
  const prefix = testPrefix();
  await drainsAndHandsOver(() => new RedisJobQueue({ client, prefix, stalledIntervalMilliseconds: 100 }));
}, 60_000);

it('BullQueue: finishes the running job and keeps the follow-up it queues while closing', async () => {
  const name = `drain-${testPrefix().replaceAll(':', '-')}`;
  await drainsAndHandsOver(() => {
    const connection = new IORedis(redisUrl, { maxRetriesPerRequest: null });
    connections.push(connection);
    return new BullQueue({ connection, name });
  });
  // BullMQ's keys are inside the default `redis()` prefix too.
  const keys = await client.keys(`*${name}*`);
  expect(keys.length).toBeGreaterThan(0);
  expect(keys.filter((key) => !key.startsWith(`doitong:bull:${name}:`))).toEqual([]);
  await client.del(...keys);
}, 60_000);
