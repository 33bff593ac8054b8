import * as vitest from 'vitest';
import { KeyLock, MemoryConcurrencySlots, MemoryLedger, memoryStore } from '@doitong/core';
import { ledgerTestSuite, locksTestSuite, manualClock, slotsTestSuite, storeTestSuite } from '@doitong/core/testing';

ledgerTestSuite(vitest, { name: 'memory', create: async () => new MemoryLedger() });
slotsTestSuite(vitest, {
  name: 'memory',
  create: async () => {
    const clock = manualClock();
    return { slots: new MemoryConcurrencySlots(clock), clock };
  },
});
storeTestSuite(vitest, { name: 'Keyv in memory', create: async () => memoryStore(), close: (store) => store.close() });
locksTestSuite(vitest, { name: 'in process', create: async () => new KeyLock() });
