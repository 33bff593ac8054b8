import { Redis } from 'ioredis';

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
