export { keyvStore, memoryStore, MemoryKeyValueStore, type KeyValueStore } from './key-value-store';
export { KeyLock, type Locks } from './key-lock';
