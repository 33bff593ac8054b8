import * as vitest from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ledgerTestSuite, manualClock, queueTestSuite, slotsTestSuite, storeTestSuite } from '@doitong/core/testing';
import { openDatabase, SqliteConcurrencySlots, SqliteJobQueue, SqliteLedger, SqliteStore, type SqliteDatabase } from '@doitong/sqlite';

const databases = new WeakMap<object, SqliteDatabase>();
const fresh = () => openDatabase(mkdtempSync(join(tmpdir(), 'doitong-sqlite-')));

storeTestSuite(vitest, {
  name: 'SQLite',
  create: async () => {
    const database = fresh();
    const store = new SqliteStore(database);
    databases.set(store, database);
    return store;
  },
  close: async (store) => void databases.get(store)?.close(),
});
ledgerTestSuite(vitest, {
  name: 'SQLite',
  create: async () => {
    const database = fresh();
    const ledger = new SqliteLedger(database);
    databases.set(ledger, database);
    return ledger;
  },
  close: async (ledger) => void databases.get(ledger)?.close(),
});
slotsTestSuite(vitest, {
  name: 'SQLite',
  create: async () => {
    const clock = manualClock(Date.now());
    return { slots: new SqliteConcurrencySlots(fresh(), { clock }), clock };
  },
});
queueTestSuite(vitest, {
  name: 'SQLite',
  create: async () => {
    const database = fresh();
    const queue = new SqliteJobQueue(database);
    databases.set(queue, database);
    return queue;
  },
  close: async (queue) => {
    await queue.close({ drainMilliseconds: 1_000 });
    databases.get(queue)?.close();
  },
});
