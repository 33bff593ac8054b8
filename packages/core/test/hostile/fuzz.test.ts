import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { request as httpRequest } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Doitong, DoitongRequest } from '@doitong/core';
import { pngHeader } from '@doitong/core/testing';
import { fakeProvider, testDoitong } from '../support';
import { collector, hasStack, random, recordingLogger, send, settledHeap } from './support';

/**
 * A few thousand mixed hostile requests (documents, bodies, headers, paths, options, images, many
 * keys) against one host with several accounts: none may answer 5xx, the heap may grow only by a
 * bounded amount, and nothing a request without a valid key sent may put a stack in the log.
 */
const requests = 3_000;
/** Heap growth allowed over the measured requests, after a warm-up and a full collection. */
const heapBound = 24 * 1024 * 1024;

let doitong: Doitong;
const logger = recordingLogger();
const keys: string[] = [];

beforeAll(async () => {
  doitong = testDoitong({ providers: [fakeProvider({ pollsToFinish: 1_000 }).adapter], logger, webhooks: { allowPrivateUrls: false } });
  keys.push((await doitong.accounts.create({ plan: 'free', credits: 0 })).apiKey);
  keys.push((await doitong.accounts.create({ plan: 'pro', credits: 200 })).apiKey);
  keys.push((await doitong.accounts.create({ plan: 'starter', credits: 30 })).apiKey);
});
afterAll(async () => doitong?.close());

const generate = (input: string, extra = '') => `mutation { generate(input: { type: IMAGE, input: ${input} ${extra} }) { id status } }`;
const image = (width: number, height: number) => `data:image/png;base64,${Buffer.from(pngHeader(width, height)).toString('base64')}`;

/** One hostile request, made from the generator's next numbers; `authenticated` says whether it carries a real key. */
function hostileRequest(next: ReturnType<typeof random>): { request: DoitongRequest; authenticated: boolean } {
  const roll = next.integer(100);
  const key = next.pick([...keys, 'dk_test_notarealkeynotarealkey', '', 'x'.repeat(300), 'dk_live_\u0000\u0001']);
  const authenticated = keys.includes(key);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers.authorization = next.pick([`Bearer ${key}`, `bearer   ${key}  `, `Basic ${key}`, key]);
  if (next.integer(3) === 0)
    headers['idempotency-key'] = next.pick([`k${next.integer(1e9)}`, `"${next.integer(1e9)}"`, 'k'.repeat(300), '', '"', 'ключ', `k${next.integer(5)}`]);
  if (next.integer(5) === 0)
    headers.accept = next.pick(['text/html', 'application/xml', '*/*;q=0', 'application/graphql-response+json;q=abc', 'text/event-stream', ',,;;==']);
  const post = (body: unknown, extraHeaders: Record<string, string> = {}) => ({
    request: { method: 'POST', url: '/', headers: { ...headers, ...extraHeaders }, body: typeof body === 'string' ? body : JSON.stringify(body) },
    authenticated,
  });
  if (roll < 10) {
    // Bodies.
    const body = next.pick([
      '',
      '{',
      '[]',
      'null',
      '"query"',
      '{"query": 1}',
      '{"query": "{ me { id } }", "variables": []}',
      '{"query": "{ me { id } }", "variables": "x"}',
      `{"query": "{ me { id } }", "variables": {"a": ${'['.repeat(5_000)}${']'.repeat(5_000)}}}`,
      `{"query": "{ me { id } }", "extensions": ${'{"a":'.repeat(2_000)}1${'}'.repeat(2_000)}}`,
      Buffer.from(Array.from({ length: 200 }, () => next.integer(256))).toString('latin1'),
      `{"query": "${'\\u0000'.repeat(1_000)}"}`,
    ]);
    return post(
      body,
      next.integer(4) === 0 ? { 'content-type': next.pick(['text/plain', 'application/json; charset=utf-16', 'multipart/form-data', '']) } : {},
    );
  }
  if (roll < 30) {
    // Documents.
    const query = next.pick([
      `{ ${'me { '.repeat(40)}${'}'.repeat(40)} }`,
      `{ ${Array.from({ length: 40 }, (_, index) => `a${index}: me { id }`).join(' ')} }`,
      `{ ${Array.from({ length: 12 }, (_, index) => `s${index}: __schema { types { name fields { name args { name } } } }`).join(' ')} }`,
      `{ __schema { ...A } } fragment A on __Schema { ...B } fragment B on __Schema { ...A }`,
      `{ me { ...A } } ${Array.from({ length: 25 }, (_, index) => `fragment ${String.fromCharCode(65 + index)} on Account { id ${index < 24 ? `...${String.fromCharCode(66 + index)} ...${String.fromCharCode(66 + index)}` : ''} }`).join(' ')}`,
      `{ me { id ${'@include(if: true) '.repeat(500)} } }`,
      `{ nope${next.integer(1e6)} }`,
      `{ me { id } ${'#'.repeat(next.integer(20_000))} }`,
      `query Q($a: String = "${'\\u'.repeat(50)}") { me { id } }`,
      `{ generation(id: "${'x'.repeat(100_000)}") { id } }`,
      `{ providers(type: IMAGE) { id options { name } } }`,
      `{ generations(first: ${next.pick(['0', '-1', '101', '1e308', '2147483648'])}) { nodes { id } } }`,
      `subscription { generationUpdated(id: "x") { id } }`,
      `{ __type(name: "${'A'.repeat(10_000)}") { name } }`,
      String.fromCharCode(...Array.from({ length: 300 }, () => next.integer(0xffff))),
    ]);
    return post({ query, operationName: next.integer(10) === 0 ? 'Nope' : undefined });
  }
  if (roll < 50) {
    // Options and inputs of generate.
    const query = next.pick([
      generate(`{ text: "x" }`, `provider: "${'p'.repeat(next.integer(50_000))}"`),
      generate(`{ text: "x" }`, 'options: { size: "huge" }'),
      generate(`{ text: "x" }`, `options: { seed: ${next.pick(['-1', '1e400', '"x"', '[1]', 'null', '{ a: { b: { c: 1 } } }'])} }`),
      generate(`{ text: "x" }`, `options: { ${Array.from({ length: 200 }, (_, index) => `o${index}: ${index}`).join(' ')} }`),
      generate(`{ text: "" }`),
      generate(`{ text: "${'t'.repeat(next.integer(100_000))}" }`),
      generate(
        `{ text: "x", image: "${next.pick([image(12_000, 12_000), image(1, 100_000), image(640, 480), 'data:image/png;base64,%%%', 'data:,', 'data:image/png,%E0%A4%A', 'file:///etc/passwd', 'http://169.254.169.254/latest/meta-data'])}" }`,
      ),
      generate(
        `{ text: "x" }`,
        `webhookUrl: "${next.pick(['http://[::127.0.0.1]/x', 'http://[::7f00:1]/x', 'http://[64:ff9b::a9fe:a9fe]/', 'http://[2002:7f00:1::]/', 'http://0x7f.1/', 'http://2130706433/', 'gopher://x', 'http://user:pass@example.com/', 'http://%zz/', `http://${'a'.repeat(5_000)}.com/`])}"`,
      ),
      generate(`{ text: "x" }`, 'priority: COST fallback: ["nope", "fake", "fake"]'),
      'mutation { cancelGeneration(id: "gen_nope") }',
      `mutation { createWebhookEndpoint(url: "${next.pick(['http://[::a9fe:a9fe]/', 'https://hooks.example.com/x', 'http://localhost/'])}", events: ["${next.pick(['generation.completed', 'nope', ''])}"]) { secret } }`,
      'mutation { rotateWebhookEndpointSecret(id: "we_nope", overlapSeconds: -5) { secret } }',
      'mutation { redeliverWebhook(deliveryId: "nope") { id } }',
    ]);
    return post({ query });
  }
  if (roll < 70) {
    // Paths and methods.
    const url = next.pick([
      '//',
      '///x',
      '/assets/%zz',
      '/assets/%E0%A4%A',
      '/assets/%',
      '/assets/%c0%ae%c0%ae/x',
      '/assets/../../etc/passwd',
      `/assets/acct/x.png?expires=${next.pick(['1', 'x', '9'.repeat(400)])}&signature=${'a'.repeat(next.integer(100))}`,
      '/callbacks/%zz/x',
      '/callbacks/fake/gen_nope',
      `/callbacks/${'x'.repeat(5_000)}/y`,
      '/graphiql/%2e%2e/package.json',
      '/graphiql/../../x',
      '/health?x=%zz',
      '/ready',
      `/?query=${next.pick(['%zz', '{me{id}}', '%7B', 'mutation{cancelGeneration(id:"x")}'])}&variables=${next.pick(['%zz', '{', '[]', '{"a":1}'])}`,
      '/%00',
      `/${'%'.repeat(next.integer(50))}`,
    ]);
    const method = next.pick(['GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE']);
    if (next.integer(3) === 0)
      headers.range = next.pick(['bytes=0-', 'bytes=-1', 'bytes=99999999999999999999-', 'bytes=5-1', 'bytes=0-1,2-3,4-5', 'items=0-1']);
    return { request: { method, url, headers, body: method === 'GET' || method === 'HEAD' ? null : '{}' }, authenticated };
  }
  if (roll < 85) {
    // Many keys: the same costly refusal with a fresh Idempotency-Key each time.
    headers['idempotency-key'] = `many-${next.integer(1e12)}`;
    return post({ query: generate(`{ text: "x" }`, `provider: "${'q'.repeat(20_000)}"`) });
  }
  // Ordinary traffic in between: reads and generations that may succeed, be refused for credits or for rate.
  return post({ query: next.pick(['{ me { id credits } }', generate('{ text: "ok" }'), '{ generations(first: 5) { nodes { id status } } }']) });
}

describe('a fuzz loop of hostile requests', () => {
  it(`answers ${requests} mixed hostile requests with no 5xx, bounded heap growth and no stack logged for unauthenticated input`, async () => {
    const next = random(13);
    const gc = collector();
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const run = async (count: number) => {
      for (let index = 0; index < count; index++) {
        const { request, authenticated } = hostileRequest(next);
        const logged = logger.entries.length;
        const response = await send(doitong, request);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status >= 500) failures.push(`${response.status} ${request.method} ${request.url.slice(0, 80)} ${String(request.body).slice(0, 120)}`);
        const stacks = logger.entries.slice(logged).filter((entry) => hasStack(entry.object));
        if (stacks.length > 0 && !authenticated)
          failures.push(`stack logged for unauthenticated ${request.method} ${request.url.slice(0, 80)}: ${stacks[0]!.message}`);
        if (stacks.length > 0 && authenticated) failures.push(`stack logged for ${request.method} ${request.url.slice(0, 80)}: ${stacks[0]!.message}`);
      }
    };
    await run(300);
    const before = settledHeap(gc);
    await run(requests - 300);
    const growth = settledHeap(gc) - before;
    console.info(
      `hostile fuzz: ${requests} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}, heap growth ${(growth / 1024 / 1024).toFixed(2)} MiB (bound ${heapBound / 1024 / 1024} MiB)`,
    );
    expect(failures).toEqual([]);
    expect([...statuses.keys()].filter((status) => status >= 500)).toEqual([]);
    expect(growth).toBeLessThan(heapBound);
  }, 170_000);
});

describe('the same over a real HTTP server', () => {
  it('answers hostile paths, headers and bodies through the Node bridge with no 5xx', async () => {
    const server = createServer(doitong.nodeListener({ path: '/graphql' }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const next = random(7);
      const statuses: number[] = [];
      for (let index = 0; index < 300; index++) {
        const { request } = hostileRequest(next);
        const headers = Object.fromEntries(
          Object.entries(request.headers).filter(([, value]) => typeof value === 'string' && /^[\t\x20-\x7e]*$/.test(value)),
        ) as Record<string, string>;
        const method = request.method === 'TRACE' ? 'GET' : request.method;
        const body = method === 'GET' || method === 'HEAD' ? undefined : typeof request.body === 'string' ? request.body : undefined;
        const response = await httpRequest(`${origin}/graphql${request.url}`, {
          method: method as 'GET',
          headers,
          ...(body !== undefined ? { body } : {}),
        }).catch(() => undefined);
        if (!response) continue;
        await response.body.text();
        statuses.push(response.statusCode);
      }
      expect(statuses.length).toBeGreaterThan(250);
      expect(statuses.filter((status) => status >= 500)).toEqual([]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }, 120_000);
});
