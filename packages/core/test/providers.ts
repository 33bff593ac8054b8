import { ProviderError, type OptionSpec, type ProviderAdapter, type ProviderStatus, type ProviderStrengths } from '@doitong/core';

export interface TestProviderOptions {
  id: string;
  type?: 'VIDEO' | 'IMAGE' | 'AUDIO' | 'AVATAR';
  quality?: number;
  speed?: number;
  creditCost?: number;
  estimatedTime?: number;
  /** What `start` does now; tests change it between generations. */
  start?: 'accept' | 'reject' | 'unknown';
  /** How an accepted job ends. */
  end?: 'succeed' | 'fail-content' | 'fail-provider' | 'never' | 'status-refused' | 'status-provider-failed' | 'status-unreadable';
  image?: 'optional' | 'unsupported';
  durations?: number[];
  maxJobTime?: number;
  strengths?: ProviderStrengths;
  /** Extra option specs, beyond `duration`. */
  options?: OptionSpec[];
  /** Text input use (default required). */
  text?: 'required' | 'optional';
}

/**
 * A provider for routing and fallback tests whose behaviour can change between generations
 * (a provider that fails, then recovers). `calls` counts what the engine asked of it.
 */
export function testProvider(options: TestProviderOptions) {
  const state = { start: options.start ?? 'accept', end: options.end ?? 'succeed' };
  const calls = { start: 0, status: 0, cancel: 0 };
  const type = options.type ?? 'VIDEO';
  const adapter: ProviderAdapter = {
    id: options.id,
    name: options.id,
    description: `${options.id} for tests`,
    types: [type],
    models: [{ id: `${options.id}-1`, name: options.id }],
    defaultModel: `${options.id}-1`,
    features: [],
    limitations: [],
    inputs: { [type]: { text: options.text ?? 'required', image: options.image ?? 'optional' } },
    options: [
      { name: 'duration', type: 'integer', description: 'Seconds.', allowedValues: options.durations ?? [5, 10], default: (options.durations ?? [5])[0] },
      ...(options.options ?? []),
    ],
    traits: { quality: options.quality ?? 5, speed: options.speed ?? 5, cost: 5 },
    ...(options.strengths ? { strengths: options.strengths } : {}),
    price: () => ({ creditCost: options.creditCost ?? 10, estimatedTime: options.estimatedTime ?? 10 }),
    maxJobTime: options.maxJobTime ?? 600,
    cancellation: { refundAfterAcceptance: true, note: 'test' },
    livemode: false,
    async start(request) {
      calls.start++;
      if (state.start === 'reject')
        throw new ProviderError('PROVIDER_UNAVAILABLE', `${options.id} answered 503`, { providerId: options.id, acceptance: 'rejected', responseStatus: 503 });
      if (state.start === 'unknown')
        throw new ProviderError('PROVIDER_UNAVAILABLE', `${options.id} timed out`, { providerId: options.id, acceptance: 'unknown' });
      return { handle: { id: request.generationId }, pollAfterMilliseconds: 1 };
    },
    async status(): Promise<ProviderStatus> {
      calls.status++;
      if (state.end === 'never') return { state: 'running', progress: 10 };
      // A status call that throws: the provider's answer that the job ended, or a failure to read it.
      if (state.end === 'status-refused')
        throw new ProviderError('GENERATION_FAILED', 'output refused as sensitive', {
          providerId: options.id,
          acceptance: 'failed',
          details: { providerCode: '1027' },
        });
      if (state.end === 'status-provider-failed')
        throw new ProviderError('PROVIDER_UNAVAILABLE', 'internal error (13)', { providerId: options.id, acceptance: 'failed' });
      if (state.end === 'status-unreadable')
        throw new ProviderError('PROVIDER_UNAVAILABLE', `${options.id} answered 502`, { providerId: options.id, acceptance: 'rejected', responseStatus: 502 });
      if (state.end === 'fail-content') return { state: 'failed', code: 'GENERATION_FAILED', message: 'content refused' };
      if (state.end === 'fail-provider') return { state: 'failed', code: 'PROVIDER_UNAVAILABLE', message: 'internal error at the provider' };
      return { state: 'succeeded', outputs: [{ kind: 'bytes', data: new Uint8Array([1, 2, 3]), contentType: 'video/mp4', metadata: { format: 'mp4' } }] };
    },
    async cancel() {
      calls.cancel++;
      return true;
    },
  };
  return { adapter, calls, state };
}
