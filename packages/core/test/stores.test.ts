import * as vitest from 'vitest';
import Keyv from 'keyv';
import { InProcessQueue, KeyLock, KeyValueIdempotencyStore, keyvStore, MemoryConcurrencySlots, MemoryLedger, memoryStore, silentLogger } from '@doitong/core';
import { idempotencyStoreTestSuite, ledgerTestSuite, locksTestSuite, manualClock, queueTestSuite, slotsTestSuite, storeTestSuite } from '@doitong/core/testing';

ledgerTestSuite(vitest, { name: 'memory', create: async () => new MemoryLedger() });
slotsTestSuite(vitest, {
  name: 'memory',
  create: async () => {
    const clock = manualClock();
    return { slots: new MemoryConcurrencySlots(clock), clock };
  },
});
storeTestSuite(vitest, { name: 'memory (the default)', create: async () => memoryStore(), close: (store) => store.close() });
storeTestSuite(vitest, { name: 'Keyv in memory', create: async () => keyvStore(new Keyv()), close: (store) => store.close() });
locksTestSuite(vitest, { name: 'in process', create: async () => new KeyLock() });
idempotencyStoreTestSuite(vitest, {
  name: 'on the memory store (atomic update)',
  create: async () => {
    const clock = manualClock();
    return { store: new KeyValueIdempotencyStore(memoryStore({ now: clock.now }), clock.now), clock };
  },
});
idempotencyStoreTestSuite(vitest, {
  name: 'on Keyv in memory (get and set under a lock)',
  create: async () => {
    const clock = manualClock();
    return { store: new KeyValueIdempotencyStore(keyvStore(new Keyv()), clock.now, new KeyLock()), clock };
  },
});

vitest.describe('the memory store’s atomic update', () => {
  vitest.it('applies concurrent changes one at a time, keeps what was given apart from what is stored, and honours a time to live', async () => {
    const store = memoryStore();
    const update = store.update!.bind(store);
    await Promise.all(Array.from({ length: 100 }, () => update<{ count: number }>('counter', (current) => ({ value: { count: (current?.count ?? 0) + 1 } }))));
    vitest.expect(await store.get('counter')).toEqual({ count: 100 });

    vitest.expect(await update<{ count: number }>('counter', () => undefined)).toBeUndefined();
    vitest.expect(await store.get('counter')).toEqual({ count: 100 });

    // The value returned by `change` becomes the store's (frozen, not copied); what it holds that the
    // caller made is copied, so the caller's own array stays the caller's.
    const list = [1];
    const given = { list };
    vitest.expect(await update('copy', () => ({ value: given }))).toBe(given);
    vitest.expect(Object.isFrozen(given)).toBe(true);
    list.push(2);
    vitest.expect(await store.get('copy')).toEqual({ list: [1] });
    // A value JSON would change (undefined dropped, NaN as null) is stored as JSON would give it.
    vitest.expect(await update('shaped', () => ({ value: { kept: 1, dropped: undefined, count: Number.NaN } }))).toEqual({ kept: 1, count: null });
    vitest.expect(Object.keys((await store.get<object>('shaped'))!)).toEqual(['kept', 'count']);

    await update('short', () => ({ value: 'soon gone', ttlMilliseconds: 30 }));
    vitest.expect(await store.get('short')).toBe('soon gone');
    await new Promise((resolve) => setTimeout(resolve, 80));
    vitest.expect(await store.get('short')).toBeUndefined();
    await store.close();
  });
});

queueTestSuite(vitest, { name: 'in process', create: async () => new InProcessQueue({ logger: silentLogger }), close: (queue) => queue.close() });

vitest.it('the in-process queue counts a job that is due but not yet started as waiting', async () => {
  const queue = new InProcessQueue({ logger: silentLogger });
  let ran = false;
  queue.register('job', async () => {
    ran = true;
  });
  await queue.enqueue('job', {});
  // The scheduler starts due jobs on its next timer turn, which no await of a promise reaches.
  vitest.expect(await queue.counts()).toEqual({ waiting: 1, active: 0, delayed: 0 });
  await vitest.vi.waitFor(() => vitest.expect(ran).toBe(true));
  vitest.expect(await queue.counts()).toEqual({ waiting: 0, active: 0, delayed: 0 });
  await queue.close();
});
