import { randomUUID } from 'node:crypto';
import { DoitongError, type Locks } from '@doitong/core';
import type { Redis } from 'ioredis';
import { unavailableOnFailure } from './failures';

const release = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * A lock per key shared by every instance: SET NX PX with a random token, released only by its
 * holder. The expiry frees the lock of a crashed holder; work under a lock is short (one
 * read-modify-write on the store), far below the expiry.
 */
export class RedisLocks implements Locks {
  readonly #client: Redis;
  readonly #prefix: string;
  readonly #expiryMilliseconds: number;
  readonly #waitMilliseconds: number;

  constructor(client: Redis, options: { prefix?: string; expiryMilliseconds?: number; waitMilliseconds?: number } = {}) {
    this.#client = client;
    this.#prefix = `${options.prefix ?? 'doitong:'}lock:`;
    this.#expiryMilliseconds = options.expiryMilliseconds ?? 10_000;
    this.#waitMilliseconds = options.waitMilliseconds ?? 10_000;
  }

  async run<Result>(key: string, work: () => Promise<Result>): Promise<Result> {
    const lockKey = this.#prefix + key;
    const token = randomUUID();
    const deadline = Date.now() + this.#waitMilliseconds;
    for (let attempt = 0; ; attempt++) {
      const acquired = await unavailableOnFailure('Redis', () => this.#client.set(lockKey, token, 'PX', this.#expiryMilliseconds, 'NX'));
      if (acquired === 'OK') break;
      if (Date.now() > deadline) throw new DoitongError('SERVICE_UNAVAILABLE', 'A shared lock stayed busy; retry shortly.', { details: { lock: key } });
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, 2 + attempt * 2) * (0.5 + Math.random())));
    }
    try {
      return await work();
    } finally {
      await this.#client.eval(release, 1, lockKey, token).catch(() => undefined);
    }
  }
}
