import { afterEach, describe, expect, it } from 'vitest';
import { InProcessQueue, silentLogger, type Doitong } from '@doitong/core';
import { eventually, fakeProvider, post, queueIdle, testDoitong } from './support';

const generateImage = 'mutation Generate($input: GenerateInput!) { generate(input: $input) { id status provider creditCost estimatedTime progress livemode } }';
const readGeneration = 'query Read($id: ID!) { generation(id: $id) { id status progress url creditCost metadata error errorCode createdAt completedAt } }';

let doitong: Doitong;
afterEach(async () => doitong?.close());

async function setup(options: Parameters<typeof fakeProvider>[0] = {}, credits = 1_000) {
  const provider = fakeProvider(options);
  const queue = new InProcessQueue({ logger: silentLogger });
  doitong = testDoitong({ providers: [provider.adapter], queue });
  const { apiKey, account } = await doitong.accounts.create({ plan: 'pro', credits });
  return { provider, apiKey, account, queue };
}

const read = (apiKey: string, id: string) => post(doitong, apiKey, { query: readGeneration, variables: { id } });
const until = (apiKey: string, id: string, status: string) =>
  eventually(
    () => read(apiKey, id),
    (response) => response.body.data?.generation?.status === status,
  );

describe('generate', () => {
  it('returns at once with PENDING, the price and the estimate, then completes', async () => {
    const { apiKey } = await setup({ pollsToFinish: 3, creditCost: 7 });
    const created = await post(doitong, apiKey, { query: generateImage, variables: { input: { type: 'IMAGE', provider: 'fake', input: { text: 'a fox' } } } });
    expect(created.status).toBe(200);
    expect(created.body.data.generate).toMatchObject({ status: 'PENDING', provider: 'fake', creditCost: 7, estimatedTime: 1, progress: 0, livemode: false });
    const done = await until(apiKey, created.body.data.generate.id, 'COMPLETED');
    const generation = done.body.data.generation;
    expect(generation.progress).toBe(100);
    expect(generation.metadata).toMatchObject({ width: 1, height: 1, format: 'png', fileSize: 4, contentType: 'image/png' });
    expect(generation.error).toBeNull();
    expect(new Date(generation.completedAt).toISOString()).toBe(generation.completedAt);
  });

  it('prices the validated options and applies defaults', async () => {
    const { apiKey } = await setup({ creditCost: 5 });
    const small = await post(doitong, apiKey, { query: generateImage, variables: { input: { type: 'IMAGE', input: { text: 'x' } } } });
    const large = await post(doitong, apiKey, {
      query: generateImage,
      variables: { input: { type: 'IMAGE', input: { text: 'x' }, options: { size: 'large' } } },
    });
    expect(small.body.data.generate.creditCost).toBe(5);
    expect(large.body.data.generate.creditCost).toBe(10);
  });

  it('refuses an unknown option, a value outside the allowed ones and an unknown provider with INVALID_INPUT naming them', async () => {
    const { apiKey } = await setup();
    const unknown = await post(doitong, apiKey, {
      query: generateImage,
      variables: { input: { type: 'IMAGE', provider: 'fake', input: { text: 'x' }, options: { colour: 'red' } } },
    });
    expect(unknown.body.errors[0].extensions).toMatchObject({ code: 'INVALID_INPUT', option: 'colour', allowedValues: ['size', 'seed'], retryable: false });
    const badValue = await post(doitong, apiKey, {
      query: generateImage,
      variables: { input: { type: 'IMAGE', provider: 'fake', input: { text: 'x' }, options: { size: 'huge' } } },
    });
    expect(badValue.body.errors[0].extensions).toMatchObject({ code: 'INVALID_INPUT', option: 'size', allowedValues: ['small', 'large'] });
    expect(badValue.body.errors[0].message).toContain('size');
    const badProvider = await post(doitong, apiKey, { query: generateImage, variables: { input: { type: 'IMAGE', provider: 'nope', input: { text: 'x' } } } });
    expect(badProvider.body.errors[0].extensions).toMatchObject({ code: 'INVALID_INPUT', option: 'provider', allowedValues: ['fake'] });
    const wrongType = await post(doitong, apiKey, { query: generateImage, variables: { input: { type: 'VIDEO', input: { text: 'x' } } } });
    expect(wrongType.body.errors[0].extensions.code).toBe('INVALID_INPUT');
    const missingText = await post(doitong, apiKey, { query: generateImage, variables: { input: { type: 'IMAGE', provider: 'fake', input: {} } } });
    expect(missingText.body.errors[0].extensions.code).toBe('INVALID_INPUT');
    const notAnObject = await post(doitong, apiKey, { query: generateImage, variables: { input: { type: 'IMAGE', input: { text: 'x' }, options: [1, 2] } } });
    expect(notAnObject.body.errors[0].extensions.code).toBe('INVALID_INPUT');
    // None of these reserved anything.
    const me = await post(doitong, apiKey, { query: '{ me { credits } }' });
    expect(me.body.data.me.credits).toBe(1_000);
  });

  it('records a provider failure as FAILED with GENERATION_FAILED and refunds it', async () => {
    const { apiKey } = await setup({ outcome: 'fail' });
    const created = await post(doitong, apiKey, { query: generateImage, variables: { input: { type: 'IMAGE', input: { text: 'x' } } } });
    const failed = await until(apiKey, created.body.data.generate.id, 'FAILED');
    expect(failed.body.data.generation).toMatchObject({
      errorCode: 'GENERATION_FAILED',
      error: { code: 'GENERATION_FAILED', message: 'content refused' },
      url: null,
    });
    const me = await post(doitong, apiKey, { query: '{ me { credits } }' });
    expect(me.body.data.me.credits).toBe(1_000);
  });

  it('records a provider that refused the job as PROVIDER_UNAVAILABLE and refunds it', async () => {
    const { apiKey } = await setup({ outcome: 'reject' });
    const created = await post(doitong, apiKey, { query: generateImage, variables: { input: { type: 'IMAGE', input: { text: 'x' } } } });
    const failed = await until(apiKey, created.body.data.generate.id, 'FAILED');
    expect(failed.body.data.generation.errorCode).toBe('PROVIDER_UNAVAILABLE');
    expect((await post(doitong, apiKey, { query: '{ me { credits } }' })).body.data.me.credits).toBe(1_000);
  });

  it('never submits twice when the outcome of the create call is unknown', async () => {
    const { apiKey, provider, queue } = await setup({ outcome: 'unknown' });
    const created = await post(doitong, apiKey, { query: generateImage, variables: { input: { type: 'IMAGE', input: { text: 'x' } } } });
    await until(apiKey, created.body.data.generate.id, 'FAILED');
    // Every job the generation queued has run: no later step is left that could submit again.
    await queueIdle(queue);
    expect(provider.calls.start).toBe(1);
  });

  it('expands bare `metadata` and `error` selections as the product page clients send them', async () => {
    const { apiKey } = await setup();
    const created = await post(doitong, apiKey, {
      query: 'mutation { generate(input: { type: IMAGE, input: { text: "x" } }) { id metadata error errorCode } }',
    });
    expect(created.body.data.generate).toMatchObject({ metadata: null, error: null, errorCode: null });
    const done = await until(apiKey, created.body.data.generate.id, 'COMPLETED');
    expect(done.body.data.generation.metadata.width).toBe(1);
  });

  it('refuses bare object selections with strictSelections', async () => {
    const provider = fakeProvider();
    doitong = testDoitong({ providers: [provider.adapter], strictSelections: true });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const response = await post(doitong, apiKey, { query: '{ generation(id: "x") { metadata } }' });
    expect(response.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('serves the videoCreate shortcut of the Apollo sample', async () => {
    const provider = fakeProvider({ id: 'luma', types: ['VIDEO'] });
    doitong = testDoitong({ providers: [provider.adapter] });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const created = await post(doitong, apiKey, {
      query: 'mutation CreateVideo($input: VideoCreateInput!) { videoCreate(input: $input) { id status videoUrl } }',
      variables: { input: { prompt: 'Beautiful sunset over ocean', model: 'luma' } },
    });
    expect(created.body.data.videoCreate).toMatchObject({ status: 'PENDING', videoUrl: null });
    const done = await eventually(
      () => post(doitong, apiKey, { query: `{ generation(id: "${created.body.data.videoCreate.id}") { status videoUrl type } }` }),
      (response) => response.body.data.generation.status === 'COMPLETED',
    );
    expect(done.body.data.generation.type).toBe('VIDEO');
    expect(done.body.data.generation.videoUrl).toContain('/assets/');
  });
});

describe('webhookUrl', () => {
  it('is stored when it is a public http(s) URL and refused otherwise', async () => {
    const { apiKey } = await setup({ pollsToFinish: 1_000 });
    const query = 'mutation($url: String) { generate(input: { type: IMAGE, input: { text: "x" }, webhookUrl: $url }) { id webhookUrl } }';
    const accepted = await post(doitong, apiKey, { query, variables: { url: 'https://your-app.com/webhook' } });
    expect(accepted.body.data.generate.webhookUrl).toBe('https://your-app.com/webhook');
    for (const url of [
      'ftp://example.com/x',
      'not a url',
      'http://127.0.0.1/hook',
      'http://[::1]/hook',
      'http://169.254.169.254/latest',
      'http://10.0.0.8/x',
      'http://user:pass@example.com/',
      'http://localhost:3000/',
    ]) {
      const refused = await post(doitong, apiKey, { query, variables: { url } });
      expect(refused.body.errors?.[0]?.extensions, url).toMatchObject({ code: 'INVALID_INPUT', option: 'webhookUrl' });
    }
  });

  it('may point to a private address when the host allows it', async () => {
    doitong = testDoitong({ providers: [fakeProvider().adapter], webhooks: { allowPrivateUrls: true } });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const response = await post(doitong, apiKey, {
      query: 'mutation { generate(input: { type: IMAGE, input: { text: "x" }, webhookUrl: "http://127.0.0.1:9000/hook" }) { webhookUrl } }',
    });
    expect(response.body.data.generate.webhookUrl).toBe('http://127.0.0.1:9000/hook');
  });
});

describe('reading', () => {
  it('keeps every account to its own generations: another account gets NOT_FOUND for read and cancel', async () => {
    const { apiKey } = await setup({ pollsToFinish: 1_000 });
    const other = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const created = await post(doitong, apiKey, { query: generateImage, variables: { input: { type: 'IMAGE', input: { text: 'x' } } } });
    const id = created.body.data.generate.id;
    const foreignRead = await read(other.apiKey, id);
    expect(foreignRead.body.data.generation).toBeNull();
    expect(foreignRead.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const foreignCancel = await post(doitong, other.apiKey, { query: 'mutation($id: ID!) { cancelGeneration(id: $id) }', variables: { id } });
    expect(foreignCancel.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const list = await post(doitong, other.apiKey, { query: '{ generations { nodes { id } } }' });
    expect(list.body.data.generations.nodes).toEqual([]);
    expect((await read(apiKey, id)).body.data.generation.status).not.toBe('CANCELLED');
  });

  it('lists generations newest first with cursors and filters', async () => {
    const { apiKey } = await setup({ pollsToFinish: 1_000 });
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) {
      const created = await post(doitong, apiKey, { query: generateImage, variables: { input: { type: 'IMAGE', input: { text: `n${index}` } } } });
      ids.push(created.body.data.generate.id);
    }
    await post(doitong, apiKey, { query: 'mutation($id: ID!) { cancelGeneration(id: $id) }', variables: { id: ids[1] } });
    const page = `query($after: String, $status: GenerationStatus) { generations(first: 2, after: $after, status: $status) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;
    const first = await post(doitong, apiKey, { query: page });
    expect(first.body.data.generations.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([ids[4], ids[3]]);
    expect(first.body.data.generations.pageInfo.hasNextPage).toBe(true);
    const second = await post(doitong, apiKey, { query: page, variables: { after: first.body.data.generations.pageInfo.endCursor } });
    expect(second.body.data.generations.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([ids[2], ids[1]]);
    const third = await post(doitong, apiKey, { query: page, variables: { after: second.body.data.generations.pageInfo.endCursor } });
    expect(third.body.data.generations.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([ids[0]]);
    expect(third.body.data.generations.pageInfo.hasNextPage).toBe(false);
    const cancelled = await post(doitong, apiKey, { query: page, variables: { status: 'CANCELLED' } });
    expect(cancelled.body.data.generations.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([ids[1]]);
    const tooMany = await post(doitong, apiKey, { query: '{ generations(first: 101) { nodes { id } } }' });
    expect(tooMany.body.errors[0].extensions).toMatchObject({ code: 'INVALID_INPUT', option: 'first' });
  });

  it('describes providers from their own descriptions', async () => {
    const { apiKey } = await setup({ creditCost: 9 });
    const response = await post(doitong, apiKey, {
      query:
        'query($type: GenerationType!) { providers(type: $type) { id name description features limitations pricing { creditCost estimatedTime } options { name type required description allowedValues } available } }',
      variables: { type: 'IMAGE' },
    });
    expect(response.body.data.providers).toEqual([
      {
        id: 'fake',
        name: 'Fake',
        description: 'A provider for tests.',
        features: ['fast'],
        limitations: ['none'],
        pricing: { creditCost: 9, estimatedTime: 1 },
        options: [
          { name: 'size', type: 'string', required: false, description: 'Output size.', allowedValues: ['small', 'large'] },
          { name: 'seed', type: 'integer', required: false, description: 'Seed.', allowedValues: null },
        ],
        available: true,
      },
    ]);
    const none = await post(doitong, apiKey, { query: '{ providers(type: AUDIO) { id } }' });
    expect(none.body.data.providers).toEqual([]);
  });

  it('shows the account, its plan and its credits', async () => {
    const { apiKey, account } = await setup({}, 250);
    const response = await post(doitong, apiKey, { query: '{ me { id mode credits plan { id generationsPerMinute concurrent generationsPerDay } } }' });
    expect(response.body.data.me).toEqual({
      id: account.id,
      mode: 'TEST',
      credits: 250,
      plan: { id: 'pro', generationsPerMinute: 60, concurrent: 10, generationsPerDay: 10_000 },
    });
  });
});

describe('cancelGeneration', () => {
  const cancel = (apiKey: string, id: string) => post(doitong, apiKey, { query: 'mutation($id: ID!) { cancelGeneration(id: $id) }', variables: { id } });

  it('cancels a PENDING generation before the provider sees it and refunds it', async () => {
    const { apiKey, provider, queue } = await setup({ pollsToFinish: 1_000 });
    const created = await post(doitong, apiKey, { query: generateImage, variables: { input: { type: 'IMAGE', input: { text: 'x' } } } });
    const response = await cancel(apiKey, created.body.data.generate.id);
    expect(response.body.data.cancelGeneration).toBe(true);
    expect((await read(apiKey, created.body.data.generate.id)).body.data.generation.status).toBe('CANCELLED');
    // The submission queued before the cancel has run (and found the generation cancelled).
    await queueIdle(queue);
    expect(provider.calls.start).toBe(0);
    expect((await post(doitong, apiKey, { query: '{ me { credits } }' })).body.data.me.credits).toBe(1_000);
  });

  it('cancels a PROCESSING generation at the provider', async () => {
    const { apiKey, provider } = await setup({ pollsToFinish: 1_000 });
    const created = await post(doitong, apiKey, { query: generateImage, variables: { input: { type: 'IMAGE', input: { text: 'x' } } } });
    await until(apiKey, created.body.data.generate.id, 'PROCESSING');
    expect((await cancel(apiKey, created.body.data.generate.id)).body.data.cancelGeneration).toBe(true);
    expect(provider.calls.cancel).toBe(1);
    expect((await read(apiKey, created.body.data.generate.id)).body.data.generation.status).toBe('CANCELLED');
    expect((await post(doitong, apiKey, { query: '{ me { credits } }' })).body.data.me.credits).toBe(1_000);
  });

  it('charges a cancel after acceptance when the provider keeps the money', async () => {
    const { apiKey } = await setup({ pollsToFinish: 1_000, refundAfterAcceptance: false, cancellable: false, creditCost: 30 });
    const created = await post(doitong, apiKey, { query: generateImage, variables: { input: { type: 'IMAGE', input: { text: 'x' } } } });
    await until(apiKey, created.body.data.generate.id, 'PROCESSING');
    expect((await cancel(apiKey, created.body.data.generate.id)).body.data.cancelGeneration).toBe(true);
    expect((await post(doitong, apiKey, { query: '{ me { credits } }' })).body.data.me.credits).toBe(970);
  });

  it('returns false for a finished generation and NOT_FOUND for an unknown id', async () => {
    const { apiKey } = await setup();
    const created = await post(doitong, apiKey, { query: generateImage, variables: { input: { type: 'IMAGE', input: { text: 'x' } } } });
    await until(apiKey, created.body.data.generate.id, 'COMPLETED');
    expect((await cancel(apiKey, created.body.data.generate.id)).body.data.cancelGeneration).toBe(false);
    expect((await cancel(apiKey, 'gen_missing')).body.errors[0].extensions.code).toBe('NOT_FOUND');
  });
});

describe('events', () => {
  it('emits created, progress and completed with the stored generation', async () => {
    const { apiKey } = await setup({ pollsToFinish: 3 });
    const seen: string[] = [];
    doitong.on('generation.created', (generation) => seen.push(`created:${generation.status}`));
    doitong.on('generation.progress', (generation) => seen.push(`progress:${generation.progress}`));
    doitong.on('generation.completed', (generation) => seen.push(`completed:${generation.status}`));
    const created = await post(doitong, apiKey, { query: generateImage, variables: { input: { type: 'IMAGE', input: { text: 'x' } } } });
    await until(apiKey, created.body.data.generate.id, 'COMPLETED');
    expect(seen).toEqual(['created:PENDING', 'progress:33', 'progress:67', 'completed:COMPLETED']);
  });
});
