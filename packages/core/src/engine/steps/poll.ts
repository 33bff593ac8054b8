/**
 * Asking the provider how a PROCESSING job is doing, and acting on the answer. It also decides
 * when to give a job up: past its provider's longest run, or after its status calls have failed
 * without a break for long enough (a few failures in a row mean a late job, not a failed one).
 */
import { healthKey } from '../../providers/health-view';
import type { ProviderStatus } from '../../providers/provider-status';
import { defaultStatusFailureMilliseconds, maxJobTimeSeconds, minimumStatusErrors } from '../defaults';
import { terminalStatuses } from '../generation';
import { enqueueJob, jobNames, submitKey, type JobRun } from '../jobs';
import { applyStatus } from './apply-status';
import { cancelAtProvider } from './cancel';
import { finish } from './finish';
import { adapterOf, callContext, callProvider, requestOf } from './provider-call';
import { classify, definiteFailure } from './provider-failure';
import { schedulePoll } from './schedule-poll';
import { completeEnding } from './settle';
import { firstPollHere, forget, now, type WorkerState } from './worker-state';

/**
 * `fromCallback`: an extra poll because the provider called back, outside the scheduled chain.
 * `run`: the queue job this runs in (see `followWith`); `attempt`: the reservation of the attempt
 * whose chain of polls this continues, when the job says.
 */
export async function poll(state: WorkerState, id: string, fromCallback = false, run?: JobRun, attempt?: string): Promise<void> {
  if (state.inFlight.has(id)) {
    // A status call is already out: a callback's poll is redundant, a scheduled one comes back later.
    if (!fromCallback) {
      const generation = await state.dependencies.generations.get(id);
      if (generation) await schedulePoll(state, generation, undefined, run);
    }
    return;
  }
  state.inFlight.add(id);
  try {
    await pollOnce(state, id, fromCallback, run, attempt);
  } finally {
    state.inFlight.delete(id);
  }
}

async function pollOnce(state: WorkerState, id: string, fromCallback: boolean, run: JobRun | undefined, attempt: string | undefined): Promise<void> {
  const { generations, queue, health, logger } = state.dependencies;
  // The first poll of a job this process submitted starts from the copy of the record it wrote then,
  // when its store keeps one, and the copy is of the attempt whose chain this poll continues and a
  // PROCESSING job. Before any write the poll only asks the provider (a read there), and every write
  // that follows is an `update` for this attempt only (see `Outcome.attempt`): should another run
  // have moved the generation on meanwhile (ended it, or to another attempt with its own chain of
  // polls), the write is refused and this chain ends, as it would have on reading the record. Later
  // polls read the record, so a copy is never trusted twice.
  const recent = attempt !== undefined && firstPollHere(state, id) ? generations.recent(id) : undefined;
  const generation = recent?.status === 'PROCESSING' && recent.providerJob && recent.reservationId === attempt ? recent : await generations.get(id);
  if (generation && terminalStatuses.has(generation.status)) return completeEnding(state, generation);
  if (generation?.status === 'PENDING' && !generation.submittingSince && !fromCallback) {
    // Back to PENDING for a fallback that may never have been queued (the run that moved it
    // failed or died before queuing its submission): queue it. The key makes this a no-op when
    // that submission is waiting or running.
    forget(state, id);
    return enqueueJob(queue, jobNames.submit, { id }, { key: submitKey(generation) });
  }
  if (!generation || generation.status !== 'PROCESSING' || !generation.providerJob) return fromCallback ? undefined : forget(state, id);
  const adapter = adapterOf(state, generation);
  const maxJobTime = maxJobTimeSeconds(adapter) * 1000;
  if (generation.startedAt && now(state) - Date.parse(generation.startedAt) > maxJobTime) {
    health?.record(healthKey(adapter), { outcome: 'failure' });
    await cancelAtProvider(state, adapter, generation);
    await finish(state, id, 'FAILED', {
      error: { code: 'GENERATION_FAILED', message: `The provider did not finish within ${maxJobTimeSeconds(adapter)} s; the job was cancelled and refunded.` },
      attemptOutcome: 'failed',
      attempt: generation.reservationId,
    });
    return;
  }
  if (!adapter.status) {
    await finish(state, id, 'FAILED', {
      error: { code: 'PROVIDER_UNAVAILABLE', message: `Provider "${adapter.id}" cannot report job status.` },
      attemptOutcome: 'unknown',
      attempt: generation.reservationId,
    });
    return;
  }
  let status: ProviderStatus;
  try {
    const { providerJob } = generation;
    status = await callProvider(
      state,
      'status',
      generation,
      adapter,
      () => adapter.status!(providerJob, requestOf(generation), callContext(state, generation)),
      (answer) => answer.state,
    );
    state.statusErrors.delete(id);
  } catch (error) {
    const definite = definiteFailure(error);
    if (definite) {
      // The provider answered that the job has ended (a refused output, its own fault): asking
      // again cannot change that, so it ends now with the provider's classification.
      state.statusErrors.delete(id);
      await applyStatus(state, generation, adapter, definite, run);
      return;
    }
    if (fromCallback) return;
    const failing = state.statusErrors.get(id) ?? { count: 0, since: now(state) };
    failing.count++;
    state.statusErrors.set(id, failing);
    logger.warn({ err: error, generationId: id, provider: adapter.id, count: failing.count }, 'status call failed');
    const window = state.dependencies.statusFailureMilliseconds ?? defaultStatusFailureMilliseconds;
    if (failing.count >= minimumStatusErrors && now(state) - failing.since >= window) {
      const failure = classify(error, adapter.id);
      health?.record(healthKey(adapter), { outcome: 'failure' });
      await cancelAtProvider(state, adapter, generation);
      await finish(state, id, 'FAILED', {
        error: { code: 'PROVIDER_UNAVAILABLE', message: failure.message },
        attemptOutcome: 'unknown',
        attempt: generation.reservationId,
      });
    } else await schedulePoll(state, generation, undefined, run);
    return;
  }
  // A callback's extra poll that finds the job still running leaves the scheduled polls to go on.
  if (fromCallback && (status.state === 'queued' || status.state === 'running')) return;
  await applyStatus(state, generation, adapter, status, run);
}
