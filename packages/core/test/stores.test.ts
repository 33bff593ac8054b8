import * as vitest from 'vitest';
import Keyv from 'keyv';
import { KeyLock, keyvStore, MemoryConcurrencySlots, MemoryLedger, memoryStore } from '@doitong/core';
import { ledgerTestSuite, locksTestSuite, manualClock, slotsTestSuite, storeTestSuite } from '@doitong/core/testing';

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

vitest.describe('the memory store’s atomic update', () => {
  vitest.it('applies concurrent changes one at a time, keeps what was given apart from what is stored, and honours a time to live', async () => {
    const store = memoryStore();
    const update = store.update!.bind(store);
    await Promise.all(Array.from({ length: 100 }, () => update<{ count: number }>('counter', (current) => ({ value: { count: (current?.count ?? 0) + 1 } }))));
    vitest.expect(await store.get('counter')).toEqual({ count: 100 });

    vitest.expect(await update<{ count: number }>('counter', () => undefined)).toBeUndefined();
    vitest.expect(await store.get('counter')).toEqual({ count: 100 });

    const given = { list: [1] };
    vitest.expect(await update('copy', () => ({ value: given }))).toBe(given);
    given.list.push(2);
    vitest.expect(await store.get('copy')).toEqual({ list: [1] });

    await update('short', () => ({ value: 'soon gone', ttlMilliseconds: 30 }));
    vitest.expect(await store.get('short')).toBe('soon gone');
    await new Promise((resolve) => setTimeout(resolve, 80));
    vitest.expect(await store.get('short')).toBeUndefined();
    await store.close();
  });
});
