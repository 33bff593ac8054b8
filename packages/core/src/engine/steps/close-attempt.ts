/**
 * Ends a generation's attempt at the provider now serving it. A generation ends its attempt when it
 * reaches a final state and when it falls back to another provider; both record it the same way.
 */
import type { Generation, GenerationError, ProviderAttempt } from '../generation';

export type AttemptOutcome = NonNullable<ProviderAttempt['outcome']>;

/**
 * The attempts with the serving provider's open one ended, or with a new ended one when the
 * attempt ended before one was recorded (the create call failed, or answered with the result).
 * After a fallback the earlier attempts are already closed, so only the last one is looked at.
 */
export function closeAttempt(
  generation: Generation,
  ending: { endedAt: string; outcome: AttemptOutcome; error?: GenerationError },
  startedAt?: string,
): ProviderAttempt[] {
  const ended = { endedAt: ending.endedAt, outcome: ending.outcome, errorCode: ending.error?.code ?? null, message: ending.error?.message ?? null };
  const last = generation.attempts.at(-1);
  if (last && last.provider === generation.provider && last.endedAt === null) return [...generation.attempts.slice(0, -1), { ...last, ...ended }];
  return [...generation.attempts, { provider: generation.provider, creditCost: generation.creditCost, startedAt: startedAt ?? ending.endedAt, ...ended }];
}
