import type { KeyValueStore } from '../storage/key-value-store';
import { KeyLock, type Locks } from '../storage/key-lock';

/** A response as it was first sent, replayed byte for byte. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

interface IdempotencyRecord {
  state: 'in_flight' | 'done';
  fingerprint: string;
  response?: StoredResponse;
  createdAt: number;
}

export type ClaimOutcome =
  | { outcome: 'claimed' }
  | { outcome: 'in_flight' }
  | { outcome: 'mismatch' }
  | { outcome: 'replay'; response: StoredResponse };

/**
 * Idempotency records, scoped per account. `claim` is atomic: of any number of concurrent
 * requests with one key, exactly one is told `claimed`.
 */
export interface IdempotencyStore {
  claim(scope: string, key: string, fingerprint: string, inFlightTtlMilliseconds: number): Promise<ClaimOutcome>;
  complete(scope: string, key: string, fingerprint: string, response: StoredResponse, ttlMilliseconds: number): Promise<void>;
  /** Forgets a claim whose request was refused before execution, so a retry can succeed. */
  release(scope: string, key: string): Promise<void>;
}

/**
 * Records in any Keyv store. The claim's read-then-write runs under a per-key lock: a process
 * lock by default, a distributed one when several instances share the store.
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

  async claim(scope: string, key: string, fingerprint: string, inFlightTtlMilliseconds: number): Promise<ClaimOutcome> {
    const storeKey = recordKey(scope, key);
    const claim = (): IdempotencyRecord => ({ state: 'in_flight', fingerprint, createdAt: this.#now() });
    if (this.#store.update) {
      let found: IdempotencyRecord | undefined;
      await this.#store.update<IdempotencyRecord>(storeKey, (record) => {
        found = record;
        return record ? undefined : { value: claim(), ttlMilliseconds: inFlightTtlMilliseconds };
      });
      return outcomeOf(found, fingerprint);
    }
    return this.#lock.run(storeKey, async () => {
      const record = await this.#store.get<IdempotencyRecord>(storeKey);
      if (!record) await this.#store.set(storeKey, claim(), inFlightTtlMilliseconds);
      return outcomeOf(record, fingerprint);
    });
  }

  async complete(scope: string, key: string, fingerprint: string, response: StoredResponse, ttlMilliseconds: number) {
    const record: IdempotencyRecord = { state: 'done', fingerprint, response, createdAt: this.#now() };
    await this.#store.set(recordKey(scope, key), record, ttlMilliseconds);
  }

  async release(scope: string, key: string) {
    await this.#store.delete(recordKey(scope, key));
  }
}

/** What a claim found: nothing (so it claimed the key), or a record made by an earlier request. */
function outcomeOf(record: IdempotencyRecord | undefined, fingerprint: string): ClaimOutcome {
  if (!record) return { outcome: 'claimed' };
  if (record.fingerprint !== fingerprint) return { outcome: 'mismatch' };
  if (record.state === 'in_flight' || !record.response) return { outcome: 'in_flight' };
  return { outcome: 'replay', response: record.response };
}

function recordKey(scope: string, key: string): string {
  return `idempotency:${scope}:${key}`;
}
