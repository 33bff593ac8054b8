import * as vitest from 'vitest';
import KeyvPostgres from '@keyv/postgres';
import KeyvRedis from '@keyv/redis';
import Keyv from 'keyv';
import { Redis as IORedis, type Redis } from 'ioredis';
import { KeyValueIdempotencyStore, keyvStore, type KeyValueStore } from '@doitong/core';
import { idempotencyStoreTestSuite, ledgerTestSuite, locksTestSuite, manualClock, queueTestSuite, slotsTestSuite, storeTestSuite } from '@doitong/core/testing';
import { BullQueue, RedisConcurrencySlots, RedisJobQueue, RedisLedger, RedisLocks, RedisStore } from '@doitong/redis';
import { databaseUrl, redisForFile, redisUrl, testPrefix } from './services';

const redis = redisForFile();

ledgerTestSuite(vitest, { name: 'Redis', create: async () => new RedisLedger(redis.client, { prefix: testPrefix() }) });
slotsTestSuite(vitest, {
  name: 'Redis',
  create: async () => {
    const clock = manualClock(Date.now());
    return { slots: new RedisConcurrencySlots(redis.client, { prefix: testPrefix(), clock }), clock };
  },
});
locksTestSuite(vitest, { name: 'Redis', create: async () => new RedisLocks(redis.client, { prefix: testPrefix() }) });
storeTestSuite(vitest, {
  name: 'Redis (RedisStore, with cached keys)',
  create: async () => new RedisStore(redis.client, { namespace: testPrefix(), cached: (key) => key.startsWith('cached') }),
  close: (store) => store.close(),
});
storeTestSuite(vitest, {
  name: 'Keyv on Redis (@keyv/redis)',
  create: async () => keyvStore(new Keyv({ store: new KeyvRedis(redisUrl), namespace: testPrefix() })),
  close: (store) => store.close(),
});
storeTestSuite(vitest, {
  name: 'Keyv on PostgreSQL (@keyv/postgres)',
  create: async () => keyvStore(new Keyv({ store: new KeyvPostgres({ uri: databaseUrl, table: 'doitong_records' }), namespace: testPrefix() })),
  close: (store) => store.close(),
});
queueTestSuite(vitest, {
  name: 'Redis (RedisJobQueue)',
  create: async () => new RedisJobQueue({ client: redis.client, prefix: testPrefix() }),
  close: (queue) => queue.close(),
});
const queueConnections = new WeakMap<object, Redis>();
queueTestSuite(vitest, {
  name: 'BullMQ',
  create: async () => {
    const connection = new IORedis(redisUrl, { maxRetriesPerRequest: null });
    const queue = new BullQueue({ connection, name: `queue-${testPrefix().replaceAll(':', '-')}`, prefix: 'doitong-test-bull' });
    queueConnections.set(queue, connection);
    return queue;
  },
  close: async (queue) => {
    await queue.close();
    queueConnections.get(queue)?.disconnect();
  },
});

vitest.describe('queue depth with one worker', () => {
  const cases: Array<{ name: string; create: () => { queue: RedisJobQueue | BullQueue; close: () => Promise<void> } }> = [
    {
      name: 'Redis (RedisJobQueue)',
      create: () => {
        const queue = new RedisJobQueue({ client: redis.client, prefix: testPrefix(), concurrency: 1 });
        return { queue, close: () => queue.close() };
      },
    },
    {
      name: 'BullMQ',
      create: () => {
        const connection = new IORedis(redisUrl, { maxRetriesPerRequest: null });
        const queue = new BullQueue({ connection, name: `queue-${testPrefix().replaceAll(':', '-')}`, prefix: 'doitong-test-bull', concurrency: 1 });
        return { queue, close: async () => (await queue.close(), connection.disconnect()) };
      },
    },
  ];
  for (const { name, create } of cases)
    vitest.it(`${name}: a due job behind a busy worker is waiting`, async () => {
      const { queue, close } = create();
      try {
        let release: () => void = () => undefined;
        const released = new Promise<void>((resolve) => (release = resolve));
        const started: unknown[] = [];
        queue.register('job', async (data) => {
          started.push(data.n);
          await released;
        });
        await queue.enqueue('job', { n: 1 });
        await vitest.vi.waitFor(() => vitest.expect(started).toEqual([1]), { timeout: 10_000 });
        await queue.enqueue('job', { n: 2 });
        await queue.enqueue('job', { n: 3 }, { delayMilliseconds: 60_000 });
        vitest.expect(await queue.counts()).toEqual({ waiting: 1, active: 1, delayed: 1 });
        release();
        await vitest.vi.waitFor(async () => vitest.expect(await queue.counts()).toEqual({ waiting: 0, active: 0, delayed: 1 }), {
          timeout: 10_000,
          interval: 20,
        });
        vitest.expect(started).toEqual([1, 2]);
      } finally {
        await close();
      }
    });
});

// Idempotency leases on each shared store: RedisStore's atomic update, and Keyv on Redis and on
// PostgreSQL (no atomic update: get and set under the Redis lock, as redis({ storage }) runs them).
const recordStores = new WeakMap<object, KeyValueStore>();
const onStore = (name: string, open: () => KeyValueStore) =>
  idempotencyStoreTestSuite(vitest, {
    name,
    create: async () => {
      const clock = manualClock(Date.now());
      const records = open();
      const subject = { store: new KeyValueIdempotencyStore(records, clock.now, new RedisLocks(redis.client, { prefix: testPrefix() })), clock };
      recordStores.set(subject, records);
      return subject;
    },
    close: async (subject) => recordStores.get(subject)?.close(),
  });
onStore('on Redis (RedisStore)', () => new RedisStore(redis.client, { namespace: testPrefix() }));
onStore('on Keyv on Redis', () => keyvStore(new Keyv({ store: new KeyvRedis(redisUrl), namespace: testPrefix() })));
onStore('on Keyv on PostgreSQL', () =>
  keyvStore(new Keyv({ store: new KeyvPostgres({ uri: databaseUrl, table: 'doitong_records' }), namespace: testPrefix() })),
);
