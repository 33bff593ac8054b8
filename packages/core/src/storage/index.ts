export { keyvStore, memoryStore, type KeyValueStore } from './key-value-store';
export { KeyLock } from './key-lock';
