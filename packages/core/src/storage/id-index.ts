import type { KeyValueStore } from './key-value-store';
import { KeyLock, type Locks } from './key-lock';

/** A filtered page reads at most this many entries, so a rare filter cannot scan a whole history. */
const scanLimit = 2_000;

export interface IdPage<Item> {
  items: Item[];
  hasNextPage: boolean;
  endCursor: string | null;
}

/**
 * An append-only list of ids in a key-value store, read newest first. Each entry is its own key
 * under the list's name (`<name>:<position>`) beside a count, so appending writes two small values
 * whatever the length, and a page reads its entries in one `getMany`. Cursors are positions
 * (opaque base64url to callers).
 */
export class IdIndex {
  readonly #store: KeyValueStore;
  readonly #lock: Locks;

  constructor(store: KeyValueStore, locks: Locks = new KeyLock()) {
    this.#store = store;
    this.#lock = locks;
  }

  append(name: string, id: string): Promise<void> {
    return this.#lock.run(name, async () => {
      const count = (await this.#store.get<number>(`${name}:count`)) ?? 0;
      await this.#store.set(`${name}:${count}`, id);
      await this.#store.set(`${name}:count`, count + 1);
    });
  }

  /** Newest first; `load` reads the records of a batch of ids, `matches` filters them. */
  async page<Item>(
    name: string,
    page: { first: number; after?: string | null },
    load: (ids: string[]) => Promise<Array<Item | undefined>>,
    matches: (item: Item) => boolean = () => true,
  ): Promise<IdPage<Item>> {
    const count = (await this.#store.get<number>(`${name}:count`)) ?? 0;
    let position = page.after ? Math.min(decodeCursor(page.after), count) : count;
    const items: Item[] = [];
    let scanned = 0;
    while (position > 0 && items.length < page.first && scanned < scanLimit) {
      const batch = Math.min(position, Math.max(page.first - items.length, 16));
      const positions = Array.from({ length: batch }, (_, index) => position - 1 - index);
      const ids = await this.#store.getMany<string>(positions.map((entry) => `${name}:${entry}`));
      const records = await load(ids.filter((id): id is string => id !== undefined));
      let recordIndex = 0;
      for (const id of ids) {
        const record = id === undefined ? undefined : records[recordIndex++];
        position--;
        scanned++;
        if (record !== undefined && matches(record)) items.push(record);
        if (items.length === page.first) break;
      }
    }
    return { items, hasNextPage: position > 0, endCursor: items.length || position > 0 ? encodeCursor(position) : null };
  }
}

function encodeCursor(position: number): string {
  return Buffer.from(`p:${position}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString();
  const position = Number(text.slice(2));
  return text.startsWith('p:') && Number.isSafeInteger(position) && position >= 0 ? position : 0;
}
