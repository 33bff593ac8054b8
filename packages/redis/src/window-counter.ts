import type { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';

type Upsert = (key: string, points: number, milliseconds: number, forceExpire?: boolean) => Promise<unknown>;

/**
 * rate-limiter-flexible's Redis limiter, counting a request with one INCRBY and no script: core's
 * RateLimits puts the window's index in the key and computes the reset from its clock, so the
 * count is all Redis has to keep, and the key's expiry is set once, by the request that opens the
 * window (a second round trip for that one request). The library's own script also sets and reads
 * the expiry on every call. Should an instance die between the two, the key of that window is left
 * without an expiry: a few bytes that no later window reads, against a command saved per request.
 */
export class WindowCounter extends RateLimiterRedis {
  readonly #client: Redis;

  constructor(options: { keyPrefix: string; points: number; duration: number }, client: Redis) {
    super({ ...options, storeClient: client, rejectIfRedisNotReady: true });
    this.#client = client;
  }

  /** The store step RateLimiterStoreAbstract runs for consume, reward and penalty. */
  async _upsert(key: string, points: number, milliseconds: number, forceExpire = false): Promise<unknown> {
    const seconds = Math.floor(milliseconds / 1000);
    if (forceExpire || seconds <= 0)
      return (RateLimiterRedis.prototype as unknown as { _upsert: Upsert })._upsert.call(this, key, points, milliseconds, forceExpire);
    if (this.#client.status !== 'ready') throw new Error('Redis connection is not ready');
    const consumed = await this.#client.incrby(key, points);
    if (consumed === points) await this.#client.expire(key, seconds);
    return [consumed, seconds * 1000];
  }
}
