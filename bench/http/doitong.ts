/**
 * Doitong with everything on: API-key authentication, plan rate limits (Enterprise, with the
 * account's limits raised so the load is never refused), credit reservation, the memory store,
 * idempotency keys, events, and the sandbox provider completing instantly.
 * `BENCH_BINDING` = express | express-json | koa | fastify | node.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import { createDoitong, silentLogger, type ProviderAdapter } from '@doitong/core';
import { sandboxProviders } from '@doitong/sandbox';
import { doitongExpress } from '@doitong/express';
import { doitongFastify } from '@doitong/fastify';
import { doitongKoa } from '@doitong/koa';
import { announce, generateVariables } from './shared.ts';

import { benchApiKey } from './doitong-key.ts';
import { onePixelOutput } from '../one-pixel.ts';
const binding = process.env.BENCH_BINDING ?? 'express';
const latencyMilliseconds = Number(process.env.BENCH_LATENCY_MS ?? 0);

/**
 * The sandbox's descriptions, prices and options, answering at once with a one-pixel PNG: the
 * sandbox's own renderer draws a real 1024×1024 picture per generation (about 100 ms of CPU),
 * which would measure the renderer, not the API. BENCH_RENDER=1 keeps the real renderer.
 */
const providers = sandboxProviders({ latencyMilliseconds }).map((adapter): ProviderAdapter => {
  if (process.env.BENCH_RENDER === '1' || latencyMilliseconds > 0) return adapter;
  return {
    ...adapter,
    async start(request) {
      return {
        handle: { jobId: request.generationId },
        status: { state: 'succeeded', outputs: [onePixelOutput] },
      };
    },
  };
});

const doitong = createDoitong({
  providers,
  assets: { directory: mkdtempSync(join(tmpdir(), 'doitong-bench-')) },
  logger: silentLogger,
  graphiql: false,
});
const { account } = await doitong.accounts.create({
  plan: 'enterprise',
  credits: 1_000_000_000_000,
  apiKey: benchApiKey,
  limits: { generationsPerMinute: 100_000_000, concurrent: 100_000_000, readsPerMinute: 100_000_000 },
});
let completed = 0;
doitong.on('generation.completed', () => {
  completed++;
});
process.on('SIGTERM', () => {
  process.stderr.write(`${JSON.stringify({ completed })}\n`);
  process.exit(0);
});

// One generation for the `generation(id)` query to read.
const response = await doitong.handle({
  method: 'POST',
  url: '/',
  headers: { authorization: `Bearer ${benchApiKey}`, 'content-type': 'application/json', accept: 'application/json' },
  body: JSON.stringify({ query: 'mutation($input: GenerateInput!) { generate(input: $input) { id } }', variables: generateVariables }),
});
const generationId = (JSON.parse(String(response.body)) as { data: { generate: { id: string } } }).data.generate.id;

let server;
if (binding === 'express') {
  // As the README recommends: Doitong reads its own body, so it is mounted before the host's
  // body parser, which still serves the host's other routes.
  const app = express();
  app.use('/graphql', doitongExpress(doitong));
  app.use(express.json());
  server = createServer(app);
} else if (binding === 'express-json') {
  // Behind a host's global express.json(): Doitong takes the parsed body as it is.
  const app = express();
  app.use(express.json());
  app.use('/graphql', doitongExpress(doitong));
  server = createServer(app);
} else if (binding === 'koa') {
  const app = new Koa();
  app.use(doitongKoa(doitong, { path: '/graphql' }));
  server = createServer(app.callback());
} else if (binding === 'fastify') {
  const app = Fastify();
  await app.register(doitongFastify(doitong), { prefix: '/graphql' });
  await app.ready();
  server = app.server;
} else {
  server = createServer(doitong.nodeListener({ path: '/graphql' }));
}
announce(server, { generationId, accountId: account.id });
