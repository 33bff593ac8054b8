import { providerConformanceSuite } from '@doitong/core/testing';
import * as vitest from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestFor } from '../helpers';
import { lumaKey, lumaMock } from '../mocks/luma';
import type { MockServer } from '../mocks/mock-server';
import { runwayKey, runwayMock, runwayOutOfCredits } from '../mocks/runway';
import { viggleKey, viggleMock } from '../mocks/viggle';
import { formFields } from '../mocks/mock-server';
import { context, liveAdapter, liveTarget } from './target';

const runwayCredentials = { runway: { apiKey: runwayKey } };
const lumaCredentials = { luma: { apiKey: lumaKey } };
const viggleCredentials = { viggle: { apiKey: viggleKey } };

providerConformanceSuite(vitest, {
  name: 'runway',
  setup: () =>
    liveTarget({
      mock: runwayMock,
      id: 'runway',
      family: 'runway',
      credentials: runwayCredentials,
      request: { type: 'VIDEO', input: { text: 'slow dolly in', image: 'https://example.com/first.jpg' } },
    }),
});
providerConformanceSuite(vitest, {
  name: 'luma',
  setup: () =>
    liveTarget({
      mock: lumaMock,
      id: 'luma',
      family: 'luma',
      credentials: lumaCredentials,
      request: { type: 'VIDEO', input: { text: 'a serene lake' }, options: { duration: 9 } },
    }),
});
providerConformanceSuite(vitest, {
  name: 'viggle (dance)',
  setup: () =>
    liveTarget({
      mock: viggleMock,
      id: 'viggle',
      family: 'viggle',
      credentials: viggleCredentials,
      request: { type: 'VIDEO', input: { image: 'https://example.com/me.png', video: 'https://example.com/dance.mp4' } },
    }),
});

describe('runway transport', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await runwayMock();
  });
  afterAll(() => mock.close());

  it('sends X-Runway-Version, the API model id, the ratio in pixels and the motion words', async () => {
    const live = liveAdapter('runway', 'runway', mock.url, runwayCredentials);
    await live.start(
      requestFor(
        live,
        'VIDEO',
        { text: 'a boat', image: 'https://example.com/a.jpg' },
        { model: 'gen-3', aspectRatio: '9:16', duration: 10, motionIntensity: 'high', seed: 42 },
      ),
      context(),
    );
    const sent = mock.requests.at(-1)!;
    expect(sent.headers['x-runway-version']).toBe('2024-11-06');
    expect(sent.headers.authorization).toBe(`Bearer ${runwayKey}`);
    expect(sent.path).toBe('/v1/image_to_video');
    // gen3a_turbo is no longer in the API's model union: Gen-3 is served, and priced, as Gen-4 Turbo.
    expect(sent.json).toEqual({
      model: 'gen4_turbo',
      ratio: '720:1280',
      duration: 10,
      promptText: 'a boat, dynamic, fast, energetic motion',
      seed: 42,
      promptImage: 'https://example.com/a.jpg',
    });
    await live.start(requestFor(live, 'VIDEO', { text: 'a city at night' }), context());
    expect(mock.requests.at(-1)!).toMatchObject({
      path: '/v1/text_to_video',
      json: { model: 'gen4.5', ratio: '1280:720', promptText: 'a city at night, natural motion' },
    });
  });

  it('sends each priced model to the route that serves it, and the price follows the model sent', async () => {
    const live = liveAdapter('runway', 'runway', mock.url, runwayCredentials);
    const image = 'https://example.com/a.jpg';
    for (const [model, input, expected, creditCost] of [
      ['gen-2', { text: 'a', image }, { path: '/v1/image_to_video', model: 'gen4_turbo' }, 25],
      ['gen-3', { text: 'a', image }, { path: '/v1/image_to_video', model: 'gen4_turbo' }, 25],
      ['gen-4', { image }, { path: '/v1/image_to_video', model: 'gen4_turbo' }, 25],
      ['gen-4.5', { text: 'a', image }, { path: '/v1/image_to_video', model: 'gen4.5' }, 60],
      ['gen-4', { text: 'a' }, { path: '/v1/text_to_video', model: 'gen4.5' }, 60],
    ] as const) {
      const request = requestFor(live, 'VIDEO', input, { model });
      expect(live.price(request).creditCost, model).toBe(creditCost);
      await live.start(request, context());
      const sent = mock.requests.at(-1)!;
      expect({ path: sent.path, model: sent.json.model }, model).toEqual(expected);
    }
  });

  it('refuses, before any call, what the chosen route cannot take: text-to-video makes 16:9 or 9:16, Gen-4.5 needs a prompt', async () => {
    const live = liveAdapter('runway', 'runway', mock.url, runwayCredentials);
    const before = mock.requests.length;
    for (const [input, options, problem] of [
      [{ text: 'a city' }, { aspectRatio: '1:1' }, 'gen4.5 text-to-video makes 16:9, 9:16 only, not 1:1'],
      [{ text: 'a city' }, { aspectRatio: '21:9', model: 'gen-4.5' }, 'not 21:9'],
      [{ image: 'https://example.com/a.jpg' }, { model: 'gen-4.5' }, 'needs a prompt'],
    ] as const) {
      await expect(live.start(requestFor(live, 'VIDEO', input, options), context())).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        acceptance: 'rejected',
        message: expect.stringContaining(problem),
      });
    }
    expect(mock.requests.length).toBe(before);
    await live.start(requestFor(live, 'VIDEO', { text: 'a city' }, { aspectRatio: '9:16' }), context());
    expect(mock.requests.at(-1)!.json).toMatchObject({ model: 'gen4.5', ratio: '720:1280' });
  });

  it('classifies the out-of-credit 400 as PROVIDER_UNAVAILABLE (the account’s state, not the input) and INPUT_PREPROCESSING.INTERNAL as Runway’s fault', async () => {
    const live = liveAdapter('runway', 'runway', mock.url, runwayCredentials);
    const request = requestFor(live, 'VIDEO', { text: 'x', image: 'https://example.com/a.jpg' });
    mock.nextCreateError = runwayOutOfCredits;
    await expect(live.start(request, context())).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      acceptance: 'rejected',
      responseStatus: 400,
      details: { providerCode: 'INSUFFICIENT_CREDITS' },
    });
    mock.nextCreateError = { status: 400, body: { error: 'promptImage: the image could not be read' } };
    await expect(live.start(request, context())).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const down = requestFor(live, 'VIDEO', { text: 'moderation down', image: 'https://example.com/a.jpg' });
    const job = await live.start(down, context());
    for (let poll = 0; poll < 2; poll++) await live.status!(job.handle, down, context());
    expect(await live.status!(job.handle, down, context())).toMatchObject({
      state: 'failed',
      code: 'PROVIDER_UNAVAILABLE',
      providerCode: 'INPUT_PREPROCESSING.INTERNAL',
    });
  });

  it('normalises PENDING/THROTTLED, RUNNING with progress, SUCCEEDED, FAILED by failureCode, CANCELLED; cancels with DELETE', async () => {
    const live = liveAdapter('runway', 'runway', mock.url, runwayCredentials);
    const request = requestFor(live, 'VIDEO', { text: 'x', image: 'https://example.com/a.jpg' });
    mock.behaviour = 'succeed';
    const job = await live.start(request, context());
    expect(await live.status!(job.handle, request, context())).toEqual({ state: 'queued', progress: 0 });
    expect(await live.status!(job.handle, request, context())).toEqual({ state: 'running', progress: 40 });
    expect(await live.status!(job.handle, request, context())).toMatchObject({
      state: 'succeeded',
      outputs: [{ contentType: 'video/mp4', metadata: { width: 1280, height: 720, duration: 5 } }],
    });
    mock.behaviour = 'fail';
    const failing = await live.start(request, context());
    for (let poll = 0; poll < 2; poll++) await live.status!(failing.handle, request, context());
    expect(await live.status!(failing.handle, request, context())).toEqual({
      state: 'failed',
      code: 'GENERATION_FAILED',
      message: 'Input rejected by moderation',
      providerCode: 'SAFETY.INPUT.TEXT',
    });
    mock.behaviour = 'never-finish';
    const running = await live.start(request, context());
    expect(await live.cancel!(running.handle, request, context())).toBe(true);
    expect(mock.requests.at(-1)!.method).toBe('DELETE');
    expect(await live.status!(running.handle, request, context())).toEqual({ state: 'cancelled' });
    mock.behaviour = 'succeed';
  });

  it('classifies by status: a missing version header or bad ratio is the request’s, 401/429/5xx the provider’s', async () => {
    const live = liveAdapter('runway', 'runway', mock.url, runwayCredentials);
    const request = requestFor(live, 'VIDEO', { text: 'x' });
    for (const [status, expected] of [
      [400, 'INVALID_INPUT'],
      [401, 'PROVIDER_UNAVAILABLE'],
      [429, 'PROVIDER_UNAVAILABLE'],
      [502, 'PROVIDER_UNAVAILABLE'],
      [504, 'PROVIDER_UNAVAILABLE'],
    ] as const) {
      mock.nextCreateError = { status, body: { error: 'message' } };
      await expect(live.start(request, context())).rejects.toMatchObject({ code: expected, acceptance: 'rejected', responseStatus: status });
    }
  });
});

describe('luma transport', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await lumaMock();
  });
  afterAll(() => mock.close());

  it('maps the request and the keyframe, with the callback URL', async () => {
    const live = liveAdapter('luma', 'luma', mock.url, lumaCredentials);
    await live.start(
      requestFor(
        live,
        'VIDEO',
        { text: 'Beautiful sunset over ocean', image: 'https://example.com/k.jpg' },
        { duration: 9, resolution: '1080p', aspectRatio: '21:9', loop: true },
      ),
      context('https://h/cb/luma/g'),
    );
    const sent = mock.requests.at(-1)!;
    expect(sent.path).toBe('/dream-machine/v1/generations/video');
    expect(sent.json).toEqual({
      generation_type: 'video',
      model: 'ray-2',
      prompt: 'Beautiful sunset over ocean',
      aspect_ratio: '21:9',
      loop: true,
      duration: '9s',
      resolution: '1080p',
      keyframes: { frame0: { type: 'image', url: 'https://example.com/k.jpg' } },
      callback_url: 'https://h/cb/luma/g',
    });
  });

  it('normalises queued, dreaming, completed and failed; classifies 402 as the provider’s', async () => {
    const live = liveAdapter('luma', 'luma', mock.url, lumaCredentials);
    const request = requestFor(live, 'VIDEO', { text: 'x' });
    mock.behaviour = 'fail';
    const job = await live.start(request, context());
    expect((await live.status!(job.handle, request, context())).state).toBe('queued');
    expect((await live.status!(job.handle, request, context())).state).toBe('running');
    expect(await live.status!(job.handle, request, context())).toMatchObject({
      state: 'failed',
      code: 'GENERATION_FAILED',
      message: 'Prompt not allowed because it contains disallowed content',
    });
    mock.behaviour = 'succeed';
    mock.nextCreateError = { status: 402, body: { detail: 'Insufficient credits' } };
    await expect(live.start(request, context())).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      message: expect.stringContaining('Insufficient credits'),
    });
    mock.nextCreateError = { status: 400, body: { detail: 'Invalid resolution' } };
    await expect(live.start(request, context())).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(live.parseCallback!({ headers: {}, body: new Uint8Array(), now: Date.now })).toEqual({ verified: true, checkStatus: true });
  });
});

describe('viggle transport', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await viggleMock();
  });
  afterAll(() => mock.close());

  it('sends a multipart form: links as *_url fields, data: URLs as files', async () => {
    const live = liveAdapter('viggle', 'viggle', mock.url, viggleCredentials);
    await live.start(
      requestFor(
        live,
        'VIDEO',
        { image: 'data:image/png;base64,iVBORw0=', video: 'https://example.com/d.mp4' },
        { backgroundMode: 'solid', backgroundColor: '0,255,0', fast: true },
      ),
      context(),
    );
    const fields = formFields(mock.requests.at(-1)!)!;
    expect(fields.ref_image).toMatchObject({ filename: 'ref_image.png', contentType: 'image/png' });
    expect(fields).toMatchObject({
      driving_video_url: 'https://example.com/d.mp4',
      model: 'V4_Preview',
      background_mode: 'solid',
      bg_color: '0,255,0',
      fast: 'true',
    });
  });

  it('classifies by Viggle’s error_code families and normalises its statuses', async () => {
    const live = liveAdapter('viggle', 'viggle', mock.url, viggleCredentials);
    const request = requestFor(live, 'VIDEO', { image: 'https://e/a.png', video: 'https://e/b.mp4' });
    for (const [code, expected] of [
      ['CS-ORIV-004', 'INVALID_INPUT'],
      ['CS-ORCR-001', 'PROVIDER_UNAVAILABLE'],
      ['CS-ORAU-002', 'PROVIDER_UNAVAILABLE'],
    ] as const) {
      mock.nextCreateError = { status: 400, body: { detail: { error_code: code, message: 'm', action: 'a' } } };
      await expect(live.start(request, context())).rejects.toMatchObject({ code: expected, details: { providerCode: code } });
    }
    const job = await live.start(request, context());
    expect(await live.status!(job.handle, request, context())).toEqual({ state: 'queued', progress: 0 });
    expect(await live.status!(job.handle, request, context())).toEqual({ state: 'running', progress: 40 });
    expect((await live.status!(job.handle, request, context())).state).toBe('succeeded');
  });
});
