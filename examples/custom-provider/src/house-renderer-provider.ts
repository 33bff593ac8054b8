/**
 * A provider adapter a host writes for its own service. It describes itself (so
 * `providers(type: IMAGE)` lists it with its options and price) and implements start,
 * status and cancel; Doitong does the polling, limits, credits and storage. The calls go
 * through core's HTTP helper, which turns every failure into a ProviderError that tells the
 * engine whether the job may exist (so a render is never paid for twice).
 */
import type { ProviderAdapter, ProviderStatus } from '@doitong/core';
import { httpClient, messageOf, numberOf, objectOf, requiredId, stringOf, type Classifier } from '@doitong/core/provider-utils';

const sizes: Record<string, [number, number]> = { '1:1': [512, 512], '16:9': [640, 360], '9:16': [360, 640] };

/** Our service answers 422 for a request it cannot render; anything else it refuses is its own state (token, load). */
const classify: Classifier = ({ status, body }) => ({
  code: status === 422 ? 'INVALID_INPUT' : 'PROVIDER_UNAVAILABLE',
  message: `the render service answered ${status}: ${messageOf(body, status)}`,
});

export function houseRenderer(options: { baseUrl: string; token: string }): ProviderAdapter {
  const call = httpClient(
    { providerId: 'house-renderer', baseUrl: options.baseUrl, headersTimeoutMilliseconds: 10_000, bodyTimeoutMilliseconds: 30_000 },
    classify,
  );
  const headers = { authorization: `Token ${options.token}` };

  return {
    id: 'house-renderer',
    // The provider contract this adapter was written against: registration refuses it on a core that cannot honour it.
    contractVersion: '1.0',
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

    async start(generation, context) {
      const [width, height] = sizes[String(generation.options.aspectRatio)] ?? sizes['1:1']!;
      const renderId = await call({
        method: 'POST',
        url: '/renders',
        headers,
        json: { prompt: generation.input.text, width, height },
        // The call that creates the job: an answer that never comes means the job may exist, so it is never repeated.
        create: true,
        signal: context.signal,
        parse: (response) => requiredId(objectOf(response.body).id, 'id'),
      });
      return { handle: { renderId }, pollAfterMilliseconds: 200 };
    },

    async status(handle, _generation, context): Promise<ProviderStatus> {
      const job = await call({
        method: 'GET',
        url: `/renders/${String(handle.renderId)}`,
        headers,
        signal: context.signal,
        parse: (response) => objectOf(response.body),
      });
      const state = stringOf(job.state);
      if (state === 'cancelled') return { state: 'cancelled' };
      if (state === 'failed') return { state: 'failed', code: 'GENERATION_FAILED', message: stringOf(job.error) ?? 'The render failed.' };
      const image = stringOf(job.image);
      if (state !== 'done' || !image) return { state: 'running', progress: numberOf(job.progress) };
      const data = await call({ method: 'GET', url: image, headers, signal: context.signal, parse: (response) => response.bytes });
      return {
        state: 'succeeded',
        outputs: [{ kind: 'bytes', data, contentType: 'image/png', metadata: { width: numberOf(job.width), height: numberOf(job.height), format: 'png' } }],
      };
    },

    async cancel(handle, _generation, context) {
      const job = await call({
        method: 'DELETE',
        url: `/renders/${String(handle.renderId)}`,
        headers,
        signal: context.signal,
        parse: (response) => objectOf(response.body),
      });
      return job.state === 'cancelled';
    },
  };
}
