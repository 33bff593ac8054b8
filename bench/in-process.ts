/**
 * Doitong's own cost per request, without HTTP: `npx --yes pnpm@10 bench:in-process`. Calls the core
 * handler directly (as a binding would) with everything on, 50 requests at a time: `generate`
 * until its generation has completed (the sandbox's descriptions, a provider answering at once
 * with a one-pixel PNG, the output file written), then `generation(id)`. Prints microseconds per
 * request for several rounds; the first rounds include warm-up. BENCH_REQUESTS (default 10,000),
 * BENCH_ROUNDS (default 5), BENCH_MODE=pending (the provider accepts and never answers: the
 * request and the submission only), BENCH_TELEMETRY=on (OpenTelemetry on, through the SDK: every
 * span recorded and batched to an exporter that drops it, every measure aggregated). Figures, not
 * a test; profile it with `node --cpu-prof`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDoitong, silentLogger, type ProviderAdapter } from '@doitong/core';
import { sandboxProviders } from '@doitong/sandbox';
import { benchApiKey } from './http/doitong-key.ts';
import { generateDocument, generateVariables, generationDocument } from './http/shared.ts';
import { onePixelOutput } from './one-pixel.ts';

const requests = Number(process.env.BENCH_REQUESTS ?? 10_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const pending = process.env.BENCH_MODE === 'pending';
const concurrency = 50;

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
  assets: { directory: mkdtempSync(join(tmpdir(), 'doitong-in-process-')) },
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
const generateBody = Buffer.from(JSON.stringify({ query: generateDocument, variables: generateVariables }));
let counter = 0;
async function generate(): Promise<string> {
  const response = await doitong.handle({
    method: 'POST',
    url: '/',
    headers: { ...headers, 'idempotency-key': `in-process-${++counter}` },
    body: generateBody,
  });
  if (response.status !== 200) throw new Error(String(response.body));
  return response.body as string;
}
const firstId = (JSON.parse(await generate()) as { data: { generate: { id: string } } }).data.generate.id;
const readBody = Buffer.from(JSON.stringify({ query: generationDocument, variables: { id: firstId } }));
async function read(): Promise<void> {
  const response = await doitong.handle({ method: 'POST', url: '/', headers, body: readBody });
  if (response.status !== 200) throw new Error(String(response.body));
}

async function measure(task: () => Promise<unknown>, waitForCompletions: boolean): Promise<number> {
  const before = completed;
  const started = performance.now();
  let issued = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (issued++ < requests) await task();
    }),
  );
  if (waitForCompletions) while (completed - before < requests) await new Promise((resolve) => setImmediate(resolve));
  return ((performance.now() - started) * 1000) / requests;
}

const lines = [`| round | \`generate\`${pending ? ' (request and submission)' : ' until completed'} µs | \`generation(id)\` µs |`, '|---:|---:|---:|'];
for (let round = 1; round <= rounds; round++) {
  const generateMicroseconds = await measure(generate, !pending);
  const readMicroseconds = await measure(read, false);
  lines.push(`| ${round} | ${generateMicroseconds.toFixed(1)} | ${readMicroseconds.toFixed(1)} |`);
}
process.stdout.write(
  `${requests} requests per round, ${concurrency} at a time, telemetry ${telemetry ? 'on' : 'off'}, Node ${process.version}\n\n${lines.join('\n')}\n`,
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
