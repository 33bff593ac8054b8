import type { Clock, ConcurrencySlots, HeldSlot } from '@doitong/core';
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
redis.call('SADD', KEYS[2], ARGV[6])
return {1, active}
`;

// The account leaves the index of accounts holding slots once it holds none.
const releaseScript = `
redis.call('ZREM', KEYS[1], ARGV[1])
if redis.call('ZCARD', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], ARGV[2]) end
return 1
`;

/**
 * Generations in flight per account, across every instance. rate-limiter-flexible counts
 * requests in windows; a slot is held for a generation's whole life and released by id, which
 * a window counter cannot express, hence this small script.
 */
export class RedisConcurrencySlots implements ConcurrencySlots {
  readonly #client: Redis;
  readonly #prefix: string;
  /** The accounts holding slots, so the reconciler can list them without scanning keys. */
  readonly #accounts: string;
  readonly #clock: Clock;

  constructor(client: Redis, options: { prefix?: string; clock?: Clock } = {}) {
    this.#client = client;
    this.#prefix = `${options.prefix ?? 'doitong:'}slots:`;
    this.#accounts = `${options.prefix ?? 'doitong:'}slot-accounts`;
    this.#clock = options.clock ?? { now: Date.now };
  }

  acquire(accountId: string, slotId: string, limit: number, ttlMilliseconds: number) {
    return unavailableOnFailure('Redis', async () => {
      const now = this.#clock.now();
      const [acquired, active] = (await this.#client.eval(acquireScript, 2, this.#prefix + accountId, this.#accounts, now, slotId, limit, now + ttlMilliseconds, ttlMilliseconds, accountId)) as [number, number];
      return { acquired: acquired === 1, active };
    });
  }

  release(accountId: string, slotId: string) {
    return unavailableOnFailure('Redis', async () => {
      await this.#client.eval(releaseScript, 2, this.#prefix + accountId, this.#accounts, slotId, accountId);
    });
  }

  held(limit: number): Promise<HeldSlot[]> {
    return unavailableOnFailure('Redis', async () => {
      const accounts = await this.#client.smembers(this.#accounts);
      const now = this.#clock.now();
      const held: HeldSlot[] = [];
      for (let start = 0; start < accounts.length && held.length < limit; start += 100) {
        const batch = accounts.slice(start, start + 100);
        const pipeline = this.#client.pipeline();
        for (const accountId of batch) pipeline.zrangebyscore(this.#prefix + accountId, `(${now}`, '+inf', 'WITHSCORES');
        const results = (await pipeline.exec()) ?? [];
        results.forEach(([error, listed], index) => {
          if (error) throw error;
          const members = listed as string[];
          for (let item = 0; item < members.length && held.length < limit; item += 2) held.push({ accountId: batch[index]!, slotId: members[item]!, expiresAt: Number(members[item + 1]) });
        });
      }
      return held;
    });
  }

  active(accountId: string) {
    return unavailableOnFailure('Redis', async () => {
      await this.#client.zremrangebyscore(this.#prefix + accountId, '-inf', this.#clock.now());
      return this.#client.zcard(this.#prefix + accountId);
    });
  }
}
