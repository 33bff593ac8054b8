/**
 * Queues a generation's next status call, backing off by the poll schedule. Submitting, polling and
 * applying a status answer all keep the chain of polls going, so the one way to queue the next
 * link is here.
 */
import { followWith, jobNames, type JobRun } from '../jobs';
import type { Generation } from '../generation';
import { pollDelay } from '../poll-schedule';
import type { WorkerState } from './worker-state';

/**
 * Awaited, so a queue that cannot take it (an outage) fails the running job, which the queue then
 * runs again: the chain of polls never silently breaks. `hint`: the provider's own wait, which wins.
 * `run`: the job this is called from, whose place the poll takes when its queue allows (see `followWith`).
 */
export async function schedulePoll(state: WorkerState, generation: Generation, hint?: number, run?: JobRun): Promise<void> {
  const attempt = state.polls.get(generation.id) ?? 0;
  state.polls.set(generation.id, attempt + 1);
  const delay = Math.max(hint ?? 0, (state.dependencies.pollSchedule ?? pollDelay)(generation.estimatedTime, attempt));
  await followWith(state.dependencies.queue, run, jobNames.poll, { id: generation.id, attempt: generation.reservationId }, hint !== undefined ? hint : delay);
}
