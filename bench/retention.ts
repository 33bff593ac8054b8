/**
 * Memory over many generations created and completed, with a retention setting:
 * `npx --yes pnpm@10 bench:retention` (BENCH_GENERATIONS, default
 * 1,000,000; BENCH_MINUTES caps the run, default 4; BENCH_RATE paces it at that many generations
 * a second, so a run can outlast the index chunks' 17-minute margin). In process, through the handler with
 * everything on (authentication, limits, credits, idempotency keys, storage, events), providers
 * that complete at the first poll with a one-pixel PNG, and `retention: { generationsSeconds: 5,
 * ledgerSeconds: 5 }`, `idempotencyTtlSeconds: 5`, `assets.retentionSeconds: 5`. Prints the heap
 * (after gc) every BENCH_EVERY generations. Figures, not a test.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDoitong, silentLogger } from '@doitong/core';
import { benchApiKey } from './http/doitong-key.ts';
import { generateVariables } from './http/shared.ts';
import { firstPollProviders } from './one-pixel.ts';

const total = Number(process.env.BENCH_GENERATIONS ?? 1_000_000);
const every = Number(process.env.BENCH_EVERY ?? 50_000);
const deadline = Date.now() + Number(process.env.BENCH_MINUTES ?? 4) * 60_000;
const retentionSeconds = Number(process.env.BENCH_RETENTION_SECONDS ?? 5);
const rate = Number(process.env.BENCH_RATE ?? 0);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const providers = firstPollProviders();
const doitong = createDoitong({
  providers,
  assets: { directory: mkdtempSync(join(tmpdir(), 'doitong-retention-')), retentionSeconds },
  retention: { generationsSeconds: retentionSeconds, ledgerSeconds: retentionSeconds },
  idempotencyTtlSeconds: retentionSeconds,
  logger: silentLogger,
  graphiql: false,
});
await doitong.accounts.create({
  plan: 'enterprise',
  credits: 1_000_000_000_000,
  apiKey: benchApiKey,
  limits: { generationsPerMinute: 100_000_000, concurrent: 100_000_000, readsPerMinute: 100_000_000 },
});
let completed = 0;
doitong.on('generation.completed', () => completed++);
const body = JSON.stringify({ query: 'mutation($input: GenerateInput!) { generate(input: $input) { id } }', variables: generateVariables });
let key = 0;
const generate = () =>
  doitong.handle({
    method: 'POST',
    url: '/',
    headers: {
      authorization: `Bearer ${benchApiKey}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'idempotency-key': `retention-${++key}`,
    },
    body,
  });

function heapMegabytes(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

const started = Date.now();
console.log('| generations created | completed | heap MB (after gc) | RSS MB | elapsed s |');
console.log('|---:|---:|---:|---:|---:|');
const report = () =>
  console.log(
    `| ${key} | ${completed} | ${heapMegabytes().toFixed(1)} | ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} | ${((Date.now() - started) / 1000).toFixed(0)} |`,
  );
report();
const batch = 200;
while (key < total && Date.now() < deadline) {
  await Promise.all(Array.from({ length: batch }, generate));
  // Let the background work keep pace, so "in flight" stays bounded as it would under a steady load.
  while (key - completed > 2_000) await new Promise((resolve) => setTimeout(resolve, 5));
  // A steady rate, when asked for: wait until this batch's share of the run has elapsed.
  if (rate > 0) await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + (key / rate) * 1000 - Date.now())));
  if (key % every === 0) report();
}
while (completed < key) await new Promise((resolve) => setTimeout(resolve, 50));
report();
console.log(`${key} generations in ${((Date.now() - started) / 1000).toFixed(0)} s (${Math.round(key / ((Date.now() - started) / 1000))} per second)`);
await doitong.close();
