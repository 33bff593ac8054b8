/**
 * What a provider's answer about a job does to the generation: progress moves it on, success
 * stores the output and completes it, failure ends it or falls back, cancellation ends it. The
 * answer comes from a status call or, for a provider that answers at once, from the create call.
 */
import { healthKey } from '../../providers/health-view';
import type { ProviderAdapter } from '../../providers/provider-adapter';
import type { ProviderJob } from '../../providers/provider-job';
import type { ProviderStatus } from '../../providers/provider-status';
import type { Generation } from '../generation';
import type { JobRun } from '../jobs';
import { fallBack } from './fall-back';
import { finish } from './finish';
import { schedulePoll } from './schedule-poll';
import { storeOutput } from './store-output';
import { isoNow, now, type WorkerState } from './worker-state';

export async function applyStatus(state: WorkerState, generation: Generation, adapter: ProviderAdapter, status: ProviderStatus, run?: JobRun): Promise<void> {
  switch (status.state) {
    case 'queued':
    case 'running': {
      const progress = Math.max(generation.progress, Math.min(99, Math.round(status.progress ?? generation.progress)));
      if (progress !== generation.progress) {
        const updated = await state.dependencies.generations.update(generation.id, (current) =>
          current.status === 'PROCESSING' && current.reservationId === generation.reservationId && progress > current.progress
            ? { ...current, progress, updatedAt: isoNow(state) }
            : undefined,
        );
        if (updated) state.dependencies.events.emit('generation.progress', updated);
      }
      await schedulePoll(state, generation, status.pollAfterMilliseconds, run);
      return;
    }
    case 'succeeded':
      await succeed(state, generation, adapter, status);
      return;
    case 'failed': {
      const error = { code: status.code, message: status.message };
      if (status.code === 'PROVIDER_UNAVAILABLE') {
        state.dependencies.health?.record(healthKey(adapter), { outcome: 'failure' });
        // The provider itself reported the job as ended by its own fault: verified terminal, nothing runs there.
        if (await fallBack(state, generation, error, 'failed')) return;
      }
      await finish(state, generation.id, 'FAILED', { error, attemptOutcome: 'failed', attempt: generation.reservationId });
      return;
    }
    case 'cancelled':
      await finish(state, generation.id, 'CANCELLED', { attemptOutcome: 'cancelled', attempt: generation.reservationId });
      return;
  }
}

/**
 * Stores a finished job's output and completes the generation. `answered`: the create call itself
 * returned the result, and the job was never saved as PROCESSING; it is recorded with the ending.
 */
export async function succeed(
  state: WorkerState,
  generation: Generation,
  adapter: ProviderAdapter,
  status: Extract<ProviderStatus, { state: 'succeeded' }>,
  answered?: { handle: ProviderJob['handle']; startedAt: string },
): Promise<void> {
  const accepted = answered ? { providerJob: answered.handle } : {};
  let stored;
  try {
    stored = await storeOutput(state, generation, status.outputs, status.metadata);
  } catch (error) {
    state.dependencies.logger.error({ err: error, generationId: generation.id }, 'storing the output failed');
    await finish(
      state,
      generation.id,
      'FAILED',
      {
        error: { code: 'GENERATION_FAILED', message: 'The output could not be stored.' },
        attemptOutcome: 'failed',
        attempt: generation.reservationId,
        ...accepted,
      },
      answered?.startedAt,
    );
    return;
  }
  const startedAt = answered?.startedAt ?? generation.startedAt;
  state.dependencies.health?.record(healthKey(adapter), {
    outcome: 'success',
    latencySeconds: startedAt ? (now(state) - Date.parse(startedAt)) / 1000 : undefined,
    estimatedSeconds: generation.estimatedTime,
  });
  await finish(
    state,
    generation.id,
    'COMPLETED',
    { ...stored, attemptOutcome: 'succeeded', attempt: generation.reservationId, ...accepted },
    answered?.startedAt,
  );
}
