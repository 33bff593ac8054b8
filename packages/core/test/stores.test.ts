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
