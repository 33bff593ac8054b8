import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { DoitongError } from '../errors';
import type { Clock } from './clock';
import type { Plan } from './plans';

export type RatePolicyName = 'minute' | 'day' | 'concurrent' | 'reads';

/** The state of one policy after a request, as the rate-limit headers report it. */
export interface RatePolicyState {
  policy: RatePolicyName;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (or, for `concurrent`, a typical wait for a slot). */
  resetSeconds: number;
  /** Window length in seconds, for `RateLimit-Policy`; absent for `concurrent`. */
  windowSeconds?: number;
  allowed: boolean;
}

/**
 * Builds a rate-limiter-flexible limiter: memory by default, Redis at scale. `keyPrefix` names the
 * window (`rl:<policy>:<limit>:<seconds>`); a shared store puts its own prefix before it.
 */
export type LimiterFactory = (options: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract;

export const memoryLimiterFactory: LimiterFactory = (options) => new RateLimiterMemory(options);

const minute = 60;
const day = 86_400;

/**
 * Fixed windows aligned to the clock (minute boundaries, UTC midnight). The window index is
 * part of the key, so counting follows the injected clock while rate-limiter-flexible keeps
 * its own expiry of old keys.
 */
export class RateLimits {
  readonly #limiters = new Map<string, RateLimiterAbstract>();
  readonly #factory: LimiterFactory;
  readonly #clock: Clock;

  constructor(options: { clock: Clock; limiterFactory?: LimiterFactory }) {
    this.#clock = options.clock;
    this.#factory = options.limiterFactory ?? memoryLimiterFactory;
  }

  /**
   * Counts one generation against the minute and day windows. When either refuses, the
   * other is given its point back: a refused generation consumes nothing.
   */
  async consumeGeneration(accountId: string, plan: Plan): Promise<{ allowed: boolean; states: RatePolicyState[] }> {
    const states = [await this.#consume('minute', accountId, plan.generationsPerMinute, minute)];
    if (plan.generationsPerDay !== null) states.push(await this.#consume('day', accountId, plan.generationsPerDay, day));
    const allowed = states.every((state) => state.allowed);
    if (!allowed) await this.refundGeneration(accountId, plan, states);
    return { allowed, states: allowed ? states : states.map((state) => (state.allowed ? { ...state, remaining: state.remaining + 1 } : state)) };
  }

  /** Gives back the points of a generation refused later (concurrency, credits) or by one window. */
  async refundGeneration(accountId: string, plan: Plan, states?: RatePolicyState[]): Promise<void> {
    const windows: Array<[RatePolicyName, number | null, number]> = [
      ['minute', plan.generationsPerMinute, minute],
      ['day', plan.generationsPerDay, day],
    ];
    for (const [policy, limit, seconds] of windows) {
      if (limit === null) continue;
      const state = states?.find((candidate) => candidate.policy === policy);
      if (states && (!state || !state.allowed)) continue;
      await this.#limiter(policy, limit, seconds)
        .reward(this.#key(accountId, seconds), 1)
        .catch((error: unknown) => {
          throw storeUnavailable(error);
        });
    }
  }

  async consumeRead(accountId: string, plan: Plan): Promise<RatePolicyState> {
    const state = await this.#consume('reads', accountId, plan.readsPerMinute, minute);
    return state;
  }

  /** The state of the generation windows without consuming, for headers on read requests. */
  async peekGeneration(accountId: string, plan: Plan): Promise<RatePolicyState[]> {
    const states = [await this.#peek('minute', accountId, plan.generationsPerMinute, minute)];
    if (plan.generationsPerDay !== null) states.push(await this.#peek('day', accountId, plan.generationsPerDay, day));
    return states;
  }

  async #consume(policy: RatePolicyName, accountId: string, limit: number, seconds: number): Promise<RatePolicyState> {
    const limiter = this.#limiter(policy, limit, seconds);
    let result: RateLimiterRes;
    let allowed = true;
    try {
      result = await limiter.consume(this.#key(accountId, seconds), 1);
    } catch (rejection) {
      // rate-limiter-flexible rejects with a RateLimiterRes when limited and with an Error when its store fails.
      if (!(rejection instanceof RateLimiterRes)) throw storeUnavailable(rejection);
      result = rejection;
      allowed = false;
    }
    return this.#state(policy, limit, seconds, Math.max(0, limit - result.consumedPoints), allowed);
  }

  async #peek(policy: RatePolicyName, accountId: string, limit: number, seconds: number): Promise<RatePolicyState> {
    const result = await this.#limiter(policy, limit, seconds)
      .get(this.#key(accountId, seconds))
      .catch((error: unknown) => {
        throw storeUnavailable(error);
      });
    const consumed = result?.consumedPoints ?? 0;
    return this.#state(policy, limit, seconds, Math.max(0, limit - consumed), consumed < limit);
  }

  #state(policy: RatePolicyName, limit: number, seconds: number, remaining: number, allowed: boolean): RatePolicyState {
    const windowMs = seconds * 1000;
    const now = this.#clock.now();
    const resetSeconds = Math.max(1, Math.ceil((windowMs - (now % windowMs)) / 1000));
    return { policy, limit, remaining, resetSeconds, windowSeconds: seconds, allowed };
  }

  #key(accountId: string, seconds: number): string {
    return `${accountId}:${Math.floor(this.#clock.now() / (seconds * 1000))}`;
  }

  #limiter(policy: RatePolicyName, limit: number, seconds: number): RateLimiterAbstract {
    const id = `${policy}:${limit}:${seconds}`;
    let limiter = this.#limiters.get(id);
    if (!limiter) {
      // The store keeps a key for two windows so a late reward still finds it.
      limiter = this.#factory({ keyPrefix: `rl:${id}`, points: limit, duration: seconds * 2 });
      this.#limiters.set(id, limiter);
    }
    return limiter;
  }
}

/** A limiter store that does not answer: the request fails fast with a code, not a 500. */
function storeUnavailable(cause: unknown): DoitongError {
  return new DoitongError('SERVICE_UNAVAILABLE', 'The rate-limit store is unavailable; retry shortly.', { cause });
}
