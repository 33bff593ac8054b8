/**
 * Bounds how many attempts run at once, overall and per key (endpoint), inside one process.
 * Waiters are served in order; `close` turns away every waiter so shutdown never hangs on one.
 */
export class Semaphore {
  readonly #limit: number;
  #active = 0;
  readonly #waiting: Array<{ grant: () => void; refuse: (error: Error) => void }> = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  get idle(): boolean {
    return this.#active === 0 && this.#waiting.length === 0;
  }

  /** Resolves with the function that gives the slot back, once one is free. */
  acquire(): Promise<() => void> {
    if (this.#active < this.#limit) {
      this.#active++;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => this.#waiting.push({ grant: () => resolve(this.#releaser()), refuse: reject }));
  }

  /** Refuses every waiter (with `error`); slots already granted are given back as usual. */
  refuseWaiting(error: Error): void {
    for (const waiter of this.#waiting.splice(0)) waiter.refuse(error);
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next.grant();
      else this.#active--;
    };
  }
}

/** One semaphore per key, created on demand and dropped when idle. */
export class KeyedSemaphore {
  readonly #limit: number;
  readonly #semaphores = new Map<string, Semaphore>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  async acquire(key: string): Promise<() => void> {
    let semaphore = this.#semaphores.get(key);
    if (!semaphore) this.#semaphores.set(key, (semaphore = new Semaphore(this.#limit)));
    const release = await semaphore.acquire();
    return () => {
      release();
      if (semaphore.idle && this.#semaphores.get(key) === semaphore) this.#semaphores.delete(key);
    };
  }

  refuseWaiting(error: Error): void {
    for (const semaphore of this.#semaphores.values()) semaphore.refuseWaiting(error);
    this.#semaphores.clear();
  }
}
