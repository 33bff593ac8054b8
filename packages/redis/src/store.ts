import type { KeyValueStore, StoreChange } from '@doitong/core';
import type { Redis } from 'ioredis';
import { addWithin, appendToChunks, compareAndSet, writeIfUnchanged, type AddWithin, type AppendToChunks, type CompareAndSet } from './store-scripts';

export interface RedisStoreOptions {
  /** Keys are written as Keyv on @keyv/redis writes them under this namespace, so data written before stays readable. */
  namespace: string;
  /**
   * Keys read on every request and rarely written (API keys, accounts): kept in memory and
   * dropped on every instance the moment any instance writes them, through a Redis channel.
   * While that channel's connection is down, nothing is served from memory.
   */
  cached?: (key: string) => boolean;
  /** How long a cached value is trusted without hearing of a write (a safety net; default 60 s). */
  cacheMilliseconds?: number;
  /** How many recent values are remembered to start an atomic update without a read, and cached values kept (default 10,000 each). */
  recentValues?: number;
  /**
   * The key prefix of the RedisLocks under which instances of the layout before `appendToChunks`
   * append to a chunked list: with it, each append first checks that no such lock is held (one
   * command more), and waits while one is. Only for a rolling upgrade from such instances; `redis()`
   * leaves it out.
   */
  lockPrefix?: string;
}

/**
 * The records' store on Redis, with ioredis like the rest of the scale-out package. What it
 * adds to a plain Keyv store is `update`: an optimistic compare-and-set in one script, started
 * from the value this instance last saw of the key, so the usual read-modify-write of a record
 * costs one round trip, two commands and no lock (the lock, read, write and release it replaces
 * were four round trips and six commands; a key other writers race costs three); a key expected
 * absent is written with SET NX alone.
 */
export class RedisStore implements KeyValueStore {
  readonly #client: Redis & {
    doitongCompareAndSet?: CompareAndSet;
    doitongWriteIfUnchanged?: CompareAndSet;
    doitongAppendToChunks?: AppendToChunks;
    doitongAddWithin?: AddWithin;
  };
  readonly #lockPrefix: string | undefined;
  readonly #prefix: string;
  readonly #channel: string;
  readonly #cached: (key: string) => boolean;
  readonly #cacheMilliseconds: number;
  readonly #recentLimit: number;
  /** The raw text last read or written per key, newest last: where an update starts. */
  readonly #recent = new Map<string, string>();
  /** Keys whose last update found another writer's value: updated with the read-first script. */
  readonly #raced = new Set<string>();
  readonly #cache = new Map<string, { value: unknown; at: number }>();
  /** How many writes of cached keys were heard: a read that raced one is not cached. */
  #invalidations = 0;
  readonly #subscriber: Redis | undefined;
  #subscribed = false;

  constructor(client: Redis, options: RedisStoreOptions) {
    this.#client = client;
    // The key layout of Keyv over @keyv/redis ("<namespace>::<namespace>:<key>").
    this.#prefix = `${options.namespace}::${options.namespace}:`;
    this.#channel = `${options.namespace}:written`;
    this.#cached = options.cached ?? (() => false);
    this.#cacheMilliseconds = options.cacheMilliseconds ?? 60_000;
    this.#recentLimit = options.recentValues ?? 10_000;
    this.#lockPrefix = options.lockPrefix;
    if (!this.#client.doitongCompareAndSet) this.#client.defineCommand('doitongCompareAndSet', { numberOfKeys: 1, lua: compareAndSet });
    if (!this.#client.doitongWriteIfUnchanged) this.#client.defineCommand('doitongWriteIfUnchanged', { numberOfKeys: 1, lua: writeIfUnchanged });
    if (!this.#client.doitongAppendToChunks) this.#client.defineCommand('doitongAppendToChunks', { numberOfKeys: 1, lua: appendToChunks });
    if (!this.#client.doitongAddWithin) this.#client.defineCommand('doitongAddWithin', { numberOfKeys: 1, lua: addWithin });
    if (options.cached) {
      this.#subscriber = client.duplicate({ lazyConnect: false, enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined });
      this.#subscriber.on('error', () => undefined);
      this.#subscriber.on('message', (_channel: string, key: string) => this.#forget(key));
      // Whatever was written while the channel was down went unheard: start again from nothing.
      this.#subscriber.on('ready', () => {
        this.#cache.clear();
        this.#subscriber!.subscribe(this.#channel).then(
          () => (this.#subscribed = true),
          () => undefined,
        );
      });
      this.#subscriber.on('close', () => {
        this.#subscribed = false;
        this.#cache.clear();
      });
    }
  }

  async get<Value>(key: string): Promise<Value | undefined> {
    const cacheable = this.#subscribed && this.#cached(key);
    if (cacheable) {
      const entry = this.#cache.get(key);
      if (entry && Date.now() - entry.at < this.#cacheMilliseconds) return entry.value as Value;
    }
    const heard = this.#invalidations;
    const raw = await this.#client.get(this.#prefix + key);
    const value = this.#decode<Value>(key, raw);
    // Absence is kept too (most accounts have no webhook endpoint): a write anywhere drops it as it would a value.
    if (cacheable && heard === this.#invalidations) {
      this.#cache.delete(key);
      this.#cache.set(key, { value, at: Date.now() });
      if (this.#cache.size > this.#recentLimit) this.#cache.delete(this.#cache.keys().next().value!);
    }
    return value;
  }

  async getMany<Value>(keys: readonly string[]): Promise<Array<Value | undefined>> {
    if (keys.length === 0) return [];
    const raws = await this.#client.mget(keys.map((key) => this.#prefix + key));
    return raws.map((raw, index) => this.#decode<Value>(keys[index]!, raw));
  }

  async set<Value>(key: string, value: Value, ttlMilliseconds?: number): Promise<void> {
    const raw = encode(value, ttlMilliseconds);
    if (ttlMilliseconds !== undefined && ttlMilliseconds > 0) await this.#client.set(this.#prefix + key, raw, 'PX', Math.ceil(ttlMilliseconds));
    else await this.#client.set(this.#prefix + key, raw);
    this.#remember(key, raw);
    await this.#written(key);
  }

  async delete(key: string): Promise<boolean> {
    const removed = await this.#client.del(this.#prefix + key);
    this.#recent.delete(key);
    await this.#written(key);
    return removed > 0;
  }

  async update<Value>(key: string, change: (current: Value | undefined) => StoreChange<Value> | undefined): Promise<Value | undefined> {
    // Start from the value last seen here, or from "absent" (most keys updated unseen are new:
    // idempotency claims); a value that has moved on comes back from the script, at no extra
    // round trip.
    let expected = this.#recent.get(key) ?? '';
    let fresh = false;
    for (;;) {
      const next = change(this.#decode<Value>(key, expected || null, false));
      if (!next) {
        // "Nothing to change" is only believed of a value just read.
        if (fresh) return undefined;
        expected = (await this.#client.get(this.#prefix + key)) ?? '';
        fresh = true;
        continue;
      }
      const raw = encode(next.value, next.ttlMilliseconds);
      const ttl = next.ttlMilliseconds !== undefined && next.ttlMilliseconds > 0 ? String(Math.ceil(next.ttlMilliseconds)) : '';
      if (expected === '') {
        // Expected absent (a new key, such as an idempotency claim): SET NX is the whole
        // compare-and-set; should the key exist after all, its value is read and the change applied to it.
        const created = ttl ? await this.#client.set(this.#prefix + key, raw, 'PX', ttl, 'NX') : await this.#client.set(this.#prefix + key, raw, 'NX');
        if (created === 'OK') return this.#updated<Value>(key, raw);
        this.#race(key);
        expected = (await this.#client.get(this.#prefix + key)) ?? '';
        fresh = true;
        continue;
      }
      const raced = this.#raced.has(key);
      const result = raced
        ? await this.#client.doitongCompareAndSet!(this.#prefix + key, expected, raw, ttl)
        : await this.#client.doitongWriteIfUnchanged!(this.#prefix + key, expected, raw, ttl);
      if (result[0] === 1) {
        // A key written at the first try is taken to be uncontended again.
        if (raced && !fresh) this.#raced.delete(key);
        return this.#updated<Value>(key, raw);
      }
      this.#race(key);
      expected = result[1];
      fresh = true;
    }
  }

  recent<Value>(key: string): Value | undefined {
    const raw = this.#recent.get(key);
    return raw === undefined ? undefined : this.#decode<Value>(key, raw, false);
  }

  /**
   * One INCRBY, however many instances add at once: the counter is kept as a bare integer, and a sum
   * past the limit is taken back (DECRBY) and refused. So the count never stays past the limit, but
   * near it an addition that would have fit can be refused while another's overshoot is being taken
   * back. The request that starts the counter gives it its expiry. A counter that another writer
   * left in the envelope form (an `update` of it) is added to by the script that reads that form.
   */
  async addWithin(key: string, amount: number, limit: number, ttlMilliseconds?: number): Promise<boolean> {
    const ttl = ttlMilliseconds !== undefined && ttlMilliseconds > 0 ? Math.ceil(ttlMilliseconds) : undefined;
    this.#recent.delete(key);
    let total: number | undefined;
    try {
      total = await this.#client.incrby(this.#prefix + key, amount);
    } catch (error) {
      if (!String(error).includes('not an integer')) throw error;
    }
    if (total !== undefined) {
      if (total === amount && ttl !== undefined) await this.#client.pexpire(this.#prefix + key, ttl);
      if (total > limit) {
        await this.#client.decrby(this.#prefix + key, amount);
        return false;
      }
      await this.#written(key);
      return true;
    }
    const now = Date.now();
    const added = await this.#client.doitongAddWithin!(
      this.#prefix + key,
      String(amount),
      String(limit),
      ttl === undefined ? '' : String(ttl),
      String(now),
      ttl === undefined ? '' : String(now + ttl),
    );
    await this.#written(key);
    return added === 1;
  }

  /** One script: the count read, the last chunk read and written, the count written; no lock. */
  async appendToChunks(key: string, items: readonly string[], chunkSize: number, ttlMilliseconds?: number): Promise<void> {
    if (items.length === 0) return;
    const ttl = ttlMilliseconds !== undefined && ttlMilliseconds > 0 ? Math.ceil(ttlMilliseconds) : undefined;
    const lock = this.#lockPrefix === undefined ? '' : this.#lockPrefix + key;
    const deadline = Date.now() + 10_000;
    for (let attempt = 0; ; attempt++) {
      const expires = ttl === undefined ? '' : String(Date.now() + ttl);
      const appended = await this.#client.doitongAppendToChunks!(
        `${this.#prefix}${key}:count`,
        JSON.stringify(items),
        String(chunkSize),
        ttl === undefined ? '' : String(ttl),
        expires,
        lock,
        `${this.#prefix}${key}:`,
      );
      if (appended === 1) return;
      if (Date.now() > deadline) throw new Error(`the list ${key} stayed locked`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, 2 + attempt * 2) * (0.5 + Math.random())));
    }
  }

  async close(): Promise<void> {
    this.#subscriber?.disconnect();
  }

  async #updated<Value>(key: string, raw: string): Promise<Value> {
    this.#remember(key, raw);
    await this.#written(key);
    return JSON.parse(raw).value as Value;
  }

  #decode<Value>(key: string, raw: string | null, remember = true): Value | undefined {
    if (raw === null) {
      this.#recent.delete(key);
      return undefined;
    }
    const envelope = JSON.parse(raw) as { value?: Value; expires?: number | null } | number;
    // A counter `addWithin` keeps as a bare integer.
    if (typeof envelope === 'number') {
      if (remember) this.#remember(key, raw);
      return envelope as Value;
    }
    // Redis expires the key itself; Keyv's own expiry field is honoured for data written by Keyv.
    if (typeof envelope.expires === 'number' && envelope.expires <= Date.now()) return undefined;
    if (remember) this.#remember(key, raw);
    return envelope.value ?? undefined;
  }

  #race(key: string): void {
    this.#raced.add(key);
    if (this.#raced.size > this.#recentLimit) this.#raced.delete(this.#raced.values().next().value!);
  }

  #remember(key: string, raw: string): void {
    this.#recent.delete(key);
    this.#recent.set(key, raw);
    if (this.#recent.size > this.#recentLimit) this.#recent.delete(this.#recent.keys().next().value!);
  }

  /** Tells every instance (this one included) to drop its cached copy of a cached key. */
  async #written(key: string): Promise<void> {
    if (!this.#cached(key)) return;
    this.#forget(key);
    await this.#client.publish(this.#channel, key);
  }

  #forget(key: string): void {
    this.#cache.delete(key);
    this.#invalidations++;
  }
}

/** Keyv's envelope: `{ value, expires }`, so Keyv reads what this writes and the other way round. */
function encode(value: unknown, ttlMilliseconds: number | undefined): string {
  const expires = ttlMilliseconds !== undefined && ttlMilliseconds > 0 ? Date.now() + ttlMilliseconds : undefined;
  return JSON.stringify(expires === undefined ? { value } : { value, expires });
}
