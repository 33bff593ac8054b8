import type { KeyValueStore } from '../storage/key-value-store';
import { KeyLock, updateValue, type Locks } from '../storage/key-lock';
import type { GenerationType } from '../providers/generation-type';
import { terminalStatuses, type Generation, type GenerationStatus } from './generation';

const chunkSize = 128;
/** A filtered page reads at most this many records, so a rare filter cannot scan a whole history. */
const scanLimit = 2_000;

export interface GenerationFilter {
  status?: GenerationStatus | null;
  type?: GenerationType | null;
}

export interface GenerationPage {
  items: Generation[];
  hasNextPage: boolean;
  endCursor: string | null;
}

/**
 * Generations and a per-account index, newest first, in any key-value store. The index is
 * a sequence of fixed-size chunks of ids, so appending writes one small chunk and paging
 * reads only the chunks it needs.
 */
/**
 * An index chunk outlives the retention by this much after its last append, so the generations
 * it lists can still run (a job ends by its provider's `maxJobTime`, 900 s by default, plus the
 * engine's slack) and then be kept for the whole retention.
 */
export const indexRetentionMarginMilliseconds = 1_020_000;

export interface GenerationStoreOptions {
  /**
   * Keep a finished generation this long after it ended, then let the store drop it (a TTL on
   * the record, and on the index chunks that list it). Running generations are never dropped.
   * Forever when left out.
   */
  retentionMilliseconds?: number;
}

export class GenerationStore {
  readonly #store: KeyValueStore;
  readonly #lock: Locks;
  readonly #retention: number | undefined;
  readonly #pendingAppends = new Map<string, { ids: string[]; written: Promise<void> }>();

  constructor(store: KeyValueStore, locks: Locks = new KeyLock(), options: GenerationStoreOptions = {}) {
    this.#store = store;
    this.#lock = locks;
    this.#retention = options.retentionMilliseconds;
  }

  get(id: string): Promise<Generation | undefined> {
    return this.#store.get<Generation>(generationKey(id));
  }

  /**
   * The copy of the record this process last read or wrote, when its store keeps one (the Redis
   * store does), without a round trip; possibly out of date. A step may start from it only when its
   * next write is an `update` whose change checks what the step relied on: that write starts from
   * the same copy and, should the record have moved on, runs the change on the current record instead.
   */
  recent(id: string): Generation | undefined {
    return this.#store.recent?.<Generation>(generationKey(id));
  }

  /**
   * Stores a new generation and lists it in its account's index; resolves once both are written,
   * so a listing right after sees it.
   */
  async create(generation: Generation): Promise<void> {
    await this.#store.set(generationKey(generation.id), generation);
    await this.#appendToIndex(generation.accountId, generation.id);
  }

  /**
   * Appends are batched per account for one turn of the event loop: one lock, one read and one
   * write of the chunk and of the count for all the generations an account created meanwhile,
   * instead of each (with a shared store, that is a round trip per step saved per generation).
   */
  #appendToIndex(accountId: string, id: string): Promise<void> {
    let batch = this.#pendingAppends.get(accountId);
    if (!batch) {
      const ids: string[] = [];
      const written = new Promise<void>((resolve, reject) => {
        setImmediate(() => {
          this.#pendingAppends.delete(accountId);
          // A store that appends atomically (one script on Redis) needs no lock around it.
          const appended = this.#store.appendToChunks
            ? this.#store.appendToChunks(indexKey(accountId), ids, chunkSize, this.#indexTtl())
            : this.#lock.run(indexKey(accountId), () => this.#append(accountId, ids));
          appended.then(resolve, reject);
        });
      });
      batch = { ids, written };
      this.#pendingAppends.set(accountId, batch);
    }
    batch.ids.push(id);
    return batch.written;
  }

  async #append(accountId: string, ids: readonly string[]): Promise<void> {
    let count = (await this.#store.get<number>(countKey(accountId))) ?? 0;
    const ttl = this.#indexTtl();
    let next = 0;
    while (next < ids.length) {
      const chunkIndex = Math.floor(count / chunkSize);
      const room = chunkSize - (count % chunkSize);
      const added = ids.slice(next, next + room);
      // Values read from a store may be shared and frozen (the memory store's are): extend a copy.
      const stored = count % chunkSize === 0 ? [] : ((await this.#store.get<string[]>(chunkKey(accountId, chunkIndex))) ?? []);
      await this.#store.set(chunkKey(accountId, chunkIndex), [...stored, ...added], ttl);
      count += added.length;
      next += added.length;
    }
    await this.#store.set(countKey(accountId), count);
  }

  #indexTtl(): number | undefined {
    return this.#retention === undefined ? undefined : this.#retention + indexRetentionMarginMilliseconds;
  }

  /**
   * Applies `change` to the stored record under a per-generation lock and saves the result;
   * `change` returns undefined to leave the record as it is.
   */
  update(id: string, change: (current: Generation) => Generation | undefined): Promise<Generation | undefined> {
    const key = generationKey(id);
    // A finished generation is kept for the retention from the moment it ended (each later write restarts it).
    const ttlOf = (next: Generation) => (this.#retention !== undefined && terminalStatuses.has(next.status) ? this.#retention : undefined);
    return updateValue<Generation>(this.#store, this.#lock, key, (current) => {
      const next = current && change(current);
      return next && { value: next, ttlMilliseconds: ttlOf(next) };
    });
  }

  async list(accountId: string, page: { first: number; after?: string | null }, filter: GenerationFilter = {}): Promise<GenerationPage> {
    const count = (await this.#store.get<number>(countKey(accountId))) ?? 0;
    let position = page.after ? decodeCursor(page.after) : count;
    const items: Generation[] = [];
    let scanned = 0;
    let chunkIndex = -1;
    let chunk: string[] = [];
    while (position > 0 && items.length < page.first && scanned < scanLimit) {
      const wanted = Math.floor((position - 1) / chunkSize);
      if (wanted !== chunkIndex) {
        chunkIndex = wanted;
        chunk = (await this.#store.get<string[]>(chunkKey(accountId, chunkIndex))) ?? [];
        if (chunk.length === 0) {
          // Expired with the generations it listed (retention): nothing older than it is left to list either.
          position = 0;
          break;
        }
      }
      // Read the rest of this chunk (newest first) in one round trip.
      const offset = (position - 1) % chunkSize;
      const ids = chunk.slice(Math.max(0, offset + 1 - (page.first - items.length) * (filter.status || filter.type ? 4 : 1)), offset + 1).reverse();
      const records = await this.#store.getMany<Generation>(ids.map(generationKey));
      for (const record of records) {
        position--;
        scanned++;
        if (record && matches(record, filter)) items.push(record);
        if (items.length === page.first) break;
      }
    }
    return { items, hasNextPage: position > 0, endCursor: items.length || position > 0 ? encodeCursor(position) : null };
  }
}

function matches(generation: Generation, filter: GenerationFilter): boolean {
  return (!filter.status || generation.status === filter.status) && (!filter.type || generation.type === filter.type);
}

const generationKey = (id: string) => `generation:${id}`;
const indexKey = (accountId: string) => `account:${accountId}:generations`;
const countKey = (accountId: string) => `account:${accountId}:generations:count`;
const chunkKey = (accountId: string, index: number) => `account:${accountId}:generations:${index}`;

/** Cursors are opaque to callers: the position in the account's index, base64url. */
export function encodeCursor(position: number): string {
  return Buffer.from(`p:${position}`).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString();
  const position = Number(text.slice(2));
  return text.startsWith('p:') && Number.isSafeInteger(position) && position >= 0 ? position : 0;
}
