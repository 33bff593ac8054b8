import { DoitongError, ProviderError } from '../errors';
import type { GenerationRequest } from '../providers/generation-request';
import type { JsonObject } from '../providers/generation-type';
import type { ProviderAdapter } from '../providers/provider-adapter';
import type { ProviderCallContext, ProviderOutput, ProviderStatus } from '../providers/provider-transport';
import type { EngineDependencies } from './engine';
import { terminalStatuses, type Generation, type GenerationError } from './generation';
import { pollDelay } from './poll-schedule';

/** Consecutive failed status calls tolerated before a job is given up as PROVIDER_UNAVAILABLE. */
const maxStatusErrors = 5;
/** How long one provider call may take before the engine aborts it. */
const callTimeoutMilliseconds = 60_000;

const extensions: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/mpeg': 'mp3',
  'video/mp4': 'mp4',
};

/**
 * The background half of the lifecycle: submit, poll, settle. It runs from queue jobs that
 * carry only the generation id, so any instance of a distributed queue can run any step.
 */
export class GenerationWorker {
  readonly #dependencies: EngineDependencies;
  readonly #statusErrors = new Map<string, number>();
  readonly #polls = new Map<string, number>();

  constructor(dependencies: EngineDependencies) {
    this.#dependencies = dependencies;
    dependencies.queue.register('generation.submit', (data) => this.submit(String(data.id)));
    dependencies.queue.register('generation.poll', (data) => this.poll(String(data.id)));
  }

  async submit(id: string): Promise<void> {
    const generation = await this.#dependencies.generations.get(id);
    if (!generation || generation.status !== 'PENDING') return;
    const adapter = this.#adapter(generation);
    const request = requestOf(generation);
    const startedAt = this.#iso();
    let job;
    try {
      job = await adapter.start(request, this.#context());
    } catch (error) {
      const failure = classify(error, adapter.id);
      await this.#finish(id, 'FAILED', { error: failure, attemptOutcome: failure.acceptance }, startedAt);
      return;
    }
    // The handle is saved before anything else happens to the job: a crash must never lose a paid job.
    const saved = await this.#dependencies.generations.update(id, (current) => ({
      ...current,
      status: current.status === 'PENDING' ? 'PROCESSING' : current.status,
      providerJob: job.handle,
      startedAt,
      updatedAt: startedAt,
      attempts: [...current.attempts, { provider: adapter.id, startedAt, endedAt: null, outcome: 'accepted', errorCode: null, message: null }],
    }));
    if (!saved) return;
    if (saved.status === 'CANCELLED') {
      // Cancelled while the provider was accepting it: stop it there too.
      await this.#cancelAtProvider(adapter, saved);
      return;
    }
    if (job.status) await this.#apply(saved, adapter, job.status);
    else this.#schedulePoll(saved, job.pollAfterMilliseconds);
  }

  async poll(id: string): Promise<void> {
    const generation = await this.#dependencies.generations.get(id);
    if (!generation || generation.status !== 'PROCESSING' || !generation.providerJob) return this.#forget(id);
    const adapter = this.#adapter(generation);
    const maxJobTime = (adapter.maxJobTime ?? 900) * 1000;
    if (generation.startedAt && this.#now() - Date.parse(generation.startedAt) > maxJobTime) {
      await this.#cancelAtProvider(adapter, generation);
      await this.#finish(id, 'FAILED', {
        error: { code: 'GENERATION_FAILED', message: `The provider did not finish within ${adapter.maxJobTime ?? 900} s; the job was cancelled and refunded.` },
        attemptOutcome: 'failed',
      });
      return;
    }
    if (!adapter.status) {
      await this.#finish(id, 'FAILED', { error: { code: 'PROVIDER_UNAVAILABLE', message: `Provider "${adapter.id}" cannot report job status.` }, attemptOutcome: 'unknown' });
      return;
    }
    let status: ProviderStatus;
    try {
      status = await adapter.status(generation.providerJob, requestOf(generation), this.#context());
      this.#statusErrors.delete(id);
    } catch (error) {
      const count = (this.#statusErrors.get(id) ?? 0) + 1;
      this.#statusErrors.set(id, count);
      this.#dependencies.logger.warn({ err: error, generationId: id, provider: adapter.id, count }, 'status call failed');
      if (count >= maxStatusErrors) {
        const failure = classify(error, adapter.id);
        await this.#cancelAtProvider(adapter, generation);
        await this.#finish(id, 'FAILED', { error: { code: 'PROVIDER_UNAVAILABLE', message: failure.message }, attemptOutcome: 'unknown' });
      } else this.#schedulePoll(generation);
      return;
    }
    await this.#apply(generation, adapter, status);
  }

  /** Cancels a generation that has not ended; the caller checked ownership. */
  async cancel(id: string): Promise<boolean> {
    let previous: Generation | undefined;
    const cancelled = await this.#dependencies.generations.update(id, (current) => {
      if (terminalStatuses.has(current.status)) return undefined;
      previous = current;
      return { ...current, status: 'CANCELLED', completedAt: this.#iso(), updatedAt: this.#iso() };
    });
    if (!cancelled || !previous) return false;
    const adapter = this.#adapter(cancelled);
    // Before acceptance nothing was spent; after it, the provider's own cancel policy decides.
    const accepted = previous.status === 'PROCESSING' && previous.providerJob !== null;
    const confirmed = accepted ? await this.#cancelAtProvider(adapter, cancelled) : false;
    const refund = !accepted || confirmed || adapter.cancellation?.refundAfterAcceptance !== false;
    await this.#settle(cancelled, refund ? 'refund' : 'commit');
    this.#forget(id);
    this.#dependencies.events.emit('generation.cancelled', cancelled);
    return true;
  }

  async #apply(generation: Generation, adapter: ProviderAdapter, status: ProviderStatus): Promise<void> {
    switch (status.state) {
      case 'queued':
      case 'running': {
        const progress = Math.max(generation.progress, Math.min(99, Math.round(status.progress ?? generation.progress)));
        if (progress !== generation.progress) {
          const updated = await this.#dependencies.generations.update(generation.id, (current) =>
            current.status === 'PROCESSING' ? { ...current, progress, updatedAt: this.#iso() } : undefined,
          );
          if (updated) this.#dependencies.events.emit('generation.progress', updated);
        }
        this.#schedulePoll(generation, status.pollAfterMilliseconds);
        return;
      }
      case 'succeeded': {
        let stored;
        try {
          stored = await this.#storeOutput(generation, status.outputs, status.metadata);
        } catch (error) {
          this.#dependencies.logger.error({ err: error, generationId: generation.id }, 'storing the output failed');
          await this.#finish(generation.id, 'FAILED', { error: { code: 'GENERATION_FAILED', message: 'The output could not be stored.' }, attemptOutcome: 'failed' });
          return;
        }
        await this.#finish(generation.id, 'COMPLETED', { ...stored, attemptOutcome: 'succeeded' });
        return;
      }
      case 'failed':
        await this.#finish(generation.id, 'FAILED', { error: { code: status.code, message: status.message }, attemptOutcome: 'failed' });
        return;
      case 'cancelled':
        await this.#finish(generation.id, 'CANCELLED', { attemptOutcome: 'cancelled' });
        return;
    }
  }

  async #storeOutput(generation: Generation, outputs: ProviderOutput[], metadata: ProviderOutput['metadata'] | undefined) {
    const output = outputs[0];
    if (!output) throw new Error('the provider reported success without an output');
    if (output.kind === 'bytes') {
      const extension = extensions[output.contentType] ?? output.metadata.format ?? 'bin';
      const key = `${generation.accountId}/${generation.id}.${extension}`;
      const info = await this.#dependencies.assets.put(key, output.data, output.contentType);
      return {
        assetKey: key,
        metadata: { ...output.metadata, ...metadata, fileSize: info.size, contentType: output.contentType, format: output.metadata.format ?? extension },
      };
    }
    return { externalUrl: output.url, metadata: { ...output.metadata, ...metadata } };
  }

  /**
   * Moves a generation to a final state exactly once, then settles its credits, frees its
   * concurrency slot and tells listeners. A second call for the same generation does nothing.
   */
  async #finish(
    id: string,
    status: 'COMPLETED' | 'FAILED' | 'CANCELLED',
    outcome: { error?: GenerationError; assetKey?: string; externalUrl?: string; metadata?: Generation['metadata']; attemptOutcome: string },
    startedAt?: string,
  ): Promise<void> {
    const now = this.#iso();
    const finished = await this.#dependencies.generations.update(id, (current) => {
      if (terminalStatuses.has(current.status)) return undefined;
      const attempts = current.attempts.length
        ? current.attempts.map((attempt, index) =>
            index === current.attempts.length - 1 ? { ...attempt, endedAt: now, outcome: outcome.attemptOutcome as never, errorCode: outcome.error?.code ?? null, message: outcome.error?.message ?? null } : attempt,
          )
        : [{ provider: current.provider, startedAt: startedAt ?? now, endedAt: now, outcome: outcome.attemptOutcome as never, errorCode: outcome.error?.code ?? null, message: outcome.error?.message ?? null }];
      return {
        ...current,
        status,
        progress: status === 'COMPLETED' ? 100 : current.progress,
        error: outcome.error ?? null,
        assetKey: outcome.assetKey ?? current.assetKey,
        externalUrl: outcome.externalUrl ?? current.externalUrl,
        metadata: outcome.metadata ?? current.metadata,
        attempts,
        completedAt: now,
        updatedAt: now,
      };
    });
    this.#forget(id);
    if (!finished) return;
    await this.#settle(finished, status === 'COMPLETED' ? 'commit' : 'refund');
    const event = status === 'COMPLETED' ? 'generation.completed' : status === 'FAILED' ? 'generation.failed' : 'generation.cancelled';
    this.#dependencies.events.emit(event, finished);
  }

  async #settle(generation: Generation, settlement: 'commit' | 'refund'): Promise<void> {
    const { ledger, slots, logger } = this.#dependencies;
    try {
      if (settlement === 'commit') await ledger.commit(generation.reservationId, generation.creditCost);
      else await ledger.refund(generation.reservationId, `${generation.status.toLowerCase()} generation ${generation.id}`);
    } finally {
      await slots.release(generation.accountId, generation.id).catch((error: unknown) => logger.error({ err: error, generationId: generation.id }, 'releasing the slot failed'));
    }
  }

  async #cancelAtProvider(adapter: ProviderAdapter, generation: Generation): Promise<boolean> {
    if (!adapter.cancel || !generation.providerJob) return false;
    try {
      return await adapter.cancel(generation.providerJob, requestOf(generation), this.#context());
    } catch (error) {
      this.#dependencies.logger.warn({ err: error, generationId: generation.id, provider: adapter.id }, 'cancel at the provider failed');
      return false;
    }
  }

  #schedulePoll(generation: Generation, hint?: number): void {
    const attempt = this.#polls.get(generation.id) ?? 0;
    this.#polls.set(generation.id, attempt + 1);
    const delay = Math.max(hint ?? 0, pollDelay(generation.estimatedTime, attempt));
    void this.#dependencies.queue.enqueue('generation.poll', { id: generation.id }, { delayMilliseconds: hint !== undefined ? hint : delay });
  }

  #forget(id: string): void {
    this.#polls.delete(id);
    this.#statusErrors.delete(id);
  }

  #adapter(generation: Generation): ProviderAdapter {
    const adapter = this.#dependencies.registry.resolve(generation.provider, generation.livemode ? 'live' : 'test');
    if (!adapter) throw new DoitongError('PROVIDER_UNAVAILABLE', `Provider "${generation.provider}" is no longer registered.`);
    return adapter;
  }

  #context(): ProviderCallContext {
    return { signal: AbortSignal.timeout(callTimeoutMilliseconds), now: () => this.#now() };
  }

  #now(): number {
    return this.#dependencies.clock.now();
  }

  #iso(): string {
    return new Date(this.#now()).toISOString();
  }
}

function requestOf(generation: Generation): GenerationRequest {
  return {
    generationId: generation.id,
    accountId: generation.accountId,
    type: generation.type,
    model: generation.model ?? undefined,
    input: generation.input,
    options: generation.options,
    livemode: generation.livemode,
  };
}

/** What a failed provider call means for the caller and for billing. */
function classify(error: unknown, providerId: string): GenerationError & { acceptance: 'rejected' | 'unknown' | 'failed' } {
  if (error instanceof ProviderError) {
    return { code: error.code, message: error.message, acceptance: error.acceptance };
  }
  if (error instanceof DoitongError) return { code: error.code, message: error.message, acceptance: 'rejected' };
  return { code: 'PROVIDER_UNAVAILABLE', message: `Provider "${providerId}" could not be reached.`, acceptance: 'unknown' };
}

export type { JsonObject };
