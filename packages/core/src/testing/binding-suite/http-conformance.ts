import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDoitong, silentLogger, type Doitong } from '@doitong/core';
import { registerAudits } from '../binding-audits';
import { eventually } from '../eventually';
import { fakeOutput, fakeProvider } from '../fake-provider';
import { abandonRequest, chunkedBody, postGraphQL, probe, type ProbeResponse } from '../http-probe';
import type { RunningHost } from '../listen';
import type { TestApi } from '../test-api';
import type { BindingSuiteOptions } from './options';

/** Small enough to exceed cheaply, large enough for every ordinary request of the suite. */
const maxBodyBytes = 8 * 1024;
const generate = 'mutation { generate(input: { type: IMAGE, input: { text: "a fox" } }) { id status } }';
const deepQuery = `{ ${'level { '.repeat(30)}__typename${' }'.repeat(30)} }`;
const aliasFlood = `{ ${Array.from({ length: 40 }, (_, index) => `alias${index}: me { id }`).join(' ')} }`;

/**
 * The HTTP half of the binding suite, over real HTTP against one host app: the same requests must
 * get the same answers whichever framework carries them, with or without a host body parser, and
 * nothing may end in a 500 or a crash. Registered inside the suite's `describe`.
 */
export function registerHttpConformance(test: TestApi, options: BindingSuiteOptions): void {
  const { it, beforeAll, afterAll } = test;
  let doitong: Doitong;
  let host: RunningHost;
  let apiKey = '';
  let assetDirectory = '';
  const url = () => host.url;
  const at = (path: string) => `${host.url}${path}`;
  const origin = (path: string) => new URL(path, host.url).toString();

  beforeAll(async () => {
    assetDirectory = mkdtempSync(join(tmpdir(), 'doitong-binding-'));
    doitong = createDoitong({
      providers: [fakeProvider({ pollsToFinish: 2 }).adapter],
      logger: silentLogger,
      assets: { directory: assetDirectory },
      limits: { maxBodyBytes },
    });
    // Enterprise reads allow the audits' bursts; the credits cover the generations.
    ({ apiKey } = await doitong.accounts.create({ plan: 'enterprise', credits: 1_000 }));
    host = await options.start(doitong);
  });

  afterAll(async () => {
    await host?.close();
    await doitong?.close();
    if (assetDirectory) rmSync(assetDirectory, { recursive: true, force: true });
  });

  it('generates, polls to COMPLETED and downloads the output whole, by range and by HEAD', async () => {
    const created = await postGraphQL(url(), apiKey, { query: generate });
    assert.equal(created.status, 200, created.text);
    assert.equal(created.json.data.generate.status, 'PENDING');
    const id: string = created.json.data.generate.id;
    const done = await eventually(
      () => postGraphQL(url(), apiKey, { query: `{ generation(id: "${id}") { status url } }` }),
      (response) => response.json?.data?.generation?.status === 'COMPLETED',
      10_000,
    );
    const link: string = done.json.data.generation.url;
    // Links are built from the mount path the binding reported, so they lead back here.
    assert.ok(link.startsWith(at('/assets/')), link);

    const whole = await probe(link);
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get('content-type'), 'image/png');
    assert.deepEqual([...whole.bytes], [...fakeOutput]);

    const range = await probe(link, { headers: { range: 'bytes=1-2' } });
    assert.equal(range.status, 206);
    assert.equal(range.headers.get('content-range'), `bytes 1-2/${fakeOutput.length}`);
    assert.deepEqual([...range.bytes], [...fakeOutput.subarray(1, 3)]);

    const outside = await probe(link, { headers: { range: 'bytes=100-200' } });
    assert.equal(outside.status, 416);
    assert.equal(outside.headers.get('content-range'), `bytes */${fakeOutput.length}`);

    const head = await probe(link, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(fakeOutput.length));
    assert.equal(head.bytes.length, 0);
  });

  it('answers a query sent with GET', async () => {
    const response = await probe(`${url()}?query=${encodeURIComponent('{ __typename }')}`, { headers: { authorization: `Bearer ${apiKey}` } });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(response.json, { data: { __typename: 'Query' } });
    assert.ok(response.headers.get('x-ratelimit-limit'));
  });

  it('refuses a missing or wrong API key with 401 UNAUTHENTICATED', async () => {
    assertError(await postGraphQL(url(), null, { query: '{ __typename }' }), 401, 'UNAUTHENTICATED');
    assertError(await postGraphQL(url(), 'dk_test_not-a-real-key-at-all', { query: '{ __typename }' }), 401, 'UNAUTHENTICATED');
  });

  it('answers malformed JSON with 400', async () => {
    const response = await postGraphQL(url(), apiKey, '{ "query": "{ __typename }"');
    if (options.hostAnswersMalformedJson) assert.equal(response.status, 400, response.text);
    else assertError(response, 400, 'BAD_REQUEST');
  });

  it('answers JSON that is no GraphQL request with 400 BAD_REQUEST', async () => {
    for (const body of [[1, 2], { hello: 'world' }, { query: 7 }, { query: '{ __typename }', variables: [7] }])
      assertError(await postGraphQL(url(), apiKey, body), 400, 'BAD_REQUEST');
  });

  it('refuses bodies that are not JSON with 415', async () => {
    const send = (body: NonNullable<RequestInit['body']>, contentType?: string) =>
      probe(url(), { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, ...(contentType ? { 'content-type': contentType } : {}) }, body });
    assertError(await send('{ __typename }', 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    // A form is what a browser may send cross-site without a preflight.
    assertError(await send('query=%7B__typename%7D', 'application/x-www-form-urlencoded'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    assertError(await send(new TextEncoder().encode(JSON.stringify({ query: '{ __typename }' }))), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses a body larger than limits.maxBodyBytes with 413', async () => {
    const oversized = JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(maxBodyBytes * 2) } });
    assertError(await postGraphQL(url(), apiKey, oversized), 413, 'PAYLOAD_TOO_LARGE');
    // Without Content-Length only counting the bytes can enforce the limit; a host's parser that
    // read the stream first applies its own limit instead, so this case is Doitong's alone.
    if (!options.hostBodyParser) {
      const chunked = await probe(url(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: chunkedBody(oversized),
        duplex: 'half',
      } as RequestInit);
      assertError(chunked, 413, 'PAYLOAD_TOO_LARGE');
    }
  });

  it('refuses hostile documents with 400 QUERY_TOO_COMPLEX, whatever the Accept', async () => {
    for (const query of [deepQuery, aliasFlood])
      for (const accept of ['application/graphql-response+json', 'application/json'])
        assertError(await postGraphQL(url(), apiKey, { query }, { accept }), 400, 'QUERY_TOO_COMPLEX');
  });

  it('answers a mutation sent with GET with 405 and an Allow header', async () => {
    const response = await probe(`${url()}?query=${encodeURIComponent(generate)}`, { headers: { authorization: `Bearer ${apiKey}` } });
    assertError(response, 405, 'METHOD_NOT_ALLOWED');
    assert.match(response.headers.get('allow') ?? '', /POST/);
  });

  it('answers other methods with 405 and an Allow header', async () => {
    const response = await probe(url(), { method: 'PUT', headers: { authorization: `Bearer ${apiKey}` } });
    assertError(response, 405, 'METHOD_NOT_ALLOWED');
    assert.equal(response.headers.get('allow'), 'GET, POST');
  });

  it('answers an unknown route under the mount path with a JSON 404', async () => {
    const response = await probe(at('/no-such-route'));
    assertError(response, 404, 'NOT_FOUND');
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    const health = await probe(at('/health'));
    assert.equal(health.status, 200);
  });

  it("leaves the host's other routes alone", async () => {
    const other = await probe(origin('/other'));
    assert.equal(other.status, 200);
    assert.equal(other.text, 'other');
    // A path that only begins like the mount path belongs to the host, not to Doitong.
    const sibling = await probe(`${url()}-sibling`);
    assert.equal(sibling.status, 404);
    // The framework's own 404 (Express and Koa answer text, Fastify JSON), never Doitong's error format.
    assert.doesNotMatch(sibling.text, /"extensions"/);
  });

  it('survives a client that hangs up in the middle of its body', async () => {
    await abandonRequest(url(), apiKey);
    const response = await postGraphQL(url(), apiKey, { query: '{ __typename }' });
    assert.equal(response.status, 200, response.text);
  });

  if (options.audits) registerAudits(test, options.audits, { url, apiKey: () => apiKey });
}

function assertError(response: ProbeResponse, status: number, code: string): void {
  assert.equal(response.status, status, `expected ${status} ${code}, got ${response.status}: ${response.text}`);
  assert.equal(response.json?.errors?.[0]?.extensions?.code, code, response.text);
}
