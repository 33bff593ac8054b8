import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDoitong, silentLogger, type Doitong } from '@doitong/core';
import { eventually, fakeProvider, listen, postGraphQL, probe, type RunningHost } from '@doitong/core/testing';
import { doitongExpress } from '@doitong/express';
import express from 'express';
import express4 from 'express4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startExpressHost, type ExpressModule } from './host';

let doitong: Doitong;
let apiKey: string;
let assetDirectory: string;
const hosts: RunningHost[] = [];
const start = async (running: Promise<RunningHost>) => {
  const host = await running;
  hosts.push(host);
  return host;
};

beforeEach(async () => {
  assetDirectory = mkdtempSync(join(tmpdir(), 'doitong-express-'));
  doitong = createDoitong({ providers: [fakeProvider().adapter], logger: silentLogger, assets: { directory: assetDirectory } });
  ({ apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 }));
});

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.close()));
  await doitong.close();
  rmSync(assetDirectory, { recursive: true, force: true });
});

describe.each([
  ['Express 5', express],
  ['Express 4', express4 as ExpressModule],
])('%s', (_name, expressModule) => {
  it.each(['text', 'raw'] as const)('reuses a body that express.%s() already read', async (parser) => {
    const host = await start(startExpressHost(expressModule, doitong, parser));
    const response = await postGraphQL(host.url, apiKey, { query: '{ __typename }' });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ data: { __typename: 'Query' } });
  });

  it("answers the host parser's own refusal of a GraphQL request in Doitong's format", async () => {
    const app = expressModule();
    app.use(expressModule.json({ limit: 100 }));
    app.use('/graphql', doitongExpress(doitong));
    const host = await start(listen(app));
    const response = await postGraphQL(host.url, apiKey, { query: `{ __typename } # ${'x'.repeat(200)}` });
    expect(response.status).toBe(413);
    expect(response.json.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it("leaves errors of the host's other routes to the host", async () => {
    const app = expressModule();
    app.use(expressModule.json());
    app.use('/graphql', doitongExpress(doitong));
    app.post('/elsewhere', (_request, response) => {
      response.send('unreachable');
    });
    app.use((_error: unknown, _request: express.Request, response: express.Response, _next: express.NextFunction) => {
      response.status(400).type('text/plain').send('host error page');
    });
    const host = await start(listen(app));
    const response = await probe(new URL('/elsewhere', host.url).toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{ nope',
    });
    expect(response.text).toBe('host error page');
  });

  it('passes an unexpected failure to next(error)', async () => {
    const failure = new Error('the socket broke');
    const broken: Doitong = { ...doitong, handleNode: () => Promise.reject(failure) };
    const seen: unknown[] = [];
    const app = expressModule();
    app.use('/graphql', doitongExpress(broken));
    app.use((error: unknown, _request: express.Request, response: express.Response, _next: express.NextFunction) => {
      seen.push(error);
      response.status(503).send('host error handler');
    });
    const host = await start(listen(app));
    const response = await probe(host.url);
    expect(response.status).toBe(503);
    expect(seen).toEqual([failure]);
  });

  it('builds links from the full mount path inside a nested router', async () => {
    const app = expressModule();
    const api = expressModule.Router();
    api.use('/graphql', doitongExpress(doitong));
    app.use('/api', api);
    const host = await start(listen(app, '/api/graphql'));
    const created = await postGraphQL(host.url, apiKey, { query: 'mutation { generate(input: { type: IMAGE, input: { text: "a fox" } }) { id } }' });
    const id = created.json.data.generate.id;
    const done = await eventually(
      () => postGraphQL(host.url, apiKey, { query: `{ generation(id: "${id}") { status url } }` }),
      (response) => response.json.data.generation.status === 'COMPLETED',
    );
    expect(done.json.data.generation.url.startsWith(`${host.url}/assets/`)).toBe(true);
    expect((await probe(done.json.data.generation.url)).status).toBe(200);
  });
});
