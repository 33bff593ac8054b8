/**
 * Sending a PENDING generation to its provider: the paid create call, sent at most once. The
 * claim before the call, the adoption of a job an interrupted run may have started, and saving
 * the provider's handle before anything else all exist so that a crash never loses or repeats a
 * paid job.
 */
import { healthKey } from '../../providers/health-view';
import type { ProviderJob } from '../../providers/provider-job';
import { terminalStatuses } from '../generation';
import { applyStatus, succeed } from './apply-status';
import { cancelAtProvider } from './cancel';
import { fallBack } from './fall-back';
import { finish } from './finish';
import { adapterOf, callContext, callProvider, requestOf } from './provider-call';
import { classify } from './provider-failure';
import { schedulePoll } from './schedule-poll';
import { completeEnding } from './settle';
import { isoNow, rememberSubmitted, type WorkerState } from './worker-state';
import type { JobRun } from '../jobs';

/** `run`: the queue job this runs in (see `followWith`); `fresh`: read the record, never a recent copy. */
export async function submit(state: WorkerState, id: string, run?: JobRun, fresh = false): Promise<void> {
  const { generations, events, health } = state.dependencies;
  // Usually this process stored the generation a moment ago and runs its submission itself: it
  // starts from the copy it wrote, without reading it back, when that copy is a PENDING generation
  // not yet claimed. The one thing done from it before a write is the claim below, a compare-and-set
  // that checks exactly that; should the record have moved on (cancelled, claimed by a run this
  // process did not see), the claim is refused and the step starts again from a read.
  const recent = fresh ? undefined : generations.recent(id);
  const fromCopy = recent?.status === 'PENDING' && !recent.submittingSince;
  const generation = fromCopy ? recent : await generations.get(id);
  if (!generation) return;
  if (terminalStatuses.has(generation.status)) return completeEnding(state, generation);
  // An earlier run saved the provider's job, then failed or died before queuing its first status
  // call: start the chain here, or the generation would wait forever. Should that run have queued
  // it after all, the job is only asked for its status more often.
  if (generation.status === 'PROCESSING' && generation.providerJob) return schedulePoll(state, generation, undefined, run);
  if (generation.status !== 'PENDING') return;
  const adapter = adapterOf(state, generation);
  const request = requestOf(generation);
  const startedAt = isoNow(state);
  let job: ProviderJob | null = null;
  if (generation.submittingSince) {
    // An earlier run of this job died between the create call and saving its handle: the
    // provider may hold a paid job. Adopt it when the provider can find it by our reference;
    // when it cannot tell, never send the create call again.
    if (!adapter.find) {
      await finish(
        state,
        id,
        'FAILED',
        {
          error: {
            code: 'PROVIDER_UNAVAILABLE',
            message: `The submission to ${adapter.id} was interrupted and its outcome is unknown; it was not sent again, and nothing was charged.`,
          },
          attemptOutcome: 'unknown',
        },
        startedAt,
      );
      return;
    }
    job = await callProvider(
      state,
      'find',
      generation,
      adapter,
      () => adapter.find!(request, callContext(state, generation)),
      (found) => (found ? 'found' : 'not_found'),
    );
  }
  if (!job) {
    // Claimed only if no other run claimed it since this one read it: two runs of one job at
    // once (a worker the queue wrongly took for dead) must not both send the create call.
    const claimed = await generations.update(id, (current) =>
      current.status === 'PENDING' && current.submittingSince === generation.submittingSince
        ? { ...current, submittingSince: startedAt, updatedAt: startedAt }
        : undefined,
    );
    if (!claimed) return fromCopy ? submit(state, id, run, true) : undefined;
    try {
      job = await callProvider(
        state,
        'start',
        generation,
        adapter,
        () => adapter.start(request, callContext(state, generation)),
        (started) => (started.status?.state === 'succeeded' ? 'succeeded' : 'accepted'),
      );
    } catch (error) {
      const failure = classify(error, adapter.id);
      if (failure.code === 'PROVIDER_UNAVAILABLE') health?.record(healthKey(adapter), { outcome: 'failure' });
      // Only a proven refusal may go elsewhere: a create call whose outcome is unknown may have started a paid job.
      if (failure.acceptance === 'rejected' && failure.code === 'PROVIDER_UNAVAILABLE' && (await fallBack(state, generation, failure, 'rejected', startedAt)))
        return;
      await finish(state, id, 'FAILED', { error: failure, attemptOutcome: failure.acceptance }, startedAt);
      return;
    }
  }
  const accepted = job;
  const answered = accepted.status;
  if (answered?.state === 'succeeded' && answered.outputs[0]?.kind === 'bytes') {
    // A synchronous provider answered with the file itself: no job is left at the provider for a
    // crash to lose, so the file is stored and the generation finished in one write rather than
    // saved as PROCESSING first.
    await succeed(state, generation, adapter, answered, { handle: accepted.handle, startedAt });
    return;
  }
  // The handle is saved before anything else happens to the job: a crash must never lose a paid job.
  const saved = await generations.update(id, (current) => ({
    ...current,
    status: current.status === 'PENDING' ? 'PROCESSING' : current.status,
    submittingSince: null,
    providerJob: accepted.handle,
    startedAt,
    updatedAt: startedAt,
    attempts: [
      ...current.attempts,
      { provider: adapter.id, creditCost: current.creditCost, startedAt, endedAt: null, outcome: 'accepted', errorCode: null, message: null },
    ],
  }));
  if (!saved) return;
  if (saved.status === 'CANCELLED') {
    // Cancelled while the provider was accepting it: stop it there too.
    await cancelAtProvider(state, adapter, saved);
    return;
  }
  events.emit('generation.started', saved);
  rememberSubmitted(state, id);
  if (accepted.status) await applyStatus(state, saved, adapter, accepted.status, run);
  else await schedulePoll(state, saved, accepted.pollAfterMilliseconds, run);
}
