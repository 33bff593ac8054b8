/**
 * A provider adapter a host writes for its own service. It describes itself (so
 * `providers(type: IMAGE)` lists it with its options and price) and implements start,
 * status and cancel; Doitong does the polling, limits, credits and storage.
 */
import type { ProviderAdapter, ProviderStatus } from '@doitong/core';
import { ProviderError } from '@doitong/core';
import { request } from 'undici';

const sizes: Record<string, [number, number]> = { '1:1': [512, 512], '16:9': [640, 360], '9:16': [360, 640] };

export function houseRenderer(options: { baseUrl: string; token: string }): ProviderAdapter {
  const call = async (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) => {
    let response;
    try {
      response = await request(`${options.baseUrl}${path}`, {
        method,
        headers: { authorization: `Token ${options.token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        headersTimeout: 10_000,
        bodyTimeout: 30_000,
      });
    } catch (error) {
      // No answer: the service may or may not have the job, so the engine must not resubmit it.
      throw new ProviderError('PROVIDER_UNAVAILABLE', 'The render service did not answer.', { providerId: 'house-renderer', acceptance: 'unknown', cause: error });
    }
    if (response.statusCode >= 400) {
      const detail = await response.body.text();
      const code = response.statusCode === 422 ? 'INVALID_INPUT' : 'PROVIDER_UNAVAILABLE';
      throw new ProviderError(code, `Render service answered ${response.statusCode}: ${detail}`, { providerId: 'house-renderer', acceptance: 'rejected', responseStatus: response.statusCode });
    }
    return response;
  };

  return {
    id: 'house-renderer',
    name: 'House renderer',
    description: 'Our own gradient renderer, for placeholder art.',
    types: ['IMAGE'],
    models: [{ id: 'gradient-1', name: 'Gradient 1' }],
    defaultModel: 'gradient-1',
    features: ['Instant placeholders', 'Deterministic colours per prompt'],
    limitations: ['Gradients only'],
    inputs: { IMAGE: { text: 'required', image: 'unsupported' } },
    options: [{ name: 'aspectRatio', type: 'string', description: 'Shape of the image.', allowedValues: Object.keys(sizes), default: '1:1' }],
    traits: { quality: 2, speed: 10, cost: 1 },
    price: () => ({ creditCost: 1, estimatedTime: 1 }),
    maxJobTime: 60,
    cancellation: { refundAfterAcceptance: true, note: 'Cancelled renders cost nothing.' },
    // Our own service spends no money, so test-mode keys may use it too.
    livemode: false,

    async start(generation) {
      const [width, height] = sizes[String(generation.options.aspectRatio)] ?? sizes['1:1']!;
      const response = await call('POST', '/renders', { prompt: generation.input.text, width, height });
      const job = (await response.body.json()) as { id: string };
      return { handle: { renderId: job.id }, pollAfterMilliseconds: 200 };
    },

    async status(handle): Promise<ProviderStatus> {
      const response = await call('GET', `/renders/${handle.renderId}`);
      const job = (await response.body.json()) as { state: string; progress: number; width: number; height: number; image: string | null; error?: string };
      if (job.state === 'cancelled') return { state: 'cancelled' };
      if (job.state === 'failed') return { state: 'failed', code: 'GENERATION_FAILED', message: job.error ?? 'The render failed.' };
      if (job.state !== 'done' || !job.image) return { state: 'running', progress: job.progress };
      const image = await call('GET', job.image);
      const data = new Uint8Array(await image.body.arrayBuffer());
      return { state: 'succeeded', outputs: [{ kind: 'bytes', data, contentType: 'image/png', metadata: { width: job.width, height: job.height, format: 'png' } }] };
    },

    async cancel(handle) {
      const response = await call('DELETE', `/renders/${handle.renderId}`);
      const job = (await response.body.json()) as { state: string };
      return job.state === 'cancelled';
    },
  };
}
