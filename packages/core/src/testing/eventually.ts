/** How long `eventually` keeps reading, and how often. */
export interface EventuallyOptions {
  /** Gives up after this long (default 10 s: a saturated machine runs several suites at once). */
  timeoutMilliseconds?: number;
  /** The pause between two reads (default 5 ms; slower for reads that cost a round trip or a rate limit). */
  intervalMilliseconds?: number;
  /** What is waited for, named in the error when it does not come. */
  what?: string;
}

/**
 * Resolves with the first value read that satisfies `done`, reading again until the deadline; a
 * number as the third argument is the timeout. This is the one way tests wait for something the
 * system does on its own timers: for a positive signal, never for a fixed time.
 */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, options: number | EventuallyOptions = {}): Promise<T> {
  const {
    timeoutMilliseconds = 10_000,
    intervalMilliseconds = 5,
    what = 'condition',
  } = typeof options === 'number' ? { timeoutMilliseconds: options } : options;
  const deadline = Date.now() + timeoutMilliseconds;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMilliseconds} ms; last value: ${JSON.stringify(value)?.slice(0, 2_000)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMilliseconds));
  }
}
