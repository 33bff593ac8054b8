/** The one source of time for policies and the engine, injectable so tests never wait. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

let lastMilliseconds = NaN;
let lastText = '';

/**
 * `new Date(milliseconds).toISOString()`, remembered for the last millisecond asked: a generation
 * stamps several times (created, started, ended, ledger entries) and under load many of those fall
 * in the same millisecond.
 */
export function isoTime(milliseconds: number): string {
  if (milliseconds !== lastMilliseconds) {
    lastText = new Date(milliseconds).toISOString();
    lastMilliseconds = milliseconds;
  }
  return lastText;
}
