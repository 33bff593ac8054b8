import type { Clock, ConcurrencySlots } from '@doitong/core';
import type { Redis } from 'ioredis';
import { unavailableOnFailure } from './failures';

// A sorted set per account: member = generation id, score = when the slot expires. Expired
// members (holders that crashed) are dropped before counting, in the same atomic step.
const acquireScript = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local active = redis.call('ZCARD', KEYS[1])
if active >= tonumber(ARGV[3]) and not redis.call('ZSCORE', KEYS[1], ARGV[2]) then return {0, active} end
-- Taking a slot this generation holds already renews it and counts nothing new.
active = active + redis.call('ZADD', KEYS[1], ARGV[4], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return {1, active}
`;

/**
 * Generations in flight per account, across every instance. rate-limiter-flexible counts
 * requests in windows; a slot is held for a generation's whole life and released by id, which
 * a window counter cannot express, hence this small script.
 */
export class RedisConcurrencySlots implements ConcurrencySlots {
  readonly #client: Redis;
  readonly #prefix: string;
  readonly #clock: Clock;

  constructor(client: Redis, options: { prefix?: string; clock?: Clock } = {}) {
    this.#client = client;
    this.#prefix = `${options.prefix ?? 'doitong:'}slots:`;
    this.#clock = options.clock ?? { now: Date.now };
  }

  acquire(accountId: string, slotId: string, limit: number, ttlMilliseconds: number) {
    return unavailableOnFailure('Redis', async () => {
      const now = this.#clock.now();
      const [acquired, active] = (await this.#client.eval(acquireScript, 1, this.#prefix + accountId, now, slotId, limit, now + ttlMilliseconds, ttlMilliseconds)) as [number, number];
      return { acquired: acquired === 1, active };
    });
  }

  release(accountId: string, slotId: string) {
    return unavailableOnFailure('Redis', async () => {
      await this.#client.zrem(this.#prefix + accountId, slotId);
    });
  }

  active(accountId: string) {
    return unavailableOnFailure('Redis', async () => {
      await this.#client.zremrangebyscore(this.#prefix + accountId, '-inf', this.#clock.now());
      return this.#client.zcard(this.#prefix + accountId);
    });
  }
}
