import type { DoitongOptions, Logger, Resource } from '@doitong/core';
import { DoitongError, keyvStore, type Clock, type KeyValueStore } from '@doitong/core';
import KeyvRedis from '@keyv/redis';
import { Redis, type RedisOptions } from 'ioredis';
import Keyv from 'keyv';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { RedisConcurrencySlots } from './concurrency';
import { unavailableOnFailure } from './failures';
import { RedisLedger } from './ledger';
import { RedisLocks } from './locks';
import { BullQueue, type BullQueueOptions } from './queue';

export { BullQueue, type BullQueueOptions } from './queue';
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
   * Where records live: any Keyv instance (default: Keyv on this Redis). Pass a Keyv on
   * PostgreSQL (@keyv/postgres) to keep records there; locks, limits, credits and jobs stay on Redis.
   */
  storage?: Keyv;
  queue?: Omit<BullQueueOptions, 'connection' | 'logger'>;
  clock?: Clock;
  logger?: Logger;
}

/** The options `redis()` sets on `createDoitong`. */
export type RedisOptionGroup = Required<Pick<DoitongOptions, 'storage' | 'locks' | 'ledger' | 'limiterFactory' | 'slots' | 'queue' | 'resources'>>;

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
  // BullMQ needs blocking connections of its own that wait through outages.
  const connection = options.url ? new Redis(options.url, { maxRetriesPerRequest: null }) : client.duplicate({ maxRetriesPerRequest: null, commandTimeout: undefined });
  // Outages must surface as errors, not as missing records (a missing API key record would
  // answer 401): the adapter throws, and commands fail at once while the connection is down.
  const redisStore = options.storage
    ? undefined
    : new KeyvRedis(
        { url: options.url ?? redisUrlOf(client), disableOfflineQueue: true, socket: { connectTimeout: 2_000, reconnectStrategy: (retries: number) => Math.min(retries * 200, 2_000) } },
        { throwOnErrors: true, throwOnConnectError: true, connectionTimeout: 2_000 },
      );
  const keyv = options.storage ?? new Keyv({ store: redisStore, namespace: `${prefix}records` });
  // Connect now rather than on the first request; a command sent while the connection is still
  // opening (or coming back) waits up to two seconds for it once, then fails with a code.
  void redisStore?.getClient().catch(() => undefined);
  const untilReady = async () => {
    const deadline = Date.now() + 2_000;
    while (redisStore && !(redisStore.client as { isReady?: boolean }).isReady && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
  };
  for (const connectionClient of [client, connection]) connectionClient.on('error', (error: Error) => options.logger?.warn({ err: error }, 'redis connection error'));
  keyv.on('error', (error: unknown) => options.logger?.warn({ err: error }, 'storage error'));
  const storage = failFast(keyvStore(keyv), untilReady);
  const queue = new BullQueue({ ...options.queue, connection, ...(options.logger ? { logger: options.logger } : {}) });
  const resources: Resource[] = [
    {
      name: 'redis',
      check: async () => {
        await client.ping();
      },
      close: async () => {
        if (ownsClient) client.disconnect();
        connection.disconnect();
      },
    },
  ];
  if (options.storage) resources.push({ name: 'storage', check: async () => void (await keyv.get('doitong:readiness')) });
  return {
    storage,
    locks: new RedisLocks(client, { prefix }),
    ledger: new RedisLedger(client, { prefix, ...(options.clock ? { now: () => options.clock!.now() } : {}) }),
    limiterFactory: (limiter) => new RateLimiterRedis({ ...limiter, storeClient: client, rejectIfRedisNotReady: true }),
    slots: new RedisConcurrencySlots(client, { prefix, ...(options.clock ? { clock: options.clock } : {}) }),
    queue,
    resources,
  };
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
    close: () => store.close(),
  };
}

function redisUrlOf(client: Redis): string {
  const { host = '127.0.0.1', port = 6379, db = 0, password, username } = client.options;
  const credentials = password ? `${encodeURIComponent(username ?? '')}:${encodeURIComponent(password)}@` : '';
  return `redis://${credentials}${host}:${port}/${db}`;
}
