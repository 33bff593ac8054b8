import { randomToken } from '../random-token';
import { isoTime } from './clock';

export type CreditTransactionType = 'TOP_UP' | 'RESERVE' | 'COMMIT' | 'REFUND';

/**
 * One ledger entry. `amount` is the change to the available balance it caused, so the
 * entries of an account always sum to its balance.
 */
export interface CreditTransaction {
  id: string;
  accountId: string;
  type: CreditTransactionType;
  amount: number;
  balanceAfter: number;
  reservationId?: string;
  generationId?: string;
  note?: string;
  createdAt: string;
}

export type ReserveResult = { ok: true; reservationId: string; balance: number } | { ok: false; balance: number };

export interface TransactionPage {
  items: CreditTransaction[];
  hasNextPage: boolean;
  endCursor: string | null;
}

/**
 * Credits with atomic reserve, commit and refund. A reservation is settled exactly once:
 * a second commit or refund of the same reservation returns false and changes nothing,
 * and the available balance never goes negative, whatever the interleaving.
 */
export interface CreditLedger {
  balance(accountId: string): Promise<number>;
  topUp(accountId: string, amount: number, note?: string): Promise<CreditTransaction>;
  /** Reserving the same `reservationId` twice returns the first result without charging again. */
  reserve(accountId: string, amount: number, reservationId: string, generationId?: string): Promise<ReserveResult>;
  /** Settles at `amount` (at most the reserved amount); the difference goes back to the balance. */
  commit(reservationId: string, amount?: number): Promise<boolean>;
  refund(reservationId: string, note?: string): Promise<boolean>;
  transactions(accountId: string, page: { first: number; after?: string | null }): Promise<TransactionPage>;
  /**
   * Reservations not yet settled, oldest first, at most `limit`: what the reconciler checks
   * against their generations after a crash or an outage. Optional for ledgers of your own;
   * without it the reconciler cannot find reservations left open.
   */
  openReservations?(limit: number): Promise<OpenReservation[]>;
  close?(): Promise<void>;
}

/** A reservation still holding credits. */
export interface OpenReservation {
  reservationId: string;
  accountId: string;
  amount: number;
  generationId: string | null;
  /** When it was made (milliseconds since the epoch). */
  reservedAt: number;
}

interface Reservation {
  accountId: string;
  amount: number;
  generationId?: string;
  state: 'reserved' | 'committed' | 'refunded';
  reservedAt: number;
}

/**
 * The in-process ledger. Every method does its check and its write in one synchronous
 * step, so no interleaving of async callers can overdraw or settle twice.
 */
export class MemoryLedger implements CreditLedger {
  readonly #balances = new Map<string, number>();
  readonly #reservations = new Map<string, Reservation>();
  readonly #entries = new Map<string, CreditTransaction[]>();
  readonly #now: () => number;
  readonly #retentionMilliseconds: number | undefined;
  /** Settled reservations, oldest first, dropped once older than the retention. */
  readonly #settled: Array<{ reservationId: string; at: number }> = [];
  #recordsSincePrune = 0;

  /**
   * `retentionMilliseconds`: forget history older than this (ledger entries and settled
   * reservations), so an embedded ledger's memory stays flat; balances are never forgotten.
   * A cursor into forgotten history reads an empty page. Kept forever when left out.
   */
  constructor(now: () => number = Date.now, options: { retentionMilliseconds?: number } = {}) {
    this.#now = now;
    this.#retentionMilliseconds = options.retentionMilliseconds;
  }

  /** Drops history older than the retention now (also done, amortised, as entries are written). */
  prune(): void {
    this.#recordsSincePrune = 0;
    if (this.#retentionMilliseconds === undefined) return;
    const cutoff = this.#now() - this.#retentionMilliseconds;
    let settled = 0;
    while (settled < this.#settled.length && this.#settled[settled]!.at < cutoff) this.#reservations.delete(this.#settled[settled++]!.reservationId);
    if (settled) this.#settled.splice(0, settled);
    for (const [accountId, entries] of this.#entries) {
      let old = 0;
      while (old < entries.length && Date.parse(entries[old]!.createdAt) < cutoff) old++;
      if (old === entries.length) this.#entries.delete(accountId);
      else if (old) entries.splice(0, old);
    }
  }

  async balance(accountId: string): Promise<number> {
    return this.#balances.get(accountId) ?? 0;
  }

  async topUp(accountId: string, amount: number, note?: string): Promise<CreditTransaction> {
    assertCredits(amount);
    return this.#record(accountId, 'TOP_UP', amount, { note });
  }

  async reserve(accountId: string, amount: number, reservationId: string, generationId?: string): Promise<ReserveResult> {
    assertCredits(amount);
    const existing = this.#reservations.get(reservationId);
    if (existing) return { ok: true, reservationId, balance: this.#balances.get(existing.accountId) ?? 0 };
    const balance = this.#balances.get(accountId) ?? 0;
    if (balance < amount) return { ok: false, balance };
    this.#reservations.set(reservationId, { accountId, amount, generationId, state: 'reserved', reservedAt: this.#now() });
    const entry = this.#record(accountId, 'RESERVE', -amount, { reservationId, generationId });
    return { ok: true, reservationId, balance: entry.balanceAfter };
  }

  async commit(reservationId: string, amount?: number): Promise<boolean> {
    const reservation = this.#reservations.get(reservationId);
    if (!reservation || reservation.state !== 'reserved') return false;
    const settled = Math.min(amount ?? reservation.amount, reservation.amount);
    assertCredits(settled);
    reservation.state = 'committed';
    this.#settle(reservationId);
    this.#record(reservation.accountId, 'COMMIT', reservation.amount - settled, {
      reservationId,
      generationId: reservation.generationId,
      note: `settled ${settled} of ${reservation.amount} reserved`,
    });
    return true;
  }

  async refund(reservationId: string, note?: string): Promise<boolean> {
    const reservation = this.#reservations.get(reservationId);
    if (!reservation || reservation.state !== 'reserved') return false;
    reservation.state = 'refunded';
    this.#settle(reservationId);
    this.#record(reservation.accountId, 'REFUND', reservation.amount, {
      reservationId,
      generationId: reservation.generationId,
      note,
    });
    return true;
  }

  async openReservations(limit: number): Promise<OpenReservation[]> {
    const open: OpenReservation[] = [];
    // Map order is insertion order: oldest first.
    for (const [reservationId, reservation] of this.#reservations) {
      if (reservation.state !== 'reserved') continue;
      open.push({
        reservationId,
        accountId: reservation.accountId,
        amount: reservation.amount,
        generationId: reservation.generationId ?? null,
        reservedAt: reservation.reservedAt,
      });
      if (open.length >= limit) break;
    }
    return open;
  }

  async transactions(accountId: string, page: { first: number; after?: string | null }): Promise<TransactionPage> {
    const entries = this.#entries.get(accountId) ?? [];
    return pageNewestFirst(entries, page);
  }

  #settle(reservationId: string): void {
    if (this.#retentionMilliseconds !== undefined) this.#settled.push({ reservationId, at: this.#now() });
  }

  #record(
    accountId: string,
    type: CreditTransactionType,
    amount: number,
    extra: { reservationId?: string; generationId?: string; note?: string | undefined },
  ): CreditTransaction {
    const balanceAfter = (this.#balances.get(accountId) ?? 0) + amount;
    this.#balances.set(accountId, balanceAfter);
    const entry: CreditTransaction = {
      id: `ctx_${randomToken(20)}`,
      accountId,
      type,
      amount,
      balanceAfter,
      createdAt: isoTime(this.#now()),
    };
    if (extra.reservationId) entry.reservationId = extra.reservationId;
    if (extra.generationId) entry.generationId = extra.generationId;
    if (extra.note) entry.note = extra.note;
    let list = this.#entries.get(accountId);
    if (!list) this.#entries.set(accountId, (list = []));
    list.push(entry);
    if (this.#retentionMilliseconds !== undefined && ++this.#recordsSincePrune >= 1_024) this.prune();
    return entry;
  }
}

/** Entries are appended oldest first; pages go newest first with the entry id as cursor. */
export function pageNewestFirst(entries: readonly CreditTransaction[], page: { first: number; after?: string | null }): TransactionPage {
  let end = entries.length;
  if (page.after) {
    const index = entries.findIndex((entry) => entry.id === page.after);
    end = index === -1 ? 0 : index;
  }
  const start = Math.max(0, end - page.first);
  const items = entries.slice(start, end).reverse();
  return { items, hasNextPage: start > 0, endCursor: items.at(-1)?.id ?? null };
}

function assertCredits(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`credits must be a non-negative integer, got ${amount}`);
}
