import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { Doitong, DoitongResponse } from '@doitong/core';
import { fakeProvider, post, testDoitong } from './support';

let doitong: Doitong | undefined;
afterEach(async () => {
  await doitong?.close();
  doitong = undefined;
});

const browser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

function get(instance: Doitong, url: string, headers: Record<string, string>): Promise<DoitongResponse> {
  return instance.handle({ method: 'GET', url, headers, baseUrl: 'http://localhost:4000/graphql' });
}

function text(response: DoitongResponse): string {
  return typeof response.body === 'string' ? response.body : Buffer.from(response.body as Uint8Array).toString('utf8');
}

describe('GraphiQL at the mount path', () => {
  it('gives a browser the GraphiQL page, with its own bundle served under the mount path, gzipped', async () => {
    doitong = testDoitong();
    const page = await get(doitong, '/', browser);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = text(page);
    expect(html).toContain('<div id="graphiql"');
    expect(html).toContain('id="doitong-key"');
    const links = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    // The only link that is not a file of this server is the empty inline icon (no favicon request).
    const assets = links.filter((link) => link !== 'data:,');
    expect(links.length - assets.length).toBe(1);
    // One script (GraphiQL 5, React 19 and the page's code) and one stylesheet.
    expect(assets.map((asset) => asset.replace(/\?.*/, ''))).toEqual(['/graphql/graphiql/graphiql.css', '/graphql/graphiql/graphiql.js']);
    // Monaco's workers and its icon font are fetched by the script and the stylesheet, from the same folder.
    const files = [
      ...assets,
      '/graphql/graphiql/editor.worker.js',
      '/graphql/graphiql/json.worker.js',
      '/graphql/graphiql/graphql.worker.js',
      '/graphql/graphiql/codicon.ttf',
    ];
    for (const asset of files) {
      // Nothing from a CDN: every file comes from this server, below the mount path.
      expect(asset).toMatch(/^\/graphql\/graphiql\/[\w.-]+(\?v=[\w-]+)?$/);
      const path = asset.slice('/graphql'.length);
      const plain = await get(doitong, path, {});
      expect(plain.status, asset).toBe(200);
      expect(plain.headers['content-type']).toMatch(/^(text\/(javascript|css); charset=utf-8|font\/ttf)$/);
      expect(plain.headers['content-encoding']).toBeUndefined();
      const body = Buffer.from(plain.body as Uint8Array);
      expect(body.byteLength).toBeGreaterThan(1000);
      const zipped = await get(doitong, path, { 'accept-encoding': 'gzip, deflate, br' });
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(zipped.headers.vary).toBe('accept-encoding');
      expect(gunzipSync(zipped.body as Uint8Array).equals(body)).toBe(true);
      expect((zipped.body as Uint8Array).byteLength).toBeLessThan(body.byteLength);
      const again = await get(doitong, path, { 'if-none-match': plain.headers.etag! });
      expect(again.status).toBe(304);
    }
    const script = text(await get(doitong, '/graphiql/graphiql.js', {}));
    expect(script).not.toMatch(/esm\.sh|unpkg\.com|jsdelivr/);
    expect((await get(doitong, '/graphiql/unknown.js', {})).status).toBe(404);
    expect((await get(doitong, '/graphiql/manifest.json', {})).status).toBe(404);
  });

  it("opens with the product page's operations as tabs, and the live-updates subscription", async () => {
    doitong = testDoitong();
    const html = text(await get(doitong, '/', browser));
    for (const example of [
      'mutation GenerateImage($input: GenerateInput!)',
      "The product page's Generate mutation",
      'flux-ultra',
      'Photorealistic portrait in Rembrandt style',
      'A bustling Tokyo street at night with neon lights',
      'elevenlabs',
      'heygen',
      'query GetGeneration($id: ID!)',
      'mutation CancelGeneration($id: ID!)',
      'query GetProviders($type: GenerationType!)',
      'subscription Follow($id: ID!)',
    ])
      expect(html).toContain(JSON.stringify(example).slice(1, -1));
  });

  it('leaves GraphQL over HTTP unchanged: a GET with a query, or one that does not prefer HTML, is GraphQL', async () => {
    doitong = testDoitong({ providers: [fakeProvider().adapter] });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 10 });
    const withQuery = await get(doitong, '/?query=%7B__typename%7D', { ...browser, authorization: `Bearer ${apiKey}` });
    expect(withQuery.status).toBe(200);
    expect(JSON.parse(text(withQuery))).toEqual({ data: { __typename: 'Query' } });
    const json = await get(doitong, '/', { accept: 'application/json' });
    expect(json.headers['content-type']).toMatch(/^application\/json/);
  });

  it('can be turned off', async () => {
    doitong = testDoitong({ graphiql: false });
    const response = await get(doitong, '/', browser);
    expect(response.headers['content-type']).not.toMatch(/text\/html/);
    expect((await get(doitong, '/graphiql/graphiql.js', {})).status).toBe(404);
  });
});

describe('subscriptions over plain HTTP', () => {
  it('are refused with 400 BAD_REQUEST saying to use Server-Sent Events', async () => {
    doitong = testDoitong({ providers: [fakeProvider().adapter] });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 10 });
    const response = await post(doitong, apiKey, { query: 'subscription { generationUpdated(id: "gen_x") { id } }' });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(response.body.errors[0].message).toContain('text/event-stream');
  });
});
