import { cancelDocument, generateDocument, generationDocument, providersDocument, updatesDocument } from './documents';
import { DoitongError, knownCode, type DoitongErrorCode } from './errors';
import { readEvents } from './event-stream';
import { terminalStatuses, type GenerateInput, type Generation, type GenerationType, type Provider, type RateLimitState } from './types';

export interface DoitongClientOptions {
  /** A Doitong API key (`dk_test_…` for the sandbox). */
  apiKey: string;
  /** The GraphQL endpoint: where the host mounted Doitong. Default `http://localhost:4000/graphql` (the demo). */
  endpoint?: string;
  /** Retries after RATE_LIMIT (at the reset time), IDEMPOTENCY_KEY_IN_USE and network failures. Default 3. */
  maxRetries?: number;
  /** The longest wait for a rate-limit window before giving up with the RATE_LIMIT error. Default 60 s. */
  maxRetryWaitSeconds?: number;
  /** Your fetch (a proxy, a test double); the global one by default. */
  fetch?: typeof fetch;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface GenerateOptions extends RequestOptions {
  /**
   * Sent as `Idempotency-Key`. A fresh one is made for every `generate` call and reused for its
   * retries, so a retry after a lost answer never starts (or charges) a second generation.
   */
  idempotencyKey?: string;
}

export interface WaitOptions extends RequestOptions {
  /** Called with each new state (status or progress changed). */
  onUpdate?: (generation: Generation) => void;
  /**
   * `subscription`: the `generationUpdated` subscription over Server-Sent Events;
   * `polling`: `generation(id)` at a pace set by the estimated time;
   * `auto` (default): the subscription, falling back to polling if the server cannot stream.
   */
  via?: 'auto' | 'subscription' | 'polling';
  /** Give up after this many milliseconds with a TIMEOUT error. */
  timeoutMilliseconds?: number;
  /** @deprecated The former name of `timeoutMilliseconds`, which wins when both are given. */
  timeoutMs?: number;
}

interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message?: string; extensions?: Record<string, unknown> }>;
}

const accept = 'application/graphql-response+json, application/json';

/**
 * A small typed client for the Doitong API: `fetch` and nothing else.
 *
 * ```ts
 * const doitong = new DoitongClient({ apiKey: process.env.DOITONG_API_KEY!, endpoint: 'http://localhost:4000/graphql' });
 * const started = await doitong.generate({ type: 'IMAGE', input: { text: 'a red fox' } });
 * const done = await doitong.waitForCompletion(started.id, { onUpdate: (g) => console.log(g.status, g.progress) });
 * ```
 */
export class DoitongClient {
  readonly endpoint: string;
  /** The rate-limit headers of the last response, to pace yourself. */
  rateLimit: RateLimitState | undefined;
  readonly #apiKey: string;
  readonly #maxRetries: number;
  readonly #maxRetryWait: number;
  readonly #fetch: typeof fetch;

  constructor(options: DoitongClientOptions) {
    if (!options.apiKey) throw new DoitongError('UNAUTHENTICATED', 'An API key is required: new DoitongClient({ apiKey }).');
    this.#apiKey = options.apiKey;
    this.endpoint = (options.endpoint ?? 'http://localhost:4000/graphql').replace(/\/+$/, '');
    this.#maxRetries = options.maxRetries ?? 3;
    this.#maxRetryWait = options.maxRetryWaitSeconds ?? 60;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** Starts a generation; it comes back at once, PENDING, with its price and estimated time. */
  async generate(input: GenerateInput, options: GenerateOptions = {}): Promise<Generation> {
    const idempotencyKey = options.idempotencyKey ?? crypto.randomUUID();
    const data = await this.#request(generateDocument, { input }, { ...options, idempotencyKey });
    return data.generate as Generation;
  }

  /** A generation of this account; NOT_FOUND for anyone else's. */
  async generation(id: string, options: RequestOptions = {}): Promise<Generation> {
    const data = await this.#request(generationDocument, { id }, options);
    return data.generation as Generation;
  }

  /** Cancels a generation; false when it had already ended. */
  async cancel(id: string, options: RequestOptions = {}): Promise<boolean> {
    const data = await this.#request(cancelDocument, { id }, { ...options, retrySafe: true });
    return data.cancelGeneration as boolean;
  }

  /** The providers of a type, with their models, options and default price. */
  async providers(type: GenerationType, options: RequestOptions = {}): Promise<Provider[]> {
    const data = await this.#request(providersDocument, { type }, options);
    return data.providers as Provider[];
  }

  /**
   * Resolves with the generation in its final state: COMPLETED (with `url`), FAILED (with `error`)
   * or CANCELLED. It follows the live `generationUpdated` subscription, or polls.
   */
  async waitForCompletion(id: string, options: WaitOptions = {}): Promise<Generation> {
    const via = options.via ?? 'auto';
    const timeoutMilliseconds = options.timeoutMilliseconds ?? options.timeoutMs;
    const timeout = timeoutMilliseconds !== undefined ? AbortSignal.timeout(timeoutMilliseconds) : undefined;
    const signal = timeout && options.signal ? AbortSignal.any([timeout, options.signal]) : (timeout ?? options.signal);
    let last: Generation | undefined;
    const report = (generation: Generation) => {
      if (last && last.status === generation.status && last.progress === generation.progress && last.url === generation.url) return;
      last = generation;
      options.onUpdate?.(generation);
    };
    try {
      if (via !== 'polling') {
        try {
          for await (const generation of this.updates(id, signal ? { signal } : {})) {
            report(generation);
            if (terminalStatuses.has(generation.status)) return generation;
          }
        } catch (error) {
          // Only a server that cannot stream falls back to polling; a wrong id or key is the answer.
          if (
            via === 'subscription' ||
            signal?.aborted ||
            !(error instanceof DoitongError) ||
            ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'].includes(error.code)
          )
            throw error;
        }
      }
      return await this.#poll(id, report, signal);
    } catch (error) {
      if (timeout?.aborted) throw new DoitongError('TIMEOUT', `Generation ${id} did not finish within ${timeoutMilliseconds} ms.`, { cause: error });
      throw error;
    }
  }

  /**
   * The generation's states as they happen, from the `generationUpdated` subscription over
   * Server-Sent Events (GraphQL over SSE, distinct connections mode). Ends after a final state.
   */
  async *updates(id: string, options: RequestOptions = {}): AsyncGenerator<Generation> {
    let response: Response;
    try {
      response = await this.#fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${this.#apiKey}` },
        body: JSON.stringify({ query: updatesDocument, variables: { id } }),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new DoitongError('NETWORK_ERROR', `Could not reach ${this.endpoint}.`, { retryable: true, cause: error });
    }
    this.#recordRateLimit(response.headers);
    if (!response.ok || !response.body || !(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      const body = await response.text().catch(() => '');
      throw errorFrom(parseJson(body), response);
    }
    for await (const event of readEvents(response.body)) {
      if (event.event === 'complete') return;
      if (event.event !== 'next') continue;
      const result = parseJson(event.data);
      if (result?.errors?.length) throw errorFrom(result, response);
      const generation = result?.data?.generationUpdated as Generation | undefined;
      if (generation) yield generation;
    }
  }

  /** Polls at a pace set by the estimated time: often near the expected end, less and less after it. */
  async #poll(id: string, report: (generation: Generation) => void, signal?: AbortSignal): Promise<Generation> {
    const started = Date.now();
    let delay = 500;
    for (;;) {
      const generation = await this.generation(id, signal ? { signal } : {});
      report(generation);
      if (terminalStatuses.has(generation.status)) return generation;
      const remaining = generation.estimatedTime * 1000 - (Date.now() - started);
      delay = remaining > 0 ? clamp(remaining / 4, 250, 5_000) : clamp(delay * 1.5, 1_000, 10_000);
      await sleep(delay, signal);
    }
  }

  async #request(
    document: string,
    variables: Record<string, unknown>,
    options: RequestOptions & { idempotencyKey?: string; retrySafe?: boolean },
  ): Promise<Record<string, unknown>> {
    const isMutation = document.startsWith('mutation');
    // Reads, keyed mutations and cancels can be sent again after a lost answer; nothing else is.
    const safe = !isMutation || options.idempotencyKey !== undefined || options.retrySafe === true;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept, authorization: `Bearer ${this.#apiKey}` };
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    const body = JSON.stringify({ query: document, variables });
    for (let attempt = 0; ; attempt += 1) {
      let response: Response;
      try {
        response = await this.#fetch(this.endpoint, { method: 'POST', headers, body, ...(options.signal ? { signal: options.signal } : {}) });
      } catch (error) {
        if (options.signal?.aborted) throw error;
        if (safe && attempt < this.#maxRetries) {
          await sleep(backoff(attempt), options.signal);
          continue;
        }
        throw new DoitongError('NETWORK_ERROR', `Could not reach ${this.endpoint}.`, { retryable: true, cause: error });
      }
      this.#recordRateLimit(response.headers);
      const text = await response.text();
      const result = parseJson(text);
      const failed = !response.ok || !result || !result.data || Object.values(result.data).some((value) => value === null && result.errors?.length);
      if (!failed) return result.data!;
      const error = errorFrom(result, response);
      if (attempt < this.#maxRetries) {
        if (error.code === 'RATE_LIMIT' && (error.retryAfterSeconds ?? 1) <= this.#maxRetryWait) {
          // The window resets then: waiting longer is pointless, shorter is refused again.
          await sleep((error.retryAfterSeconds ?? 1) * 1000, options.signal);
          continue;
        }
        if (error.code === 'IDEMPOTENCY_KEY_IN_USE' || (safe && response.status >= 500)) {
          await sleep(backoff(attempt), options.signal);
          continue;
        }
      }
      throw error;
    }
  }

  #recordRateLimit(headers: Headers): void {
    const limit = headers.get('x-ratelimit-limit');
    if (limit === null) return;
    this.rateLimit = {
      limit: Number(limit),
      remaining: Number(headers.get('x-ratelimit-remaining') ?? 0),
      reset: Number(headers.get('x-ratelimit-reset') ?? 0),
    };
  }
}

function errorFrom(result: GraphQLResponse | undefined, response: Response): DoitongError {
  const first = result?.errors?.[0];
  const extensions = first?.extensions ?? {};
  const { code, retryable, ...details } = extensions;
  const retryAfterHeader = Number(response.headers.get('retry-after') ?? response.headers.get('x-ratelimit-reset') ?? Number.NaN);
  const retryAfterSeconds =
    typeof details.retryAfterSeconds === 'number' ? details.retryAfterSeconds : Number.isFinite(retryAfterHeader) ? retryAfterHeader : undefined;
  const fallback: DoitongErrorCode =
    response.status === 401 ? 'UNAUTHENTICATED' : response.status === 429 ? 'RATE_LIMIT' : response.status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
  return new DoitongError(code === undefined ? fallback : knownCode(code), first?.message ?? `The server answered ${response.status} ${response.statusText}.`, {
    status: response.status,
    retryable: typeof retryable === 'boolean' ? retryable : response.status === 429 || response.status >= 500,
    details,
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  });
}

function parseJson(text: string): GraphQLResponse | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as GraphQLResponse) : undefined;
  } catch {
    return undefined;
  }
}

function backoff(attempt: number): number {
  return Math.min(8_000, 250 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
}

function clamp(value: number, minimum: number, maximum: number): number {
  return Math.min(maximum, Math.max(minimum, value));
}

function sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
