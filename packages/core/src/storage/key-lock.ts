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
  readonly #tails = new Map<string, Promise<void>>();

  async run<Result>(key: string, work: () => Promise<Result>): Promise<Result> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    this.#tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}
