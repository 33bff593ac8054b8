import type EventEmitter from 'eventemitter3';
import type { DoitongEvents } from '../engine/events';

type Outcome = 'created' | 'completed' | 'failed' | 'cancelled';
const outcomes: readonly Outcome[] = ['created', 'completed', 'failed', 'cancelled'];
const minutesKept = 60;

/** How many generations were created and ended, over the last `minutes`. */
export interface ActivityRate {
  minutes: number;
  created: number;
  completed: number;
  failed: number;
  cancelled: number;
}

/**
 * Counts this instance's generation events in one-minute buckets over the last hour, for the
 * operators' view of rates. A ring of sixty small counters: nothing per generation is kept.
 */
export class Activity {
  readonly #buckets = Array.from({ length: minutesKept }, () => ({ minute: -1, created: 0, completed: 0, failed: 0, cancelled: 0 }));
  readonly #now: () => number;
  readonly #detach: () => void;

  constructor(events: EventEmitter<DoitongEvents>, now: () => number) {
    this.#now = now;
    const listeners = outcomes.map((outcome) => [`generation.${outcome}` as const, () => this.#count(outcome)] as const);
    for (const [event, listener] of listeners) events.on(event, listener);
    this.#detach = () => {
      for (const [event, listener] of listeners) events.off(event, listener);
    };
  }

  /** Totals over the last `minutes` (1 to 60), the current minute included. */
  rate(minutes: number): ActivityRate {
    const span = Math.min(minutesKept, Math.max(1, Math.floor(minutes)));
    const current = Math.floor(this.#now() / 60_000);
    const rate: ActivityRate = { minutes: span, created: 0, completed: 0, failed: 0, cancelled: 0 };
    for (const bucket of this.#buckets) {
      if (bucket.minute < 0 || current - bucket.minute >= span) continue;
      for (const outcome of outcomes) rate[outcome] += bucket[outcome];
    }
    return rate;
  }

  close(): void {
    this.#detach();
  }

  #count(outcome: Outcome): void {
    const minute = Math.floor(this.#now() / 60_000);
    const bucket = this.#buckets[minute % minutesKept]!;
    if (bucket.minute !== minute) Object.assign(bucket, { minute, created: 0, completed: 0, failed: 0, cancelled: 0 });
    bucket[outcome]++;
  }
}
