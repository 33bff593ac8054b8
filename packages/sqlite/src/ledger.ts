import { randomBytes } from 'node:crypto';
import type { CreditLedger, CreditTransaction, CreditTransactionType, OpenReservation, ReserveResult } from '@doitong/core';
import type { SqliteDatabase } from './database';

interface EntryRow {
  position: number;
  id: string;
  account_id: string;
  type: CreditTransactionType;
  amount: number;
  balance_after: number;
  reservation_id: string | null;
  generation_id: string | null;
  note: string | null;
  created_at: string;
}

/**
 * The credit ledger in SQLite: each method is one transaction, so a reservation is settled
 * exactly once and a balance never goes negative, and a restart finds every balance, entry and
 * open reservation as the last acknowledged call left it.
 */
export class SqliteLedger implements CreditLedger {
  readonly #database: SqliteDatabase;
  readonly #now: () => number;
  readonly #reserve;
  readonly #settle;
  readonly #topUp;

  constructor(database: SqliteDatabase, options: { now?: () => number } = {}) {
    this.#database = database;
    this.#now = options.now ?? Date.now;
    const balanceOf = database.prepare<[string], { balance: number }>('SELECT balance FROM balances WHERE account_id = ?');
    const addToBalance = database.prepare<[{ account: string; amount: number }], { balance: number }>(
      'INSERT INTO balances (account_id, balance) VALUES (@account, @amount) ON CONFLICT (account_id) DO UPDATE SET balance = balance + @amount RETURNING balance',
    );
    const insertEntry = database.prepare<[string, string, string, number, number, string | null, string | null, string | null, string]>(
      'INSERT INTO ledger_entries (id, account_id, type, amount, balance_after, reservation_id, generation_id, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const findReservation = database.prepare<[string], { account_id: string; amount: number; generation_id: string | null; state: string }>(
      'SELECT account_id, amount, generation_id, state FROM reservations WHERE id = ?',
    );
    const insertReservation = database.prepare<[string, string, number, string | null, number]>(
      "INSERT INTO reservations (id, account_id, amount, generation_id, state, reserved_at) VALUES (?, ?, ?, ?, 'reserved', ?)",
    );
    const settleReservation = database.prepare<[string, string]>("UPDATE reservations SET state = ? WHERE id = ? AND state = 'reserved'");
    const record = (
      accountId: string,
      type: CreditTransactionType,
      amount: number,
      extra: { reservationId?: string | null; generationId?: string | null; note?: string | null },
    ): CreditTransaction => {
      const balanceAfter = addToBalance.get({ account: accountId, amount })!.balance;
      const entry: CreditTransaction = {
        id: `ctx_${randomBytes(15).toString('base64url')}`,
        accountId,
        type,
        amount,
        balanceAfter,
        createdAt: new Date(this.#now()).toISOString(),
      };
      if (extra.reservationId) entry.reservationId = extra.reservationId;
      if (extra.generationId) entry.generationId = extra.generationId;
      if (extra.note) entry.note = extra.note;
      insertEntry.run(
        entry.id,
        accountId,
        type,
        amount,
        balanceAfter,
        entry.reservationId ?? null,
        entry.generationId ?? null,
        entry.note ?? null,
        entry.createdAt,
      );
      return entry;
    };
    this.#topUp = database.transaction((accountId: string, amount: number, note: string | undefined) =>
      record(accountId, 'TOP_UP', amount, { note: note ?? null }),
    );
    this.#reserve = database.transaction((accountId: string, amount: number, reservationId: string, generationId: string | undefined): ReserveResult => {
      const existing = findReservation.get(reservationId);
      if (existing) return { ok: true, reservationId, balance: balanceOf.get(existing.account_id)?.balance ?? 0 };
      const balance = balanceOf.get(accountId)?.balance ?? 0;
      if (balance < amount) return { ok: false, balance };
      insertReservation.run(reservationId, accountId, amount, generationId ?? null, this.#now());
      const entry = record(accountId, 'RESERVE', -amount, { reservationId, generationId: generationId ?? null });
      return { ok: true, reservationId, balance: entry.balanceAfter };
    });
    this.#settle = database.transaction((reservationId: string, kind: 'COMMIT' | 'REFUND', amount: number | undefined, note: string | undefined): boolean => {
      const reservation = findReservation.get(reservationId);
      if (!reservation || reservation.state !== 'reserved') return false;
      const settled = kind === 'COMMIT' ? Math.min(amount ?? reservation.amount, reservation.amount) : 0;
      assertCredits(settled);
      settleReservation.run(kind === 'COMMIT' ? 'committed' : 'refunded', reservationId);
      record(reservation.account_id, kind, reservation.amount - settled, {
        reservationId,
        generationId: reservation.generation_id,
        note: kind === 'COMMIT' ? `settled ${settled} of ${reservation.amount} reserved` : (note ?? null),
      });
      return true;
    });
  }

  async balance(accountId: string): Promise<number> {
    const row = this.#database.prepare<[string], { balance: number }>('SELECT balance FROM balances WHERE account_id = ?').get(accountId);
    return row?.balance ?? 0;
  }

  async topUp(accountId: string, amount: number, note?: string): Promise<CreditTransaction> {
    assertCredits(amount);
    return this.#topUp.immediate(accountId, amount, note);
  }

  async reserve(accountId: string, amount: number, reservationId: string, generationId?: string): Promise<ReserveResult> {
    assertCredits(amount);
    return this.#reserve.immediate(accountId, amount, reservationId, generationId);
  }

  async commit(reservationId: string, amount?: number): Promise<boolean> {
    return this.#settle.immediate(reservationId, 'COMMIT', amount, undefined);
  }

  async refund(reservationId: string, note?: string): Promise<boolean> {
    return this.#settle.immediate(reservationId, 'REFUND', undefined, note);
  }

  async openReservations(limit: number): Promise<OpenReservation[]> {
    const rows = this.#database
      .prepare<[number], { id: string; account_id: string; amount: number; generation_id: string | null; reserved_at: number }>(
        "SELECT id, account_id, amount, generation_id, reserved_at FROM reservations WHERE state = 'reserved' ORDER BY reserved_at, rowid LIMIT ?",
      )
      .all(limit);
    return rows.map((row) => ({
      reservationId: row.id,
      accountId: row.account_id,
      amount: row.amount,
      generationId: row.generation_id,
      reservedAt: row.reserved_at,
    }));
  }

  /** Newest first; the cursor is the entry id. */
  async transactions(accountId: string, page: { first: number; after?: string | null }): ReturnType<CreditLedger['transactions']> {
    let before = Number.MAX_SAFE_INTEGER;
    if (page.after) {
      const cursor = this.#database
        .prepare<[string, string], { position: number }>('SELECT position FROM ledger_entries WHERE id = ? AND account_id = ?')
        .get(page.after, accountId);
      before = cursor?.position ?? 0;
    }
    const rows = this.#database
      .prepare<[string, number, number], EntryRow>('SELECT * FROM ledger_entries WHERE account_id = ? AND position < ? ORDER BY position DESC LIMIT ?')
      .all(accountId, before, page.first + 1);
    const items = rows.slice(0, page.first).map(toTransaction);
    return { items, hasNextPage: rows.length > page.first, endCursor: items.at(-1)?.id ?? null };
  }
}

function toTransaction(row: EntryRow): CreditTransaction {
  const entry: CreditTransaction = {
    id: row.id,
    accountId: row.account_id,
    type: row.type,
    amount: row.amount,
    balanceAfter: row.balance_after,
    createdAt: row.created_at,
  };
  if (row.reservation_id) entry.reservationId = row.reservation_id;
  if (row.generation_id) entry.generationId = row.generation_id;
  if (row.note) entry.note = row.note;
  return entry;
}

function assertCredits(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`credits must be a non-negative integer, got ${amount}`);
}
