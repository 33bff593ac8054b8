/**
 * Doitong's own cost per request, without HTTP: `npx --yes pnpm@10 bench:in-process`. Calls the core
 * handler directly (as a binding would) with everything on, 50 requests at a time: `generate`
 * until its generation has completed (the sandbox's descriptions, a provider answering at once
 * with a one-pixel PNG, the output file written), then `generation(id)`. Prints, for several
 * rounds (the first ones include warm-up), wall-clock microseconds per request, the process's CPU
 * time per `generate` (user and system, every thread: the file writes on libuv's pool count) and,
 * on Linux, the main thread's alone (what bounds requests/s over HTTP, where the pool's threads run
 * on another core).
 * BENCH_REQUESTS (default 10,000), BENCH_ROUNDS (default 5), BENCH_MODE=pending (the provider
 * accepts and never answers: the request and the submission only), BENCH_TELEMETRY=on
 * (OpenTelemetry on, through the SDK: every span recorded and batched to an exporter that drops it,
 * every measure aggregated). BENCH_WITHOUT takes out one part of a generation at a time, to show
 * what it costs: `idempotency-key` (requests carry no Idempotency-Key), `output-file` (an asset
 * store that keeps nothing), `routing` (the request names its provider, so none is chosen among
 * ten); several may be given, comma-separated. Figures, not a test; profile it with `node --cpu-prof`.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDoitong, silentLogger, type AssetStore, type ProviderAdapter } from '@doitong/core';
import { sandboxProviders } from '@doitong/sandbox';
import { benchApiKey } from './http/doitong-key.ts';
import { generateDocument, generateVariables, generationDocument } from './http/shared.ts';
import { onePixelOutput } from './one-pixel.ts';

const requests = Number(process.env.BENCH_REQUESTS ?? 10_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const pending = process.env.BENCH_MODE === 'pending';
const concurrency = 50;
const parts = ['idempotency-key', 'output-file', 'routing'];
const without = new Set((process.env.BENCH_WITHOUT ?? '').split(',').filter(Boolean));
for (const part of without) if (!parts.includes(part)) throw new Error(`BENCH_WITHOUT: unknown part "${part}" (one of ${parts.join(', ')})`);

/** What `output-file` leaves out: an asset store that keeps nothing (and so costs nothing). */
const keepsNothing: AssetStore = {
  async put(key, data, contentType) {
    return { key, size: data instanceof Uint8Array ? data.byteLength : 0, contentType };
  },
  async info() {
    return undefined;
  },
  async *read() {},
  async delete() {},
};

const providers = sandboxProviders({ latencyMilliseconds: 0 }).map((adapter): ProviderAdapter => ({
  ...adapter,
  async start(request) {
    if (pending) return { handle: { jobId: request.generationId }, pollAfterMilliseconds: 3_600_000 };
    return {
      handle: { jobId: request.generationId },
      status: { state: 'succeeded', outputs: [onePixelOutput] },
    };
  },
}));
const telemetry = process.env.BENCH_TELEMETRY === 'on' ? await sdkTelemetry() : undefined;
const doitong = createDoitong({
  providers,
  assets: without.has('output-file') ? keepsNothing : { directory: mkdtempSync(join(tmpdir(), 'doitong-in-process-')) },
  logger: silentLogger,
  graphiql: false,
  ...(telemetry ? { telemetry } : {}),
});
await doitong.accounts.create({
  plan: 'enterprise',
  credits: 1e12,
  apiKey: benchApiKey,
  limits: { generationsPerMinute: 1e8, concurrent: 1e8, readsPerMinute: 1e8 },
});
let completed = 0;
doitong.on('generation.completed', () => completed++);

const headers = { authorization: `Bearer ${benchApiKey}`, 'content-type': 'application/json', accept: 'application/json' };
// The sandbox's choice for this request when routing is on, named by the request when it is off.
const generateInput = without.has('routing') ? { ...generateVariables.input, provider: 'flux-optimized' } : generateVariables.input;
const generateBody = Buffer.from(JSON.stringify({ query: generateDocument, variables: { input: generateInput } }));
let counter = 0;
async function generate(): Promise<string> {
  const response = await doitong.handle({
    method: 'POST',
    url: '/',
    headers: without.has('idempotency-key') ? headers : { ...headers, 'idempotency-key': `in-process-${++counter}` },
    body: generateBody,
  });
  if (response.status !== 200) throw new Error(String(response.body));
  return response.body as string;
}
const firstId = (JSON.parse(await generate()) as { data: { generate: { id: string } } }).data.generate.id;
const readBody = Buffer.from(JSON.stringify({ query: generationDocument, variables: { id: firstId } }));
async function readOne(): Promise<void> {
  const response = await doitong.handle({ method: 'POST', url: '/', headers, body: readBody });
  if (response.status !== 200) throw new Error(String(response.body));
}

/** The main thread's CPU time in microseconds (Linux: /proc, in clock ticks of 10 ms), or NaN elsewhere. */
function mainThreadMicroseconds(): number {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command's closing parenthesis.
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return NaN;
  }
}

/** Wall-clock and CPU microseconds per request, over `requests` requests made 50 at a time. */
async function measure(task: () => Promise<unknown>, waitForCompletions: boolean): Promise<{ wall: number; cpu: number; mainThread: number }> {
  const before = completed;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const mainBefore = mainThreadMicroseconds();
  let issued = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (issued++ < requests) await task();
    }),
  );
  if (waitForCompletions) while (completed - before < requests) await new Promise((resolve) => setImmediate(resolve));
  const cpu = process.cpuUsage(cpuBefore);
  return {
    wall: ((performance.now() - started) * 1000) / requests,
    cpu: (cpu.user + cpu.system) / requests,
    mainThread: (mainThreadMicroseconds() - mainBefore) / requests,
  };
}

const lines = [
  `| round | \`generate\`${pending ? ' (request and submission)' : ' until completed'} µs | its CPU µs | main thread CPU µs | \`generation(id)\` µs |`,
  '|---:|---:|---:|---:|---:|',
];
for (let round = 1; round <= rounds; round++) {
  const generated = await measure(generate, !pending);
  const read = await measure(readOne, false);
  lines.push(`| ${round} | ${generated.wall.toFixed(1)} | ${generated.cpu.toFixed(1)} | ${generated.mainThread.toFixed(1)} | ${read.wall.toFixed(1)} |`);
}
const left = without.size ? `, without ${[...without].join(', ')}` : '';
process.stdout.write(
  `${requests} requests per round, ${concurrency} at a time, telemetry ${telemetry ? 'on' : 'off'}${left}, Node ${process.version}\n\n${lines.join('\n')}\n`,
);
await doitong.close();

/** Doitong's OpenTelemetry over the SDK as a host would run it, exporting to nowhere. */
async function sdkTelemetry() {
  const { openTelemetry } = await import('@doitong/core/opentelemetry');
  const { context } = await import('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  const { BasicTracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  const { MeterProvider, PeriodicExportingMetricReader, AggregationTemporality } = await import('@opentelemetry/sdk-metrics');
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const dropped = { export: (_items: unknown, done: (result: { code: 0 }) => void) => done({ code: 0 }), shutdown: async () => {}, forceFlush: async () => {} };
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(dropped)] });
  const reader = new PeriodicExportingMetricReader({
    exporter: { ...dropped, selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE },
    exportIntervalMillis: 10_000,
  });
  return openTelemetry({ tracerProvider, meterProvider: new MeterProvider({ readers: [reader] }) });
}
