import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDoitong, silentLogger } from '@doitong/core';
import { eventually } from '@doitong/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxProviders } from '@doitong/sandbox';

/**
 * The seed's samples end to end: the real engine, the real GraphQL handler, the sandbox catalog.
 * Videos are capped to a tiny size so the suite stays fast; everything else is as a caller sees it.
 */
const doitong = createDoitong({
  providers: sandboxProviders({ latencyMilliseconds: 0, maxVideoResolution: 96 }),
  logger: silentLogger,
  assets: { directory: mkdtempSync(join(tmpdir(), 'doitong-adapters-')) },
});
let apiKey = '';

beforeAll(async () => {
  ({ apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 1_000_000 }));
});
afterAll(() => doitong.close());

async function graphql(query: string, variables: Record<string, unknown> = {}) {
  const response = await doitong.handle({
    method: 'POST',
    url: '/',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ query, variables }),
    baseUrl: 'http://localhost/graphql',
  });
  return JSON.parse(typeof response.body === 'string' ? response.body : '{}') as { data?: any; errors?: any[] };
}

const generate = `mutation Generate($input: GenerateInput!) {
  generate(input: $input) { id status type provider creditCost estimatedTime error { code message } }
}`;
const read = `query GetGeneration($id: ID!) {
  generation(id: $id) { id status provider url progress metadata { width height duration format resolution } error { code message } }
}`;

// Polled at a pace the plan's read limit allows (pro: 1,200 reads a minute), however slow the machine.
async function completed(id: string) {
  // Seconds on a quiet machine; a saturated one (several suites at once on two cores) needs far longer.
  return eventually(
    async () => (await graphql(read, { id })).data?.generation,
    (generation) => generation && ['COMPLETED', 'FAILED', 'CANCELLED'].includes(generation.status),
    { timeoutMilliseconds: 80_000, intervalMilliseconds: 250, what: `generation ${id} finished` },
  );
}

const samples: [string, Record<string, unknown>, Record<string, unknown>][] = [
  [
    'minimax 10 s 1080p cinematic',
    {
      type: 'VIDEO',
      provider: 'minimax',
      input: { text: 'A serene mountain landscape at sunset' },
      options: { duration: 10, resolution: '1080p', style: 'cinematic' },
    },
    { duration: 10 },
  ],
  ['auto video, quality', { type: 'VIDEO', input: { text: 'Epic dragon battle' }, priority: 'QUALITY' }, { format: 'mp4' }],
  [
    'auto video with options',
    { type: 'VIDEO', input: { text: 'A bustling Tokyo street at night with neon lights' }, options: { duration: 10, resolution: '1080p', style: 'cinematic' } },
    { duration: 10 },
  ],
  [
    'kling pro 10 s',
    { type: 'VIDEO', provider: 'kling', input: { text: 'Epic space battle scene' }, options: { mode: 'pro', duration: 10, aspectRatio: '16:9' } },
    { duration: 10 },
  ],
  [
    'runway gen-3 image-to-video',
    {
      type: 'VIDEO',
      provider: 'runway',
      input: { text: 'Make the character dance', image: 'https://example.com/character.jpg' },
      options: { motionIntensity: 'high', model: 'gen-3' },
    },
    { duration: 5 },
  ],
  [
    'flux-ultra',
    {
      type: 'IMAGE',
      provider: 'flux-ultra',
      input: { text: 'Photorealistic portrait in Rembrandt style' },
      options: { aspectRatio: '16:9', quality: 'ultra', seed: 42 },
    },
    { width: 2752, height: 1536, format: 'png' },
  ],
  ['auto image, quality', { type: 'IMAGE', input: { text: 'Photorealistic portrait' }, priority: 'QUALITY' }, { format: 'png' }],
  [
    'elevenlabs',
    {
      type: 'AUDIO',
      provider: 'elevenlabs',
      input: { text: 'Welcome to the future of artificial intelligence' },
      options: { voice: 'rachel', emotion: 'excited', speed: 1.0 },
    },
    { format: 'wav' },
  ],
  [
    'heygen',
    {
      type: 'AVATAR',
      provider: 'heygen',
      input: { text: "Hello, I'm your AI assistant", voice: 'professional_female' },
      options: { avatarId: 'kate', background: 'modern_office', gesture: 'friendly' },
    },
    { format: 'mp4' },
  ],
];

describe("the seed's samples through the engine", () => {
  it.each(samples)(
    '%s completes with a real file',
    async (_name, input, expected) => {
      const { data, errors } = await graphql(generate, { input });
      expect(errors).toBeUndefined();
      expect(data.generate.creditCost).toBeGreaterThan(0);
      const generation = await completed(data.generate.id);
      expect(generation.status, JSON.stringify(generation.error)).toBe('COMPLETED');
      expect(generation.url).toBeTruthy();
      expect(generation.metadata).toMatchObject(expected);
    },
    90_000,
  );

  it('videoCreate with model luma and duration 9', async () => {
    const { data, errors } = await graphql('mutation CreateVideo($input: VideoCreateInput!) { videoCreate(input: $input) { id status videoUrl } }', {
      input: { prompt: 'Beautiful sunset over ocean', model: 'luma', duration: 9 },
    });
    expect(errors).toBeUndefined();
    const generation = await completed(data.videoCreate.id);
    expect(generation).toMatchObject({ status: 'COMPLETED', provider: 'luma', metadata: { duration: 9 } });
  });

  it('refuses an unknown option by name', async () => {
    const { errors } = await graphql(generate, { input: { type: 'VIDEO', provider: 'kling', input: { text: 'x' }, options: { aspect_ratio: '16:9' } } });
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', option: 'aspect_ratio' });
  });
});
