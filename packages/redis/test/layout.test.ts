/**
 * The Redis layout as the lean path writes it, checked on the machine's Redis: a follow-up job
 * written over the job that hands it on, ledger entries whose ids are composed when read (and
 * entries of the earlier layout, written with their ids, read as before), concurrency slots without
 * a key expiry (expired ones removed by the next taker and by the reconciler's pass), a counter
 * added to with INCRBY that is never left past its limit, and a cached key whose absence is cached
 * too and dropped when another instance writes it.
 */
import { describe, expect, it } from 'vitest';
import { eventually } from '@doitong/core/testing';
import { RedisConcurrencySlots, RedisJobQueue, RedisLedger, RedisStore } from '@doitong/redis';
import { redisForFile, testPrefix } from './services';

const redis = redisForFile();

describe('RedisJobQueue follow-ups', () => {
  it('writes the follow-up a handler answers with over its job, under the same id, and runs it', async () => {
    const prefix = testPrefix();
    const queue = new RedisJobQueue({ client: redis.client, prefix, stalledIntervalMilliseconds: 50 });
    redis.closeAfterwards(() => queue.close({ drainMilliseconds: 0 }));
    const seen: string[] = [];
    let checked!: () => void;
    const written = new Promise<void>((resolve) => (checked = resolve));
    queue.register('first', async (data) => {
      seen.push(`first:${data.n}`);
      return { name: 'second', data: { n: Number(data.n) + 1 }, delayMilliseconds: 400 };
    });
    queue.register('second', async (data) => {
      seen.push(`second:${data.n}`);
      // Due now: written leased to this instance and run here at once.
      if (data.n === 2) return { name: 'second', data: { n: 3 }, delayMilliseconds: 0 };
      await written;
      return undefined;
    });
    await queue.enqueue('first', { n: 1 }, { key: 'chain-1' });
    const jobs = `${prefix}queue:jobs:{q}:jobs`;
    const due = `${prefix}queue:jobs:{q}:due`;
    // While the follow-up waits, it is the only job, under the first job's id (its key stays taken).
    await eventually(
      () => redis.client.hgetall(jobs),
      (stored) => stored['chain-1']?.includes('"second"') === true,
    );
    expect(Object.keys(await redis.client.hgetall(jobs))).toEqual(['chain-1']);
    const score = Number(await redis.client.zscore(due, 'chain-1'));
    expect(score).toBeGreaterThan(Date.now() + 100);
    expect(score % 1).toBe(0);
    await queue.enqueue('first', { n: 10 }, { key: 'chain-1' });
    await eventually(
      async () => seen,
      (list) => list.includes('second:3'),
    );
    checked();
    await eventually(
      () => redis.client.hlen(jobs),
      (length) => length === 0,
    );
    expect(seen).toEqual(['first:1', 'second:2', 'second:3']);
    expect(await redis.client.zcard(due)).toBe(0);
  });
});

describe('RedisLedger entries', () => {
  it('composes each entry’s id from its position when read, and reads entries of the earlier layout with their ids', async () => {
    const prefix = testPrefix();
    const ledger = new RedisLedger(redis.client, { prefix });
    // An entry an earlier version wrote, its id in it.
    await redis.client.rpush(
      `${prefix}ledger:acct_1`,
      JSON.stringify({ id: 'ctx_1_earlier', accountId: 'acct_1', type: 'TOP_UP', amount: 50, balanceAfter: 50, createdAt: '2026-01-01T00:00:00.000Z' }),
    );
    await redis.client.set(`${prefix}credits:acct_1`, '50');
    expect((await ledger.reserve('acct_1', 20, 'res_1', 'gen_1')).ok).toBe(true);
    expect(await ledger.commit('res_1', 20)).toBe(true);
    const stored = await redis.client.lrange(`${prefix}ledger:acct_1`, 1, -1);
    expect(stored.every((entry) => !('id' in JSON.parse(entry)))).toBe(true);
    const page = await ledger.transactions('acct_1', { first: 2 });
    expect(page.items.map((entry) => [entry.type, entry.amount, entry.balanceAfter])).toEqual([
      ['COMMIT', 0, 30],
      ['RESERVE', -20, 30],
    ]);
    expect(page.items.map((entry) => entry.id)).toEqual([expect.stringMatching(/^ctx_3_[\w-]{12}$/), expect.stringMatching(/^ctx_2_[\w-]{12}$/)]);
    expect(page.items.some((entry) => 't' in entry)).toBe(false);
    const rest = await ledger.transactions('acct_1', { first: 2, after: page.endCursor });
    expect(rest.items.map((entry) => entry.id)).toEqual(['ctx_1_earlier']);
    expect(rest.hasNextPage).toBe(false);
  });
});

describe('RedisConcurrencySlots without a key expiry', () => {
  it('counts live slots only, and removes expired ones when the account next holds none and in the reconciler’s pass', async () => {
    const prefix = testPrefix();
    let now = 1_000_000;
    const slots = new RedisConcurrencySlots(redis.client, { prefix, clock: { now: () => now } });
    const key = `${prefix}slots:acct_1`;
    expect((await slots.acquire('acct_1', 'gen_short', 2, 1_000)).acquired).toBe(true);
    expect((await slots.acquire('acct_1', 'gen_long', 2, 60_000)).acquired).toBe(true);
    // No expiry on the key: a short slot taken first can never drop a longer one with it.
    expect(await redis.client.pttl(key)).toBe(-1);
    expect((await slots.acquire('acct_1', 'gen_third', 2, 1_000)).acquired).toBe(false);
    now += 2_000;
    // gen_short has expired: it no longer counts, though it is still stored.
    expect(await slots.acquire('acct_1', 'gen_third', 2, 1_000)).toEqual({ acquired: true, active: 2 });
    expect(await redis.client.zscore(key, 'gen_short')).not.toBeNull();
    // The reconciler's pass lists live slots and removes the expired.
    expect((await slots.held(10)).map((slot) => slot.slotId).sort()).toEqual(['gen_long', 'gen_third']);
    expect(await redis.client.zscore(key, 'gen_short')).toBeNull();
    now += 120_000;
    // All expired (their holders died): the next taker clears them, and the pass drops the account.
    expect(await slots.acquire('acct_1', 'gen_fourth', 1, 1_000)).toEqual({ acquired: true, active: 1 });
    expect(await redis.client.zrange(key, 0, -1)).toEqual(['gen_fourth']);
    await slots.release('acct_1', 'gen_fourth');
    expect(await slots.held(10)).toEqual([]);
    expect(await redis.client.sismember(`${prefix}slot-accounts`, 'acct_1')).toBe(0);
  });
});

describe('RedisStore counters and cached absence', () => {
  it('adds with one INCRBY, takes back a sum past the limit, and sets the expiry once', async () => {
    const namespace = testPrefix();
    const store = new RedisStore(redis.client, { namespace });
    redis.closeAfterwards(() => store.close());
    const key = `${namespace}::${namespace}:bytes`;
    expect(await store.addWithin('bytes', 200, 255, 60_000)).toBe(true);
    expect(await redis.client.get(key)).toBe('200');
    const ttl = await redis.client.pttl(key);
    expect(ttl).toBeGreaterThan(50_000);
    expect(await store.addWithin('bytes', 100, 255, 60_000)).toBe(false);
    expect(await store.get('bytes')).toBe(200);
    expect(await store.addWithin('bytes', 55, 255, 60_000)).toBe(true);
    expect(await store.get('bytes')).toBe(255);
    // A fresh sum past the limit leaves a counter that still expires.
    expect(await store.addWithin('other', 300, 255, 60_000)).toBe(false);
    expect(await redis.client.pttl(`${namespace}::${namespace}:other`)).toBeGreaterThan(50_000);
  });

  it('caches that a key is absent, and drops that on every instance when any instance writes it', async () => {
    const namespace = testPrefix();
    const isCached = (key: string) => key.endsWith(':webhook-endpoints');
    const [first, second] = [new RedisStore(redis.client, { namespace, cached: isCached }), new RedisStore(redis.client, { namespace, cached: isCached })];
    redis.closeAfterwards(
      () => first.close(),
      () => second.close(),
    );
    const key = 'account:a:webhook-endpoints';
    // Once subscribed, absence is served from memory: a write behind the store's back is not seen…
    await eventually(
      async () => {
        await second.get(key);
        await redis.client.set(`${namespace}::${namespace}:${key}`, JSON.stringify({ value: ['behind-its-back'] }));
        const read = await second.get(key);
        await redis.client.del(`${namespace}::${namespace}:${key}`);
        await first.delete(key);
        return read;
      },
      (read) => read === undefined,
      60_000,
    );
    // …while an update through another instance is seen at once.
    await first.update<string[]>(key, (ids) => ({ value: [...(ids ?? []), 'we_1'] }));
    await eventually(
      () => second.get(key),
      (read) => JSON.stringify(read) === '["we_1"]',
    );
  });
});
