import { providerConformanceSuite } from '@doitong/core/testing';
import * as vitest from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestFor } from '../helpers';
import { geminiMock, googleBillingRequired, googleKey, googlePrepayDepleted, googleTtsMock } from '../mocks/google';
import { liveEngine } from './engine';
import type { MockServer } from '../mocks/mock-server';
import { context, liveAdapter, liveTarget } from './target';

const gemini = { google: { apiKey: googleKey } };
const cloud = { googleCloud: { apiKey: googleKey } };

providerConformanceSuite(vitest, {
  name: 'veo (Gemini API long-running operations)',
  setup: () =>
    liveTarget({ mock: geminiMock, id: 'veo', family: 'google', credentials: gemini, request: { type: 'VIDEO', input: { text: 'a corgi surfing' } } }),
});
providerConformanceSuite(vitest, {
  name: 'imagen (Gemini API predict, synchronous)',
  setup: () =>
    liveTarget({
      mock: geminiMock,
      id: 'imagen',
      family: 'google',
      credentials: gemini,
      request: { type: 'IMAGE', input: { text: 'a red bicycle on a beach' } },
    }),
});
providerConformanceSuite(vitest, {
  name: 'google-tts (Cloud Text-to-Speech, synchronous)',
  setup: () =>
    liveTarget({
      mock: googleTtsMock,
      id: 'google-tts',
      family: 'googleCloud',
      credentials: cloud,
      failureCode: 'INVALID_INPUT',
      request: { type: 'AUDIO', input: { text: 'Hello world' } },
    }),
});

describe('google transports', () => {
  let mock: MockServer;
  let tts: MockServer;
  beforeAll(async () => {
    mock = await geminiMock();
    tts = await googleTtsMock();
  });
  afterAll(async () => {
    await mock.close();
    await tts.close();
  });

  it('maps Veo: predictLongRunning with instances and parameters, the image inline, the key in x-goog-api-key', async () => {
    const live = liveAdapter('veo', 'google', mock.url, gemini);
    const job = await live.start(
      requestFor(
        live,
        'VIDEO',
        { text: 'a corgi', image: 'data:image/png;base64,iVBORw0=', negativePrompt: 'blur' },
        { duration: 7, resolution: '1080p', aspectRatio: '9:16', personGeneration: 'allow_adult' },
      ),
      context(),
    );
    const sent = mock.requests.at(-1)!;
    expect(sent.path).toBe('/v1beta/models/veo-3.0-generate-001:predictLongRunning');
    expect(sent.headers['x-goog-api-key']).toBe(googleKey);
    expect(sent.json).toEqual({
      instances: [{ prompt: 'a corgi', image: { bytesBase64Encoded: 'iVBORw0=', mimeType: 'image/png' } }],
      parameters: {
        sampleCount: 1,
        durationSeconds: 8,
        aspectRatio: '9:16',
        enhancePrompt: true,
        resolution: '1080p',
        personGeneration: 'allow_adult',
        negativePrompt: 'blur',
      },
    });
    expect(job.handle.operation).toMatch(/^models\/veo-3.0-generate-001\/operations\//);
    // 1080p is made at 8 s only: a shorter 1080p clip is refused before any call.
    const before = mock.requests.length;
    await expect(live.start(requestFor(live, 'VIDEO', { text: 'a corgi' }, { duration: 5, resolution: '1080p' }), context())).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('1080p at 8 s only'),
    });
    expect(mock.requests.length).toBe(before);
  });

  it('refuses an image link before any call: the Gemini API takes image bytes', async () => {
    const live = liveAdapter('veo', 'google', mock.url, gemini);
    const before = mock.createCalls();
    await expect(live.start(requestFor(live, 'VIDEO', { text: 'x', image: 'https://example.com/a.png' }), context())).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      acceptance: 'rejected',
    });
    expect(mock.createCalls()).toBe(before);
  });

  it('normalises Veo: done false is running, done with a sample succeeds with the key to download it, filtered is GENERATION_FAILED', async () => {
    const live = liveAdapter('veo', 'google', mock.url, gemini);
    const request = requestFor(live, 'VIDEO', { text: 'x' });
    mock.behaviour = 'succeed';
    const job = await live.start(request, context());
    expect((await live.status!(job.handle, request, context())).state).toBe('running');
    await live.status!(job.handle, request, context());
    expect(await live.status!(job.handle, request, context())).toMatchObject({
      state: 'succeeded',
      outputs: [{ kind: 'url', headers: { 'x-goog-api-key': googleKey }, expires: true }],
    });
    mock.behaviour = 'fail';
    const failing = await live.start(request, context());
    for (let poll = 0; poll < 2; poll++) await live.status!(failing.handle, request, context());
    expect(await live.status!(failing.handle, request, context())).toMatchObject({ state: 'failed', code: 'GENERATION_FAILED', providerCode: 'RAI_FILTERED' });
    mock.behaviour = 'succeed';
  });

  it('classifies Google’s canonical status words: the request’s words are INVALID_INPUT, the project’s and Google’s are PROVIDER_UNAVAILABLE', async () => {
    const live = liveAdapter('imagen', 'google', mock.url, gemini);
    const request = requestFor(live, 'IMAGE', { text: 'x' });
    for (const [status, word, expected] of [
      [400, 'INVALID_ARGUMENT', 'INVALID_INPUT'],
      [403, 'PERMISSION_DENIED', 'PROVIDER_UNAVAILABLE'],
      [429, 'RESOURCE_EXHAUSTED', 'PROVIDER_UNAVAILABLE'],
      [503, 'UNAVAILABLE', 'PROVIDER_UNAVAILABLE'],
      [500, 'INTERNAL', 'PROVIDER_UNAVAILABLE'],
    ] as const) {
      mock.nextCreateError = { status, body: { error: { code: status, message: 'text', status: word } } };
      await expect(live.start(request, context())).rejects.toMatchObject({ code: expected, details: { providerCode: word } });
    }
    // "Enable billing" and a depleted prepayment are the project's state, not the caller's input.
    for (const answer of [googleBillingRequired, googlePrepayDepleted]) {
      mock.nextCreateError = answer;
      await expect(live.start(request, context())).rejects.toMatchObject({
        code: 'PROVIDER_UNAVAILABLE',
        acceptance: 'rejected',
        responseStatus: answer.status,
        details: { providerCode: answer.body.error.status },
      });
    }
    // A wrong key is 400 INVALID_ARGUMENT with reason API_KEY_INVALID: our key, not the request.
    const wrongKey = liveAdapter('imagen', 'google', mock.url, { google: { apiKey: 'wrong' } });
    await expect(wrongKey.start(request, context())).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      responseStatus: 400,
      details: { providerCode: 'API_KEY_INVALID' },
    });
  });

  it('reads an operation error given as a google.rpc.Status number: 13 INTERNAL and 14 UNAVAILABLE are Google’s fault, 3 INVALID_ARGUMENT the generation’s', async () => {
    const live = liveAdapter('veo', 'google', mock.url, gemini);
    for (const [prompt, expected] of [
      ['an internal error', { code: 'PROVIDER_UNAVAILABLE', providerCode: 'INTERNAL' }],
      ['unavailable now', { code: 'PROVIDER_UNAVAILABLE', providerCode: 'UNAVAILABLE' }],
      ['against policy', { code: 'GENERATION_FAILED', providerCode: 'INVALID_ARGUMENT' }],
    ] as const) {
      const request = requestFor(live, 'VIDEO', { text: prompt });
      const job = await live.start(request, context());
      for (let poll = 0; poll < 2; poll++) await live.status!(job.handle, request, context());
      expect(await live.status!(job.handle, request, context()), prompt).toMatchObject({ state: 'failed', ...expected });
    }
  });

  it('ends a Veo generation whose operation failed with code 13 as PROVIDER_UNAVAILABLE, refunded', async () => {
    const engine = await liveEngine({ mock, family: 'google', ids: ['veo'], credentials: gemini });
    try {
      const { generation, credits } = await engine.run({ type: 'VIDEO', provider: 'veo', input: { text: 'an internal error' } });
      expect(generation).toMatchObject({
        status: 'FAILED',
        errorCode: 'PROVIDER_UNAVAILABLE',
        attempts: [{ provider: 'veo', outcome: 'failed', errorCode: 'PROVIDER_UNAVAILABLE' }],
      });
      expect(credits).toBe(1_000);
    } finally {
      await engine.close();
    }
  });

  it('maps Imagen and returns the PNG bytes within the create call', async () => {
    const live = liveAdapter('imagen', 'google', mock.url, gemini);
    const job = await live.start(
      requestFor(live, 'IMAGE', { text: 'a red bicycle' }, { aspectRatio: '16:9', imageSize: '2K', personGeneration: 'dont_allow' }),
      context(),
    );
    expect(mock.requests.at(-1)!.json).toEqual({
      instances: [{ prompt: 'a red bicycle' }],
      parameters: {
        sampleCount: 1,
        aspectRatio: '16:9',
        outputOptions: { mimeType: 'image/png' },
        includeRaiReason: true,
        sampleImageSize: '2K',
        personGeneration: 'dont_allow',
      },
    });
    expect(job.status).toMatchObject({
      state: 'succeeded',
      outputs: [{ kind: 'bytes', contentType: 'image/png', metadata: { format: 'png', width: 2816, height: 1536 } }],
    });
  });

  it('maps Cloud TTS: LINEAR16 at 24 kHz, the family’s voice, SSML when the text is SSML; reads the WAV header', async () => {
    const live = liveAdapter('google-tts', 'googleCloud', tts.url, cloud);
    const job = await live.start(
      requestFor(live, 'AUDIO', { text: '<speak>Hello</speak>' }, { model: 'neural2', gender: 'MALE', speed: 1.25, pitch: -2 }),
      context(),
    );
    expect(tts.requests.at(-1)!.json).toEqual({
      input: { ssml: '<speak>Hello</speak>' },
      voice: { languageCode: 'en-US', ssmlGender: 'MALE', name: 'en-US-Neural2-D' },
      audioConfig: { audioEncoding: 'LINEAR16', sampleRateHertz: 24000, speakingRate: 1.25, pitch: -2, volumeGainDb: 0 },
    });
    expect(job.status).toMatchObject({
      state: 'succeeded',
      outputs: [{ kind: 'bytes', contentType: 'audio/wav', metadata: { format: 'wav', sampleRate: 24000, channels: 1, duration: 0.5 } }],
    });
    await live.start(requestFor(live, 'AUDIO', { text: 'Xin chào', voice: 'vi-VN-Wavenet-A' }, { languageCode: 'vi-VN' }), context());
    expect(tts.requests.at(-1)!.json.voice).toEqual({ languageCode: 'vi-VN', ssmlGender: 'FEMALE', name: 'vi-VN-Wavenet-A' });
  });
});
