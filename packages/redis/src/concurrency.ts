import type { Clock, ConcurrencySlots, HeldSlot } from '@doitong/core';
import type { Redis } from 'ioredis';
import { unavailableOnFailure } from './failures';

// A sorted set per account: member = generation id, score = when the slot expires. Only slots
// that have not expired count (ZCOUNT from now on), so a lost slot (its holder crashed) stops
// counting the moment it expires, without a removal step on every call. What such slots leave is
// removed when the account takes a slot holding none (a set left empty is deleted by Redis) and by
// the reconciler's pass (`held`), rather than by an expiry on the key, which every acquisition
// would have to push back (and which, set from a shorter slot, could drop a longer one).
// An account enters the index of accounts holding slots when it holds none yet: while one of its
// slots is live the key exists, and the index only loses an account whose key is gone (see
// `held`), so it is in the index already.
const acquireScript = `
local active = redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[1], '+inf')
if active >= tonumber(ARGV[3]) then
  -- Taking a slot this generation holds already renews it and counts nothing new.
  local held = redis.call('ZSCORE', KEYS[1], ARGV[2])
  if not held or tonumber(held) <= tonumber(ARGV[1]) then return {0, active} end
end
if active == 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
  redis.call('SADD', KEYS[2], ARGV[5])
end
active = active + redis.call('ZADD', KEYS[1], ARGV[4], ARGV[2])
return {1, active}
`;

// The reconciler's pass over an account: slots expired by ARGV[2] go, and the index drops the
// account once its key is gone (its last slot released or expired): never while it holds a slot.
const forgetScript = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], ARGV[1]) end
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
      const [acquired, active] = (await this.#client.eval(
        acquireScript,
        2,
        this.#prefix + accountId,
        this.#accounts,
        now,
        slotId,
        limit,
        now + ttlMilliseconds,
        accountId,
      )) as [number, number];
      return { acquired: acquired === 1, active };
    });
  }

  /** One ZREM: a set left empty is deleted by Redis itself, and the index is tidied by `held`. */
  release(accountId: string, slotId: string) {
    return unavailableOnFailure('Redis', async () => {
      await this.#client.zrem(this.#prefix + accountId, slotId);
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
          for (let item = 0; item < members.length && held.length < limit; item += 2)
            held.push({ accountId: batch[index]!, slotId: members[item]!, expiresAt: Number(members[item + 1]) });
        });
        // Expired slots go; accounts that hold nothing now leave the index, unless a slot was taken meanwhile.
        const forget = this.#client.pipeline();
        for (const accountId of batch) forget.eval(forgetScript, 2, this.#prefix + accountId, this.#accounts, accountId, now);
        await forget.exec();
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
