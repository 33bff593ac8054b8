import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDoitong, silentLogger, type Doitong } from '@doitong/core';
import { fakeOutput, fakeProvider, eventually } from '@doitong/core/testing';
import { startS3Server } from './s3-server';

let server: Awaited<ReturnType<typeof startS3Server>>;
let doitong: Doitong | undefined;
beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await doitong?.close();
  doitong = undefined;
});

async function graphql(instance: Doitong, apiKey: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await instance.handle({
    method: 'POST',
    url: '/',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ query, variables }),
    baseUrl: 'http://localhost/graphql',
  });
  return JSON.parse(String(response.body));
}

describe('outputs in a bucket', () => {
  it('stores a generation in the bucket under the prefix, and its link redirects to a presigned GET the bucket serves', async () => {
    const store = server.store({ prefix: 'doitong/' });
    doitong = createDoitong({ providers: [fakeProvider().adapter], logger: silentLogger, assets: { store } });
    const { apiKey, account } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const id = (await graphql(doitong, apiKey, 'mutation { generate(input: { type: IMAGE, input: { text: "a fox" } }) { id } }')).data.generate.id as string;
    const done = await eventually(
      () => graphql(doitong!, apiKey, 'query ($id: ID!) { generation(id: $id) { status url } }', { id }),
      (body) => body.data.generation.status === 'COMPLETED',
    );

    const listed = await store.client.send(new ListObjectsV2Command({ Bucket: server.bucket }));
    expect(listed.Contents?.map((object) => object.Key)).toEqual([`doitong/${account.id}/${id}.png`]);

    const link = (done.data.generation.url as string).slice('http://localhost/graphql'.length);
    const answer = await doitong.handle({ method: 'GET', url: link, headers: {}, baseUrl: 'http://localhost/graphql' });
    expect(answer.status).toBe(302);
    const location = new URL(answer.headers.location!);
    expect(`${location.origin}${location.pathname}`).toBe(`${server.endpoint}/${server.bucket}/doitong/${account.id}/${id}.png`);
    expect(location.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');

    const file = await fetch(location);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('content-disposition')).toBe(`inline; filename="${id}.png"`);
    expect([...new Uint8Array(await file.arrayBuffer())]).toEqual([...fakeOutput]);
  });

  it('gives a presigned link the Doitong link’s remaining life, at most the seven days SigV4 allows', async () => {
    const store = server.store();
    const tenMinutes = new URL(await store.downloadUrl!('acct/a.png', { expiresAt: Date.now() + 600_000, fileName: 'a.png' }));
    expect(Number(tenMinutes.searchParams.get('X-Amz-Expires'))).toBeGreaterThanOrEqual(599);
    expect(Number(tenMinutes.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(600);
    const month = new URL(await store.downloadUrl!('acct/a.png', { expiresAt: Date.now() + 30 * 86_400_000, fileName: 'a.png' }));
    expect(month.searchParams.get('X-Amz-Expires')).toBe('604800');
    store.close();
  });

  it('has the bucket refuse a presigned link once it has expired', async () => {
    const store = server.store();
    await store.put('acct/old.png', fakeOutput, 'image/png');
    // A link made two hours ago for a Doitong link that lived one hour.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() - 2 * 3_600_000);
    const old = await store.downloadUrl!('acct/old.png', { expiresAt: Date.now() + 3_600_000, fileName: 'old.png' });
    vi.useRealTimers();
    const expired = await fetch(old);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toMatch(/Request has expired/);
    const fresh = await fetch(await store.downloadUrl!('acct/old.png', { expiresAt: Date.now() + 3_600_000, fileName: 'old.png' }));
    expect(fresh.status).toBe(200);
    store.close();
  });

  it('streams the file through Doitong, with ranges, when presigned links are turned off', async () => {
    const store = server.store({ presignedDownloads: false });
    doitong = createDoitong({ providers: [fakeProvider().adapter], logger: silentLogger, assets: { store } });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const id = (await graphql(doitong, apiKey, 'mutation { generate(input: { type: IMAGE, input: { text: "a fox" } }) { id } }')).data.generate.id as string;
    const done = await eventually(
      () => graphql(doitong!, apiKey, 'query ($id: ID!) { generation(id: $id) { status url } }', { id }),
      (body) => body.data.generation.status === 'COMPLETED',
    );
    const link = (done.data.generation.url as string).slice('http://localhost/graphql'.length);
    const answer = await doitong.handle({ method: 'GET', url: link, headers: { range: 'bytes=1-2' }, baseUrl: 'http://localhost/graphql' });
    expect(answer.status).toBe(206);
    expect(answer.headers['content-range']).toBe('bytes 1-2/4');
    const chunks: Uint8Array[] = [];
    for await (const chunk of answer.body as AsyncIterable<Uint8Array>) chunks.push(chunk);
    expect([...Buffer.concat(chunks)]).toEqual([...fakeOutput.subarray(1, 3)]);
  });
});
