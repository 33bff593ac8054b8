import type { DoitongOptions, Logger, Resource } from '@doitong/core';
import { DoitongError, keyvStore, type Clock, type KeyValueStore } from '@doitong/core';
import { Redis, type RedisOptions } from 'ioredis';
import type Keyv from 'keyv';
import { RedisConcurrencySlots } from './concurrency';
import { unavailableOnFailure } from './failures';
import { RedisJobQueue, type RedisJobQueueOptions } from './job-queue';
import { RedisLedger } from './ledger';
import { RedisLocks } from './locks';
import { RedisStore } from './store';
import { WindowCounter } from './window-counter';

export { BullQueue, type BullQueueOptions } from './queue';
export { RedisJobQueue, type RedisJobQueueOptions } from './job-queue';
export { RedisStore, type RedisStoreOptions } from './store';
export { RedisConcurrencySlots } from './concurrency';
export { RedisLedger } from './ledger';
export { RedisLocks } from './locks';

export interface RedisScaleOutOptions {
  /** `redis://host:port/db`; or pass `client`. */
  url?: string;
  /** An ioredis client to use; give it `maxRetriesPerRequest: 1` and a `commandTimeout` to fail fast during outages. */
  client?: Redis;
  /** Key prefix for everything Doitong writes (default `doitong:`). */
  prefix?: string;
  /**
   * Where records live: any Keyv instance (default: this Redis, in Keyv's key layout). Pass a
   * Keyv on PostgreSQL (@keyv/postgres) to keep records there; locks, limits, credits and jobs
   * stay on Redis.
   */
  storage?: Keyv;
  /**
   * The job queue (a lean queue on this Redis; see RedisJobQueue). To run jobs on BullMQ instead,
   * pass `queue: new BullQueue({ connection })` to createDoitong after this option group.
   */
  queue?: Omit<RedisJobQueueOptions, 'client' | 'logger'>;
  clock?: Clock;
  logger?: Logger;
}

/** The options `redis()` sets on `createDoitong`. */
export type RedisOptionGroup = Required<Pick<DoitongOptions, 'storage' | 'locks' | 'ledger' | 'limiterFactory' | 'slots' | 'queue' | 'resources'>>;

/**
 * Records read on nearly every request or generation and seldom written: API keys, accounts, and
 * an account's list of webhook endpoints (read at every generation's ending; changed only with
 * `update`, which starts from the stored value, never from this cache).
 */
const readMostly = (key: string) => /^(?:apikey|account):[^:]+$|^account:[^:]+:webhook-endpoints$/.test(key);

/**
 * One option group that moves every shared part of Doitong to Redis, so several instances
 * behind a load balancer act as one: `createDoitong({ providers, ...redis({ url }) })`.
 */
export function redis(options: RedisScaleOutOptions): RedisOptionGroup {
  if (!options.client && !options.url) throw new DoitongError('INVALID_INPUT', 'redis() needs a url or a client.');
  const prefix = options.prefix ?? 'doitong:';
  // Fail fast while Redis is away: a command waits for at most one reconnection attempt and two
  // seconds, so requests get SERVICE_UNAVAILABLE quickly instead of hanging until Redis returns,
  // while commands sent during the first connection simply wait for it.
  const clientOptions: RedisOptions = {
    maxRetriesPerRequest: 1,
    commandTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  };
  const client = options.client ?? new Redis(options.url!, clientOptions);
  const ownsClient = !options.client;
  client.on('error', (error: Error) => options.logger?.warn({ err: error }, 'redis connection error'));
  // Outages surface as errors (SERVICE_UNAVAILABLE), never as missing records: a missing API
  // key record would answer 401.
  const records = options.storage ? keyvStore(options.storage) : new RedisStore(client, { namespace: `${prefix}records`, cached: readMostly });
  options.storage?.on('error', (error: unknown) => options.logger?.warn({ err: error }, 'storage error'));
  // Closed by createDoitong (as its store) and by the resource below: the connection is ended once
  // (a PostgreSQL pool refuses a second end).
  let recordsClosed: Promise<void> | undefined;
  const closeRecords = () => (recordsClosed ??= records.close());
  const storage = { ...failFast(records, () => untilReady(client)), close: closeRecords };
  const queue = new RedisJobQueue({ ...options.queue, client, prefix, ...(options.logger ? { logger: options.logger } : {}) });
  const resources: Resource[] = [
    {
      name: 'redis',
      check: async () => {
        await client.ping();
      },
      close: async () => {
        await closeRecords();
        if (ownsClient) client.disconnect();
      },
    },
  ];
  if (options.storage) resources.push({ name: 'storage', check: async () => void (await options.storage!.get('doitong:readiness')) });
  return {
    storage,
    locks: new RedisLocks(client, { prefix }),
    ledger: new RedisLedger(client, { prefix, ...(options.clock ? { now: () => options.clock!.now() } : {}) }),
    limiterFactory: (limiter) => new WindowCounter({ ...limiter, keyPrefix: `${prefix}${limiter.keyPrefix}` }, client),
    slots: new RedisConcurrencySlots(client, { prefix, ...(options.clock ? { clock: options.clock } : {}) }),
    queue,
    resources,
  };
}

/** Waits up to two seconds for a connection that is opening or coming back. */
async function untilReady(client: Redis): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (client.status !== 'ready' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
}

/** Store calls that fail with SERVICE_UNAVAILABLE, after one retry once the connection is ready. */
function failFast(store: KeyValueStore, untilReady: () => Promise<void>): KeyValueStore {
  const attempt = <Result>(work: () => Promise<Result>) =>
    unavailableOnFailure('Storage', async () => {
      try {
        return await work();
      } catch {
        await untilReady();
        return work();
      }
    });
  return {
    get: (key) => attempt(() => store.get(key)),
    getMany: (keys) => attempt(() => store.getMany(keys)),
    set: (key, value, ttl) => attempt(() => store.set(key, value, ttl)),
    delete: (key) => attempt(() => store.delete(key)),
    ...(store.update ? { update: (key, change) => attempt(() => store.update!(key, change)) } : {}),
    ...(store.appendToChunks ? { appendToChunks: (key, items, chunkSize, ttl) => attempt(() => store.appendToChunks!(key, items, chunkSize, ttl)) } : {}),
    ...(store.addWithin ? { addWithin: (key, amount, limit, ttl) => unavailableOnFailure('Storage', () => store.addWithin!(key, amount, limit, ttl)) } : {}),
    ...(store.recent ? { recent: (key) => store.recent!(key) } : {}),
    close: () => store.close(),
  };
}
