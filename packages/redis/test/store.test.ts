/**
 * What RedisStore adds to the store conformance suite: it reads and writes Keyv's layout (data
 * written before by Keyv on @keyv/redis stays readable, and the other way round), an update
 * started from a value that moved on elsewhere still applies to the newest, and a cached key is
 * dropped on every instance when any instance writes it.
 */
import KeyvRedis from '@keyv/redis';
import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { keyvStore } from '@doitong/core';
import { eventually } from '@doitong/core/testing';
import { RedisStore } from '@doitong/redis';
import { redisForFile, redisUrl, testPrefix } from './services';

const redis = redisForFile();

function store(namespace: string, cached?: (key: string) => boolean): RedisStore {
  const created = new RedisStore(redis.client, { namespace, ...(cached ? { cached } : {}) });
  redis.closeAfterwards(() => created.close());
  return created;
}

describe('RedisStore', () => {
  it('reads what Keyv on @keyv/redis wrote, and Keyv reads what it writes', async () => {
    const namespace = `${testPrefix()}records`;
    const keyv = keyvStore(new Keyv({ store: new KeyvRedis(redisUrl), namespace }));
    redis.closeAfterwards(() => keyv.close());
    const ours = store(namespace);
    await keyv.set('generation:one', { id: 'one', status: 'PENDING' });
    expect(await ours.get('generation:one')).toEqual({ id: 'one', status: 'PENDING' });
    await ours.set('generation:two', { id: 'two' }, 60_000);
    expect(await keyv.get('generation:two')).toEqual({ id: 'two' });
    expect(await ours.update('generation:one', (current: any) => (current ? { value: { ...current, status: 'COMPLETED' } } : undefined))).toEqual({
      id: 'one',
      status: 'COMPLETED',
    });
    expect(await keyv.get('generation:one')).toEqual({ id: 'one', status: 'COMPLETED' });
  });

  it('applies an update to the newest value when another instance wrote since this one last saw it', async () => {
    const namespace = testPrefix();
    const [first, second] = [store(namespace), store(namespace)];
    await first.set('counter', { n: 1 });
    await second.update('counter', (current: any) => ({ value: { n: (current?.n ?? 0) + 1 } }));
    // `first` last saw { n: 1 }: its update must start again from { n: 2 }.
    expect(await first.update('counter', (current: any) => ({ value: { n: (current?.n ?? 0) + 10 } }))).toEqual({ n: 12 });
    // "Nothing to change", decided on a stale value, is checked against the stored one.
    await second.update('counter', () => ({ value: { n: 100 } }));
    const seen: number[] = [];
    await first.update('counter', (current: any) => (seen.push(current.n), current.n === 12 ? undefined : { value: { n: current.n + 1 } }));
    expect(seen).toEqual([12, 100]);
    expect(await second.get('counter')).toEqual({ n: 101 });
  });

  it('serialises concurrent updates from several instances without a lock', async () => {
    const namespace = testPrefix();
    const stores = [store(namespace), store(namespace), store(namespace)];
    await stores[0]!.set('list', [] as number[]);
    await Promise.all(
      Array.from({ length: 60 }, (_, index) => stores[index % 3]!.update<number[]>('list', (current) => ({ value: [...(current ?? []), index] }))),
    );
    expect(((await stores[1]!.get<number[]>('list')) ?? []).sort((left, right) => left - right)).toEqual(Array.from({ length: 60 }, (_, index) => index));
  });

  it('appends to a chunked list from several instances at once, each item once, a repeated append adding nothing', async () => {
    const namespace = testPrefix();
    const stores = [store(namespace), store(namespace), store(namespace)];
    const batches = Array.from({ length: 60 }, (_, batch) => Array.from({ length: 1 + (batch % 9) }, (_, item) => `gen_${batch}_${item}`));
    await Promise.all(batches.map((items, index) => stores[index % 3]!.appendToChunks('account:a:generations', items, 128, 60_000)));
    await stores[0]!.appendToChunks('account:a:generations', batches.at(-1)!, 128);
    const count = await stores[1]!.get<number>('account:a:generations:count');
    const total = batches.flat().length;
    expect(count).toBe(total);
    const chunks = await stores[2]!.getMany<string[]>(Array.from({ length: Math.ceil(total / 128) }, (_, index) => `account:a:generations:${index}`));
    expect(chunks.slice(0, -1).every((chunk) => chunk?.length === 128)).toBe(true);
    expect(chunks.flatMap((chunk) => chunk ?? []).sort()).toEqual(batches.flat().sort());
    expect(await redis.client.pttl(`${namespace}::${namespace}:account:a:generations:0`)).toBeGreaterThan(0);
  });

  it('adds to a counter from several instances at once up to its limit, never past it', async () => {
    const namespace = testPrefix();
    const stores = [store(namespace), store(namespace), store(namespace)];
    const added = await Promise.all(Array.from({ length: 50 }, (_, index) => stores[index % 3]!.addWithin('bytes', 10, 255, 60_000)));
    expect(added.filter(Boolean).length).toBe(25);
    expect(await stores[1]!.get('bytes')).toBe(250);
    expect(await stores[2]!.addWithin('bytes', 5, 255)).toBe(true);
    expect(await stores[0]!.update<number>('bytes', (current) => ({ value: (current ?? 0) + 1 }))).toBe(256);
  });

  it('serves a cached key from memory, and drops it on every instance when any instance writes it', async () => {
    const namespace = testPrefix();
    const isCached = (key: string) => key.startsWith('account:');
    const [first, second] = [store(namespace, isCached), store(namespace, isCached)];
    await first.set('account:a', { plan: 'free' });
    // Once both subscriptions are up, reads are served from memory: a write behind the store's back is not seen…
    await eventually(
      async () => {
        await second.get('account:a');
        await redis.client.set(`${namespace}::${namespace}:account:a`, JSON.stringify({ value: { plan: 'behind-its-back' } }));
        const read = await second.get('account:a');
        // Put back through the store: should the subscriptions have come up between the two reads,
        // the second cached what was written behind its back, and only a write heard drops it.
        await first.set('account:a', { plan: 'free' });
        return read;
        // The subscriptions come up in milliseconds on a quiet machine; on a saturated one, seconds.
      },
      (read) => (read as { plan: string }).plan === 'free',
      60_000,
    );
    // …while a write through any instance is, at once, everywhere.
    await first.set('account:a', { plan: 'pro' });
    await eventually(
      () => second.get('account:a'),
      (read) => (read as { plan: string }).plan === 'pro',
    );
    await first.update('account:a', (current: any) => ({ value: { ...current, plan: 'enterprise' } }));
    await eventually(
      () => second.get('account:a'),
      (read) => (read as { plan: string }).plan === 'enterprise',
    );
    await first.delete('account:a');
    await eventually(
      () => second.get('account:a'),
      (read) => read === undefined,
    );
  });
});
