import { providerConformanceSuite } from '@doitong/core/testing';
import * as vitest from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestFor } from '../helpers';
import { arkAccountOverdue, arkClosedEndpoint, arkKey, arkMock, arkModelNotOpen } from '../mocks/ark';
import { bflKey, bflMock } from '../mocks/bfl';
import { formFields, type MockServer } from '../mocks/mock-server';
import { stabilityKey, stabilityMock } from '../mocks/stability';
import { context, liveAdapter, liveTarget } from './target';

const ark = { ark: { apiKey: arkKey } };
const bfl = { bfl: { apiKey: bflKey } };
const stability = { stability: { apiKey: stabilityKey } };

providerConformanceSuite(vitest, {
  name: 'seedance (5-second clips, ModelArk tasks)',
  setup: () =>
    liveTarget({
      mock: arkMock,
      id: 'seedance',
      family: 'ark',
      credentials: ark,
      request: { type: 'VIDEO', input: { text: 'a cat dancing on a rooftop' }, options: { resolution: '480p' } },
    }),
});
providerConformanceSuite(vitest, {
  name: 'seedream (Chinese image model, synchronous)',
  setup: () =>
    liveTarget({ mock: arkMock, id: 'seedream', family: 'ark', credentials: ark, request: { type: 'IMAGE', input: { text: 'ink painting of mountains' } } }),
});
for (const id of ['flux-pro', 'flux-1.1-pro', 'flux-ultra', 'flux-kontext']) {
  providerConformanceSuite(vitest, {
    name: `${id} (Black Forest Labs)`,
    setup: () =>
      liveTarget({ mock: bflMock, id, family: 'bfl', credentials: bfl, request: { type: 'IMAGE', input: { text: 'A futuristic city skyline at sunset' } } }),
  });
}
providerConformanceSuite(vitest, {
  name: 'stable-diffusion (Stability AI, multipart, synchronous)',
  setup: () =>
    liveTarget({
      mock: stabilityMock,
      id: 'stable-diffusion',
      family: 'stability',
      credentials: stability,
      request: { type: 'IMAGE', input: { text: 'a lighthouse' } },
    }),
});

describe('ModelArk transports', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await arkMock();
  });
  afterAll(() => mock.close());

  it('maps Seedance: content items, resolution, ratio, duration, seed, callback', async () => {
    const live = liveAdapter('seedance', 'ark', mock.url, ark);
    await live.start(
      requestFor(live, 'VIDEO', { text: 'a cat', image: 'https://e/first.png' }, { resolution: '480p', seed: 7, cameraFixed: true }),
      context('https://h/cb'),
    );
    expect(mock.requests.at(-1)!.json).toEqual({
      model: 'seedance-1-0-pro-250528',
      content: [
        { type: 'text', text: 'a cat' },
        { type: 'image_url', image_url: { url: 'https://e/first.png' }, role: 'first_frame' },
      ],
      resolution: '480p',
      ratio: 'adaptive',
      duration: 5,
      camera_fixed: true,
      watermark: false,
      seed: 7,
      callback_url: 'https://h/cb',
    });
  });

  it('normalises queued, running, succeeded (fps and duration from the task), failed and expired', async () => {
    const live = liveAdapter('seedance', 'ark', mock.url, ark);
    const request = requestFor(live, 'VIDEO', { text: 'x' });
    mock.behaviour = 'succeed';
    const job = await live.start(request, context());
    expect((await live.status!(job.handle, request, context())).state).toBe('queued');
    expect((await live.status!(job.handle, request, context())).state).toBe('running');
    expect(await live.status!(job.handle, request, context())).toMatchObject({
      state: 'succeeded',
      outputs: [{ metadata: { fps: 24, duration: 5, width: 1920, height: 1088 } }],
    });
    mock.behaviour = 'fail';
    const failing = await live.start(request, context());
    for (let poll = 0; poll < 2; poll++) await live.status!(failing.handle, request, context());
    expect(await live.status!(failing.handle, request, context())).toMatchObject({
      state: 'failed',
      code: 'GENERATION_FAILED',
      providerCode: 'OutputVideoSensitiveContentDetected',
    });
    mock.behaviour = 'succeed';
  });

  it('reads a Seedance task that failed with InternalServiceError as ModelArk’s fault, and sensitive output as the content’s', async () => {
    const live = liveAdapter('seedance', 'ark', mock.url, ark);
    const request = requestFor(live, 'VIDEO', { text: 'an internal error' }, { resolution: '480p' });
    const job = await live.start(request, context());
    for (let poll = 0; poll < 2; poll++) await live.status!(job.handle, request, context());
    expect(await live.status!(job.handle, request, context())).toMatchObject({
      state: 'failed',
      code: 'PROVIDER_UNAVAILABLE',
      providerCode: 'InternalServiceError',
    });
    mock.behaviour = 'fail';
    const refused = await live.start(requestFor(live, 'VIDEO', { text: 'x' }, { resolution: '480p' }), context());
    for (let poll = 0; poll < 2; poll++) await live.status!(refused.handle, request, context());
    expect(await live.status!(refused.handle, request, context())).toMatchObject({
      state: 'failed',
      code: 'GENERATION_FAILED',
      providerCode: 'OutputVideoSensitiveContentDetected',
    });
    mock.behaviour = 'succeed';
  });

  it('classifies ModelArk error codes', async () => {
    const live = liveAdapter('seedream', 'ark', mock.url, ark);
    const request = requestFor(live, 'IMAGE', { text: 'x' }, { aspectRatio: '16:9', imageSize: '2K', seed: 3 });
    for (const [status, code, expected] of [
      [400, 'InvalidParameter', 'INVALID_INPUT'],
      [400, 'InputTextSensitiveContentDetected', 'GENERATION_FAILED'],
      [401, 'AuthenticationError', 'PROVIDER_UNAVAILABLE'],
      [429, 'RateLimitExceeded.EndpointRPMExceeded', 'PROVIDER_UNAVAILABLE'],
      [500, 'InternalServiceError', 'PROVIDER_UNAVAILABLE'],
    ] as const) {
      mock.nextCreateError = { status, body: { error: { code, message: 'm' } } };
      await expect(live.start(request, context())).rejects.toMatchObject({ code: expected, details: { providerCode: code } });
    }
    // An overdue account, a model the account has not activated, a closed endpoint: our account's state, whatever the HTTP status.
    for (const answer of [arkAccountOverdue, arkModelNotOpen, arkClosedEndpoint]) {
      mock.nextCreateError = answer;
      await expect(live.start(request, context())).rejects.toMatchObject({
        code: 'PROVIDER_UNAVAILABLE',
        acceptance: 'rejected',
        details: { providerCode: answer.body.error.code },
      });
    }
    const job = await live.start(request, context());
    expect(mock.requests.at(-1)!.json).toEqual({
      model: 'seedream-4-0-250828',
      prompt: 'x',
      size: '2560x1440',
      response_format: 'url',
      watermark: false,
      seed: 3,
    });
    expect(job.status).toMatchObject({
      state: 'succeeded',
      outputs: [{ kind: 'url', contentType: 'image/jpeg', expires: true, metadata: { width: 2560, height: 1440 } }],
    });
  });
});

describe('BFL transport', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await bflMock();
  });
  afterAll(() => mock.close());

  it('maps each variant to its endpoint and fields, and follows the polling_url', async () => {
    const pro = liveAdapter('flux-pro', 'bfl', mock.url, bfl);
    const request = requestFor(pro, 'IMAGE', { text: 'a skyline' }, { model: 'flux-dev', aspectRatio: '16:9', steps: 30, guidance: 3, seed: 9 });
    const job = await pro.start(request, context('https://h/cb'));
    const sent = mock.requests.at(-1)!;
    expect(sent.headers['x-key']).toBe(bflKey);
    expect(sent.path).toBe('/v1/flux-dev');
    expect(sent.json).toEqual({
      prompt: 'a skyline',
      output_format: 'png',
      prompt_upsampling: false,
      safety_tolerance: 2,
      seed: 9,
      width: 1344,
      height: 736,
      steps: 30,
      guidance: 3,
      webhook_url: 'https://h/cb',
    });
    expect(job.handle.pollingUrl).toBe(`${mock.url}/v1/get_result?id=${job.handle.id}`);
    const ultra = liveAdapter('flux-ultra', 'bfl', mock.url, bfl);
    await ultra.start(requestFor(ultra, 'IMAGE', { text: 'x', image: 'data:image/png;base64,AAAA' }, { quality: 'raw', aspectRatio: '21:9' }), context());
    expect(mock.requests.at(-1)!).toMatchObject({
      path: '/v1/flux-pro-1.1-ultra',
      json: { aspect_ratio: '21:9', raw: true, image_prompt: 'AAAA', image_prompt_strength: 0.1 },
    });
    const kontext = liveAdapter('flux-kontext', 'bfl', mock.url, bfl);
    await kontext.start(requestFor(kontext, 'IMAGE', { text: 'make it night', image: 'https://e/in.png' }, { model: 'flux-kontext-max' }), context());
    expect(mock.requests.at(-1)!).toMatchObject({ path: '/v1/flux-kontext-max', json: { aspect_ratio: '1:1', input_image: 'https://e/in.png' } });
  });

  it('sends FLUX1.1 [pro]’s image prompt as bare base64, and refuses an image link before any call (image_prompt takes base64 only)', async () => {
    for (const [id, path] of [
      ['flux-1.1-pro', '/v1/flux-pro-1.1'],
      ['flux-ultra', '/v1/flux-pro-1.1-ultra'],
    ] as const) {
      const live = liveAdapter(id, 'bfl', mock.url, bfl);
      await live.start(requestFor(live, 'IMAGE', { text: 'x', image: 'data:image/png;base64,iVBORw0KGgo=' }), context());
      expect(mock.requests.at(-1)!).toMatchObject({ path, json: { image_prompt: 'iVBORw0KGgo=' } });
      const before = mock.requests.length;
      await expect(live.start(requestFor(live, 'IMAGE', { text: 'x', image: 'https://example.com/in.png' }), context())).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        acceptance: 'rejected',
        message: expect.stringContaining('does not fetch links'),
      });
      expect(mock.requests.length).toBe(before);
    }
  });

  it('normalises Pending with progress, Ready, the moderated states and Task not found', async () => {
    const live = liveAdapter('flux-1.1-pro', 'bfl', mock.url, bfl);
    const request = requestFor(live, 'IMAGE', { text: 'x' });
    const job = await live.start(request, context());
    expect(await live.status!(job.handle, request, context())).toEqual({ state: 'running', progress: 10 });
    expect(await live.status!(job.handle, request, context())).toEqual({ state: 'running', progress: 60 });
    expect(await live.status!(job.handle, request, context())).toMatchObject({
      state: 'succeeded',
      outputs: [{ kind: 'url', contentType: 'image/png', expires: true, metadata: { seed: 1234, width: 1152, height: 864 } }],
    });
    mock.behaviour = 'fail';
    const moderated = await live.start(request, context());
    for (let poll = 0; poll < 2; poll++) await live.status!(moderated.handle, request, context());
    expect(await live.status!(moderated.handle, request, context())).toMatchObject({
      state: 'failed',
      code: 'GENERATION_FAILED',
      providerCode: 'Content Moderated',
    });
    mock.behaviour = 'succeed';
    expect(await live.status!({ id: 'gone', pollingUrl: `${mock.url}/v1/get_result?id=gone` }, request, context())).toMatchObject({
      state: 'failed',
      code: 'PROVIDER_UNAVAILABLE',
      providerCode: 'Task not found',
    });
  });

  it('classifies 422 as the request’s, 402 and 429 as the provider’s', async () => {
    const live = liveAdapter('flux-1.1-pro', 'bfl', mock.url, bfl);
    const request = requestFor(live, 'IMAGE', { text: 'x' });
    mock.nextCreateError = { status: 422, body: { detail: [{ loc: ['body', 'width'], msg: 'bad', type: 'value_error' }] } };
    await expect(live.start(request, context())).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('body.width: bad') });
    for (const status of [402, 429, 500, 503]) {
      mock.nextCreateError = { status, body: { detail: 'x' } };
      await expect(live.start(request, context())).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE', acceptance: 'rejected' });
    }
  });
});

describe('Stability transport', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await stabilityMock();
  });
  afterAll(() => mock.close());

  it('sends multipart/form-data with Accept image/*, and reads the PNG and its headers', async () => {
    const live = liveAdapter('stable-diffusion', 'stability', mock.url, stability);
    const job = await live.start(
      requestFor(live, 'IMAGE', { text: 'a lighthouse', negativePrompt: 'fog' }, { aspectRatio: '16:9', seed: 5, cfgScale: 6, stylePreset: 'photographic' }),
      context(),
    );
    const sent = mock.requests.at(-1)!;
    expect(sent.headers.accept).toBe('image/*');
    expect(String(sent.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
    expect(formFields(sent)).toEqual({
      prompt: 'a lighthouse',
      model: 'sd3.5-large',
      output_format: 'png',
      mode: 'text-to-image',
      aspect_ratio: '16:9',
      seed: '5',
      cfg_scale: '6',
      style_preset: 'photographic',
      negative_prompt: 'fog',
    });
    expect(job.status).toMatchObject({
      state: 'succeeded',
      outputs: [{ kind: 'bytes', contentType: 'image/png', metadata: { width: 16, height: 9, seed: 343940597 } }],
    });
  });

  it('sends image-to-image as a file part; turbo models get no negative prompt', async () => {
    const live = liveAdapter('stable-diffusion', 'stability', mock.url, stability);
    await live.start(
      requestFor(live, 'IMAGE', { text: 'x', image: 'data:image/png;base64,iVBORw0=', negativePrompt: 'no' }, { strength: 0.4, model: 'sd3.5-large-turbo' }),
      context(),
    );
    const fields = formFields(mock.requests.at(-1)!)!;
    expect(fields).toMatchObject({ mode: 'image-to-image', strength: '0.4', image: { filename: 'image.png', contentType: 'image/png' } });
    expect(fields.negative_prompt).toBeUndefined();
    expect(fields.aspect_ratio).toBeUndefined();
  });

  it('classifies content_moderation as the content’s and 402/429 as the provider’s', async () => {
    const live = liveAdapter('stable-diffusion', 'stability', mock.url, stability);
    const request = requestFor(live, 'IMAGE', { text: 'x' });
    for (const [status, name, expected] of [
      [403, 'content_moderation', 'GENERATION_FAILED'],
      [402, 'payment_required', 'PROVIDER_UNAVAILABLE'],
      [429, 'rate_limit_exceeded', 'PROVIDER_UNAVAILABLE'],
      [400, 'bad_request', 'INVALID_INPUT'],
      [413, 'payload_too_large', 'INVALID_INPUT'],
    ] as const) {
      mock.nextCreateError = { status, body: { id: 'x', name, errors: ['m'] } };
      await expect(live.start(request, context())).rejects.toMatchObject({ code: expected, details: { providerCode: name } });
    }
  });
});
