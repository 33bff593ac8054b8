import { getIntrospectionQuery } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import type { Doitong, ProviderAdapter } from '@doitong/core';
import { fakeProvider, post, testDoitong } from './support';

let doitong: Doitong;
afterEach(async () => doitong?.close());

async function setup(options: Parameters<typeof testDoitong>[0] = {}) {
  doitong = testDoitong({ providers: [fakeProvider().adapter], ...options });
  const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
  return apiKey;
}

async function raw(request: { method?: string; url?: string; headers?: Record<string, string>; body?: string | Uint8Array }) {
  const response = await doitong.handle({
    method: request.method ?? 'POST',
    url: request.url ?? '/',
    headers: request.headers ?? {},
    body: request.body ?? null,
  });
  const text = typeof response.body === 'string' ? response.body : '';
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

describe('authentication', () => {
  it('answers a missing, malformed or wrong key with 401 UNAUTHENTICATED', async () => {
    await setup();
    for (const authorization of [undefined, 'Basic abc', 'Bearer dk_test_wrongwrongwrongwrongwrong', 'Bearer ']) {
      const response = await raw({
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: '{"query":"{ me { id } }"}',
      });
      expect(response.status).toBe(401);
      expect(response.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(response.headers['www-authenticate']).toBe('Bearer');
    }
  });

  it('lets a host authenticate its own way', async () => {
    const provider = fakeProvider();
    let accountId = '';
    doitong = testDoitong({
      providers: [provider.adapter],
      authenticate: async (request, accounts) => (request.headers['x-user'] === 'alice' ? ((await accounts.get(accountId)) ?? null) : null),
    });
    accountId = (await doitong.accounts.create({ plan: 'pro', credits: 5 })).account.id;
    const allowed = await raw({ headers: { 'content-type': 'application/json', 'x-user': 'alice' }, body: '{"query":"{ me { credits } }"}' });
    expect(allowed.body.data.me.credits).toBe(5);
    const refused = await raw({ headers: { 'content-type': 'application/json', 'x-user': 'bob' }, body: '{"query":"{ me { credits } }"}' });
    expect(refused.status).toBe(401);
  });
});

describe('malformed requests get a clear 4xx with a code, never a 500', () => {
  it.each([
    ['bad JSON', '{"query": ', 400, 'BAD_REQUEST'],
    ['an empty body', '', 400, 'BAD_REQUEST'],
    ['a JSON array', '[1,2]', 400, 'BAD_REQUEST'],
    ['a non-GraphQL JSON body', '{"hello":"world"}', 400, 'BAD_REQUEST'],
    ['a numeric query', '{"query": 5}', 400, 'BAD_REQUEST'],
    ['variables that are not an object', '{"query":"{ me { id } }","variables":[7]}', 400, 'BAD_REQUEST'],
  ])('%s', async (_, body, status, code) => {
    const apiKey = await setup();
    const response = await raw({ headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }, body });
    expect(response.status).toBe(status);
    expect(response.body.errors[0].extensions.code).toBe(code);
  });

  it('says whether the body was empty or not JSON, and reads the media type whatever its case and parameters', async () => {
    const apiKey = await setup();
    const send = (body: string, contentType = 'application/json') => raw({ headers: { 'content-type': contentType, authorization: `Bearer ${apiKey}` }, body });
    expect((await send('  \n ')).body.errors[0].message).toMatch(/body is empty/);
    expect((await send('{"query": ')).body.errors[0].message).toMatch(/not valid JSON/);
    const parameters = await send('{"query":"{ me { credits } }"}', 'Application/JSON; charset=UTF-8');
    expect(parameters.status).toBe(200);
    expect(parameters.body.data.me.credits).toEqual(expect.any(Number));
    expect((await send('{"query":"{ me { credits } }"}', '; charset=utf-8')).status).toBe(415);
  });

  it('refuses a body over the limit with 413', async () => {
    const apiKey = await setup({ limits: { maxBodyBytes: 1_000 } });
    const response = await raw({
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query: `{ me { id } } # ${'x'.repeat(2_000)}` }),
    });
    expect(response.status).toBe(413);
    expect(response.body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses other content types with 415 and other methods with 405', async () => {
    const apiKey = await setup();
    const form = await raw({ headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${apiKey}` }, body: 'query=%7B%7D' });
    expect(form.status).toBe(415);
    const put = await raw({ method: 'PUT', headers: { authorization: `Bearer ${apiKey}` } });
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('GET, POST');
    const mutationOverGet = await raw({
      method: 'GET',
      url: `/?query=${encodeURIComponent('mutation { cancelGeneration(id: "x") }')}`,
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(mutationOverGet.status).toBe(405);
  });

  it('answers an unknown route with 404 JSON', async () => {
    await setup();
    const response = await raw({ method: 'GET', url: '/nowhere' });
    expect(response.status).toBe(404);
    expect(response.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });
});

describe('hostile documents are refused before execution', () => {
  const cases: Array<[string, string]> = [
    ['too deep', `{ generations { edges { node { routing { candidates { provider } } } } } __typename ${'{'.repeat(0)}}`],
    ['too many aliases', `{ ${Array.from({ length: 20 }, (_, index) => `a${index}: me { id }`).join(' ')} }`],
    ['too many tokens', `{ me { ${'id '.repeat(3_000)} } }`],
    [
      'too costly',
      `{ generations(first: 100) { nodes { id status metadata { width height duration format } error { code message } routing { candidates { provider score } } } } }`,
    ],
  ];
  it.each(cases)('%s', async (name, query) => {
    const apiKey = await setup({ limits: name === 'too deep' ? { maxDepth: 4 } : {} });
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const response = await raw({
        headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ query }),
      });
      expect(response.status).toBe(400);
      expect(response.body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
      expect(response.body.data).toBeUndefined();
    }
  });

  it('can turn introspection off', async () => {
    const apiKey = await setup({ limits: { introspection: false } });
    const response = await post(doitong, apiKey, { query: '{ __schema { types { name } } }' });
    expect(response.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('parses and validates a repeated document once, keeping only documents that validated, bounded by count and bytes', async () => {
    const { DocumentCache, defaultQueryLimits } = await import('../src/graphql/documents');
    await setup();
    const cache = new DocumentCache(doitong.schema, {
      limits: { ...defaultQueryLimits, documentCacheEntries: 2, documentCacheBytes: 16_000 },
      strictSelections: false,
    });
    const first = cache.prepare('{ me { id } }');
    expect(cache.prepare('{ me { id } }')).toBe(first);
    // Refused documents are not kept: a stream of distinct ones pins nothing.
    for (let index = 0; index < 20; index++) expect(cache.prepare(`{ nope${index} ${'x '.repeat(200)} }`).ok).toBe(false);
    expect(cache.cached.entries).toBe(1);
    // Bounded by count: a third document evicts the least recently used.
    cache.prepare('{ me { credits } }');
    cache.prepare('{ me { plan { name } } }');
    expect(cache.cached.entries).toBe(2);
    expect(cache.prepare('{ me { id } }')).not.toBe(first);
    // Bounded by bytes: a valid document over a sixteenth of the budget is answered but not kept.
    const large = `{ me { id } ${'#'.repeat(2_000)}\n}`;
    expect(cache.prepare(large).ok).toBe(true);
    expect(cache.cached.bytes).toBeLessThanOrEqual(16_000);
    expect(cache.prepare(large)).not.toBe(cache.prepare(large));
  });

  it('puts introspection under its own budget: the full GraphiQL query passes, aliased copies do not', async () => {
    const apiKey = await setup();
    const full = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
    });
    const ok = await post(doitong, apiKey, { query: full });
    expect(ok.status).toBe(200);
    expect(ok.body.data.__schema.types.length).toBeGreaterThan(10);
    const fragments = full.slice(full.indexOf('fragment FullType'));
    const aliased = `query { ${Array.from({ length: 15 }, (_, index) => `s${index}: __schema { types { ...FullType } directives { name args { ...InputValue } } }`).join(' ')} } ${fragments}`;
    const refused = await post(doitong, apiKey, { query: aliased }, { accept: 'application/graphql-response+json' });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    const three = `query { ${Array.from({ length: 3 }, (_, index) => `s${index}: __schema { types { ...FullType } directives { name args { ...InputValue } } }`).join(' ')} } ${fragments}`;
    expect((await post(doitong, apiKey, { query: three })).body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    // A fragment spread many times over counts each time, and costs little to count.
    const bomb = `{ __schema { ...F0 } } ${Array.from({ length: 30 }, (_, index) => `fragment F${index} on __Schema { a${index}: types { name } ${index < 29 ? `...F${index + 1} ...F${index + 1}` : ''} }`).join(' ')}`;
    expect((await post(doitong, apiKey, { query: bomb })).body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
  });
});

describe('status codes of request errors follow GraphQL over HTTP', () => {
  it('gives application/json clients 200 and graphql-response+json clients 400', async () => {
    const apiKey = await setup();
    for (const [query, code] of [
      ['{', 'GRAPHQL_PARSE_FAILED'],
      ['{ nope }', 'GRAPHQL_VALIDATION_FAILED'],
    ]) {
      const legacy = await raw({ headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }, body: JSON.stringify({ query }) });
      expect(legacy.status).toBe(200);
      expect(legacy.body.errors[0].extensions.code).toBe(code);
      const modern = await raw({
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ query }),
      });
      expect(modern.status).toBe(400);
      expect(modern.headers['content-type']).toBe('application/graphql-response+json; charset=utf-8');
    }
    const coercion = await raw({
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query: 'query($id: ID!) { generation(id: $id) { id } }', variables: { id: null } }),
    });
    expect(coercion.status).toBe(400);
    expect(coercion.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('unexpected errors are masked', () => {
  it('hides the message and stack of a throwing provider and logs the original', async () => {
    const logged: unknown[] = [];
    const { adapter } = fakeProvider();
    const broken: ProviderAdapter = {
      ...adapter,
      price: () => {
        throw new Error('secret database password in message');
      },
    };
    doitong = testDoitong({ providers: [broken], logger: { error: (object) => logged.push(object), warn() {}, info() {} } });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const response = await post(doitong, apiKey, { query: 'mutation { generate(input: { type: IMAGE, input: { text: "x" } }) { id } }' });
    expect(response.status).toBe(200);
    expect(response.body.errors[0]).toMatchObject({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(JSON.stringify(response.body)).not.toContain('secret');
    expect(JSON.stringify(response.body)).not.toContain('at ');
    expect(logged.length).toBe(1);
  });
});
