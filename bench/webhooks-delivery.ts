/**
 * Webhook delivery throughput: deliveries per second from one Doitong instance to a receiver on
 * a loopback port, through the whole path (event → payload → stored delivery → queue job →
 * signature → SSRF-guarded undici request → recorded attempt). Not a test: it prints figures.
 *
 *   npx tsx bench/webhooks-delivery.ts            (or: npx --yes pnpm@10 bench:webhooks)
 *   BENCH_GENERATIONS=1000 BENCH_ENDPOINTS=20 npx tsx bench/webhooks-delivery.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDoitong, silentLogger, type ProviderAdapter } from '@doitong/core';

const generations = Number(process.env.BENCH_GENERATIONS ?? 500);
const endpoints = Number(process.env.BENCH_ENDPOINTS ?? 10);
const expected = generations * endpoints;

/**
 * A provider whose jobs all wait until `release`, then finish at their next status call: the
 * generations are created first, and the clock starts when they all end at once.
 */
let released = false;
const instant: ProviderAdapter = {
  id: 'instant',
  name: 'Instant',
  description: 'Finishes at once.',
  types: ['IMAGE'],
  models: [{ id: 'instant-1', name: 'Instant 1' }],
  defaultModel: 'instant-1',
  features: [],
  limitations: [],
  inputs: { IMAGE: { text: 'required', image: 'unsupported' } },
  options: [],
  traits: { quality: 5, speed: 5, cost: 5 },
  price: () => ({ creditCost: 1, estimatedTime: 1 }),
  livemode: false,
  async start(request) {
    return { handle: { id: request.generationId }, pollAfterMilliseconds: 20 };
  },
  async status() {
    if (!released) return { state: 'running', pollAfterMilliseconds: 20 };
    return {
      state: 'succeeded',
      outputs: [{ kind: 'bytes', data: new Uint8Array([137, 80, 78, 71]), contentType: 'image/png', metadata: { width: 1, height: 1, format: 'png' } }],
    };
  },
};

let received = 0;
let lastAt = 0;
let done: () => void = () => {};
const finished = new Promise<void>((resolve) => (done = resolve));
const receiver = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    lastAt = performance.now();
    received++;
    response.writeHead(204).end();
    if (received === expected) done();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
const { port } = receiver.address() as AddressInfo;

const assetDirectory = mkdtempSync(join(tmpdir(), 'doitong-bench-'));
const doitong = createDoitong({
  providers: [instant],
  logger: silentLogger,
  assets: { directory: assetDirectory },
  plans: { bench: { generationsPerMinute: 1_000_000, generationsPerDay: null, concurrent: 1_000_000, readsPerMinute: 1_000_000 } },
  webhooks: { allowPrivateUrls: true },
});
const { apiKey } = await doitong.accounts.create({ plan: 'bench', credits: 10_000_000 });
const call = (query: string) =>
  doitong.handle({
    method: 'POST',
    url: '/',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ query }),
    baseUrl: `http://127.0.0.1:${port}/graphql`,
  });
for (let index = 0; index < endpoints; index++) await call(`mutation { createWebhookEndpoint(url: "http://127.0.0.1:${port}/hook/${index}") { secret } }`);

for (let index = 0; index < generations; index++) await call('mutation { generate(input: { type: IMAGE, input: { text: "bench" } }) { id } }');
// Every job is accepted and waiting; now they all complete together.
await new Promise((resolve) => setTimeout(resolve, 100));
released = true;
const started = performance.now();
const timeout = setTimeout(() => done(), 120_000);
await finished;
clearTimeout(timeout);
const seconds = (lastAt - started) / 1000;

console.log(
  `webhook deliveries to a loopback receiver (Node ${process.version}, ${endpoints} endpoints x ${generations} generations, default concurrency 4 per endpoint / 64 overall)`,
);
console.log(`  delivered        ${received} / ${expected}`);
console.log(`  deliveries/s     ${Math.round(received / seconds)} (${seconds.toFixed(2)} s from the generations' completion to the last delivery)`);

await doitong.close();
await new Promise<void>((resolve) => receiver.close(() => resolve()));
rmSync(assetDirectory, { recursive: true, force: true });
