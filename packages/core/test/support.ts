import { createDoitong, type DoitongOptions, type ProviderAdapter, type ProviderStatus, silentLogger, ProviderError } from '@doitong/core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A clock tests move by hand. */
export function manualClock(start = Date.UTC(2026, 10, 23, 12, 0, 0)) {
  let time = start;
  return { now: () => time, advance: (milliseconds: number) => (time += milliseconds), set: (value: number) => (time = value) };
}

export interface FakeProviderOptions {
  id?: string;
  types?: ProviderAdapter['types'];
  creditCost?: number;
  estimatedTime?: number;
  /** Status calls before the job succeeds. */
  pollsToFinish?: number;
  quality?: number;
  speed?: number;
  outcome?: 'succeed' | 'fail' | 'reject' | 'unknown';
  refundAfterAcceptance?: boolean;
  maxJobTime?: number;
  cancellable?: boolean;
}

/** A small in-memory provider whose jobs finish after a set number of polls. */
export function fakeProvider(options: FakeProviderOptions = {}) {
  const calls = { start: 0, status: 0, cancel: 0 };
  const jobs = new Map<string, { polls: number; cancelled: boolean }>();
  const adapter: ProviderAdapter = {
    id: options.id ?? 'fake',
    name: 'Fake',
    description: 'A provider for tests.',
    types: options.types ?? ['IMAGE'],
    models: [{ id: 'fake-1', name: 'Fake 1' }],
    defaultModel: 'fake-1',
    features: ['fast'],
    limitations: ['none'],
    inputs: Object.fromEntries((options.types ?? ['IMAGE']).map((type) => [type, { text: 'required', image: 'optional' }])),
    options: [
      { name: 'size', type: 'string', description: 'Output size.', allowedValues: ['small', 'large'], default: 'small' },
      { name: 'seed', type: 'integer', description: 'Seed.', minimum: 0 },
    ],
    traits: { quality: options.quality ?? 5, speed: options.speed ?? 5, cost: 5 },
    price: (request) => ({ creditCost: (options.creditCost ?? 10) * (request.options.size === 'large' ? 2 : 1), estimatedTime: options.estimatedTime ?? 1 }),
    maxJobTime: options.maxJobTime ?? 600,
    cancellation: { refundAfterAcceptance: options.refundAfterAcceptance ?? true, note: 'test' },
    livemode: false,
    async start(request) {
      calls.start++;
      if (options.outcome === 'reject') throw new ProviderError('PROVIDER_UNAVAILABLE', 'fake is down', { providerId: 'fake', acceptance: 'rejected', responseStatus: 503 });
      if (options.outcome === 'unknown') throw new ProviderError('PROVIDER_UNAVAILABLE', 'fake timed out', { providerId: 'fake', acceptance: 'unknown' });
      jobs.set(request.generationId, { polls: 0, cancelled: false });
      return { handle: { jobId: request.generationId }, pollAfterMilliseconds: 0 };
    },
    async status(handle): Promise<ProviderStatus> {
      calls.status++;
      const job = jobs.get(String(handle.jobId))!;
      if (job.cancelled) return { state: 'cancelled' };
      job.polls++;
      if (job.polls < (options.pollsToFinish ?? 1)) return { state: 'running', progress: Math.round((job.polls / (options.pollsToFinish ?? 1)) * 100), pollAfterMilliseconds: 5 };
      if (options.outcome === 'fail') return { state: 'failed', code: 'GENERATION_FAILED', message: 'content refused', providerCode: 'moderated' };
      return { state: 'succeeded', outputs: [{ kind: 'bytes', data: new Uint8Array([137, 80, 78, 71]), contentType: 'image/png', metadata: { width: 1, height: 1, format: 'png' } }] };
    },
    ...(options.cancellable === false
      ? {}
      : {
          async cancel(handle) {
            calls.cancel++;
            const job = jobs.get(String(handle.jobId));
            if (job) job.cancelled = true;
            return true;
          },
        }),
  };
  return { adapter, calls, jobs };
}

export function testDoitong(options: DoitongOptions = {}) {
  return createDoitong({ logger: process.env.DEBUG_TESTS ? undefined : silentLogger, assets: { directory: mkdtempSync(join(tmpdir(), 'doitong-test-')) }, ...options });
}

/** Calls the handler directly, as a binding would. */
export async function post(doitong: ReturnType<typeof createDoitong>, apiKey: string | null, body: unknown, headers: Record<string, string> = {}) {
  const response = await doitong.handle({
    method: 'POST',
    url: '/',
    headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}), ...lower(headers) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    baseUrl: 'http://localhost/graphql',
  });
  const text = typeof response.body === 'string' ? response.body : '';
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

function lower(headers: Record<string, string>) {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** Resolves when `predicate` holds, checking every few milliseconds (the engine runs on real timers). */
export async function eventually<T>(read: () => Promise<T>, predicate: (value: T) => boolean, timeoutMilliseconds = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMilliseconds;
  for (;;) {
    const value = await read();
    if (predicate(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMilliseconds} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
