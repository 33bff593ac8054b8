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
  /**
   * Optional: reads the value at `key`, passes it to `change` and stores what that returns, as one
   * step no other write to the key can come between; `change` returns undefined to leave the
   * value as it is. Resolves with the value stored, or undefined when nothing was. The value
   * `change` returns is the store's from then on (the memory store freezes it rather than copy
   * it): return a new value and do not change it afterwards. A store may run `change` more than
   * once, on a value that turns out to have moved on (an optimistic compare-and-set retries on
   * the newest), so `change` must be a pure function of its argument that accepts undefined. A
   * store that cannot do this atomically leaves it out, and callers hold a lock around `get`
   * and `set` (`updateValue` in key-lock.ts does whichever the store allows).
   */
  update?<Value>(key: string, change: (current: Value | undefined) => StoreChange<Value> | undefined): Promise<Value | undefined>;
  /**
   * Optional, with `update`: the value this process last read or wrote at `key`, if it still
   * remembers it, without asking the store; undefined when it does not. It may be out of date (another
   * instance wrote since), so it is only for a step whose next write is an `update` that starts
   * from that same copy and is refused, to run again on the current value, if the copy has moved on.
   */
  recent?<Value>(key: string): Value | undefined;
  /**
   * Optional: appends `items` to a list kept in chunks of `chunkSize` items, its length at
   * `${key}:count` and its chunks at `${key}:0`, `${key}:1`…, as one step no other append to the
   * list can come between; each chunk written gets `ttlMilliseconds` (the count keeps none). A store
   * that leaves it out has its callers read and write the chunk and the count under a lock.
   */
  appendToChunks?(key: string, items: readonly string[], chunkSize: number, ttlMilliseconds?: number): Promise<void>;
  /**
   * Optional: adds `amount` to the number at `key` (absent counts as 0) unless the sum would pass
   * `limit`, as one step, keeping the sum for `ttlMilliseconds`; resolves with whether it added. A
   * counter that many requests update at once then costs one step however contended, where
   * `update` starts again each time another writer came first.
   */
  addWithin?(key: string, amount: number, limit: number, ttlMilliseconds?: number): Promise<boolean>;
  /** Closes the connection of a store that has one. */
  close(): Promise<void>;
}

/** What an atomic `update` stores: the new value and, as for `set`, its relative time to live. */
export interface StoreChange<Value> {
  value: Value;
  ttlMilliseconds?: number;
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
 * The embedded default: an in-process Map. A value is stored as a frozen copy with exactly the
 * shape JSON would give it (`toJSON` applied, `undefined` and functions dropped, non-finite
 * numbers as null), so a stored record never aliases an object a caller goes on to mutate and
 * reads get what a networked store would give. Reads hand out the frozen copy itself: a
 * generation record is read and rewritten several times over its life, and parsing JSON text on
 * every read (and Keyv's per-value serializer before that) was the largest share of a request.
 * Parts of a value that are already a stored copy (a record spread into its next version) are
 * reused, not copied again. Expired entries are dropped when read and by a sweep that runs,
 * amortised, as entries are written, so a TTL (idempotency keys, retention) really frees memory.
 */
export class MemoryKeyValueStore implements KeyValueStore {
  readonly #entries = new Map<string, { value: unknown; expiresAt: number }>();
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
    this.#write(key, storedCopy(value), ttlMilliseconds);
  }

  /** Atomic because it is synchronous: nothing else runs between the read and the write. */
  async update<Value>(key: string, change: (current: Value | undefined) => StoreChange<Value> | undefined): Promise<Value | undefined> {
    const next = change(this.#read<Value>(key));
    if (!next) return undefined;
    return this.#write(key, adoptedCopy(next.value), next.ttlMilliseconds) as Value;
  }

  #write(key: string, stored: unknown, ttlMilliseconds: number | undefined): unknown {
    const expiresAt = ttlMilliseconds !== undefined && ttlMilliseconds > 0 ? this.#now() + ttlMilliseconds : Infinity;
    const previous = this.#entries.get(key);
    if (previous && previous.expiresAt !== Infinity) this.#expiring--;
    if (expiresAt !== Infinity) this.#expiring++;
    this.#entries.set(key, { value: stored, expiresAt });
    if (this.#expiring > 0 && ++this.#writesSinceSweep >= Math.max(1_024, this.#entries.size >> 2)) this.sweep();
    return stored;
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
    // forEach rather than for…of: no [key, entry] pair is allocated for each of (possibly) millions of entries.
    this.#entries.forEach((entry, key) => {
      if (entry.expiresAt <= now) {
        this.#remove(key, entry);
        removed++;
      }
    });
    return removed;
  }

  #read<Value>(key: string): Value | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#remove(key, entry);
      return undefined;
    }
    // Keyv stores `undefined` as null and reads it back as undefined; so does this.
    return (entry.value as Value | null) ?? undefined;
  }

  #remove(key: string, entry: { expiresAt: number }): void {
    this.#entries.delete(key);
    if (entry.expiresAt !== Infinity) this.#expiring--;
  }
}

/**
 * What `JSON.parse(JSON.stringify(value))` would give, deeply frozen. A frozen object is taken
 * to be a stored copy already (a part of a record read from this store and spread into its next
 * version) and is reused as it is; marking copies in a WeakSet instead cost more in garbage
 * collection than the copying it saved. Throws where JSON.stringify throws (a BigInt, a cycle).
 */
function storedCopy(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    case 'function':
    case 'symbol':
      return null;
  }
  const object = value as Record<string, unknown> & { toJSON?: () => unknown };
  if (Object.isFrozen(object)) return object;
  if (depth > 1_000) throw new TypeError('Converting circular structure to JSON');
  if (typeof object.toJSON === 'function') return storedCopy(object.toJSON(), depth + 1);
  let copy: unknown[] | Record<string, unknown>;
  if (Array.isArray(object)) {
    copy = new Array<unknown>(object.length);
    for (let index = 0; index < object.length; index++) copy[index] = storedCopy(object[index], depth + 1);
  } else {
    copy = {};
    for (const key in object) {
      if (!Object.prototype.hasOwnProperty.call(object, key)) continue;
      const item = object[key];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      copy[key] = storedCopy(item, depth + 1);
    }
  }
  return Object.freeze(copy);
}

/**
 * The stored form of a value the store takes over (what an atomic update's `change` returned: a
 * new record, usually the previous version spread with a few fields changed). When its top level
 * already has JSON's shape it is frozen in place rather than copied, which for a record of forty
 * fields rewritten several times over its life is most of what a write costs. What it holds goes
 * through storedCopy as usual: parts reused from the previous version are kept, anything new is
 * copied, so nothing a caller passed in is frozen under it.
 */
function adoptedCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value) || Array.isArray(value)) return storedCopy(value);
  const prototype = Object.getPrototypeOf(value);
  if ((prototype !== Object.prototype && prototype !== null) || typeof (value as { toJSON?: unknown }).toJSON === 'function') return storedCopy(value);
  const object = value as Record<string, unknown>;
  for (const key in object) {
    const item = object[key];
    // Anything JSON would drop or change (undefined, a function, NaN…): copy the usual way.
    if (
      item === undefined ||
      typeof item === 'function' ||
      typeof item === 'symbol' ||
      typeof item === 'bigint' ||
      (typeof item === 'number' && !Number.isFinite(item))
    )
      return storedCopy(value);
  }
  for (const key in object) {
    const item = object[key];
    if (item !== null && typeof item === 'object' && !Object.isFrozen(item)) object[key] = storedCopy(item, 1);
  }
  return Object.freeze(object);
}

export function memoryStore(options: { now?: () => number } = {}): KeyValueStore {
  return new MemoryKeyValueStore(options);
}
