// The contract suites for each kind of store, one module per kind; imported from here as they were from one file.
export type { Implementation } from './implementation';
export { idempotencyStoreTestSuite } from './idempotency-store';
export { queueTestSuite } from './job-queue';
export { storeTestSuite } from './key-value-store';
export { ledgerTestSuite } from './ledger';
export { locksTestSuite } from './locks';
export { slotsTestSuite } from './slots';
