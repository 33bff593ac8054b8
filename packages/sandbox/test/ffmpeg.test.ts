import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDoitong, ProviderError, silentLogger } from '@doitong/core';
import { eventually } from '@doitong/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandboxProviders, type SandboxAdapter } from '@doitong/sandbox';
import { ffmpegPath } from '../src/media/ffmpeg';
import { callContext, manualClock, outputOf, probe, requestFor, runJob } from './helpers';

const adapter = (adapters: SandboxAdapter[], id: string) => adapters.find((candidate) => candidate.id === id)!;
const video = (adapters: SandboxAdapter[]) => {
  const seedance = adapter(adapters, 'seedance');
  return { seedance, request: requestFor(seedance, 'VIDEO', { text: 'A red kite over the sea' }) };
};

describe('where the sandbox finds ffmpeg', () => {
  const saved = { path: process.env.PATH, variable: process.env.DOITONG_FFMPEG_PATH };
  let empty: string;
  let systemFfmpeg: string;

  beforeEach(async () => {
    delete process.env.DOITONG_FFMPEG_PATH;
    systemFfmpeg = await ffmpegPath();
    empty = await mkdtemp(join(tmpdir(), 'doitong-no-ffmpeg-'));
  });
  afterEach(async () => {
    process.env.PATH = saved.path;
    if (saved.variable === undefined) delete process.env.DOITONG_FFMPEG_PATH;
    else process.env.DOITONG_FFMPEG_PATH = saved.variable;
    await rm(empty, { recursive: true, force: true });
  });

  it('takes ffmpeg from the PATH when nothing names one', () => {
    expect(systemFfmpeg).toMatch(/ffmpeg(\.exe)?$/);
  });

  it('refuses a video before acceptance, saying how to provide ffmpeg, when there is none; images need none', async () => {
    process.env.PATH = empty;
    const adapters = sandboxProviders({ latencyMilliseconds: 0 });
    const { seedance, request } = video(adapters);
    const error = await seedance.start(request, callContext(manualClock())).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', acceptance: 'rejected', providerId: 'seedance' });
    expect((error as Error).message).toContain('No ffmpeg on the PATH');
    expect((error as Error).message).toContain('ffmpegPath');
    expect((error as Error).message).toContain('DOITONG_FFMPEG_PATH');

    const flux = adapter(adapters, 'flux-schnell');
    const image = outputOf(await runJob(flux, requestFor(flux, 'IMAGE', { text: 'A red kite' })));
    expect(image.contentType).toBe('image/png');
  });

  it('refuses a named binary that cannot be run, naming it', async () => {
    const missing = join(empty, 'ffmpeg');
    const { seedance, request } = video(sandboxProviders({ latencyMilliseconds: 0, ffmpegPath: missing }));
    const error = await seedance.start(request, callContext(manualClock())).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', acceptance: 'rejected' });
    expect((error as Error).message).toContain(missing);
  });

  it('uses DOITONG_FFMPEG_PATH when no option names a binary, even with no ffmpeg on the PATH', async () => {
    process.env.PATH = empty;
    process.env.DOITONG_FFMPEG_PATH = systemFfmpeg;
    const { seedance, request } = video(sandboxProviders({ latencyMilliseconds: 0, maxVideoResolution: 144 }));
    const output = outputOf(await runJob(seedance, request));
    process.env.PATH = saved.path;
    const streams = (await probe(output.data, 'mp4')).streams;
    expect(streams.find((stream) => stream.codec_type === 'video')?.codec_name).toBe('h264');
  });

  it('tells an API caller what is missing, with nothing charged', async () => {
    process.env.PATH = empty;
    const doitong = createDoitong({ providers: sandboxProviders({ latencyMilliseconds: 0 }), logger: silentLogger });
    try {
      const { apiKey, account } = await doitong.accounts.create({ plan: 'free', credits: 100 });
      const graphql = async (query: string) => {
        const response = await doitong.handle({
          method: 'POST',
          url: '/',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
          body: JSON.stringify({ query }),
          baseUrl: 'http://localhost/graphql',
        });
        return JSON.parse(typeof response.body === 'string' ? response.body : '{}') as { data?: any };
      };
      const { data } = await graphql('mutation { generate(input: { type: VIDEO, provider: "seedance", input: { text: "A kite" } }) { id } }');
      const generation: any = await eventually(
        async () => (await graphql(`{ generation(id: "${data.generate.id}") { status error { code message } } }`)).data?.generation,
        (generation) => generation?.status === 'FAILED' || generation?.status === 'COMPLETED',
        { intervalMilliseconds: 20 },
      );
      expect(generation.status).toBe('FAILED');
      expect(generation.error.code).toBe('PROVIDER_UNAVAILABLE');
      expect(generation.error.message).toContain('No ffmpeg on the PATH');
      expect((await doitong.accounts.get(account.id))?.credits).toBe(100);
    } finally {
      await doitong.close();
    }
  });
});
