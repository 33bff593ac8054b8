import Keyv from 'keyv';

/**
 * The small storage surface the rest of core uses. Keyv stays behind it so its quirks stay
 * here: Keyv swallows store errors unless told to throw, and Keyv 5 and 6 disagree on how a
 * TTL reaches the store.
 */
export interface KeyValueStore {
  get<Value>(key: string): Promise<Value | undefined>;
  getMany<Value>(keys: readonly string[]): Promise<Array<Value | undefined>>;
  /** `ttlMilliseconds` is relative; absent means keep forever. */
  set<Value>(key: string, value: Value, ttlMilliseconds?: number): Promise<void>;
  delete(key: string): Promise<boolean>;
  /** Closes the connection of a store that has one. */
  close(): Promise<void>;
}

export type KeyvLike = Keyv;

/** Wraps a Keyv instance (any Keyv store: memory, Redis, PostgreSQL…). */
export function keyvStore(keyv: Keyv): KeyValueStore {
  // A store error must reach the caller as an error, not as a silent `undefined`.
  keyv.throwOnErrors = true;
  return {
    async get<Value>(key: string) {
      return (await keyv.get<Value>(key)) ?? undefined;
    },
    async getMany<Value>(keys: readonly string[]) {
      if (keys.length === 0) return [];
      const values = await keyv.getMany<Value>([...keys]);
      return values.map((value) => value ?? undefined);
    },
    async set<Value>(key: string, value: Value, ttlMilliseconds?: number) {
      await keyv.set(key, value, ttlMilliseconds);
    },
    async delete(key: string) {
      return keyv.delete(key);
    },
    async close() {
      await keyv.disconnect?.();
    },
  };
}

/** The embedded default: Keyv over an in-process Map. */
export function memoryStore(): KeyValueStore {
  return keyvStore(new Keyv({ namespace: 'doitong' }));
}
