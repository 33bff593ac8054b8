import type { KeyValueStore } from '../storage/key-value-store';
import { KeyLock, updateValue, type Locks } from '../storage/key-lock';
import { randomToken } from '../random-token';

/** A response as it was first sent, replayed byte for byte. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Why a request that ran has no response to replay. */
export type NotKeptReason = 'size' | 'budget' | 'secret';

interface IdempotencyRecord {
  state: 'in_flight' | 'done';
  fingerprint: string;
  /** The claim's own token: only the request holding it may renew, complete or release the claim. */
  token?: string;
  /** When an in-flight claim lapses unless renewed (milliseconds since the epoch). */
  leaseExpiresAt?: number;
  /**
   * Fixed when the key is first claimed and kept by a claim that takes over a lapsed one (its
   * request's instance died): what the request creates is named from it, so the retry finds it.
   */
  attempt?: string;
  response?: StoredResponse;
  /** Set on a finished request whose response was not kept. */
  notKept?: NotKeptReason;
  createdAt: number;
}

export type ClaimOutcome =
  /**
   * `attempt`: fixed at the key's first claim, what the request creates is named from it (a store
   * that leaves it out gets fresh names each time); `resumes`: the key's earlier claim lapsed
   * mid-request (its instance died), and this one carries on its attempt.
   */
  | { outcome: 'claimed'; token: string; attempt?: string; resumes?: boolean }
  | { outcome: 'in_flight' }
  | { outcome: 'mismatch' }
  | { outcome: 'replay'; response: StoredResponse }
  /** The request with this key ran, but its response was not kept (too large, over the account's budget, or it held a one-time secret). */
  | { outcome: 'not_kept'; reason: NotKeptReason; completedAt: number };

/** The final state of a claimed key: a response to replay, or the reason none was kept. */
export type IdempotencyResult = { response: StoredResponse } | { notKept: NotKeptReason };

/**
 * Idempotency records, scoped per account. `claim` is atomic: of any number of concurrent
 * requests with one key, exactly one is told `claimed`, with a token. The claim is a lease: it
 * lapses `leaseMilliseconds` after it was taken or last renewed, so a retry after the claiming
 * instance died proceeds within seconds instead of waiting for the key to expire. The request
 * holding the claim renews it while it runs; a lapsed claim can be taken by the next request,
 * and from then on the old token renews, completes and releases nothing.
 */
export interface IdempotencyStore {
  claim(scope: string, key: string, fingerprint: string, leaseMilliseconds: number): Promise<ClaimOutcome>;
  /** Extends a claim still held by `token`; false when it lapsed or was taken over. */
  renew(scope: string, key: string, token: string, leaseMilliseconds: number): Promise<boolean>;
  /** Records the key's final answer, if `token` still holds the claim; false otherwise (nothing is written). */
  complete(scope: string, key: string, token: string, fingerprint: string, result: IdempotencyResult, ttlMilliseconds: number): Promise<boolean>;
  /** Forgets a claim whose request had no effect (refused, or failed retryably), so a retry runs it again. */
  release(scope: string, key: string, token: string): Promise<void>;
}

/**
 * Records in any key-value store. Each step is a read-then-write on one record: an atomic
 * `update` where the store has one, otherwise a per-key lock around get and set (a process lock
 * by default, a distributed one when several instances share the store).
 */
export class KeyValueIdempotencyStore implements IdempotencyStore {
  readonly #store: KeyValueStore;
  readonly #lock: Locks;
  readonly #now: () => number;

  constructor(store: KeyValueStore, now: () => number = Date.now, locks: Locks = new KeyLock()) {
    this.#store = store;
    this.#now = now;
    this.#lock = locks;
  }

  async claim(scope: string, key: string, fingerprint: string, leaseMilliseconds: number): Promise<ClaimOutcome> {
    const token = randomToken(16);
    let found: IdempotencyRecord | undefined;
    let attempt = token;
    let resumes = false;
    await updateValue<IdempotencyRecord>(this.#store, this.#lock, recordKey(scope, key), (record) => {
      found = live(record, this.#now());
      if (found) return undefined;
      // A claim that lapsed while its request ran (a released one has no token left: it changed
      // nothing) passes its attempt on, when the request was the same.
      resumes = record?.state === 'in_flight' && Boolean(record.token) && record.attempt !== undefined && record.fingerprint === fingerprint;
      attempt = resumes ? record!.attempt! : token;
      return {
        value: { state: 'in_flight', fingerprint, token, attempt, leaseExpiresAt: this.#now() + leaseMilliseconds, createdAt: this.#now() },
        ttlMilliseconds: leaseMilliseconds + lapsedClaimKeptMilliseconds,
      };
    });
    if (!found) return { outcome: 'claimed', token, attempt, resumes };
    if (found.fingerprint !== fingerprint) return { outcome: 'mismatch' };
    if (found.state === 'in_flight') return { outcome: 'in_flight' };
    if (found.response) return { outcome: 'replay', response: found.response };
    return { outcome: 'not_kept', reason: found.notKept ?? 'size', completedAt: found.createdAt };
  }

  async renew(scope: string, key: string, token: string, leaseMilliseconds: number): Promise<boolean> {
    let renewed = false;
    await updateValue<IdempotencyRecord>(this.#store, this.#lock, recordKey(scope, key), (record) => {
      renewed = held(record, token, this.#now());
      return renewed
        ? { value: { ...record!, leaseExpiresAt: this.#now() + leaseMilliseconds }, ttlMilliseconds: leaseMilliseconds + lapsedClaimKeptMilliseconds }
        : undefined;
    });
    return renewed;
  }

  async complete(scope: string, key: string, token: string, fingerprint: string, result: IdempotencyResult, ttlMilliseconds: number): Promise<boolean> {
    let completed = false;
    await updateValue<IdempotencyRecord>(this.#store, this.#lock, recordKey(scope, key), (record) => {
      // Still ours, even if the lease lapsed while nobody took the key over (or the record expired).
      completed = !record || (record.state === 'in_flight' && record.token === token);
      if (!completed) return undefined;
      const value: IdempotencyRecord = { state: 'done', fingerprint, createdAt: this.#now() };
      if ('response' in result) value.response = result.response;
      else value.notKept = result.notKept;
      return { value, ttlMilliseconds };
    });
    return completed;
  }

  async release(scope: string, key: string, token: string): Promise<void> {
    const storeKey = recordKey(scope, key);
    const ours = (record: IdempotencyRecord | undefined) => record?.state === 'in_flight' && record.token === token;
    if (this.#store.update) {
      // An atomic update cannot delete: the claim is turned into one that has already lapsed,
      // which the next claim treats as absent, and which the store drops a moment later.
      await this.#store.update<IdempotencyRecord>(storeKey, (record) =>
        ours(record) ? { value: { ...record!, token: '', leaseExpiresAt: 0 }, ttlMilliseconds: releasedTtlMilliseconds } : undefined,
      );
      return;
    }
    await this.#lock.run(storeKey, async () => {
      if (ours(await this.#store.get<IdempotencyRecord>(storeKey))) await this.#store.delete(storeKey);
    });
  }
}

/**
 * How long a claim whose lease lapsed is kept (as if absent to everything but the next claim), so a
 * retry after its instance died can carry on its attempt.
 */
const lapsedClaimKeptMilliseconds = 15 * 60_000;

/** How long a released claim's lapsed record stays before the store drops it. */
const releasedTtlMilliseconds = 1_000;

/** The record if it still counts: a finished one, or a claim whose lease has not lapsed. */
function live(record: IdempotencyRecord | undefined, now: number): IdempotencyRecord | undefined {
  if (!record) return undefined;
  if (record.state === 'in_flight' && record.leaseExpiresAt !== undefined && record.leaseExpiresAt <= now) return undefined;
  return record;
}

function held(record: IdempotencyRecord | undefined, token: string, now: number): boolean {
  return record?.state === 'in_flight' && record.token === token && live(record, now) !== undefined;
}

function recordKey(scope: string, key: string): string {
  return `idempotency:${scope}:${key}`;
}

/**
 * Bytes of stored responses per account, counted in windows as long as the records live: a record
 * written in one window has expired by the end of the next, so an account holds at most twice its
 * budget at any time, however many keys it sends.
 */
export class IdempotencyBudget {
  readonly #store: KeyValueStore;
  readonly #lock: Locks;
  readonly #now: () => number;

  constructor(store: KeyValueStore, now: () => number = Date.now, locks: Locks = new KeyLock()) {
    this.#store = store;
    this.#now = now;
    this.#lock = locks;
  }

  /** Counts `bytes` against the account's budget for this window; false (nothing counted) when they do not fit. */
  async charge(scope: string, bytes: number, budgetBytes: number, windowMilliseconds: number): Promise<boolean> {
    const window = Math.floor(this.#now() / windowMilliseconds);
    // The "b" names the counter's second layout (Redis keeps it as a bare integer, added to with INCRBY):
    // instances of an earlier version, during a rolling upgrade, keep counting under the first one's keys.
    const key = `idempotency-bytes:${scope}:b${window}`;
    // Every request of the account counts here: a store's atomic addition never retries.
    if (this.#store.addWithin) return this.#store.addWithin(key, bytes, budgetBytes, 2 * windowMilliseconds);
    let fits = false;
    const change = (used: number | undefined) => {
      fits = (used ?? 0) + bytes <= budgetBytes;
      return fits ? { value: (used ?? 0) + bytes, ttlMilliseconds: 2 * windowMilliseconds } : undefined;
    };
    await updateValue(this.#store, this.#lock, key, change);
    return fits;
  }
}
