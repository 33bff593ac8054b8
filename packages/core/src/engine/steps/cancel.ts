/**
 * Stopping a job: the caller's cancel (which settles by the provider's cancel policy) and the
 * cancel call the other steps make when a job must stop at the provider (it ran too long, its
 * status could not be read, or it was cancelled while the provider was accepting it).
 */
import type { ProviderAdapter } from '../../providers/provider-adapter';
import { terminalStatuses, type Generation } from '../generation';
import { adapterOf, callContext, callProvider, requestOf } from './provider-call';
import { completeEnding } from './settle';
import { forget, isoNow, type WorkerState } from './worker-state';

/** Cancels a generation that has not ended; the caller checked ownership. */
export async function cancel(state: WorkerState, id: string): Promise<boolean> {
  let previous: Generation | undefined;
  const cancelled = await state.dependencies.generations.update(id, (current) => {
    if (terminalStatuses.has(current.status)) return undefined;
    previous = current;
    return { ...current, status: 'CANCELLED', completedAt: isoNow(state), updatedAt: isoNow(state) };
  });
  if (!cancelled || !previous) return false;
  const adapter = adapterOf(state, cancelled);
  // Before acceptance nothing was spent; after it, the provider's own cancel policy decides.
  const accepted = previous.status === 'PROCESSING' && previous.providerJob !== null;
  const confirmed = accepted ? await cancelAtProvider(state, adapter, cancelled) : false;
  const refund = !accepted || confirmed || adapter.cancellation?.refundAfterAcceptance !== false;
  const settled = await state.dependencies.generations.update(id, (current) => ({ ...current, settlement: refund ? 'refund' : 'commit' }));
  forget(state, id);
  await completeEnding(state, settled ?? { ...cancelled, settlement: refund ? 'refund' : 'commit' });
  return true;
}

/** Asks the provider to stop the generation's job; true when it confirmed. A failed call is logged, never thrown. */
export async function cancelAtProvider(state: WorkerState, adapter: ProviderAdapter, generation: Generation): Promise<boolean> {
  if (!adapter.cancel || !generation.providerJob) return false;
  try {
    const { providerJob } = generation;
    return await callProvider(
      state,
      'cancel',
      generation,
      adapter,
      () => adapter.cancel!(providerJob, requestOf(generation), callContext(state, generation)),
      (confirmed) => (confirmed ? 'cancelled' : 'not_cancelled'),
    );
  } catch (error) {
    state.dependencies.logger.warn({ err: error, generationId: generation.id, provider: adapter.id }, 'cancel at the provider failed');
    return false;
  }
}
