/**
 * Moving a generation to its next allowed provider after a proven failure. It is its own step
 * because it re-prices: the fallback's price is reserved and the old reservation released, so the
 * account is only ever charged for the provider that serves.
 */
import { enqueueJob, jobNames, submitKey } from '../jobs';
import { terminalStatuses, type Generation, type GenerationError } from '../generation';
import { closeAttempt } from './close-attempt';
import { finish } from './finish';
import { forget, isoNow, type WorkerState } from './worker-state';

/**
 * Moves a generation to its next allowed provider after a proven pre-acceptance failure or a
 * verified terminal provider failure, re-priced for that provider. Returns false when no fallback
 * is left (the caller then fails the generation).
 */
export async function fallBack(
  state: WorkerState,
  generation: Generation,
  failure: GenerationError,
  outcome: 'rejected' | 'failed',
  startedAt?: string,
): Promise<boolean> {
  const { router, ledger, generations, queue, logger } = state.dependencies;
  const remaining = [...(generation.fallbacks ?? [])];
  const skipped: string[] = [];
  while (remaining.length > 0) {
    const next = remaining.shift()!;
    const route = router.routeTo(
      {
        type: generation.type,
        provider: next,
        input: generation.input,
        options: generation.requestedOptions ?? generation.options,
        priority: generation.priority,
        mode: generation.livemode ? 'live' : 'test',
        generationId: generation.id,
        accountId: generation.accountId,
      },
      next,
    );
    if ('problem' in route) {
      skipped.push(`${next} (${route.problem})`);
      continue;
    }
    const now = isoNow(state);
    const reservationId = `res_${generation.id}_${generation.attempts.length + 1}`;
    let reservation = await ledger.reserve(generation.accountId, route.quote.creditCost, reservationId, generation.id);
    if (!reservation.ok) {
      // The old reservation may be what stands in the way: release it, then try once more.
      await ledger.refund(generation.reservationId, `fallback from ${generation.provider}`);
      reservation = await ledger.reserve(generation.accountId, route.quote.creditCost, reservationId, generation.id);
      if (!reservation.ok) {
        await finish(
          state,
          generation.id,
          'FAILED',
          {
            error: {
              code: 'INSUFFICIENT_CREDITS',
              message: `${generation.provider} failed (${failure.message}); the fallback ${next} costs ${route.quote.creditCost} credits and the balance is ${reservation.balance}. Nothing was charged.`,
            },
            attemptOutcome: outcome,
            attempt: generation.reservationId,
          },
          startedAt,
        );
        return true;
      }
    } else {
      await ledger.refund(generation.reservationId, `re-priced for fallback ${next}`);
    }
    let latest = undefined as Generation | undefined;
    const moved = await generations.update(generation.id, (current) => {
      latest = current;
      // Only from the attempt this run saw: another run of this generation (a provider's callback
      // poll beside the scheduled one) may have moved it on already.
      if (terminalStatuses.has(current.status) || current.reservationId !== generation.reservationId) return undefined;
      return {
        ...current,
        status: 'PENDING',
        provider: route.adapter.id,
        model: route.request.model ?? null,
        options: route.request.options,
        creditCost: route.quote.creditCost,
        estimatedTime: Math.round(route.quote.estimatedTime),
        livemode: route.adapter.livemode,
        reservationId,
        providerJob: null,
        submittingSince: null,
        progress: 0,
        startedAt: null,
        fallbacks: remaining,
        attempts: closeAttempt(current, { endedAt: now, outcome, error: failure }, startedAt),
        routing: current.routing
          ? {
              ...current.routing,
              provider: route.adapter.id,
              reason: `${current.routing.reason}; fell back to ${route.adapter.id} after ${current.provider} failed (${failure.code})${skipped.length ? `, skipping ${skipped.join(', ')}` : ''}`,
            }
          : current.routing,
        updatedAt: now,
      };
    });
    if (!moved) {
      // Cancelled meanwhile (the cancel settled the old reservation): give back the new one, unless
      // another run moved the generation to this very reservation first and holds it.
      if (latest?.reservationId !== reservationId) await ledger.refund(reservationId, 'cancelled during fallback');
      return true;
    }
    forget(state, generation.id);
    logger.info?.({ generationId: generation.id, from: generation.provider, to: route.adapter.id }, 'falling back to another provider');
    await enqueueJob(queue, jobNames.submit, { id: generation.id }, { key: submitKey({ reservationId }) });
    return true;
  }
  return false;
}
