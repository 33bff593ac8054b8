import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDoitong, silentLogger, type Doitong } from '@doitong/core';
import { eventually, fakeProvider, listen, postGraphQL, probe, type RunningHost } from '@doitong/core/testing';
import { doitongKoa } from '@doitong/koa';
import Koa from 'koa';
import Koa2 from 'koa2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let doitong: Doitong;
let apiKey: string;
let assetDirectory: string;
const hosts: RunningHost[] = [];
const start = async (app: Koa, mountPath: string) => {
  app.silent = true;
  const host = await listen(app.callback(), mountPath);
  hosts.push(host);
  return host;
};
const generate = 'mutation { generate(input: { type: IMAGE, input: { text: "a fox" } }) { id } }';

beforeEach(async () => {
  assetDirectory = mkdtempSync(join(tmpdir(), 'doitong-koa-'));
  doitong = createDoitong({ providers: [fakeProvider().adapter], logger: silentLogger, assets: { directory: assetDirectory } });
  ({ apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 }));
});

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.close()));
  await doitong.close();
  rmSync(assetDirectory, { recursive: true, force: true });
});

describe.each([
  ['Koa 3', Koa],
  ['Koa 2', Koa2],
])('%s', (_name, Application) => {
  it('answers only under its path and hands everything else to the next middleware', async () => {
    const app = new Application();
    app.use(doitongKoa(doitong, { path: '/api/gql/' }));
    app.use((context) => {
      context.body = `next saw ${context.path}`;
    });
    const host = await start(app, '/api/gql');
    expect((await postGraphQL(host.url, apiKey, { query: '{ __typename }' })).json).toEqual({ data: { __typename: 'Query' } });
    expect((await probe(`${host.url}/health`)).json).toEqual({ status: 'ok' });
    for (const path of ['/graphql', '/api/gqlx', '/api']) expect((await probe(new URL(path, host.url).toString())).text).toBe(`next saw ${path}`);
  });

  it('lets upstream middleware see the status and headers it set', async () => {
    const seen: Array<{ status: number; type: string; limit: string | undefined }> = [];
    const app = new Application();
    app.use(async (context, next) => {
      await next();
      seen.push({ status: context.status, type: context.type, limit: context.response.get('x-ratelimit-limit') || undefined });
    });
    app.use(doitongKoa(doitong));
    const host = await start(app, '/graphql');
    await postGraphQL(host.url, null, { query: '{ __typename }' });
    await postGraphQL(host.url, apiKey, { query: '{ __typename }' }, { accept: 'application/graphql-response+json' });
    expect(seen).toEqual([
      { status: 401, type: 'application/json', limit: undefined },
      { status: 200, type: 'application/graphql-response+json', limit: '1200' },
    ]);
  });

  it('builds links from the full mount path when a prefix was stripped before it (koa-mount)', async () => {
    const app = new Application();
    // What koa-mount does: strip its prefix from ctx.path and keep ctx.originalUrl.
    app.use(async (context, next) => {
      if (!context.path.startsWith('/api/')) return next();
      context.path = context.path.slice('/api'.length);
      await next();
    });
    app.use(doitongKoa(doitong));
    const host = await start(app, '/api/graphql');
    const created = await postGraphQL(host.url, apiKey, { query: generate });
    const id = created.json.data.generate.id;
    const done = await eventually(
      () => postGraphQL(host.url, apiKey, { query: `{ generation(id: "${id}") { status url } }` }),
      (response) => response.json.data.generation.status === 'COMPLETED',
    );
    expect(done.json.data.generation.url.startsWith(`${host.url}/assets/`)).toBe(true);
    expect((await probe(done.json.data.generation.url)).status).toBe(200);
  });

  it('answers a failure while reading the request itself, so no rejection reaches upstream', async () => {
    const broken: Doitong = { ...doitong, toRequest: () => Promise.reject(new Error('the socket broke')) };
    const upstream: Array<string> = [];
    const app = new Application();
    app.use(async (context, next) => {
      await next().then(
        () => upstream.push('resolved'),
        () => upstream.push('rejected'),
      );
    });
    app.use(doitongKoa(broken));
    const host = await start(app, '/graphql');
    const response = await postGraphQL(host.url, apiKey, { query: '{ __typename }' });
    expect(response.status).toBe(500);
    expect(response.json.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
    expect(upstream).toEqual(['resolved']);
  });
});
