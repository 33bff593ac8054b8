import type { Clock } from './clock';

/**
 * Generations in flight per account. A slot is held from acceptance until the generation
 * ends; a slot whose holder died (a crashed process) expires after `ttlMilliseconds`.
 */
export interface ConcurrencySlots {
  acquire(accountId: string, slotId: string, limit: number, ttlMilliseconds: number): Promise<{ acquired: boolean; active: number }>;
  release(accountId: string, slotId: string): Promise<void>;
  active(accountId: string): Promise<number>;
  /**
   * Slots held and not expired, at most `limit`: what the reconciler checks against their
   * generations. Optional for stores of your own; without it, lost slots only expire.
   */
  held?(limit: number): Promise<HeldSlot[]>;
}

export interface HeldSlot {
  accountId: string;
  slotId: string;
  /** When it expires on its own (milliseconds since the epoch). */
  expiresAt: number;
}

export class MemoryConcurrencySlots implements ConcurrencySlots {
  readonly #slots = new Map<string, Map<string, number>>();
  /** The soonest expiry per account, so expired slots are looked for only when one can have expired, not on every acquire. */
  readonly #soonest = new Map<string, number>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  async acquire(accountId: string, slotId: string, limit: number, ttlMilliseconds: number) {
    const slots = this.#live(accountId);
    if (slots.has(slotId)) return { acquired: true, active: slots.size };
    if (slots.size >= limit) return { acquired: false, active: slots.size };
    const expiresAt = this.#clock.now() + ttlMilliseconds;
    slots.set(slotId, expiresAt);
    if (expiresAt < (this.#soonest.get(accountId) ?? Infinity)) this.#soonest.set(accountId, expiresAt);
    return { acquired: true, active: slots.size };
  }

  async release(accountId: string, slotId: string) {
    const slots = this.#slots.get(accountId);
    slots?.delete(slotId);
    if (slots?.size === 0) {
      this.#slots.delete(accountId);
      this.#soonest.delete(accountId);
    }
  }

  async active(accountId: string) {
    return this.#live(accountId).size;
  }

  async held(limit: number): Promise<HeldSlot[]> {
    const held: HeldSlot[] = [];
    for (const accountId of [...this.#slots.keys()]) {
      for (const [slotId, expiresAt] of this.#live(accountId)) {
        held.push({ accountId, slotId, expiresAt });
        if (held.length >= limit) return held;
      }
    }
    return held;
  }

  #live(accountId: string): Map<string, number> {
    let slots = this.#slots.get(accountId);
    if (!slots) this.#slots.set(accountId, (slots = new Map()));
    const now = this.#clock.now();
    if ((this.#soonest.get(accountId) ?? Infinity) > now) return slots;
    let soonest = Infinity;
    for (const [slotId, expiresAt] of slots) {
      if (expiresAt <= now) slots.delete(slotId);
      else if (expiresAt < soonest) soonest = expiresAt;
    }
    this.#soonest.set(accountId, soonest);
    return slots;
  }
}
