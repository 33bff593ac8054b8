import type { KeyValueStore, StoreChange } from '@doitong/core';
import type { SqliteDatabase } from './database';

/**
 * Doitong's records (accounts, API keys, generations and their indexes, idempotency records,
 * webhook endpoints and deliveries) as JSON text in one table. `update` reads, changes and writes
 * in one synchronous step, so the engine takes no lock around its read-modify-writes. Expired rows
 * are invisible at once and deleted by a sweep as rows are written.
 */
export class SqliteStore implements KeyValueStore {
  readonly #now: () => number;
  readonly #database: SqliteDatabase;
  readonly #select;
  readonly #upsert;
  readonly #remove;
  readonly #sweep;
  #writesSinceSweep = 0;

  constructor(database: SqliteDatabase, options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#database = database;
    this.#select = database.prepare<[string, number], { value: string }>('SELECT value FROM records WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)');
    this.#upsert = database.prepare<[string, string, number | null]>(
      'INSERT INTO records (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at',
    );
    this.#remove = database.prepare<[string, number]>('DELETE FROM records WHERE key = ? RETURNING (expires_at IS NULL OR expires_at > ?) AS live');
    this.#sweep = database.prepare<[number]>('DELETE FROM records WHERE expires_at IS NOT NULL AND expires_at <= ?');
  }

  async get<Value>(key: string): Promise<Value | undefined> {
    return this.#read<Value>(key);
  }

  async getMany<Value>(keys: readonly string[]): Promise<Array<Value | undefined>> {
    return keys.map((key) => this.#read<Value>(key));
  }

  async set<Value>(key: string, value: Value, ttlMilliseconds?: number): Promise<void> {
    this.#write(key, JSON.stringify(value), ttlMilliseconds);
  }

  /**
   * Atomic: synchronous, so nothing in this process runs between the read and the write, and in
   * an immediate transaction, so no other process writes in between either.
   */
  async update<Value>(key: string, change: (current: Value | undefined) => StoreChange<Value> | undefined): Promise<Value | undefined> {
    const text = this.#database
      .transaction(() => {
        const next = change(this.#read<Value>(key));
        if (!next) return undefined;
        const written = JSON.stringify(next.value);
        this.#write(key, written, next.ttlMilliseconds);
        return written;
      })
      .immediate();
    // What a later read would give (JSON-shaped), not the caller's object.
    return text === undefined ? undefined : (JSON.parse(text) as Value);
  }

  async delete(key: string): Promise<boolean> {
    const removed = this.#remove.get(key, this.#now()) as { live: number } | undefined;
    return removed?.live === 1;
  }

  /** The database is closed by the option group's resource, after everything else. */
  async close(): Promise<void> {}

  #read<Value>(key: string): Value | undefined {
    const row = this.#select.get(key, this.#now());
    return row ? (JSON.parse(row.value) as Value) : undefined;
  }

  #write(key: string, text: string, ttlMilliseconds: number | undefined): void {
    const expiresAt = ttlMilliseconds !== undefined && ttlMilliseconds > 0 ? this.#now() + ttlMilliseconds : null;
    this.#upsert.run(key, text, expiresAt);
    if (++this.#writesSinceSweep >= 1_024) {
      this.#writesSinceSweep = 0;
      this.#sweep.run(this.#now());
    }
  }
}
