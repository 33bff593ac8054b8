import type { KeyValueStore, StoreChange } from './key-value-store';

/**
 * Mutual exclusion per key, for the read-then-write steps on the shared store that must not
 * interleave (a generation's state changes, per-account indexes, idempotency claims).
 * In one process `KeyLock` is enough; several instances share a distributed implementation
 * (for example one on Redis) so the same steps stay exclusive across all of them.
 */
export interface Locks {
  run<Result>(key: string, work: () => Promise<Result>): Promise<Result>;
}

/** Serialises async work per key inside one process. */
export class KeyLock implements Locks {
  /**
   * The callers waiting per held key, first in first out. An uncontended run allocates one empty
   * array and no promise of its own: the lock is taken on every generation record update.
   */
  readonly #waiting = new Map<string, Array<() => void>>();

  async run<Result>(key: string, work: () => Promise<Result>): Promise<Result> {
    let queue = this.#waiting.get(key);
    if (queue) await new Promise<void>((resolve) => queue!.push(resolve));
    else this.#waiting.set(key, (queue = []));
    try {
      return await work();
    } finally {
      // Hand the lock to the next caller, or free the key.
      const next = queue.shift();
      if (next) next();
      else this.#waiting.delete(key);
    }
  }
}

/**
 * A read-then-write of one value as one step: the store's atomic `update` where it has one,
 * otherwise `change` on a `get` and a `set` of what it returns, under `locks`' lock for the key.
 * Resolves with the value stored, or undefined when `change` left it as it was. As with `update`,
 * `change` must be a pure function of its argument (a store may run it again on a newer value).
 */
export function updateValue<Value>(
  store: KeyValueStore,
  locks: Locks,
  key: string,
  change: (current: Value | undefined) => StoreChange<Value> | undefined,
): Promise<Value | undefined> {
  if (store.update) return store.update<Value>(key, change);
  return locks.run(key, async () => {
    const next = change(await store.get<Value>(key));
    if (!next) return undefined;
    await store.set(key, next.value, next.ttlMilliseconds);
    return next.value;
  });
}
