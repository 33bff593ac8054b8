/** The one source of time for policies and the engine, injectable so tests never wait. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
