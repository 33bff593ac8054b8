import { derivedToken, randomToken } from '../random-token';
import type { Account } from '../accounts/account';
import { DoitongError } from '../errors';
import type { CreditLedger } from '../policies/ledger';
import type { Plan } from '../policies/plans';
import type { RatePolicyState } from '../policies/rate-limits';
import type { GenerationInput } from '../providers/generation-input';
import { checkInputMedia, defaultInputMediaLimits } from '../providers/input-media';
import type { GenerationType, JsonValue, Priority } from '../providers/generation-type';
import { terminalStatuses, type Generation } from './generation';
import type { GenerationFilter, GenerationPage } from './generation-store';
import type { EngineDependencies } from './dependencies';
import { maxJobTimeSeconds } from './defaults';
import { enqueueJob, jobNames, submitKey } from './jobs';
import { GenerationWorker } from './worker';
import { isoTime } from '../policies/clock';

export interface CreateGenerationInput {
  type: GenerationType;
  provider?: string | null;
  input: GenerationInput;
  options?: Record<string, JsonValue> | null;
  priority?: Priority | null;
  webhookUrl?: string | null;
  /** Providers that may take over after a proven failure, in order (with an explicit provider). */
  fallback?: readonly string[] | null;
  /** The mount path's absolute URL as the request saw it; set by the API layer (not a GraphQL input), kept for webhook links. */
  baseUrl?: string | null;
}

/** What an Idempotency-Key tells `create`: the key, and the seed the generation's id is derived from (see `RequestContext.idempotencyAttempt`). */
export interface CreateIdempotency {
  key: string;
  seed?: string;
  /** The request's earlier run died mid-way: the generation may exist already. */
  resumes?: boolean;
}

/**
 * The lifecycle of generations. `create` does everything a caller waits for (validate,
 * route, price, limit, reserve, persist) and hands the rest to the queue's worker.
 */
export class Engine {
  readonly worker: GenerationWorker;
  readonly #dependencies: EngineDependencies;

  constructor(dependencies: EngineDependencies) {
    this.#dependencies = dependencies;
    this.worker = new GenerationWorker(dependencies);
  }

  async create(
    account: Account,
    input: CreateGenerationInput,
    report?: (states: RatePolicyState[]) => void,
    idempotency?: CreateIdempotency | null,
  ): Promise<Generation> {
    const { router, limits, slots, ledger, generations, queue, events, clock, logger } = this.#dependencies;
    let generationId = `gen_${idempotency?.seed ? derivedToken(idempotency.seed, 24) : randomToken(24)}`;
    if (idempotency?.resumes) {
      // The request's earlier run died mid-way: the generation it created, if it got that far, is
      // this request's answer (charged once). If it did not, a new one is made under a fresh id:
      // a reservation that run made and gave back must not be found again and taken as paid.
      const earlier = await generations.get(generationId);
      if (earlier && earlier.accountId === account.id) return this.#adopt(earlier);
      generationId = `gen_${randomToken(24)}`;
    }
    const text = input.input?.text;
    if (text !== undefined && text !== null && typeof text === 'string' && text.trim() === '' && !input.input.image)
      throw new DoitongError('INVALID_INPUT', 'input.text must not be empty', { details: { option: 'input.text' } });
    if (input.input) checkInputMedia(input.input, this.#dependencies.inputMedia ?? defaultInputMediaLimits);
    if (input.webhookUrl) await this.#dependencies.checkUrl?.(input.webhookUrl, 'webhookUrl');

    const generationInput = stripNulls(input.input ?? {});
    const analysis = this.#dependencies.analysis;
    const needs =
      analysis && !input.provider
        ? await analysis.analyse({ type: input.type, input: generationInput, options: input.options ?? {}, priority: input.priority ?? null })
        : undefined;
    const route = router.route({
      type: input.type,
      provider: input.provider,
      input: generationInput,
      options: input.options ?? {},
      priority: input.priority ?? null,
      mode: account.mode,
      generationId,
      accountId: account.id,
      fallback: input.fallback ?? null,
      needs,
    });

    const plan = this.#dependencies.planFor(account);
    const windows = await limits.consumeGeneration(account.id, plan);
    if (!windows.allowed) {
      report?.(windows.states);
      const refused = windows.states.find((state) => !state.allowed)!;
      this.#dependencies.telemetry?.rateLimitRefused(refused.policy, plan.id);
      throw rateLimitError(refused);
    }
    const maxJobTime = maxJobTimeSeconds(route.adapter);
    const slot = await slots.acquire(account.id, generationId, plan.concurrent, (maxJobTime + 120) * 1000);
    const concurrent: RatePolicyState = {
      policy: 'concurrent',
      limit: plan.concurrent,
      remaining: Math.max(0, plan.concurrent - slot.active),
      resetSeconds: Math.min(60, Math.max(1, Math.ceil(route.quote.estimatedTime))),
      allowed: slot.acquired,
    };
    if (!slot.acquired) {
      await limits.refundGeneration(account.id, plan);
      report?.(restore(windows.states).concat(concurrent));
      this.#dependencies.telemetry?.rateLimitRefused('concurrent', plan.id);
      throw rateLimitError(concurrent);
    }

    let reservation: Awaited<ReturnType<CreditLedger['reserve']>>;
    try {
      reservation = await ledger.reserve(account.id, route.quote.creditCost, `res_${generationId}`, generationId);
    } catch (error) {
      // The ledger is unreachable: give the slot back now rather than let it wait for its expiry
      // (should that fail too, the reconciler frees it).
      await slots.release(account.id, generationId).catch((cleanup: unknown) => logger.warn({ err: cleanup, generationId }, 'releasing the slot failed'));
      await limits.refundGeneration(account.id, plan).catch(() => undefined);
      throw error;
    }
    if (!reservation.ok) {
      await slots.release(account.id, generationId);
      await limits.refundGeneration(account.id, plan);
      report?.(restore(windows.states).concat({ ...concurrent, remaining: concurrent.remaining + 1 }));
      throw new DoitongError('INSUFFICIENT_CREDITS', `This generation costs ${route.quote.creditCost} credits; the balance is ${reservation.balance}.`, {
        details: { required: route.quote.creditCost, balance: reservation.balance },
      });
    }
    report?.(windows.states.concat(concurrent));

    const now = isoTime(clock.now());
    const generation: Generation = {
      id: generationId,
      accountId: account.id,
      type: input.type,
      status: 'PENDING',
      provider: route.adapter.id,
      model: route.request.model ?? null,
      input: route.request.input,
      options: route.request.options,
      priority: input.priority ?? null,
      webhookUrl: input.webhookUrl ?? null,
      progress: 0,
      creditCost: route.quote.creditCost,
      estimatedTime: Math.round(route.quote.estimatedTime),
      livemode: route.adapter.livemode,
      assetKey: null,
      externalUrl: null,
      metadata: null,
      error: null,
      providerJob: null,
      reservationId: reservation.reservationId,
      routing: route.decision,
      attempts: [],
      fallbacks: route.fallbacks,
      requestedOptions: input.options ?? {},
      idempotencyKey: idempotency?.key ?? null,
      baseUrl: input.baseUrl || null,
      createdAt: now,
      updatedAt: now,
      startedAt: null,
      completedAt: null,
    };
    try {
      await generations.create(generation);
    } catch (error) {
      // Nothing was handed to a provider: give everything back before reporting the failure.
      await ledger.refund(reservation.reservationId, 'storage failure before submission');
      await slots.release(account.id, generationId);
      await limits.refundGeneration(account.id, plan);
      throw error;
    }
    events.emit('generation.created', generation);
    try {
      await enqueueJob(queue, jobNames.submit, { id: generationId }, { key: submitKey(generation) });
    } catch (error) {
      // Nothing reached a provider: end it refunded rather than leave a PENDING generation no job will run.
      await this.#abandon(generation, plan).catch((cleanup: unknown) =>
        logger.error({ err: cleanup, generationId }, 'abandoning an unqueued generation failed'),
      );
      throw error;
    }
    logger.debug?.({ generationId, provider: generation.provider }, 'generation created');
    return generation;
  }

  /**
   * A generation an earlier run of the same request created: its submission is queued again under
   * its key (a no-op while it waits or runs), in case that run died before queuing it.
   */
  async #adopt(generation: Generation): Promise<Generation> {
    if (generation.status === 'PENDING' && !generation.submittingSince)
      await enqueueJob(this.#dependencies.queue, jobNames.submit, { id: generation.id }, { key: submitKey(generation) });
    this.#dependencies.logger.info?.({ generationId: generation.id }, 'a retried request found the generation its earlier run created');
    return generation;
  }

  async #abandon(generation: Generation, plan: Plan): Promise<void> {
    const { generations, ledger, slots, limits, clock } = this.#dependencies;
    const now = isoTime(clock.now());
    await generations.update(generation.id, (current) =>
      current.status === 'PENDING'
        ? {
            ...current,
            status: 'FAILED',
            error: { code: 'SERVICE_UNAVAILABLE', message: 'The job queue was unavailable; nothing was charged.' },
            settlement: 'refund',
            completedAt: now,
            updatedAt: now,
            notifiedAt: now,
          }
        : undefined,
    );
    await ledger.refund(generation.reservationId, 'job queue unavailable');
    await slots.release(generation.accountId, generation.id);
    await limits.refundGeneration(generation.accountId, plan);
  }

  /** The caller's own generation; another account's id is NOT_FOUND, never FORBIDDEN. */
  async get(account: Account, id: string): Promise<Generation> {
    const generation = await this.#dependencies.generations.get(id);
    if (!generation || generation.accountId !== account.id) throw new DoitongError('NOT_FOUND', `No generation with id "${id}".`, { details: { id } });
    return generation;
  }

  list(account: Account, page: { first: number; after?: string | null }, filter: GenerationFilter): Promise<GenerationPage> {
    return this.#dependencies.generations.list(account.id, page, filter);
  }

  /** True when this call cancelled the generation; false when it had already ended. */
  async cancel(account: Account, id: string): Promise<boolean> {
    const generation = await this.get(account, id);
    if (terminalStatuses.has(generation.status)) return false;
    return this.worker.cancel(generation.id);
  }
}

function rateLimitError(state: RatePolicyState): DoitongError {
  const names = { minute: 'per-minute', day: 'daily', concurrent: 'concurrent', reads: 'read' } as const;
  return new DoitongError(
    'RATE_LIMIT',
    `The ${names[state.policy]} limit of ${state.limit} ${state.policy === 'concurrent' ? 'generations in flight' : 'requests'} is reached; retry in ${state.resetSeconds} s.`,
    {
      details: { policy: state.policy, limit: state.limit, retryAfterSeconds: state.resetSeconds },
      headers: { 'retry-after': String(state.resetSeconds) },
    },
  );
}

/** The window states as they are after the generation's points were given back. */
function restore(states: RatePolicyState[]): RatePolicyState[] {
  return states.map((state) => ({ ...state, remaining: Math.min(state.limit, state.remaining + 1) }));
}

function stripNulls(input: GenerationInput): GenerationInput {
  const clean: GenerationInput = {};
  for (const [key, value] of Object.entries(input)) if (value !== null && value !== undefined) (clean as Record<string, unknown>)[key] = value;
  return clean;
}
