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

/**
 * The embedded default: an in-process Map. Values are kept as JSON text, as Keyv's memory store
 * keeps them, so a stored record never aliases an object a caller goes on to mutate and reads get
 * the same JSON shapes a networked store would give; but with the engine's own `JSON.stringify` /
 * `JSON.parse` instead of Keyv's per-value serializer, which dominated the profile of a request.
 * Expired entries are dropped when read and by a sweep that runs, amortised, as entries are written,
 * so a TTL (idempotency keys, retention of generations) really frees the memory.
 */
export class MemoryKeyValueStore implements KeyValueStore {
  readonly #entries = new Map<string, { text: string; expiresAt: number }>();
  readonly #now: () => number;
  /** Entries with a TTL; the sweep only runs when there are some. */
  #expiring = 0;
  #writesSinceSweep = 0;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** How many entries are held, expired ones not yet swept included. */
  get size(): number {
    return this.#entries.size;
  }

  async get<Value>(key: string): Promise<Value | undefined> {
    return this.#read<Value>(key);
  }

  async getMany<Value>(keys: readonly string[]): Promise<Array<Value | undefined>> {
    return keys.map((key) => this.#read<Value>(key));
  }

  async set<Value>(key: string, value: Value, ttlMilliseconds?: number): Promise<void> {
    // Keyv stores `undefined` as null and reads it back as undefined; so does this.
    const text = JSON.stringify(value) ?? 'null';
    const expiresAt = ttlMilliseconds !== undefined && ttlMilliseconds > 0 ? this.#now() + ttlMilliseconds : Infinity;
    const previous = this.#entries.get(key);
    if (previous && previous.expiresAt !== Infinity) this.#expiring--;
    if (expiresAt !== Infinity) this.#expiring++;
    this.#entries.set(key, { text, expiresAt });
    if (this.#expiring > 0 && ++this.#writesSinceSweep >= Math.max(1_024, this.#entries.size >> 2)) this.sweep();
  }

  async delete(key: string): Promise<boolean> {
    const entry = this.#entries.get(key);
    if (!entry) return false;
    this.#remove(key, entry);
    return entry.expiresAt > this.#now();
  }

  async close(): Promise<void> {
    this.#entries.clear();
    this.#expiring = 0;
  }

  /** Drops every expired entry now; returns how many. */
  sweep(): number {
    this.#writesSinceSweep = 0;
    const now = this.#now();
    let removed = 0;
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now) {
        this.#remove(key, entry);
        removed++;
      }
    }
    return removed;
  }

  #read<Value>(key: string): Value | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#remove(key, entry);
      return undefined;
    }
    return (JSON.parse(entry.text) as Value | null) ?? undefined;
  }

  #remove(key: string, entry: { expiresAt: number }): void {
    this.#entries.delete(key);
    if (entry.expiresAt !== Infinity) this.#expiring--;
  }
}

export function memoryStore(options: { now?: () => number } = {}): KeyValueStore {
  return new MemoryKeyValueStore(options);
}
