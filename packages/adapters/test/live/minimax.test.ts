import { providerConformanceSuite } from '@doitong/core/testing';
import * as vitest from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestFor } from '../helpers';
import { minimaxKey, minimaxMock } from '../mocks/minimax';
import type { MockServer } from '../mocks/mock-server';
import { liveEngine } from './engine';
import { context, liveAdapter, liveTarget } from './target';

const credentials = { minimax: { apiKey: minimaxKey } };

providerConformanceSuite(vitest, {
  name: 'minimax (Hailuo)',
  setup: () =>
    liveTarget({
      mock: minimaxMock,
      id: 'minimax',
      family: 'minimax',
      credentials,
      request: { type: 'VIDEO', input: { text: 'A serene mountain landscape at sunset' } },
    }),
});

describe('minimax transport', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await minimaxMock();
  });
  afterAll(() => mock.close());
  const adapter = () => liveAdapter('minimax', 'minimax', mock.url, credentials);

  it('maps the seed’s sample (10 s at 1080p) to what Hailuo can make: 10 s at 768P, camera command in the prompt', async () => {
    const live = adapter();
    await live.start(
      requestFor(
        live,
        'VIDEO',
        { text: 'A serene mountain landscape at sunset' },
        { duration: 10, resolution: '1080p', style: 'cinematic', cameraMovement: 'push_in' },
      ),
      context('https://h/cb'),
    );
    const sent = mock.requests.at(-1)!;
    expect(sent.headers.authorization).toBe(`Bearer ${minimaxKey}`);
    expect(sent.path).toBe('/v1/video_generation');
    expect(sent.json).toEqual({
      model: 'MiniMax-Hailuo-02',
      prompt: 'A serene mountain landscape at sunset. Style: cinematic shot, dramatic lighting, shallow depth of field, film grain [Push in]',
      prompt_optimizer: true,
      duration: 10,
      resolution: '768P',
      callback_url: 'https://h/cb',
    });
  });

  it('sends an input image as MiniMax takes it: the full data: URL', async () => {
    const live = adapter();
    await live.start(requestFor(live, 'VIDEO', { image: 'data:image/jpeg;base64,/9j/4AAQ' }, { model: 'I2V-01' }), context());
    expect(mock.requests.at(-1)!.json).toMatchObject({
      model: 'I2V-01',
      first_frame_image: 'data:image/jpeg;base64,/9j/4AAQ',
      duration: 6,
      resolution: '720P',
    });
  });

  it('normalises Preparing, Queueing, Processing, Success (then files/retrieve) and reads the true size', async () => {
    const live = adapter();
    mock.behaviour = 'succeed';
    const request = requestFor(live, 'VIDEO', { text: 'x' });
    const job = await live.start(request, context());
    expect((await live.status!(job.handle, request, context())).state).toBe('queued');
    expect((await live.status!(job.handle, request, context())).state).toBe('running');
    const done = await live.status!(job.handle, request, context());
    expect(done).toMatchObject({
      state: 'succeeded',
      outputs: [{ kind: 'url', url: expect.stringContaining('/files/file_'), metadata: { width: 1366, height: 768, resolution: '768p' } }],
    });
    expect(mock.requests.at(-1)!.path).toBe('/v1/files/retrieve');
  });

  it('classifies errors inside HTTP 200 answers by base_resp.status_code', async () => {
    const live = adapter();
    const request = requestFor(live, 'VIDEO', { text: 'x' });
    for (const [code, expected] of [
      [1008, 'PROVIDER_UNAVAILABLE'],
      [1002, 'PROVIDER_UNAVAILABLE'],
      [1004, 'PROVIDER_UNAVAILABLE'],
      [2013, 'INVALID_INPUT'],
      [1026, 'GENERATION_FAILED'],
      [1027, 'GENERATION_FAILED'],
    ] as const) {
      mock.nextCreateError = { status: 200, body: { task_id: '', base_resp: { status_code: code, status_msg: 'text' } } };
      const error = await live.start(request, context()).catch((caught: unknown) => caught);
      expect(error, String(code)).toMatchObject({ code: expected, acceptance: 'rejected', details: { providerCode: String(code) } });
    }
  });

  it('reads a task that ended Fail with base_resp 1027 (output refused) as the content’s failure, and 1033 as MiniMax’s own', async () => {
    const live = adapter();
    for (const [prompt, expected] of [
      ['a sensitive output', { code: 'GENERATION_FAILED', providerCode: '1027' }],
      ['a system error', { code: 'PROVIDER_UNAVAILABLE', providerCode: '1033' }],
    ] as const) {
      const request = requestFor(live, 'VIDEO', { text: prompt });
      const job = await live.start(request, context());
      await live.status!(job.handle, request, context());
      await live.status!(job.handle, request, context());
      expect(await live.status!(job.handle, request, context())).toMatchObject({ state: 'failed', ...expected });
    }
  });

  it('ends a generation whose output MiniMax refused at once: GENERATION_FAILED, refunded, no more polls', async () => {
    const engine = await liveEngine({ mock, family: 'minimax', ids: ['minimax'], credentials });
    try {
      const before = mock.requests.length;
      const { generation, credits } = await engine.run({ type: 'VIDEO', provider: 'minimax', input: { text: 'a sensitive output' } });
      expect(generation).toMatchObject({
        status: 'FAILED',
        errorCode: 'GENERATION_FAILED',
        attempts: [{ provider: 'minimax', outcome: 'failed', errorCode: 'GENERATION_FAILED' }],
      });
      expect(generation.error.message).toContain('output new_sensitive');
      expect(credits).toBe(1_000);
      // queued, running, Fail: the answer that ended it is the last one asked for.
      expect(mock.requests.slice(before).filter((request) => request.path === '/v1/query/video_generation')).toHaveLength(3);
    } finally {
      await engine.close();
    }
  });

  it('echoes the callback challenge without polling, and polls on a status callback', () => {
    const live = adapter();
    const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    expect(live.parseCallback!({ headers: {}, body: encode({ challenge: 'abc' }), now: Date.now })).toEqual({
      verified: true,
      checkStatus: false,
      reply: { challenge: 'abc' },
    });
    expect(live.parseCallback!({ headers: {}, body: encode({ task_id: '1', status: 'success' }), now: Date.now })).toEqual({
      verified: true,
      checkStatus: true,
    });
  });
});
