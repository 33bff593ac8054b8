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
  it('gives a browser the GraphiQL page, with every script and stylesheet served under the mount path', async () => {
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
    expect(assets.length).toBe(5);
    for (const asset of assets) {
      // Nothing from a CDN: every file comes from this server, below the mount path.
      expect(asset).toMatch(/^\/graphql\/graphiql\/[\w.-]+\?v=/);
      const file = await get(doitong, asset.slice('/graphql'.length), {});
      expect(file.status, asset).toBe(200);
      expect(file.headers['content-type']).toMatch(/^text\/(javascript|css); charset=utf-8$/);
      expect((file.body as Uint8Array).byteLength).toBeGreaterThan(1000);
      const again = await get(doitong, asset.slice('/graphql'.length), { 'if-none-match': file.headers.etag! });
      expect(again.status).toBe(304);
    }
    expect((await get(doitong, '/graphiql/unknown.js', {})).status).toBe(404);
  });

  it("opens with the product page's operations as tabs, and the live-updates subscription", async () => {
    doitong = testDoitong();
    const html = text(await get(doitong, '/', browser));
    for (const example of ['mutation GenerateImage($input: GenerateInput!)', "The product page's Generate mutation", 'flux-ultra', 'Photorealistic portrait in Rembrandt style', 'A bustling Tokyo street at night with neon lights', 'elevenlabs', 'heygen', 'query GetGeneration($id: ID!)', 'mutation CancelGeneration($id: ID!)', 'query GetProviders($type: GenerationType!)', 'subscription Follow($id: ID!)'])
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
    expect((await get(doitong, '/graphiql/graphiql.min.js', {})).status).toBe(404);
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
