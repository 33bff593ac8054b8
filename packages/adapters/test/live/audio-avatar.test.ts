import type { JsonValue } from '@doitong/core';
import { providerConformanceSuite } from '@doitong/core/testing';
import * as vitest from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestFor } from '../helpers';
import { elevenLabsKey, elevenLabsMock } from '../mocks/elevenlabs';
import { heygenInsufficientCredit, heygenKey, heygenMock } from '../mocks/heygen';
import type { MockServer } from '../mocks/mock-server';
import { syncKey, syncMock } from '../mocks/sync';
import { context, liveAdapter, liveTarget } from './target';

const eleven = { elevenlabs: { apiKey: elevenLabsKey } };
const heygen = { heygen: { apiKey: heygenKey } };
const sync = { sync: { apiKey: syncKey } };

providerConformanceSuite(vitest, {
  name: 'elevenlabs (synchronous TTS)',
  setup: () =>
    liveTarget({
      mock: elevenLabsMock,
      id: 'elevenlabs',
      family: 'elevenlabs',
      credentials: eleven,
      failureCode: 'INVALID_INPUT',
      request: { type: 'AUDIO', input: { text: 'Welcome to Doitong.' } },
    }),
});
providerConformanceSuite(vitest, {
  name: 'heygen (avatars)',
  setup: () =>
    liveTarget({ mock: heygenMock, id: 'heygen', family: 'heygen', credentials: heygen, request: { type: 'AVATAR', input: { text: 'Hello and welcome.' } } }),
});
providerConformanceSuite(vitest, {
  name: 'sync-lipsync (lip-sync)',
  setup: () =>
    liveTarget({
      mock: syncMock,
      id: 'sync-lipsync',
      family: 'sync',
      credentials: sync,
      request: { type: 'AVATAR', input: { video: 'https://e/face.mp4', audio: 'https://e/speech.wav' } },
    }),
});

describe('ElevenLabs transport', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await elevenLabsMock();
  });
  afterAll(() => mock.close());

  it('maps the voice name to its id, asks for wav_24000, and reads the WAV', async () => {
    const live = liveAdapter('elevenlabs', 'elevenlabs', mock.url, eleven);
    const job = await live.start(
      requestFor(live, 'AUDIO', { text: 'Hello' }, { voice: 'adam', emotion: 'calm', speed: 1.1, languageCode: 'en', seed: 3 }),
      context(),
    );
    const sent = mock.requests.at(-1)!;
    expect(sent.path).toBe('/v1/text-to-speech/pNInz6obpgDQGcFmaJgB');
    expect(sent.query.get('output_format')).toBe('wav_24000');
    expect(sent.headers['xi-api-key']).toBe(elevenLabsKey);
    expect(sent.json).toEqual({
      text: 'Hello',
      model_id: 'eleven_multilingual_v2',
      voice_settings: { stability: 0.8, similarity_boost: 0.75, speed: 1.1, style: 0.1 },
      language_code: 'en',
      seed: 3,
    });
    expect(job.status).toMatchObject({
      state: 'succeeded',
      outputs: [{ kind: 'bytes', contentType: 'audio/wav', metadata: { format: 'wav', sampleRate: 24000, duration: 0.75 } }],
    });
  });

  it('sends emotion as an audio tag on Eleven v3, and a raw voice id from input.voice', async () => {
    const live = liveAdapter('elevenlabs', 'elevenlabs', mock.url, eleven);
    await live.start(requestFor(live, 'AUDIO', { text: 'We won!', voice: 'custom-voice-1' }, { model: 'eleven_v3', emotion: 'excited' }), context());
    expect(mock.requests.at(-1)!).toMatchObject({ path: '/v1/text-to-speech/custom-voice-1', json: { text: '[excited] We won!', model_id: 'eleven_v3' } });
  });

  it('classifies detail.status words and validation lists', async () => {
    const live = liveAdapter('elevenlabs', 'elevenlabs', mock.url, eleven);
    const request = requestFor(live, 'AUDIO', { text: 'x' });
    for (const [status, word, expected] of [
      [400, 'voice_not_found', 'INVALID_INPUT'],
      [401, 'invalid_api_key', 'PROVIDER_UNAVAILABLE'],
      [401, 'quota_exceeded', 'PROVIDER_UNAVAILABLE'],
      [429, 'too_many_concurrent_requests', 'PROVIDER_UNAVAILABLE'],
      [429, 'system_busy', 'PROVIDER_UNAVAILABLE'],
    ] as const) {
      mock.nextCreateError = { status, body: { detail: { status: word, message: 'm' } } };
      await expect(live.start(request, context())).rejects.toMatchObject({ code: expected, details: { providerCode: word } });
    }
    mock.nextCreateError = { status: 422, body: { detail: [{ loc: ['body', 'text'], msg: 'field required', type: 'value_error.missing' }] } };
    await expect(live.start(request, context())).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('body.text: field required'),
    });
  });
});

describe('HeyGen transport', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await heygenMock();
  });
  afterAll(() => mock.close());

  it('maps Avatar III presets to a v2 video_inputs scene, dimension and callback', async () => {
    const live = liveAdapter('heygen', 'heygen', mock.url, heygen);
    const request = requestFor(
      live,
      'AVATAR',
      { text: 'Hi there', voice: 'narrator' },
      { model: 'avatar-iii', avatarId: 'josh', background: 'white', resolution: '720p', aspectRatio: '9:16', emotion: 'Friendly', caption: true },
    );
    await live.start(request, context('https://h/cb'));
    const sent = mock.requests.at(-1)!;
    expect(sent.headers['x-api-key']).toBe(heygenKey);
    expect(sent.path).toBe('/v2/video/generate');
    expect(sent.json).toEqual({
      video_inputs: [
        {
          character: { type: 'avatar', avatar_id: 'josh_lite3_20230714', avatar_style: 'normal' },
          voice: { type: 'text', voice_id: '131a436c47064f708210df6628ef8f32', input_text: 'Hi there', speed: 1, emotion: 'Friendly' },
          background: { type: 'color', value: '#FFFFFF' },
        },
      ],
      dimension: { width: 720, height: 1280 },
      caption: true,
      callback_id: request.generationId,
      callback_url: 'https://h/cb',
    });
    await live.start(requestFor(live, 'AVATAR', { audio: 'https://e/a.wav' }, { model: 'avatar-iii' }), context());
    expect(mock.requests.at(-1)!.json.video_inputs[0].voice).toEqual({ type: 'audio', audio_url: 'https://e/a.wav' });
  });

  it('sends Avatar IV, the model priced about 5.6 times Avatar III, to its own v3 route, with the gesture on the wire', async () => {
    const live = liveAdapter('heygen', 'heygen', mock.url, heygen);
    const request = requestFor(
      live,
      'AVATAR',
      { text: 'Hi there', voice: 'narrator' },
      { model: 'avatar-iv', avatarId: 'josh', background: 'white', resolution: '720p', aspectRatio: '9:16', gesture: 'energetic', speed: 1.1 },
    );
    const iii = requestFor(live, 'AVATAR', { text: 'Hi there', voice: 'narrator' }, { model: 'avatar-iii' });
    expect(live.price(request).creditCost).toBeGreaterThan(5 * live.price(iii).creditCost);
    await live.start(request, context('https://h/cb'));
    const sent = mock.requests.at(-1)!;
    expect(sent.path).toBe('/v3/videos');
    expect(sent.json).toEqual({
      type: 'avatar',
      avatar_id: 'josh_lite3_20230714',
      resolution: '720p',
      aspect_ratio: '9:16',
      background: { type: 'color', value: '#FFFFFF' },
      motion_prompt: 'Lively, expressive hand gestures and animated head movement.',
      expressiveness: 'high',
      callback_id: request.generationId,
      script: 'Hi there',
      voice_id: '131a436c47064f708210df6628ef8f32',
      voice_settings: { speed: 1.1 },
      callback_url: 'https://h/cb',
    });
    for (const gesture of ['neutral', 'friendly', 'calm', 'professional']) {
      await live.start(requestFor(live, 'AVATAR', { text: 'x' }, { gesture }), context());
      expect(mock.requests.at(-1)!.json.motion_prompt, gesture).toEqual(expect.any(String));
    }
    await live.start(requestFor(live, 'AVATAR', { audio: 'https://e/a.wav' }), context());
    expect(mock.requests.at(-1)!.json).toMatchObject({ audio_url: 'https://e/a.wav' });
    expect(mock.requests.at(-1)!.json.script).toBeUndefined();
  });

  it('refuses before any call what Avatar IV’s route cannot take (1:1, a framing style, an emotion, captions)', async () => {
    const live = liveAdapter('heygen', 'heygen', mock.url, heygen);
    const before = mock.requests.length;
    const refused: Array<Record<string, JsonValue>> = [{ aspectRatio: '1:1' }, { avatarStyle: 'circle' }, { emotion: 'Friendly' }, { caption: true }];
    for (const options of refused) {
      await expect(live.start(requestFor(live, 'AVATAR', { text: 'x' }, options), context()), JSON.stringify(options)).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        acceptance: 'rejected',
      });
      await live.start(requestFor(live, 'AVATAR', { text: 'x' }, { ...options, model: 'avatar-iii' }), context());
    }
    expect(mock.requests.slice(before).every((request) => request.path === '/v2/video/generate')).toBe(true);
  });

  it('normalises Avatar IV’s v3 statuses and failure_code', async () => {
    const live = liveAdapter('heygen', 'heygen', mock.url, heygen);
    const request = requestFor(live, 'AVATAR', { text: 'x' });
    mock.behaviour = 'fail';
    const job = await live.start(request, context());
    expect(job.handle).toMatchObject({ api: 'v3' });
    expect((await live.status!(job.handle, request, context())).state).toBe('queued');
    expect((await live.status!(job.handle, request, context())).state).toBe('running');
    expect(await live.status!(job.handle, request, context())).toEqual({
      state: 'failed',
      code: 'GENERATION_FAILED',
      message: 'Avatar rendering timed out',
      providerCode: 'rendering_failed',
    });
    mock.behaviour = 'succeed';
    const done = await live.start(request, context());
    for (let poll = 0; poll < 2; poll++) await live.status!(done.handle, request, context());
    expect(await live.status!(done.handle, request, context())).toMatchObject({ state: 'succeeded', outputs: [{ metadata: { duration: 12.4 } }] });
    expect(mock.requests.at(-1)!.path).toBe(`/v3/videos/${done.handle.videoId}`);
  });

  it('classifies insufficient_credit and the legacy account codes as PROVIDER_UNAVAILABLE, blocked words as GENERATION_FAILED', async () => {
    const live = liveAdapter('heygen', 'heygen', mock.url, heygen);
    const request = requestFor(live, 'AVATAR', { text: 'x' });
    mock.nextCreateError = heygenInsufficientCredit;
    await expect(live.start(request, context())).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      acceptance: 'rejected',
      details: { providerCode: 'insufficient_credit' },
    });
    for (const [code, expected] of [
      ['400599', 'PROVIDER_UNAVAILABLE'],
      ['400631', 'PROVIDER_UNAVAILABLE'],
      ['40009', 'PROVIDER_UNAVAILABLE'],
      ['400105', 'GENERATION_FAILED'],
      ['400175', 'INVALID_INPUT'],
    ] as const) {
      mock.nextCreateError = { status: 400, body: { error: { code, message: 'm' }, data: null } };
      await expect(live.start(request, context()), code).rejects.toMatchObject({ code: expected });
    }
  });

  it('normalises Avatar III’s pending/waiting, processing, completed (with its duration) and failed', async () => {
    const live = liveAdapter('heygen', 'heygen', mock.url, heygen);
    const request = requestFor(live, 'AVATAR', { text: 'x' }, { model: 'avatar-iii' });
    mock.behaviour = 'fail';
    const job = await live.start(request, context());
    expect((await live.status!(job.handle, request, context())).state).toBe('queued');
    expect((await live.status!(job.handle, request, context())).state).toBe('running');
    expect(await live.status!(job.handle, request, context())).toEqual({
      state: 'failed',
      code: 'GENERATION_FAILED',
      message: 'Video is too long (> 3600.0s).',
      providerCode: '40119',
    });
    mock.behaviour = 'succeed';
    const done = await live.start(request, context());
    for (let poll = 0; poll < 2; poll++) await live.status!(done.handle, request, context());
    expect(await live.status!(done.handle, request, context())).toMatchObject({
      state: 'succeeded',
      outputs: [{ metadata: { duration: 12.4, hasAudio: true } }],
    });
    mock.nextCreateError = { status: 429, body: { error: { code: 'rate_limit_exceeded', message: 'm' }, data: null } };
    await expect(live.start(request, context())).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE', details: { providerCode: 'rate_limit_exceeded' } });
  });
});

describe('sync.so transport', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await syncMock();
  });
  afterAll(() => mock.close());

  it('maps video + audio (or text) inputs, options and the webhook', async () => {
    const live = liveAdapter('sync-lipsync', 'sync', mock.url, sync);
    await live.start(
      requestFor(
        live,
        'AVATAR',
        { video: 'https://e/f.mp4', audio: 'https://e/s.wav' },
        { model: 'lipsync-2-pro', syncMode: 'bounce', activeSpeaker: true, temperature: 0.5 },
      ),
      context('https://h/cb'),
    );
    expect(mock.requests.at(-1)!.json).toEqual({
      model: 'lipsync-2-pro',
      input: [
        { type: 'video', url: 'https://e/f.mp4' },
        { type: 'audio', url: 'https://e/s.wav' },
      ],
      options: { sync_mode: 'bounce', output_format: 'mp4', active_speaker: true, temperature: 0.5 },
      webhookUrl: 'https://h/cb',
    });
    await live.start(requestFor(live, 'AVATAR', { video: 'https://e/f.mp4', text: 'Hello' }), context());
    expect(mock.requests.at(-1)!.json.input[1]).toEqual({ type: 'text', text: 'Hello' });
  });

  it('normalises PENDING, PROCESSING, COMPLETED and REJECTED; classifies 429 and 400', async () => {
    const live = liveAdapter('sync-lipsync', 'sync', mock.url, sync);
    const request = requestFor(live, 'AVATAR', { video: 'https://e/f.mp4', audio: 'https://e/s.wav' });
    mock.behaviour = 'fail';
    const job = await live.start(request, context());
    expect((await live.status!(job.handle, request, context())).state).toBe('queued');
    expect((await live.status!(job.handle, request, context())).state).toBe('running');
    expect(await live.status!(job.handle, request, context())).toEqual({
      state: 'failed',
      code: 'GENERATION_FAILED',
      message: 'No face was detected in the input video.',
      providerCode: 'generation_no_face_detected',
    });
    mock.behaviour = 'succeed';
    mock.nextCreateError = { status: 429, body: { message: 'Too Many Requests' } };
    await expect(live.start(request, context())).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    mock.nextCreateError = { status: 400, body: { message: 'bad input' } };
    await expect(live.start(request, context())).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
