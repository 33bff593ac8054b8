/**
 * The product page's samples are our first clients: each runs here against the demo server started
 * as `pnpm start` starts it, with the demo's endpoint and API key. Where the page's text is broken it
 * runs repaired: the JavaScript usage lines (which declare `const video` twice) are made by the test,
 * GetProviders loses the page's extra closing brace, and Apollo Client gets the cache it requires.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually } from '@doitong/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type DemoServer } from './demo-server';

const run = promisify(execFile);
const seedDirectory = new URL('./seed/', import.meta.url);
const pageEndpoint = 'https://api.doitong.com/graphql';
let demo: DemoServer;
const scratch = mkdtempSync(join(tmpdir(), 'doitong-seed-'));

beforeAll(async () => {
  demo = await startDemo();
}, 90_000);
afterAll(async () => demo?.stop());

/** A sample's text with the page's endpoint and placeholder key replaced by the demo's. */
function localised(file: string): string {
  return readFileSync(new URL(file, seedDirectory), 'utf8').replaceAll(pageEndpoint, demo.endpoint).replaceAll('YOUR_API_KEY', demo.apiKey);
}

async function graphql(query: string, variables?: unknown) {
  const response = await fetch(demo.endpoint, {
    method: 'POST',
    headers: { authorization: `Bearer ${demo.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

async function waitUntilDone(id: string) {
  return eventually(
    async () =>
      (await graphql('query($id: ID!) { generation(id: $id) { status url metadata { width height duration format } errorCode } }', { id })).body.data
        .generation,
    (generation) => ['COMPLETED', 'FAILED', 'CANCELLED'].includes(generation.status),
    { timeoutMilliseconds: 60_000, intervalMilliseconds: 200, what: `generation ${id} finished` },
  );
}

async function download(url: string) {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
}

describe('the curl commands', () => {
  async function curl(file: string) {
    const { stdout } = await run('bash', ['-c', `${localised(file).trimEnd()} --silent --show-error`], { timeout: 30_000 });
    return JSON.parse(stdout);
  }

  it('generates a video with minimax, an Idempotency-Key and options', async () => {
    const result = await curl('curl-1.sh');
    expect(result.errors).toBeUndefined();
    expect(result.data.generate).toMatchObject({ status: 'PENDING', type: 'VIDEO', provider: 'minimax', url: null, metadata: null });
    expect(result.data.generate.creditCost).toBeGreaterThan(0);
    expect(result.data.generate.estimatedTime).toBeGreaterThan(0);
    // The same command again is a replay of the first, not a second charge.
    const again = await curl('curl-1.sh');
    expect(again.data.generate.id).toBe(result.data.generate.id);
    const done = await waitUntilDone(result.data.generate.id);
    expect(done).toMatchObject({ status: 'COMPLETED', metadata: { format: 'mp4', duration: 10 } });
  });

  it('auto-selects the best provider for quality', async () => {
    const result = await curl('curl-2.sh');
    expect(result.errors).toBeUndefined();
    expect(result.data.generate.status).toBe('PENDING');
    expect(typeof result.data.generate.provider).toBe('string');
    expect(result.data.generate.creditCost).toBeGreaterThan(0);
  });

  it("checks a generation status (the page's id is someone else's: NOT_FOUND)", async () => {
    const result = await curl('curl-3.sh');
    expect(result.data.generation).toBeNull();
    expect(result.errors[0].extensions.code).toBe('NOT_FOUND');
  });
});

describe('the JavaScript DoitongAPI class', () => {
  it('generates, checks status and waits for completion', async () => {
    const file = join(scratch, 'doitong-api.mjs');
    writeFileSync(file, localised('doitong-api.js'));
    const { DoitongAPI } = await import(file);
    const api = new DoitongAPI(demo.apiKey);
    // Simple video generation - let AI choose provider
    const video = await api.generate({ type: 'VIDEO', input: { text: 'A serene mountain landscape' } });
    expect(video.status).toBe('PENDING');
    // Specific provider with options
    const minimax = await api.generate({
      type: 'VIDEO',
      provider: 'minimax',
      input: { text: 'Epic battle scene' },
      options: { duration: 10, resolution: '1080p', style: 'cinematic' },
    });
    expect(minimax.provider).toBe('minimax');
    // Image generation with auto-provider selection for quality
    const image = await api.generate({ type: 'IMAGE', input: { text: 'Photorealistic portrait' }, priority: 'QUALITY' });
    expect(image.type).toBe('IMAGE');
    const status = await api.checkStatus(image.id);
    expect(['PENDING', 'PROCESSING', 'COMPLETED']).toContain(status.status);
    // Wait for completion
    const result = await api.waitForCompletion(video.id, 250);
    expect(result.status).toBe('COMPLETED');
    const file2 = await download(result.url);
    expect(file2.status).toBe(200);
    expect(file2.type).toBe('video/mp4');
    expect(file2.bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    // A failing generation makes waitForCompletion throw with the provider's message.
    const failing = await api.generate({ type: 'IMAGE', provider: 'flux-ultra', input: { text: 'x' }, options: { sandbox: 'fail' } });
    await expect(api.waitForCompletion(failing.id, 100)).rejects.toThrow(/./);
  }, 60_000);
});

describe('every GraphQL document of the page', () => {
  const generate = `mutation Generate($input: GenerateInput!) {
  generate(input: $input) { id status type provider url metadata creditCost estimatedTime progress error errorCode }
}`;
  const examples: Array<[string, unknown]> = [
    [
      'video, auto-selected',
      {
        type: 'VIDEO',
        input: { text: 'A bustling Tokyo street at night with neon lights' },
        options: { duration: 10, resolution: '1080p', style: 'cinematic' },
      },
    ],
    [
      'video with kling',
      { type: 'VIDEO', provider: 'kling', input: { text: 'Epic space battle scene' }, options: { mode: 'pro', duration: 10, aspectRatio: '16:9' } },
    ],
    [
      'image to video with runway',
      {
        type: 'VIDEO',
        provider: 'runway',
        input: { text: 'Make the character dance', image: 'https://example.com/character.jpg' },
        options: { motionIntensity: 'high', model: 'gen-3' },
      },
    ],
    [
      'image with flux-ultra',
      {
        type: 'IMAGE',
        provider: 'flux-ultra',
        input: { text: 'Photorealistic portrait in Rembrandt style' },
        options: { aspectRatio: '16:9', quality: 'ultra', seed: 42 },
      },
    ],
    [
      'speech with elevenlabs',
      {
        type: 'AUDIO',
        provider: 'elevenlabs',
        input: { text: 'Welcome to the future of artificial intelligence' },
        options: { voice: 'rachel', emotion: 'excited', speed: 1.0 },
      },
    ],
    [
      'avatar with heygen',
      {
        type: 'AVATAR',
        provider: 'heygen',
        input: { text: "Hello, I'm your AI assistant", voice: 'professional_female' },
        options: { avatarId: 'kate', background: 'modern_office', gesture: 'friendly' },
        webhookUrl: 'https://your-app.com/webhook',
      },
    ],
  ];

  it.each(examples)(
    'Generate: %s',
    async (_, input) => {
      const { status, body } = await graphql(generate, { input });
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data.generate).toMatchObject({ status: 'PENDING', progress: 0, error: null, errorCode: null });
      const done = await waitUntilDone(body.data.generate.id);
      expect(done.status).toBe('COMPLETED');
      const file = await download(done.url);
      expect(file.status).toBe(200);
    },
    60_000,
  );

  it('GetGeneration, CancelGeneration and GetProviders', async () => {
    const created = await graphql(generate, {
      input: { type: 'VIDEO', provider: 'veo', input: { text: 'slow' }, options: { sandboxLatencyMilliseconds: 60_000 } },
    });
    const id = created.body.data.generate.id;
    const read = await graphql(
      `query GetGeneration($id: ID!) {
  generation(id: $id) { id status type provider url progress metadata { width height duration format } creditCost error errorCode createdAt completedAt }
}`,
      { id },
    );
    expect(read.body.data.generation).toMatchObject({ id, type: 'VIDEO', provider: 'veo', url: null, completedAt: null, error: null });
    const cancelled = await graphql('mutation CancelGeneration($id: ID!) {\n  cancelGeneration(id: $id)\n}', { id });
    expect(cancelled.body.data.cancelGeneration).toBe(true);
    const providers = await graphql(
      `query GetProviders($type: GenerationType!) {
  providers(type: $type) { id name description features limitations pricing { creditCost estimatedTime } options { name type required description allowedValues } }
}`,
      { type: 'VIDEO' },
    );
    const ids = providers.body.data.providers.map((provider: { id: string }) => provider.id);
    expect(ids).toEqual(expect.arrayContaining(['kling', 'minimax', 'veo', 'runway', 'luma']));
    for (const provider of providers.body.data.providers) {
      expect(provider.pricing.creditCost).toBeGreaterThan(0);
      expect(provider.options.length).toBeGreaterThan(0);
    }
  });
});

describe('the Apollo Client sample', () => {
  it('creates a video with videoCreate on Apollo Client 3, with the cache it requires', async () => {
    const { ApolloClient, gql, InMemoryCache } = await import('@apollo/client');
    const CREATE_VIDEO = gql`
      mutation CreateVideo($input: VideoCreateInput!) {
        videoCreate(input: $input) {
          id
          status
          videoUrl
        }
      }
    `;
    const client = new ApolloClient({
      uri: demo.endpoint,
      headers: {
        authorization: `Bearer ${demo.apiKey}`,
      },
      cache: new InMemoryCache(),
    });
    const result = await client.mutate({
      mutation: CREATE_VIDEO,
      variables: {
        input: {
          prompt: 'Beautiful sunset over ocean',
          model: 'luma',
          duration: 9,
        },
      },
    });
    expect(result.data.videoCreate).toMatchObject({ status: 'PENDING', videoUrl: null });
    const done = await waitUntilDone(result.data.videoCreate.id);
    expect(done).toMatchObject({ status: 'COMPLETED', metadata: { duration: 9 } });
  }, 60_000);

  it('works the same on Apollo Client 4, which takes an HttpLink', async () => {
    const { ApolloClient, gql, HttpLink, InMemoryCache } = await import('apollo-client-4');
    const client = new ApolloClient({
      link: new HttpLink({ uri: demo.endpoint, headers: { authorization: `Bearer ${demo.apiKey}` } }),
      cache: new InMemoryCache(),
    });
    const result = await client.mutate<{ videoCreate: { id: string; status: string; videoUrl: string | null } }>({
      mutation: gql`
        mutation CreateVideo($input: VideoCreateInput!) {
          videoCreate(input: $input) { id status videoUrl }
        }
      `,
      variables: { input: { prompt: 'Beautiful sunset over ocean', model: 'luma', duration: 9 } },
    });
    expect(result.data?.videoCreate.status).toBe('PENDING');
  });
});
