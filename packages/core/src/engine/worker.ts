import { DoitongError, ProviderError } from '../errors';
import type { GenerationRequest } from '../providers/generation-request';
import type { JsonObject } from '../providers/generation-type';
import type { ProviderAdapter } from '../providers/provider-adapter';
import type { ProviderCallContext, ProviderJob, ProviderOutput, ProviderStatus } from '../providers/provider-transport';
import type { EngineDependencies } from './engine';
import { terminalStatuses, type Generation, type GenerationError } from './generation';
import { downloadOutput } from '../assets/download';
import { healthKey } from '../providers/router';
import { pollDelay } from './poll-schedule';
import { isoTime } from '../policies/clock';
import type { ProviderCall } from '../telemetry/telemetry';

/**
 * A job is given up as PROVIDER_UNAVAILABLE only when its status calls have failed without a
 * break for this long (and at least `minimumStatusErrors` times): on a busy host or a slow
 * network a few failed calls in a row mean a late job, not a failed one.
 */
export const defaultStatusFailureMilliseconds = 300_000;
const minimumStatusErrors = 5;
/** How long one provider call may take before the engine aborts it. */
export const defaultCallTimeoutMilliseconds = 60_000;

const extensions: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
};

/**
 * The background half of the lifecycle: submit, poll, settle. It runs from queue jobs that
 * carry only the generation id, so any instance of a distributed queue can run any step.
 */
export class GenerationWorker {
  readonly #dependencies: EngineDependencies;
  /** Status calls failing without a break: how many, and since when. */
  readonly #statusErrors = new Map<string, { count: number; since: number }>();
  readonly #polls = new Map<string, number>();
  /** Generations whose status call is running in this process, so a callback's extra poll cannot apply a result twice. */
  readonly #inFlight = new Set<string>();
  /** Generations whose ending this process is completing, so a concurrent job does not repeat it. */
  readonly #ending = new Set<string>();

  constructor(dependencies: EngineDependencies) {
    this.#dependencies = dependencies;
    dependencies.queue.register('generation.submit', (data) => this.submit(String(data.id)));
    dependencies.queue.register('generation.poll', (data) => this.poll(String(data.id), data.callback === true));
  }

  /**
   * A provider called back: ask it for the job's state now instead of at the next scheduled poll.
   * The callback's body is not trusted; only the provider's own status answer moves the generation.
   */
  async checkNow(id: string): Promise<void> {
    await this.#dependencies.queue.enqueue('generation.poll', { id, callback: true }, { delayMilliseconds: 0 });
  }

  async submit(id: string): Promise<void> {
    const generation = await this.#dependencies.generations.get(id);
    if (!generation) return;
    if (terminalStatuses.has(generation.status)) return this.#completeEnding(generation);
    // An earlier run saved the provider's job, then failed or died before queuing its first status
    // call: start the chain here, or the generation would wait forever. Should that run have queued
    // it after all, the job is only asked for its status more often.
    if (generation.status === 'PROCESSING' && generation.providerJob) return this.#schedulePoll(generation);
    if (generation.status !== 'PENDING') return;
    const adapter = this.#adapter(generation);
    const request = requestOf(generation);
    const startedAt = this.#iso();
    let job: ProviderJob | null = null;
    if (generation.submittingSince) {
      // An earlier run of this job died between the create call and saving its handle: the
      // provider may hold a paid job. Adopt it when the provider can find it by our reference;
      // when it cannot tell, never send the create call again.
      if (!adapter.find) {
        await this.#finish(id, 'FAILED', {
          error: { code: 'PROVIDER_UNAVAILABLE', message: `The submission to ${adapter.id} was interrupted and its outcome is unknown; it was not sent again, and nothing was charged.` },
          attemptOutcome: 'unknown',
        }, startedAt);
        return;
      }
      job = await this.#call('find', generation, adapter, () => adapter.find!(request, this.#context(generation)), (found) => (found ? 'found' : 'not_found'));
    }
    if (!job) {
      // Claimed only if no other run claimed it since this one read it: two runs of one job at
      // once (a worker the queue wrongly took for dead) must not both send the create call.
      const claimed = await this.#dependencies.generations.update(id, (current) =>
        current.status === 'PENDING' && current.submittingSince === generation.submittingSince ? { ...current, submittingSince: startedAt, updatedAt: startedAt } : undefined,
      );
      if (!claimed) return;
      try {
        job = await this.#call('start', generation, adapter, () => adapter.start(request, this.#context(generation)), (started) => (started.status?.state === 'succeeded' ? 'succeeded' : 'accepted'));
      } catch (error) {
      const failure = classify(error, adapter.id);
      if (failure.code === 'PROVIDER_UNAVAILABLE') this.#dependencies.health?.record(healthKey(adapter), { outcome: 'failure' });
      // Only a proven refusal may go elsewhere: a create call whose outcome is unknown may have started a paid job.
        if (failure.acceptance === 'rejected' && failure.code === 'PROVIDER_UNAVAILABLE' && (await this.#fallBack(generation, failure, 'rejected', startedAt))) return;
        await this.#finish(id, 'FAILED', { error: failure, attemptOutcome: failure.acceptance }, startedAt);
        return;
      }
    }
    const accepted = job;
    const answered = accepted.status;
    if (answered?.state === 'succeeded' && answered.outputs[0]?.kind === 'bytes') {
      // A synchronous provider answered with the file itself: no job is left at the provider for a
      // crash to lose, so the file is stored and the generation finished in one write rather than
      // saved as PROCESSING first.
      await this.#succeed(generation, adapter, answered, { handle: accepted.handle, startedAt });
      return;
    }
    // The handle is saved before anything else happens to the job: a crash must never lose a paid job.
    const saved = await this.#dependencies.generations.update(id, (current) => ({
      ...current,
      status: current.status === 'PENDING' ? 'PROCESSING' : current.status,
      submittingSince: null,
      providerJob: accepted.handle,
      startedAt,
      updatedAt: startedAt,
      attempts: [...current.attempts, { provider: adapter.id, creditCost: current.creditCost, startedAt, endedAt: null, outcome: 'accepted', errorCode: null, message: null }],
    }));
    if (!saved) return;
    if (saved.status === 'CANCELLED') {
      // Cancelled while the provider was accepting it: stop it there too.
      await this.#cancelAtProvider(adapter, saved);
      return;
    }
    this.#dependencies.events.emit('generation.started', saved);
    if (accepted.status) await this.#apply(saved, adapter, accepted.status);
    else await this.#schedulePoll(saved, accepted.pollAfterMilliseconds);
  }

  async poll(id: string, fromCallback = false): Promise<void> {
    if (this.#inFlight.has(id)) {
      // A status call is already out: a callback's poll is redundant, a scheduled one comes back later.
      if (!fromCallback) {
        const generation = await this.#dependencies.generations.get(id);
        if (generation) await this.#schedulePoll(generation);
      }
      return;
    }
    this.#inFlight.add(id);
    try {
      await this.#poll(id, fromCallback);
    } finally {
      this.#inFlight.delete(id);
    }
  }

  async #poll(id: string, fromCallback: boolean): Promise<void> {
    const generation = await this.#dependencies.generations.get(id);
    if (generation && terminalStatuses.has(generation.status)) return this.#completeEnding(generation);
    if (generation?.status === 'PENDING' && !generation.submittingSince && !fromCallback) {
      // Back to PENDING for a fallback that may never have been queued (the run that moved it
      // failed or died before queuing its submission): queue it. The key makes this a no-op when
      // that submission is waiting or running.
      this.#forget(id);
      return this.#dependencies.queue.enqueue('generation.submit', { id }, { key: submitKey(generation) });
    }
    if (!generation || generation.status !== 'PROCESSING' || !generation.providerJob) return fromCallback ? undefined : this.#forget(id);
    const adapter = this.#adapter(generation);
    const maxJobTime = (adapter.maxJobTime ?? 900) * 1000;
    if (generation.startedAt && this.#now() - Date.parse(generation.startedAt) > maxJobTime) {
      this.#dependencies.health?.record(healthKey(adapter), { outcome: 'failure' });
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
      const { providerJob } = generation;
      status = await this.#call('status', generation, adapter, () => adapter.status!(providerJob, requestOf(generation), this.#context(generation)), (answer) => answer.state);
      this.#statusErrors.delete(id);
    } catch (error) {
      const definite = definiteFailure(error);
      if (definite) {
        // The provider answered that the job has ended (a refused output, its own fault): asking
        // again cannot change that, so it ends now with the provider's classification.
        this.#statusErrors.delete(id);
        await this.#apply(generation, adapter, definite);
        return;
      }
      if (fromCallback) return;
      const failing = this.#statusErrors.get(id) ?? { count: 0, since: this.#now() };
      failing.count++;
      this.#statusErrors.set(id, failing);
      this.#dependencies.logger.warn({ err: error, generationId: id, provider: adapter.id, count: failing.count }, 'status call failed');
      const window = this.#dependencies.statusFailureMilliseconds ?? defaultStatusFailureMilliseconds;
      if (failing.count >= minimumStatusErrors && this.#now() - failing.since >= window) {
        const failure = classify(error, adapter.id);
        this.#dependencies.health?.record(healthKey(adapter), { outcome: 'failure' });
        await this.#cancelAtProvider(adapter, generation);
        await this.#finish(id, 'FAILED', { error: { code: 'PROVIDER_UNAVAILABLE', message: failure.message }, attemptOutcome: 'unknown' });
      } else await this.#schedulePoll(generation);
      return;
    }
    // A callback's extra poll that finds the job still running leaves the scheduled polls to go on.
    if (fromCallback && (status.state === 'queued' || status.state === 'running')) return;
    await this.#apply(generation, adapter, status);
  }

  /** Finishes the work after a final state (settle, free the slot, notify) that a crash cut short; safe to repeat. */
  resumeEnding(generation: Generation): Promise<void> {
    return this.#completeEnding(generation);
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
    const settled = await this.#dependencies.generations.update(id, (current) => ({ ...current, settlement: refund ? 'refund' : 'commit' }));
    this.#forget(id);
    await this.#completeEnding(settled ?? { ...cancelled, settlement: refund ? 'refund' : 'commit' });
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
        await this.#schedulePoll(generation, status.pollAfterMilliseconds);
        return;
      }
      case 'succeeded':
        await this.#succeed(generation, adapter, status);
        return;
      case 'failed': {
        const error = { code: status.code, message: status.message };
        if (status.code === 'PROVIDER_UNAVAILABLE') {
          this.#dependencies.health?.record(healthKey(adapter), { outcome: 'failure' });
          // The provider itself reported the job as ended by its own fault: verified terminal, nothing runs there.
          if (await this.#fallBack(generation, error, 'failed')) return;
        }
        await this.#finish(generation.id, 'FAILED', { error, attemptOutcome: 'failed' });
        return;
      }
      case 'cancelled':
        await this.#finish(generation.id, 'CANCELLED', { attemptOutcome: 'cancelled' });
        return;
    }
  }

  /**
   * Stores a finished job's output and completes the generation. `answered`: the create call itself
   * returned the result, and the job was never saved as PROCESSING; it is recorded with the ending.
   */
  async #succeed(generation: Generation, adapter: ProviderAdapter, status: Extract<ProviderStatus, { state: 'succeeded' }>, answered?: { handle: ProviderJob['handle']; startedAt: string }): Promise<void> {
    const accepted = answered ? { providerJob: answered.handle } : {};
    let stored;
    try {
      stored = await this.#storeOutput(generation, status.outputs, status.metadata);
    } catch (error) {
      this.#dependencies.logger.error({ err: error, generationId: generation.id }, 'storing the output failed');
      await this.#finish(generation.id, 'FAILED', { error: { code: 'GENERATION_FAILED', message: 'The output could not be stored.' }, attemptOutcome: 'failed', ...accepted }, answered?.startedAt);
      return;
    }
    const startedAt = answered?.startedAt ?? generation.startedAt;
    this.#dependencies.health?.record(healthKey(adapter), {
      outcome: 'success',
      latencySeconds: startedAt ? (this.#now() - Date.parse(startedAt)) / 1000 : undefined,
      estimatedSeconds: generation.estimatedTime,
    });
    await this.#finish(generation.id, 'COMPLETED', { ...stored, attemptOutcome: 'succeeded', ...accepted }, answered?.startedAt);
  }

  async #storeOutput(generation: Generation, outputs: ProviderOutput[], metadata: ProviderOutput['metadata'] | undefined) {
    const output = outputs[0];
    if (!output) throw new Error('the provider reported success without an output');
    if (output.kind === 'url' && output.expires) {
      // The provider's link dies (minutes to days): keep a copy so `url` works as long as our links do.
      const download = this.#dependencies.download ?? downloadOutput;
      const copied = await download(output.url, { ...(output.headers ? { headers: output.headers } : {}), signal: AbortSignal.timeout(10 * this.#callTimeout()) });
      const contentType = output.contentType ?? copied.contentType ?? 'application/octet-stream';
      const extension = extensions[contentType] ?? output.metadata.format ?? 'bin';
      const key = `${generation.accountId}/${generation.id}.${extension}`;
      const info = await this.#dependencies.assets.put(key, copied.data, contentType);
      return {
        assetKey: key,
        metadata: { ...output.metadata, ...metadata, fileSize: info.size, contentType, format: output.metadata.format ?? extension },
      };
    }
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
    outcome: {
      error?: GenerationError;
      assetKey?: string;
      externalUrl?: string;
      metadata?: Generation['metadata'];
      attemptOutcome: string;
      /** The provider's job, when it ended in the call that started it and was never saved as PROCESSING. */
      providerJob?: ProviderJob['handle'];
    },
    startedAt?: string,
  ): Promise<void> {
    const now = this.#iso();
    let started: Generation | undefined;
    const finished = await this.#dependencies.generations.update(id, (current) => {
      if (terminalStatuses.has(current.status)) return undefined;
      const ended = { endedAt: now, outcome: outcome.attemptOutcome as never, errorCode: outcome.error?.code ?? null, message: outcome.error?.message ?? null };
      const last = current.attempts.at(-1);
      // The open attempt of the provider now serving is the one that ended; after a fallback the earlier ones are already closed.
      const attempts =
        last && last.provider === current.provider && last.endedAt === null
          ? [...current.attempts.slice(0, -1), { ...last, ...ended }]
          : [...current.attempts, { provider: current.provider, creditCost: current.creditCost, startedAt: startedAt ?? now, ...ended }];
      const next: Generation = {
        ...current,
        status,
        progress: status === 'COMPLETED' ? 100 : current.progress,
        error: outcome.error ?? null,
        assetKey: outcome.assetKey ?? current.assetKey,
        externalUrl: outcome.externalUrl ?? current.externalUrl,
        metadata: outcome.metadata ?? current.metadata,
        attempts,
        submittingSince: null,
        providerJob: outcome.providerJob ?? current.providerJob,
        startedAt: outcome.providerJob ? (startedAt ?? now) : current.startedAt,
        settlement: status === 'COMPLETED' ? 'commit' : 'refund',
        completedAt: now,
        updatedAt: now,
      };
      // Listeners still see it start before it ends (the copy made only when someone listens).
      if (outcome.providerJob && this.#dependencies.events.listenerCount('generation.started') > 0) started = { ...current, status: 'PROCESSING', submittingSince: null, providerJob: outcome.providerJob, startedAt: next.startedAt, updatedAt: next.startedAt! };
      return next;
    });
    this.#forget(id);
    if (!finished) return;
    if (started) this.#dependencies.events.emit('generation.started', started);
    await this.#completeEnding(finished);
  }

  /**
   * The work after a generation reached its final state: settle its credits, free its slot, tell
   * listeners and queue its webhooks, then mark it notified. Each step is safe to repeat, so a job
   * that finds a final generation not yet marked (its instance died half-way) simply runs it again.
   */
  async #completeEnding(generation: Generation): Promise<void> {
    if (generation.notifiedAt || this.#ending.has(generation.id)) return;
    this.#ending.add(generation.id);
    try {
      const settlement = generation.settlement ?? (generation.status === 'COMPLETED' ? 'commit' : 'refund');
      await this.#settle(generation, settlement);
      const event = generation.status === 'COMPLETED' ? 'generation.completed' : generation.status === 'FAILED' ? 'generation.failed' : 'generation.cancelled';
      this.#dependencies.events.emit(event, generation);
      await this.#dependencies.notify?.(event, generation);
      await this.#dependencies.generations.update(generation.id, (current) => (current.notifiedAt ? undefined : { ...current, notifiedAt: this.#iso() }));
    } finally {
      this.#ending.delete(generation.id);
    }
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
      const { providerJob } = generation;
      return await this.#call('cancel', generation, adapter, () => adapter.cancel!(providerJob, requestOf(generation), this.#context(generation)), (confirmed) => (confirmed ? 'cancelled' : 'not_cancelled'));
    } catch (error) {
      this.#dependencies.logger.warn({ err: error, generationId: generation.id, provider: adapter.id }, 'cancel at the provider failed');
      return false;
    }
  }

  /**
   * Moves a generation to its next allowed provider after a proven pre-acceptance failure or a
   * verified terminal provider failure, re-priced for that provider: the new price is reserved
   * and the old reservation released, so the account is only ever charged for the provider that
   * serves. Returns false when no fallback is left (the caller then fails the generation).
   */
  async #fallBack(generation: Generation, failure: GenerationError, outcome: 'rejected' | 'failed', startedAt?: string): Promise<boolean> {
    const { router, ledger, generations, queue, logger } = this.#dependencies;
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
      const now = this.#iso();
      const reservationId = `res_${generation.id}_${generation.attempts.length + 1}`;
      let reservation = await ledger.reserve(generation.accountId, route.quote.creditCost, reservationId, generation.id);
      if (!reservation.ok) {
        // The old reservation may be what stands in the way: release it, then try once more.
        await ledger.refund(generation.reservationId, `fallback from ${generation.provider}`);
        reservation = await ledger.reserve(generation.accountId, route.quote.creditCost, reservationId, generation.id);
        if (!reservation.ok) {
          await this.#finish(generation.id, 'FAILED', {
            error: {
              code: 'INSUFFICIENT_CREDITS',
              message: `${generation.provider} failed (${failure.message}); the fallback ${next} costs ${route.quote.creditCost} credits and the balance is ${reservation.balance}. Nothing was charged.`,
            },
            attemptOutcome: outcome,
          }, startedAt);
          return true;
        }
      } else {
        await ledger.refund(generation.reservationId, `re-priced for fallback ${next}`);
      }
      const moved = await generations.update(generation.id, (current) => {
        if (terminalStatuses.has(current.status)) return undefined;
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
          attempts: closeAttempts(current, now, startedAt, outcome, failure),
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
        // Cancelled meanwhile: the cancel settled the old reservation; give back the new one.
        await ledger.refund(reservationId, 'cancelled during fallback');
        return true;
      }
      this.#forget(generation.id);
      logger.info?.({ generationId: generation.id, from: generation.provider, to: route.adapter.id }, 'falling back to another provider');
      await queue.enqueue('generation.submit', { id: generation.id }, { key: submitKey({ reservationId }) });
      return true;
    }
    return false;
  }

  /**
   * Queues the next status call. Awaited, so a queue that cannot take it (an outage) fails the
   * running job, which the queue then runs again: the chain of polls never silently breaks.
   */
  async #schedulePoll(generation: Generation, hint?: number): Promise<void> {
    const attempt = this.#polls.get(generation.id) ?? 0;
    this.#polls.set(generation.id, attempt + 1);
    const delay = Math.max(hint ?? 0, (this.#dependencies.pollSchedule ?? pollDelay)(generation.estimatedTime, attempt));
    await this.#dependencies.queue.enqueue('generation.poll', { id: generation.id }, { delayMilliseconds: hint !== undefined ? hint : delay });
  }

  #forget(id: string): void {
    this.#polls.delete(id);
    this.#statusErrors.delete(id);
  }

  /** A provider call, inside its span when the host turned telemetry on. */
  #call<Result>(operation: ProviderCall['operation'], generation: Generation, adapter: ProviderAdapter, run: () => Promise<Result>, outcome: (result: Result) => string): Promise<Result> {
    const telemetry = this.#dependencies.telemetry;
    if (!telemetry) return run();
    // The provider now serving is the one after those whose attempts already ended.
    const attempt = generation.attempts.filter((each) => each.endedAt !== null).length + 1;
    return telemetry.providerCall({ operation, provider: adapter.id, model: generation.model, type: generation.type, generationId: generation.id, attempt }, run, outcome);
  }

  #adapter(generation: Generation): ProviderAdapter {
    const adapter = this.#dependencies.registry.resolve(generation.provider, generation.livemode ? 'live' : 'test');
    if (!adapter) throw new DoitongError('PROVIDER_UNAVAILABLE', `Provider "${generation.provider}" is no longer registered.`);
    return adapter;
  }

  #context(generation: Generation): ProviderCallContext {
    const callbackUrl = this.#dependencies.callbackUrl?.(generation.provider, generation.id);
    let signal: AbortSignal | undefined;
    const timeout = this.#callTimeout();
    const context = {
      // Made when a transport first asks for it: a timeout signal is a timer, and a provider that answers from memory (the sandbox) never needs one.
      get signal() {
        return (signal ??= AbortSignal.timeout(timeout));
      },
      now: () => this.#now(),
    } as ProviderCallContext;
    if (callbackUrl) context.callbackUrl = callbackUrl;
    return context;
  }

  #callTimeout(): number {
    return this.#dependencies.providerCallTimeoutMilliseconds ?? defaultCallTimeoutMilliseconds;
  }

  #now(): number {
    return this.#dependencies.clock.now();
  }

  #iso(): string {
    return isoTime(this.#now());
  }
}

/** The attempts with the last one ended (or a new ended one when the failure came before any was recorded). */
function closeAttempts(generation: Generation, now: string, startedAt: string | undefined, outcome: 'rejected' | 'failed', failure: GenerationError): Generation['attempts'] {
  const last = generation.attempts.at(-1);
  const ended = { endedAt: now, outcome, errorCode: failure.code, message: failure.message };
  if (last && last.endedAt === null && last.provider === generation.provider)
    return [...generation.attempts.slice(0, -1), { ...last, ...ended }];
  return [...generation.attempts, { provider: generation.provider, creditCost: generation.creditCost, startedAt: startedAt ?? now, ...ended }];
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

/**
 * A status call's error that reports the job's end rather than a failure to read it: a
 * ProviderError with `acceptance: 'failed'`. A job that was accepted and then refused its input
 * ends as GENERATION_FAILED (refunded, no fallback); the provider's own fault stays
 * PROVIDER_UNAVAILABLE, which may fall back.
 */
function definiteFailure(error: unknown): Extract<ProviderStatus, { state: 'failed' }> | undefined {
  if (!(error instanceof ProviderError) || error.acceptance !== 'failed') return undefined;
  const providerCode = error.details.providerCode;
  return {
    state: 'failed',
    code: error.code === 'PROVIDER_UNAVAILABLE' ? 'PROVIDER_UNAVAILABLE' : 'GENERATION_FAILED',
    message: error.message,
    ...(typeof providerCode === 'string' ? { providerCode } : {}),
  };
}

export type { JsonObject };

/**
 * The queue key of a generation's submission: one per reservation, so each provider it is routed to
 * (the first, then each fallback, each with its own reservation) is submitted by one job at a time.
 */
export function submitKey(generation: Pick<Generation, 'reservationId'>): string {
  return `submit-${generation.reservationId}`;
}
