/**
 * 10,000 generations in flight at once: `npx --yes pnpm@10 bench:in-flight`
 * (BENCH_IN_FLIGHT to change the count). In process: Doitong on node:http with everything on,
 * the sandbox's descriptions with a provider that holds every job until one moment (`releaseAt`)
 * and then answers with a one-pixel PNG, so all complete together. Measures, idle and with the
 * generations in flight, the p99 of `generation(id)` requests (autocannon in a child process,
 * 10 connections) and of event-loop delay; the heap per in-flight generation (after gc); and the
 * completions per second when they are released. Figures, not a test.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createDoitong, silentLogger, type ProviderAdapter } from '@doitong/core';
import { sandboxProviders } from '@doitong/sandbox';
import { benchApiKey } from './http/doitong-key.ts';
import { generateVariables, generationDocument } from './http/shared.ts';
import { onePixelOutput } from './one-pixel.ts';

const count = Number(process.env.BENCH_IN_FLIGHT ?? 10_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

// Every job is ready at this one moment (set when creation starts, BENCH_HOLD_SECONDS later), so
// each is polled once, then all complete together; the hold must outlast creation and measurement.
const holdMilliseconds = Number(process.env.BENCH_HOLD_SECONDS ?? 60) * 1000;
let releaseAt = Date.now() + 3_600_000;
const providers = sandboxProviders({ latencyMilliseconds: 3_600_000 }).map((adapter): ProviderAdapter => ({
  ...adapter,
  async start(request) {
    return { handle: { jobId: request.generationId }, pollAfterMilliseconds: releaseAt - Date.now() };
  },
  async status() {
    const wait = releaseAt - Date.now();
    if (wait > 0) return { state: 'running', progress: 50, pollAfterMilliseconds: wait };
    return { state: 'succeeded', outputs: [onePixelOutput] };
  },
}));

const doitong = createDoitong({ providers, assets: { directory: mkdtempSync(join(tmpdir(), 'doitong-in-flight-')) }, logger: silentLogger, graphiql: false });
await doitong.accounts.create({
  plan: 'enterprise',
  credits: 1_000_000_000_000,
  apiKey: benchApiKey,
  limits: { generationsPerMinute: 100_000_000, concurrent: 100_000_000, readsPerMinute: 100_000_000 },
});
const completions: number[] = [];
doitong.on('generation.completed', () => completions.push(performance.now()));

const headers = { authorization: `Bearer ${benchApiKey}`, 'content-type': 'application/json', accept: 'application/json' };
const generateBody = JSON.stringify({ query: 'mutation($input: GenerateInput!) { generate(input: $input) { id } }', variables: generateVariables });
async function generate(): Promise<string> {
  const response = await doitong.handle({ method: 'POST', url: '/', headers, body: generateBody });
  return (JSON.parse(String(response.body)) as { data: { generate: { id: string } } }).data.generate.id;
}

const server = createServer(doitong.nodeListener({ path: '/graphql' }));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;

/** generation(id) requests from a child process, while the event loop's delay is recorded here. */
async function measure(
  id: string,
  seconds: number,
): Promise<{ p50: number; p99: number; p50Exact: number; p99Exact: number; requestsPerSecond: number; loopP99: number; loopMax: number }> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./load.ts', import.meta.url))], {
    env: {
      ...process.env,
      BENCH_LOAD: JSON.stringify({
        url: `http://127.0.0.1:${port}/graphql`,
        body: JSON.stringify({ query: generationDocument, variables: { id } }),
        headers: { ...headers, accept: 'application/graphql-response+json' },
        connections: 10,
        warmupSeconds: 1,
        seconds,
        idempotencyKeys: false,
      }),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  await new Promise((resolve) => child.once('exit', resolve));
  loop.disable();
  const result = JSON.parse(output) as { p50: number; p99: number; p50Exact: number; p99Exact: number; requestsPerSecond: number };
  return { ...result, loopP99: loop.percentile(99) / 1e6, loopMax: loop.max / 1e6 };
}

function heapMegabytes(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

// Warm-up: the first documents, routes and code paths, then idle measurements.
const probe = await generate();
for (let index = 0; index < 200; index++) await generate();
const idle = await measure(probe, 5);
const heapBefore = heapMegabytes();

releaseAt = Date.now() + holdMilliseconds;
const started = performance.now();
const batch = 100;
for (let created = 0; created < count; created += batch) await Promise.all(Array.from({ length: Math.min(batch, count - created) }, generate));
const creationSeconds = (performance.now() - started) / 1000;
const heapInFlight = heapMegabytes();
const busy = await measure(probe, 5);
// The probe and the warm-up generations are held for an hour: they stay in flight throughout.
const stillInFlight = count - completions.length;

const completedBefore = completions.length;
if (Date.now() > releaseAt) console.warn('the hold ended before the measurements did: raise BENCH_HOLD_SECONDS');
const deadline = releaseAt + 120_000;
while (completions.length < completedBefore + stillInFlight && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
const released = completions.slice(completedBefore);
const span = released.length > 1 ? (released.at(-1)! - released[0]!) / 1000 : NaN;

console.log(
  JSON.stringify(
    {
      inFlight: stillInFlight + 201,
      creationSeconds: Number(creationSeconds.toFixed(1)),
      idle,
      busy,
      // From the exact response times: autocannon's own p99 is in whole milliseconds (1 vs 2 ms reads as ×2).
      p99Ratio: Number((busy.p99Exact / idle.p99Exact).toFixed(2)),
      heapBeforeMB: Number(heapBefore.toFixed(1)),
      heapInFlightMB: Number(heapInFlight.toFixed(1)),
      heapPerInFlightKB: Number((((heapInFlight - heapBefore) * 1024) / count).toFixed(2)),
      completed: released.length,
      completionSeconds: Number(span.toFixed(2)),
      completionsPerSecond: Math.round(released.length / span),
    },
    null,
    2,
  ),
);
server.close();
await doitong.close();
