import { ProviderError } from '@doitong/core';
import { providerConformanceSuite } from '@doitong/core/testing';
import * as vitest from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { klingJwt, liveProviders, verifyStandardWebhook } from '@doitong/adapters';
import { requestFor } from '../helpers';
import { klingKeys, klingMock } from '../mocks/kling';
import type { MockServer } from '../mocks/mock-server';
import { context, liveAdapter, liveTarget } from './target';

const credentials = { kling: { accessKey: klingKeys.accessKey, secretKey: klingKeys.secretKey } };
const apiKeyCredentials = { kling: { apiKey: klingKeys.apiKey } };

providerConformanceSuite(vitest, {
  name: 'kling (classic video API, JWT)',
  setup: () => liveTarget({ mock: klingMock, id: 'kling', family: 'kling', credentials, request: { type: 'VIDEO', input: { text: 'a red fox in snow' } } }),
});
providerConformanceSuite(vitest, {
  name: 'kolors (Kling image generation)',
  setup: () => liveTarget({ mock: klingMock, id: 'kolors', family: 'kling', credentials, request: { type: 'IMAGE', input: { text: 'a lantern festival' } } }),
});
providerConformanceSuite(vitest, {
  name: 'kling-ecommerce (talking agent, API key)',
  setup: () =>
    liveTarget({
      mock: klingMock,
      id: 'kling-ecommerce',
      family: 'klingEcommerce',
      credentials: apiKeyCredentials,
      request: { type: 'VIDEO', input: { text: 'Meet our new water bottle.' } },
    }),
});

describe('kling transport', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await klingMock();
  });
  afterAll(() => mock.close());
  const adapter = () => liveAdapter('kling', 'kling', mock.url, credentials);

  it('signs an HS256 JWT as Kling documents: iss = access key, exp = now + 1800, nbf = now - 5', () => {
    const token = klingJwt('ak', 'sk', 1_700_000_000_000);
    const [header, payload] = token
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toEqual({ iss: 'ak', exp: 1_700_001_800, nbf: 1_699_999_995 });
  });

  it('maps text-to-video: model_name, styled prompt, duration as a string, mode, aspect ratio, callback and our id', async () => {
    const live = adapter();
    const request = requestFor(
      live,
      'VIDEO',
      { text: 'a red fox', negativePrompt: 'blur' },
      { model: 'kling-v2-1-master', duration: 10, mode: 'pro', aspectRatio: '9:16', style: 'anime' },
    );
    const job = await live.start(request, context('https://host.example/graphql/callbacks/kling/gen_1'));
    const sent = mock.requests.at(-1)!;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/v1/videos/text2video');
    expect(sent.headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sent.json).toEqual({
      model_name: 'kling-v2-1-master',
      external_task_id: request.generationId,
      callback_url: 'https://host.example/graphql/callbacks/kling/gen_1',
      negative_prompt: 'blur',
      prompt: 'a red fox. Style: anime style, cel shading, vibrant colours',
      mode: 'pro',
      duration: '10',
      aspect_ratio: '9:16',
    });
    expect(job.handle).toEqual({ taskId: expect.any(String), path: '/v1/videos/text2video' });
  });

  it('maps image-to-video: the image without its data: prefix, no aspect ratio, cfg_scale on 1.x', async () => {
    const live = adapter();
    await live.start(
      requestFor(live, 'VIDEO', { text: 'wave', image: 'data:image/png;base64,iVBORw0KGgo=' }, { model: 'kling-v1-6', cameraMovement: 'forward_up' }),
      context(),
    );
    const sent = mock.requests.at(-1)!;
    expect(sent.path).toBe('/v1/videos/image2video');
    expect(sent.json).toMatchObject({ model_name: 'kling-v1-6', image: 'iVBORw0KGgo=', cfg_scale: 0.5, duration: '5', camera_control: { type: 'forward_up' } });
    expect(sent.json.aspect_ratio).toBeUndefined();
  });

  it('normalises submitted, processing, succeed and failed, and reads the duration string', async () => {
    const live = adapter();
    mock.behaviour = 'succeed';
    const request = requestFor(live, 'VIDEO', { text: 'x' });
    const job = await live.start(request, context());
    expect(await live.status!(job.handle, request, context())).toMatchObject({ state: 'queued' });
    expect(await live.status!(job.handle, request, context())).toMatchObject({ state: 'running' });
    const done = await live.status!(job.handle, request, context());
    expect(done).toMatchObject({
      state: 'succeeded',
      outputs: [{ kind: 'url', contentType: 'video/mp4', expires: true, metadata: { duration: 5.1, format: 'mp4' } }],
    });
    mock.behaviour = 'fail';
    const failing = await live.start(request, context());
    await live.status!(failing.handle, request, context());
    await live.status!(failing.handle, request, context());
    expect(await live.status!(failing.handle, request, context())).toEqual({
      state: 'failed',
      code: 'GENERATION_FAILED',
      message: 'Failure to pass the risk control system',
      providerCode: 'failed',
    });
    mock.behaviour = 'succeed';
  });

  it('classifies Kling’s error codes, not their messages', async () => {
    const live = adapter();
    const request = requestFor(live, 'VIDEO', { text: 'x' });
    const cases: Array<[number, number, string]> = [
      [401, 1004, 'PROVIDER_UNAVAILABLE'],
      [429, 1102, 'PROVIDER_UNAVAILABLE'],
      [429, 1303, 'PROVIDER_UNAVAILABLE'],
      [400, 1201, 'INVALID_INPUT'],
      [400, 1301, 'GENERATION_FAILED'],
      [500, 5000, 'PROVIDER_UNAVAILABLE'],
      [503, 5001, 'PROVIDER_UNAVAILABLE'],
    ];
    for (const [status, code, expected] of cases) {
      mock.nextCreateError = { status, body: { code, message: 'whatever the text says', request_id: 'r' } };
      const error = await live.start(request, context()).catch((caught: unknown) => caught);
      expect(error, `${status}/${code}`).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ code: expected, acceptance: 'rejected', responseStatus: status, details: { providerCode: String(code) } });
    }
  });

  it('answers the mock’s own validation with INVALID_INPUT, and refuses what Kling cannot do before any call', async () => {
    const live = adapter();
    const before = mock.createCalls();
    const error = await live.start(requestFor(live, 'VIDEO', { text: 'x' }, { model: 'kling-v1-5' }), context()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'INVALID_INPUT', acceptance: 'rejected' });
    expect(mock.createCalls()).toBe(before);
  });

  it('is unavailable without credentials and says which variables to set', () => {
    const [unconfigured] = liveProviders({ env: {}, providers: ['kling'] });
    expect(unconfigured!.unavailableReason()).toContain('KLING_ACCESS_KEY');
    expect(liveProviders({ env: { KLING_API_KEY: 'k' }, providers: ['kling'] })[0]!.unavailableReason()).toBeUndefined();
    expect(liveProviders({ env: {}, onlyConfigured: true })).toEqual([]);
  });

  it('verifies Kling’s Standard Webhooks signature with the official test vector', () => {
    const body = new TextEncoder().encode('{"id":"1234567890","status":"succeeded","message":"","create_time":1781080778802,"update_time":1781080794151}');
    const headers = { 'webhook-id': '9876543210', 'webhook-timestamp': '1781080794', 'webhook-signature': 'v1,UsKlJP00XoQyOn410NM9xv34sP+Gl0jnOO9Lcpr7NJ4=' };
    const secret = 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=';
    expect(verifyStandardWebhook(secret, { headers, body, now: () => 1781080794_000 })).toBe(true);
    expect(verifyStandardWebhook(secret, { headers, body, now: () => 1781080794_000 + 600_000 })).toBe(false);
    expect(verifyStandardWebhook(secret, { headers: { ...headers, 'webhook-signature': 'v1,AAAA' }, body, now: () => 1781080794_000 })).toBe(false);
    const signed = liveAdapter('kling', 'kling', mock.url, { kling: { ...credentials.kling, webhookSecret: secret } });
    expect(signed.parseCallback!({ headers, body, now: () => 1781080794_000 })).toEqual({ verified: true, checkStatus: true });
    expect(signed.parseCallback!({ headers: {}, body, now: () => 1781080794_000 }).verified).toBe(false);
  });

  it('maps Kolors images to /v1/images/generations with the reference image and fidelity', async () => {
    const live = liveAdapter('kolors', 'kling', mock.url, credentials);
    const request = requestFor(
      live,
      'IMAGE',
      { text: 'a lantern', image: 'data:image/png;base64,AAAA', negativePrompt: 'text' },
      { model: 'kling-v1-5', imageReference: 'face', aspectRatio: '3:4' },
    );
    const job = await live.start(request, context());
    expect(mock.requests.at(-1)!).toMatchObject({
      path: '/v1/images/generations',
      json: {
        model_name: 'kling-v1-5',
        prompt: 'a lantern',
        negative_prompt: 'text',
        aspect_ratio: '3:4',
        n: 1,
        image: 'AAAA',
        image_fidelity: 0.5,
        image_reference: 'face',
        external_task_id: request.generationId,
      },
    });
    expect(mock.requests.at(-1)!.json.resolution).toBeUndefined();
    for (let poll = 0; poll < 2; poll++) await live.status!(job.handle, request, context());
    expect(await live.status!(job.handle, request, context())).toMatchObject({ state: 'succeeded', outputs: [{ kind: 'url', contentType: 'image/png' }] });
    await live.start(requestFor(live, 'IMAGE', { text: 'x' }, { resolution: '2k' }), context());
    expect(mock.requests.at(-1)!.json).toMatchObject({ model_name: 'kling-v2-1', resolution: '2k' });
  });

  it('maps the talking agent: presenter, script and product fields, speech_rate only in presenter mode, API key auth', async () => {
    const live = liveAdapter('kling-ecommerce', 'klingEcommerce', mock.url, apiKeyCredentials);
    const presenter = requestFor(
      live,
      'VIDEO',
      { text: 'Hello shoppers' },
      { speechRate: 1.2, resolution: '1080p', aspectRatio: '16:9', actionPrompt: 'waves' },
    );
    const job = await live.start(presenter, context('https://h/cb'));
    const sent = mock.requests.at(-1)!;
    expect(sent.headers.authorization).toBe(`Bearer ${klingKeys.apiKey}`);
    expect(sent.json).toEqual({
      contents: [
        { type: 'avatar_id', text: 'avatar_anna_female' },
        { type: 'speech_script', text: 'Hello shoppers' },
      ],
      settings: { resolution: '1080p', aspect_ratio: '16:9', allow_polish: false, bgm_enabled: false, speech_rate: 1.2, action_prompt: 'waves' },
      options: { external_task_id: presenter.generationId, callback_url: 'https://h/cb' },
    });
    await live.start(requestFor(live, 'VIDEO', { text: 'Buy it', image: 'https://e/p.png' }, { productTitle: 'Bottle', productPrice: '$19.99' }), context());
    expect(mock.requests.at(-1)!.json.contents).toEqual([
      { type: 'avatar_id', text: 'avatar_anna_female' },
      { type: 'speech_script', text: 'Buy it' },
      { type: 'goods_title', text: 'Bottle' },
      { type: 'goods_price', text: '$19.99' },
      { type: 'ref_image', url: 'https://e/p.png' },
    ]);
    expect(mock.requests.at(-1)!.json.settings.speech_rate).toBeUndefined();
    expect((await live.status!(job.handle, presenter, context())).state).toBe('queued');
    expect((await live.status!(job.handle, presenter, context())).state).toBe('running');
    expect(await live.status!(job.handle, presenter, context())).toMatchObject({
      state: 'succeeded',
      outputs: [{ metadata: { duration: 12.5, hasAudio: true } }],
    });
    const keyless = liveProviders({ env: {}, credentials: credentials, providers: ['kling-ecommerce'] })[0]!;
    expect(keyless.unavailableReason()).toContain('KLING_API_KEY');
  });
});
