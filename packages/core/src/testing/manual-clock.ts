import type { Clock } from '@doitong/core';

export interface ManualClock extends Clock {
  advance(milliseconds: number): number;
  set(value: number): number;
}

/** A clock tests move by hand, for rate-limit windows, link expiry and daily caps. */
export function manualClock(start = Date.UTC(2026, 10, 23, 12, 0, 0)): ManualClock {
  let time = start;
  return { now: () => time, advance: (milliseconds) => (time += milliseconds), set: (value) => (time = value) };
}
