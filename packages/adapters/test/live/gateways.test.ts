import { createHmac } from 'node:crypto';
import { providerConformanceSuite } from '@doitong/core/testing';
import * as vitest from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { falGateway, replicateGateway } from '@doitong/adapters';
import { requestFor } from '../helpers';
import { falKey, falMock } from '../mocks/fal';
import type { MockServer } from '../mocks/mock-server';
import { replicateMock, replicateToken } from '../mocks/replicate';
import { context, liveAdapter, liveTarget } from './target';

const replicate = { replicate: { apiToken: replicateToken } };
const fal = { fal: { apiKey: falKey } };

providerConformanceSuite(vitest, {
  name: 'flux-optimized (Replicate)',
  setup: () =>
    liveTarget({
      mock: replicateMock,
      id: 'flux-optimized',
      family: 'replicate',
      credentials: replicate,
      request: { type: 'IMAGE', input: { text: 'an astronaut riding a horse' } },
    }),
});
providerConformanceSuite(vitest, {
  name: 'flux-schnell (fal queue)',
  setup: () => liveTarget({ mock: falMock, id: 'flux-schnell', family: 'fal', credentials: fal, request: { type: 'IMAGE', input: { text: 'a fox' } } }),
});
providerConformanceSuite(vitest, {
  name: 'replicateGateway (any model by id)',
  setup: async () => {
    const mock = await replicateMock();
    const adapter = replicateGateway({
      id: 'replicate-video',
      model: 'wan-video/wan-2.2-t2v-fast',
      type: 'VIDEO',
      token: replicateToken,
      baseUrl: mock.url,
      price: { creditCost: 12, estimatedTime: 30 },
    });
    return {
      adapter,
      request: { type: 'VIDEO', input: { text: 'a wave' } },
      synchronous: false,
      behave: (behaviour) => void (mock.behaviour = behaviour),
      createCalls: () => mock.createCalls(),
      cancelCalls: () => mock.cancelCalls(),
      close: () => mock.close(),
    };
  },
});
providerConformanceSuite(vitest, {
  name: 'falGateway (any model by id)',
  setup: async () => {
    const mock = await falMock();
    const adapter = falGateway({
      id: 'fal-flux-dev',
      model: 'fal-ai/flux/dev',
      type: 'IMAGE',
      token: falKey,
      baseUrl: mock.url,
      price: { creditCost: 3, estimatedTime: 5 },
    });
    return {
      adapter,
      request: { type: 'IMAGE', input: { text: 'a fox' } },
      synchronous: false,
      behave: (behaviour) => void (mock.behaviour = behaviour),
      createCalls: () => mock.createCalls(),
      cancelCalls: () => mock.cancelCalls(),
      close: () => mock.close(),
    };
  },
});

describe('Replicate transport', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await replicateMock();
  });
  afterAll(() => mock.close());

  it('creates official-model predictions with the quality level’s input, and version predictions by id', async () => {
    const live = liveAdapter('flux-optimized', 'replicate', mock.url, replicate);
    await live.start(
      requestFor(live, 'IMAGE', { text: 'a horse' }, { model: 'flux-dev', quality: 'draft', aspectRatio: '16:9', seed: 1 }),
      context('https://h/cb'),
    );
    const sent = mock.requests.at(-1)!;
    expect(sent.path).toBe('/v1/models/black-forest-labs/flux-dev/predictions');
    expect(sent.headers.authorization).toBe(`Bearer ${replicateToken}`);
    expect(sent.json).toEqual({
      input: {
        prompt: 'a horse',
        aspect_ratio: '16:9',
        go_fast: true,
        num_outputs: 1,
        megapixels: '0.25',
        output_format: 'webp',
        output_quality: 80,
        num_inference_steps: 12,
        seed: 1,
      },
      webhook: 'https://h/cb',
      webhook_events_filter: ['completed'],
    });
    const version = 'a'.repeat(64);
    const gateway = replicateGateway({
      id: 'pinned',
      model: `owner/model:${version}`,
      type: 'IMAGE',
      token: replicateToken,
      baseUrl: mock.url,
      price: { creditCost: 2, estimatedTime: 4 },
    });
    await gateway.start(requestFor(gateway, 'IMAGE', { text: 'x', image: 'https://e/i.png' }), context());
    expect(mock.requests.at(-1)!).toMatchObject({ path: '/v1/predictions', json: { version, input: { prompt: 'x', image: 'https://e/i.png' } } });
  });

  it('normalises starting, processing, succeeded, failed, canceled and aborted', async () => {
    const live = liveAdapter('flux-optimized', 'replicate', mock.url, replicate);
    const request = requestFor(live, 'IMAGE', { text: 'x' });
    mock.behaviour = 'fail';
    const job = await live.start(request, context());
    expect((await live.status!(job.handle, request, context())).state).toBe('queued');
    expect((await live.status!(job.handle, request, context())).state).toBe('running');
    expect(await live.status!(job.handle, request, context())).toMatchObject({
      state: 'failed',
      code: 'GENERATION_FAILED',
      message: expect.stringContaining('NSFW'),
    });
    mock.behaviour = 'never-finish';
    const running = await live.start(request, context());
    expect(await live.cancel!(running.handle, request, context())).toBe(true);
    expect(await live.status!(running.handle, request, context())).toEqual({ state: 'cancelled' });
    mock.behaviour = 'succeed';
    mock.nextCreateError = { status: 422, body: { title: 'Input validation failed', detail: '- prompt: required', status: 422 } };
    await expect(live.start(request, context())).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    mock.nextCreateError = { status: 429, body: { detail: 'Request was throttled. Your rate limit resets in ~30s.' } };
    await expect(live.start(request, context())).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE', message: expect.stringContaining('throttled') });
  });

  it('verifies signed webhooks when the webhook secret is configured', () => {
    const secret = `whsec_${Buffer.from('replicate-secret-key-32-bytes!!!').toString('base64')}`;
    const live = liveAdapter('flux-optimized', 'replicate', mock.url, { replicate: { apiToken: replicateToken, webhookSecret: secret } });
    const body = new TextEncoder().encode('{"id":"p1","status":"succeeded"}');
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', Buffer.from(secret.slice(6), 'base64'))
      .update(`msg_1.${timestamp}.`)
      .update(body)
      .digest('base64');
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': timestamp, 'webhook-signature': `v1,bad v1,${signature}` };
    expect(live.parseCallback!({ headers, body, now: Date.now })).toEqual({ verified: true, checkStatus: true });
    expect(live.parseCallback!({ headers: { ...headers, 'webhook-signature': 'v1,bad' }, body, now: Date.now }).verified).toBe(false);
  });
});

describe('fal transport', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await falMock();
  });
  afterAll(() => mock.close());

  it('submits to the full endpoint and polls under owner/alias (the sub-path dropped), with Key auth and the webhook', async () => {
    const live = liveAdapter('flux-schnell', 'fal', mock.url, fal);
    const request = requestFor(live, 'IMAGE', { text: 'a fox' }, { aspectRatio: '16:9', steps: 2, seed: 8 });
    const job = await live.start(request, context('https://h/cb'));
    const sent = mock.requests.at(-1)!;
    expect(sent.path).toBe('/fal-ai/flux/schnell');
    expect(sent.query.get('fal_webhook')).toBe('https://h/cb');
    expect(sent.headers.authorization).toBe(`Key ${falKey}`);
    expect(sent.json).toEqual({
      prompt: 'a fox',
      image_size: 'landscape_16_9',
      num_inference_steps: 2,
      num_images: 1,
      enable_safety_checker: true,
      output_format: 'png',
      seed: 8,
    });
    expect(job.handle.statusUrl).toBe(`${mock.url}/fal-ai/flux/requests/${job.handle.requestId}/status`);
    expect((await live.status!(job.handle, request, context())).state).toBe('queued');
    expect((await live.status!(job.handle, request, context())).state).toBe('running');
    expect(await live.status!(job.handle, request, context())).toMatchObject({
      state: 'succeeded',
      outputs: [{ contentType: 'image/png', metadata: { width: 1024, height: 768, seed: 123456 } }],
    });
  });

  it('classifies submit errors: 401 and 429 are the provider’s, 422 the request’s', async () => {
    const live = liveAdapter('flux-schnell', 'fal', mock.url, fal);
    const request = requestFor(live, 'IMAGE', { text: 'x' });
    for (const [status, expected] of [
      [401, 'PROVIDER_UNAVAILABLE'],
      [429, 'PROVIDER_UNAVAILABLE'],
      [422, 'INVALID_INPUT'],
      [500, 'PROVIDER_UNAVAILABLE'],
    ] as const) {
      mock.nextCreateError = { status, body: { detail: 'm' } };
      await expect(live.start(request, context())).rejects.toMatchObject({ code: expected, acceptance: 'rejected', responseStatus: status });
    }
    const wrongKey = liveAdapter('flux-schnell', 'fal', mock.url, { fal: { apiKey: 'nope' } });
    await expect(wrongKey.start(request, context())).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE', responseStatus: 401 });
  });

  it('applies the path rule itself when the answer lacks the URLs', async () => {
    mock.behaviour = 'succeed';
    const live = liveAdapter('flux-schnell', 'fal', mock.url, fal);
    const request = requestFor(live, 'IMAGE', { text: 'a fox' });
    const job = await live.start(request, context());
    const rebuilt = {
      requestId: String(job.handle.requestId),
      statusUrl: `/fal-ai/flux/requests/${job.handle.requestId}/status`,
      responseUrl: `/fal-ai/flux/requests/${job.handle.requestId}`,
      cancelUrl: `/fal-ai/flux/requests/${job.handle.requestId}/cancel`,
    };
    expect((await live.status!(rebuilt, request, context())).state).toBe('queued');
  });

  it('reports a run’s error from the result fetch, and cancels while queued but not once finished', async () => {
    const live = liveAdapter('flux-schnell', 'fal', mock.url, fal);
    const request = requestFor(live, 'IMAGE', { text: 'x' });
    mock.behaviour = 'fail';
    const job = await live.start(request, context());
    for (let poll = 0; poll < 2; poll++) await live.status!(job.handle, request, context());
    expect(await live.status!(job.handle, request, context())).toMatchObject({
      state: 'failed',
      code: 'GENERATION_FAILED',
      message: expect.stringContaining('NSFW'),
      providerCode: '422',
    });
    mock.behaviour = 'never-finish';
    const queued = await live.start(request, context());
    expect(await live.cancel!(queued.handle, request, context())).toBe(true);
    mock.behaviour = 'succeed';
    const finished = await live.start(request, context());
    for (let poll = 0; poll < 3; poll++) await live.status!(finished.handle, request, context());
    expect(await live.cancel!(finished.handle, request, context())).toBe(false);
  });
});
