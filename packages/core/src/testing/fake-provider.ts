import { ProviderError, type ProviderAdapter, type ProviderStatus } from '@doitong/core';

export interface FakeProviderOptions {
  id?: string;
  types?: ProviderAdapter['types'];
  creditCost?: number;
  estimatedTime?: number;
  /** Status calls before the job succeeds. */
  pollsToFinish?: number;
  quality?: number;
  speed?: number;
  /** `reject`: refused before acceptance; `unknown`: the create call's outcome is unknown. */
  outcome?: 'succeed' | 'fail' | 'reject' | 'unknown';
  refundAfterAcceptance?: boolean;
  maxJobTime?: number;
  cancellable?: boolean;
}

/** The four bytes every fake job outputs (a PNG signature), so tests can check a download. */
export const fakeOutput = new Uint8Array([137, 80, 78, 71]);

/**
 * A small in-memory provider whose jobs finish after a set number of polls, for host tests
 * that need a generation to run end to end without the sandbox or any network. `calls`
 * counts what the engine asked of it.
 */
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
      if (options.outcome === 'reject')
        throw new ProviderError('PROVIDER_UNAVAILABLE', 'fake is down', { providerId: 'fake', acceptance: 'rejected', responseStatus: 503 });
      if (options.outcome === 'unknown') throw new ProviderError('PROVIDER_UNAVAILABLE', 'fake timed out', { providerId: 'fake', acceptance: 'unknown' });
      jobs.set(request.generationId, { polls: 0, cancelled: false });
      return { handle: { jobId: request.generationId }, pollAfterMilliseconds: 0 };
    },
    async status(handle): Promise<ProviderStatus> {
      calls.status++;
      const job = jobs.get(String(handle.jobId))!;
      if (job.cancelled) return { state: 'cancelled' };
      job.polls++;
      if (job.polls < (options.pollsToFinish ?? 1))
        return { state: 'running', progress: Math.round((job.polls / (options.pollsToFinish ?? 1)) * 100), pollAfterMilliseconds: 5 };
      if (options.outcome === 'fail') return { state: 'failed', code: 'GENERATION_FAILED', message: 'content refused', providerCode: 'moderated' };
      return {
        state: 'succeeded',
        outputs: [{ kind: 'bytes', data: fakeOutput.slice(), contentType: 'image/png', metadata: { width: 1, height: 1, format: 'png' } }],
      };
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
