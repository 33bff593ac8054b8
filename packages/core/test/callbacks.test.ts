import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessQueue, silentLogger, type Doitong, type ProviderAdapter, type ProviderCallContext } from '@doitong/core';
import { eventually, post, queueIdle, testDoitong } from './support';
import { testProvider } from './providers';

let doitong: Doitong;
afterEach(async () => doitong?.close());

const generate = 'mutation($input: GenerateInput!) { generate(input: $input) { id } }';
const read = 'query($id: ID!) { generation(id: $id) { status url metadata { fileSize contentType format } } }';

/** A provider that finishes only when told, signs callbacks with a shared word, and records the callback URL it was given. */
function callingProvider() {
  const base = testProvider({ id: 'caller', end: 'never' });
  const seen: { callbackUrl?: string } = {};
  const adapter: ProviderAdapter = {
    ...base.adapter,
    async start(request, context: ProviderCallContext) {
      seen.callbackUrl = context.callbackUrl;
      return base.adapter.start(request, context);
    },
    parseCallback(callback) {
      const body = JSON.parse(new TextDecoder().decode(callback.body)) as { challenge?: string };
      if (body.challenge) return { verified: true, checkStatus: false, reply: { challenge: body.challenge } };
      return { verified: callback.headers['x-signature'] === 'good', checkStatus: true };
    },
  };
  return { ...base, adapter, seen };
}

const callback = (path: string, body: unknown, headers: Record<string, string> = {}, method = 'POST') =>
  doitong.handle({ method, url: path, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('provider callbacks', () => {
  it('gives the provider its callback URL and checks the status at once when it calls', async () => {
    const provider = callingProvider();
    // Polls an hour apart: only the callback can finish this generation within the test.
    const queue = new InProcessQueue({ logger: silentLogger });
    doitong = testDoitong({ providers: [provider.adapter], callbacks: { baseUrl: 'https://api.example.com/graphql/' }, pollSchedule: () => 3_600_000, queue });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const id = (await post(doitong, apiKey, { query: generate, variables: { input: { type: 'VIDEO', input: { text: 'x' } } } })).body.data.generate.id;
    await eventually(
      () => post(doitong, apiKey, { query: read, variables: { id } }),
      (response) => response.body.data.generation.status === 'PROCESSING',
    );
    expect(provider.seen.callbackUrl).toBe(`https://api.example.com/graphql/callbacks/caller/${id}`);
    // The first poll follows the start's hint; the next one is an hour away.
    await eventually(
      async () => provider.calls.status,
      (count) => count === 1,
    );

    const forged = await callback(`/callbacks/caller/${id}`, { status: 'done' }, { 'x-signature': 'bad' });
    expect(forged.status).toBe(401);
    const handshake = await callback(`/callbacks/caller/${id}`, { challenge: 'c-1' });
    expect([handshake.status, JSON.parse(String(handshake.body))]).toEqual([200, { challenge: 'c-1' }]);
    // Neither a forged callback nor a handshake made the engine ask the provider: nothing is queued
    // but the poll an hour away.
    await queueIdle(queue, { allowDelayed: true });
    expect(provider.calls.status).toBe(1);

    provider.state.end = 'succeed';
    const accepted = await callback(`/callbacks/caller/${id}`, { status: 'done' }, { 'x-signature': 'good' });
    expect(accepted.status).toBe(200);
    const done = await eventually(
      () => post(doitong, apiKey, { query: read, variables: { id } }),
      (response) => response.body.data.generation.status === 'COMPLETED',
    );
    expect(done.body.data.generation.url).toContain('/assets/');
  });

  it('refuses callbacks for unknown generations, other providers, providers that take none, and other methods', async () => {
    const provider = callingProvider();
    const silent = testProvider({ id: 'silent' });
    doitong = testDoitong({ providers: [provider.adapter, silent.adapter] });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const id = (await post(doitong, apiKey, { query: generate, variables: { input: { type: 'VIDEO', provider: 'silent', input: { text: 'x' } } } })).body.data
      .generate.id;
    expect((await callback('/callbacks/caller/gen_missing', {})).status).toBe(404);
    expect((await callback(`/callbacks/caller/${id}`, {}, { 'x-signature': 'good' })).status).toBe(404);
    expect((await callback(`/callbacks/silent/${id}`, {})).status).toBe(404);
    const get = await callback(`/callbacks/silent/${id}`, {}, {}, 'GET');
    expect([get.status, get.headers.allow]).toEqual([405, 'POST']);
  });
});

describe('expiring provider links', () => {
  it('copies the file into the asset store before COMPLETED, sending the headers the provider needs', async () => {
    const received: Array<string | undefined> = [];
    const files = createServer((request, response) => {
      received.push(request.headers['x-goog-api-key'] as string | undefined);
      response.writeHead(200, { 'content-type': 'video/mp4' }).end(Buffer.from('0000ftypisom-bytes'));
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(files.address() as AddressInfo).port}/out.mp4?expires=soon`;
    const base = testProvider({ id: 'linker' });
    const adapter: ProviderAdapter = {
      ...base.adapter,
      status: async () => ({
        state: 'succeeded',
        outputs: [{ kind: 'url', url, expires: true, headers: { 'x-goog-api-key': 'k' }, metadata: { duration: 5 } }],
      }),
    };
    doitong = testDoitong({ providers: [adapter], pollSchedule: () => 5 });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const id = (await post(doitong, apiKey, { query: generate, variables: { input: { type: 'VIDEO', input: { text: 'x' } } } })).body.data.generate.id;
    const done = await eventually(
      () => post(doitong, apiKey, { query: read, variables: { id } }),
      (response) => response.body.data.generation.status === 'COMPLETED',
    );
    files.close();
    const generation = done.body.data.generation;
    expect(generation.url).toMatch(/^http:\/\/localhost\/graphql\/assets\//);
    expect(generation.metadata).toEqual({ fileSize: 18, contentType: 'video/mp4', format: 'mp4' });
    expect(received).toEqual(['k']);
    const download = await doitong.handle({ method: 'GET', url: generation.url.replace('http://localhost/graphql', ''), headers: {} });
    expect(download.status).toBe(200);
  });
});
