import type { Clock, ConcurrencySlots, HeldSlot } from '@doitong/core';
import type { SqliteDatabase } from './database';

/** Concurrency slots in SQLite: a restart finds the generations in flight still counted. */
export class SqliteConcurrencySlots implements ConcurrencySlots {
  readonly #database: SqliteDatabase;
  readonly #clock: Clock;
  readonly #acquire;

  constructor(database: SqliteDatabase, options: { clock?: Clock } = {}) {
    this.#database = database;
    this.#clock = options.clock ?? { now: Date.now };
    const dropExpired = database.prepare<[string, number]>('DELETE FROM slots WHERE account_id = ? AND expires_at <= ?');
    const count = database.prepare<[string], { active: number }>('SELECT COUNT(*) AS active FROM slots WHERE account_id = ?');
    const holds = database.prepare<[string, string], { held: number }>('SELECT 1 AS held FROM slots WHERE account_id = ? AND slot_id = ?');
    const insert = database.prepare<[string, string, number]>(
      'INSERT INTO slots (account_id, slot_id, expires_at) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET expires_at = excluded.expires_at',
    );
    this.#acquire = database.transaction((accountId: string, slotId: string, limit: number, ttlMilliseconds: number) => {
      const now = this.#clock.now();
      dropExpired.run(accountId, now);
      const active = count.get(accountId)!.active;
      // Taking a slot this generation holds already renews it and counts nothing new.
      if (holds.get(accountId, slotId)) {
        insert.run(accountId, slotId, now + ttlMilliseconds);
        return { acquired: true, active };
      }
      if (active >= limit) return { acquired: false, active };
      insert.run(accountId, slotId, now + ttlMilliseconds);
      return { acquired: true, active: active + 1 };
    });
  }

  async acquire(accountId: string, slotId: string, limit: number, ttlMilliseconds: number) {
    return this.#acquire.immediate(accountId, slotId, limit, ttlMilliseconds);
  }

  async release(accountId: string, slotId: string) {
    this.#database.prepare<[string, string]>('DELETE FROM slots WHERE account_id = ? AND slot_id = ?').run(accountId, slotId);
  }

  async active(accountId: string) {
    return this.#database
      .prepare<[string, number], { active: number }>('SELECT COUNT(*) AS active FROM slots WHERE account_id = ? AND expires_at > ?')
      .get(accountId, this.#clock.now())!.active;
  }

  async held(limit: number): Promise<HeldSlot[]> {
    const rows = this.#database
      .prepare<[number, number], { account_id: string; slot_id: string; expires_at: number }>(
        'SELECT account_id, slot_id, expires_at FROM slots WHERE expires_at > ? ORDER BY expires_at LIMIT ?',
      )
      .all(this.#clock.now(), limit);
    return rows.map((row) => ({ accountId: row.account_id, slotId: row.slot_id, expiresAt: row.expires_at }));
  }
}
