/**
 * The write that moves a generation to its final state, exactly once whichever step gets there
 * (a status answer, a timeout, a refused or unknown submission, a failed fallback); what follows
 * the write (settlement, notification) is the ending, in `settle.ts`.
 */
import type { ProviderJob } from '../../providers/provider-job';
import { terminalStatuses, type Generation, type GenerationError } from '../generation';
import { closeAttempt, type AttemptOutcome } from './close-attempt';
import { completeEnding } from './settle';
import { forget, isoNow, type WorkerState } from './worker-state';

export interface Outcome {
  error?: GenerationError;
  assetKey?: string;
  externalUrl?: string;
  metadata?: Generation['metadata'];
  attemptOutcome: AttemptOutcome;
  /** The provider's job, when it ended in the call that started it and was never saved as PROCESSING. */
  providerJob?: ProviderJob['handle'];
  /**
   * The attempt (its reservation id) this outcome is about: written only while the generation is
   * still on that attempt, so an answer about a provider's job that another run has since moved
   * away from (a fallback) cannot end the attempt that replaced it.
   */
  attempt?: string;
}

/**
 * Moves a generation to a final state exactly once, then settles its credits, frees its
 * concurrency slot and tells listeners. A second call for the same generation does nothing.
 */
export async function finish(
  state: WorkerState,
  id: string,
  status: 'COMPLETED' | 'FAILED' | 'CANCELLED',
  outcome: Outcome,
  startedAt?: string,
): Promise<void> {
  const { generations, events } = state.dependencies;
  const now = isoNow(state);
  let started: Generation | undefined;
  const finished = await generations.update(id, (current) => {
    if (terminalStatuses.has(current.status)) return undefined;
    if (outcome.attempt !== undefined && current.reservationId !== outcome.attempt) return undefined;
    const next: Generation = {
      ...current,
      status,
      progress: status === 'COMPLETED' ? 100 : current.progress,
      error: outcome.error ?? null,
      assetKey: outcome.assetKey ?? current.assetKey,
      externalUrl: outcome.externalUrl ?? current.externalUrl,
      metadata: outcome.metadata ?? current.metadata,
      attempts: closeAttempt(current, { endedAt: now, outcome: outcome.attemptOutcome, error: outcome.error }, startedAt),
      submittingSince: null,
      providerJob: outcome.providerJob ?? current.providerJob,
      startedAt: outcome.providerJob ? (startedAt ?? now) : current.startedAt,
      settlement: status === 'COMPLETED' ? 'commit' : 'refund',
      completedAt: now,
      updatedAt: now,
    };
    // Listeners still see it start before it ends (the copy made only when someone listens).
    if (outcome.providerJob && events.listenerCount('generation.started') > 0)
      started = {
        ...current,
        status: 'PROCESSING',
        submittingSince: null,
        providerJob: outcome.providerJob,
        startedAt: next.startedAt,
        updatedAt: next.startedAt!,
      };
    return next;
  });
  forget(state, id);
  if (!finished) return;
  if (started) events.emit('generation.started', started);
  await completeEnding(state, finished);
}
