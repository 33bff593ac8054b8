/**
 * The ending of a generation that reached its final state: settle its credits, free its slot, tell
 * listeners and queue its webhooks, then mark it notified. Kept apart from the write that ends it
 * because it is also resumed on its own (by a later job or the reconciler) after a crash cut it short.
 */
import type { Generation } from '../generation';
import { isoNow, type WorkerState } from './worker-state';

/**
 * Each step is safe to repeat, so a job that finds a final generation not yet marked (its instance
 * died half-way) simply runs it again.
 */
export async function completeEnding(state: WorkerState, generation: Generation): Promise<void> {
  if (generation.notifiedAt || state.ending.has(generation.id)) return;
  state.ending.add(generation.id);
  try {
    const settlement = generation.settlement ?? (generation.status === 'COMPLETED' ? 'commit' : 'refund');
    await settle(state, generation, settlement);
    const event = generation.status === 'COMPLETED' ? 'generation.completed' : generation.status === 'FAILED' ? 'generation.failed' : 'generation.cancelled';
    state.dependencies.events.emit(event, generation);
    await state.dependencies.notify?.(event, generation);
    await state.dependencies.generations.update(generation.id, (current) => (current.notifiedAt ? undefined : { ...current, notifiedAt: isoNow(state) }));
  } finally {
    state.ending.delete(generation.id);
  }
}

/** Commits or refunds the generation's reservation, and frees its concurrency slot whatever the ledger answered. */
async function settle(state: WorkerState, generation: Generation, settlement: 'commit' | 'refund'): Promise<void> {
  const { ledger, slots, logger } = state.dependencies;
  try {
    if (settlement === 'commit') await ledger.commit(generation.reservationId, generation.creditCost);
    else await ledger.refund(generation.reservationId, `${generation.status.toLowerCase()} generation ${generation.id}`);
  } finally {
    await slots
      .release(generation.accountId, generation.id)
      .catch((error: unknown) => logger.error({ err: error, generationId: generation.id }, 'releasing the slot failed'));
  }
}
