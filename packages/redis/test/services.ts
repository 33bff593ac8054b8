import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';

/** The machine's services; CI sets nothing and uses these defaults, a developer may point elsewhere. */
export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
export const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A prefix per test file run, so parallel files and leftovers never collide. */
export const testPrefix = () => `doitong-test:${process.pid}:${Date.now().toString(36)}:${Math.random().toString(36).slice(2, 8)}:`;

/** Fails (never skips) when Redis is unreachable: these tests exist to run against it. */
export async function connectRedis(): Promise<Redis> {
  const client = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    throw new Error(`Redis is not reachable at ${redisUrl} (set REDIS_URL): ${String(error)}`);
  }
  return client;
}

/**
 * One client for a test file: connected before its tests, and after them disconnected once what the
 * tests opened on it (queues, stores) is closed, in the order they were opened.
 */
export function redisForFile(): { readonly client: Redis; closeAfterwards(...closes: Array<() => Promise<unknown>>): void } {
  let client: Redis | undefined;
  const closing: Array<() => Promise<unknown>> = [];
  beforeAll(async () => {
    client = await connectRedis();
  });
  afterAll(async () => {
    for (const close of closing) await close();
    client?.disconnect();
  });
  return {
    get client() {
      if (!client) throw new Error('the Redis client is connected before the tests run');
      return client;
    },
    closeAfterwards(...closes) {
      closing.push(...closes);
    },
  };
}
