interface Entry {
  at: number;
  sequence: number;
  run: () => void;
}

/**
 * One timer for every delayed job in the process. Entries wait in a binary min-heap and a
 * single setTimeout is armed for the earliest, so ten thousand waiting polls cost ten
 * thousand small objects, not ten thousand timers.
 */
export class Scheduler {
  readonly #heap: Entry[] = [];
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #armedAt = Infinity;
  #sequence = 0;
  #closed = false;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  get size(): number {
    return this.#heap.length;
  }

  /** Runs `run` after `delayMilliseconds` (0 runs on the next turn of the timer). */
  schedule(delayMilliseconds: number, run: () => void): void {
    if (this.#closed) return;
    this.#push({ at: this.#now() + Math.max(0, delayMilliseconds), sequence: this.#sequence++, run });
    this.#arm();
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#heap.length = 0;
  }

  #arm(): void {
    const first = this.#heap[0];
    if (!first || first.at >= this.#armedAt) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#armedAt = first.at;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, first.at - this.#now()));
  }

  #fire(): void {
    this.#timer = undefined;
    this.#armedAt = Infinity;
    const now = this.#now();
    // Bounded batch per tick so a burst of due jobs cannot starve the event loop.
    for (let count = 0; count < 5_000; count++) {
      const first = this.#heap[0];
      if (!first || first.at > now) break;
      this.#pop();
      first.run();
    }
    this.#arm();
  }

  #push(entry: Entry): void {
    const heap = this.#heap;
    heap.push(entry);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(heap[index]!, heap[parent]!)) break;
      [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
      index = parent;
    }
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === index) return;
      [heap[index], heap[smallest]] = [heap[smallest]!, heap[index]!];
      index = smallest;
    }
  }
}

function before(left: Entry, right: Entry): boolean {
  return left.at < right.at || (left.at === right.at && left.sequence < right.sequence);
}
