/**
 * `pnpm bench`: every server in its own process, loaded one after the other from a separate
 * process on loopback with the same documents and concurrency. Prints a markdown table of
 * requests/s, p50/p99 latency and peak memory (VmHWM), with each ratio to Doitong on Express.
 *
 * BENCH_SECONDS (each measured run, default 5), BENCH_REPEAT (rounds: every row is measured once
 * per round in a fresh server, and its median round reported; default 3), BENCH_WARMUP (default 3), BENCH_CONNECTIONS (default 50), BENCH_ONLY (a
 * comma-separated list of `file:binding:operation` fragments).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { benchApiKey } from './http/doitong-key.ts';
import { generateDocument, generateVariables, generationDocument } from './http/shared.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const repeat = Number(process.env.BENCH_REPEAT ?? 3);
const warmupSeconds = Number(process.env.BENCH_WARMUP ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const only = process.env.BENCH_ONLY?.split(',');

type Operation = 'generate' | 'generation';
interface Scenario {
  name: string;
  file: string;
  operation: Operation;
  env?: Record<string, string>;
}

const scenarios: Scenario[] = [
  { name: 'raw node:http (fixed JSON)', file: 'raw-node.ts', operation: 'generate' },
  { name: 'Express 5 + express.json (fixed JSON)', file: 'express-bare.ts', operation: 'generate' },
  { name: 'Express 5, body read by the handler (fixed JSON)', file: 'express-raw.ts', operation: 'generate' },
  { name: 'Apollo Server 5 / Express', file: 'apollo-express.ts', operation: 'generate' },
  { name: 'Apollo Server 5 / Express', file: 'apollo-express.ts', operation: 'generation' },
  { name: 'GraphQL Yoga / Express', file: 'yoga-express.ts', operation: 'generate' },
  { name: 'GraphQL Yoga / Express', file: 'yoga-express.ts', operation: 'generation' },
  { name: 'graphql-http / Express', file: 'graphql-http-express.ts', operation: 'generate' },
  { name: 'graphql-http / Express', file: 'graphql-http-express.ts', operation: 'generation' },
  { name: 'Fastify 5 (fixed JSON)', file: 'fastify-bare.ts', operation: 'generate' },
  { name: 'Mercurius / Fastify 5 (jit)', file: 'mercurius-fastify.ts', operation: 'generate' },
  { name: 'Mercurius / Fastify 5 (jit)', file: 'mercurius-fastify.ts', operation: 'generation' },
  { name: 'Doitong / Express (full stack)', file: 'doitong.ts', operation: 'generate', env: { BENCH_BINDING: 'express' } },
  { name: 'Doitong / Express (full stack)', file: 'doitong.ts', operation: 'generation', env: { BENCH_BINDING: 'express' } },
  { name: 'Doitong / Express behind express.json() (full stack)', file: 'doitong.ts', operation: 'generate', env: { BENCH_BINDING: 'express-json' } },
  { name: 'Doitong / Express behind express.json() (full stack)', file: 'doitong.ts', operation: 'generation', env: { BENCH_BINDING: 'express-json' } },
  { name: 'Doitong / Koa (full stack)', file: 'doitong.ts', operation: 'generate', env: { BENCH_BINDING: 'koa' } },
  { name: 'Doitong / Koa (full stack)', file: 'doitong.ts', operation: 'generation', env: { BENCH_BINDING: 'koa' } },
  { name: 'Doitong / Fastify 5 (full stack)', file: 'doitong.ts', operation: 'generate', env: { BENCH_BINDING: 'fastify' } },
  { name: 'Doitong / Fastify 5 (full stack)', file: 'doitong.ts', operation: 'generation', env: { BENCH_BINDING: 'fastify' } },
  { name: 'Doitong / node:http listener (full stack)', file: 'doitong.ts', operation: 'generate', env: { BENCH_BINDING: 'node' } },
  { name: 'Doitong / node:http listener (full stack)', file: 'doitong.ts', operation: 'generation', env: { BENCH_BINDING: 'node' } },
];

interface Measured {
  scenario: Scenario;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  peakMegabytes: number;
  non2xx: number;
  errors: number;
  runs: number[];
}

function start(scenario: Scenario): Promise<{ child: ChildProcess; info: { port: number; generationId?: string } }> {
  const file = fileURLToPath(new URL(`./http/${scenario.file}`, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    env: { ...process.env, NODE_ENV: 'production', ...scenario.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve({ child, info: JSON.parse(line) }));
    child.once('exit', (code) => reject(new Error(`${scenario.file} exited with ${code} before it was ready`)));
  });
}

function load(options: Record<string, unknown>): Promise<{ requestsPerSecond: number; p50: number; p99: number; non2xx: number; errors: number }> {
  const file = fileURLToPath(new URL('./load.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    env: { ...process.env, BENCH_LOAD: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(output)) : reject(new Error(`load exited with ${code}`)))),
  );
}

function peakMegabytes(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

// Rounds: every selected row once per round, each time in a fresh server process, and each row
// reported by its median round. Interleaving the rows means a slow minute of the machine (it is
// shared, and single runs vary by ±10 %) lands on one round of every row rather than on whole rows,
// so the ratios between rows hold better than the absolute figures.
const selected = scenarios.filter(
  (scenario) => !only || only.some((name) => `${scenario.file}:${scenario.env?.BENCH_BINDING ?? ''}:${scenario.operation}`.includes(name)),
);
const rounds = new Map<Scenario, Array<Omit<Measured, 'runs'>>>();
for (let round = 1; round <= repeat; round++) {
  for (const scenario of selected) {
    const { child, info } = await start(scenario);
    const document =
      scenario.operation === 'generate'
        ? { query: generateDocument, variables: generateVariables }
        : { query: generationDocument, variables: { id: info.generationId ?? 'gen_bench000000000000000000' } };
    const measured = await load({
      url: `http://127.0.0.1:${info.port}/graphql`,
      body: JSON.stringify(document),
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${benchApiKey}` },
      connections,
      warmupSeconds,
      seconds,
      idempotencyKeys: scenario.operation === 'generate',
    });
    const peak = peakMegabytes(child.pid!);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rounds.set(scenario, [...(rounds.get(scenario) ?? []), { scenario, ...measured, peakMegabytes: peak }]);
    process.stderr.write(
      `round ${round}: ${scenario.name} ${scenario.operation}: ${Math.round(measured.requestsPerSecond)} req/s, p50 ${measured.p50} ms, p99 ${measured.p99} ms, ${peak.toFixed(0)} MB, non-2xx ${measured.non2xx}, errors ${measured.errors}\n`,
    );
  }
}
const results: Measured[] = selected.map((scenario) => {
  const measured = [...rounds.get(scenario)!].sort((left, right) => left.requestsPerSecond - right.requestsPerSecond);
  const median = measured[(measured.length - 1) >> 1]!;
  return {
    ...median,
    peakMegabytes: Math.max(...measured.map((each) => each.peakMegabytes)),
    non2xx: measured.reduce((sum, each) => sum + each.non2xx, 0),
    errors: measured.reduce((sum, each) => sum + each.errors, 0),
    runs: rounds.get(scenario)!.map((each) => Math.round(each.requestsPerSecond)),
  };
});

const reference = (operation: Operation) =>
  results.find(
    (result) => result.scenario.file === 'doitong.ts' && result.scenario.env?.BENCH_BINDING === 'express' && result.scenario.operation === operation,
  );
const lines = [
  `${connections} connections; ${repeat} rounds, each row once per round in a fresh server (${warmupSeconds} s warm-up, ${seconds} s measured); the median round; Node ${process.version}`,
  '',
  '| server | operation | requests/s | each round | p50 ms | p99 ms | peak RSS MB | non-2xx | × Doitong/Express (same operation) |',
  '|---|---|---:|---|---:|---:|---:|---:|---:|',
];
for (const result of results) {
  const doitong = reference(result.scenario.operation);
  const ratio = doitong ? (result.requestsPerSecond / doitong.requestsPerSecond).toFixed(2) : '–';
  const operation = result.scenario.operation === 'generate' ? '`generate`' : '`generation(id)`';
  lines.push(
    `| ${result.scenario.name} | ${operation} | ${Math.round(result.requestsPerSecond)} | ${result.runs.join(', ')} | ${result.p50} | ${result.p99} | ${result.peakMegabytes.toFixed(0)} | ${result.non2xx} | ${ratio} |`,
  );
}
const rps = (file: string, operation: Operation, binding?: string) =>
  results.find(
    (result) =>
      result.scenario.file === file && result.scenario.operation === operation && (binding === undefined || result.scenario.env?.BENCH_BINDING === binding),
  )?.requestsPerSecond;
const target = (label: string, value: number | undefined, against: number | undefined, wanted: number) => {
  if (value === undefined || against === undefined) return;
  const ratio = value / against;
  lines.push(`| ${label} | ≥ ${wanted} | ${ratio.toFixed(2)} | ${ratio >= wanted ? 'met' : `not met (${((1 - ratio / wanted) * 100).toFixed(1)} % short)`} |`);
};
lines.push('', '| target | wanted | measured | |', '|---|---:|---:|---|');
target('`generate` Doitong/Express ÷ Apollo/Express', rps('doitong.ts', 'generate', 'express'), rps('apollo-express.ts', 'generate'), 1.5);
target('`generate` Doitong/Fastify ÷ Mercurius/Fastify', rps('doitong.ts', 'generate', 'fastify'), rps('mercurius-fastify.ts', 'generate'), 1);
target('`generation(id)` Doitong/Express ÷ Apollo/Express', rps('doitong.ts', 'generation', 'express'), rps('apollo-express.ts', 'generation'), 1.5);
target('`generate` Koa ÷ Express', rps('doitong.ts', 'generate', 'koa'), rps('doitong.ts', 'generate', 'express'), 1);
target('`generation(id)` Koa ÷ Express', rps('doitong.ts', 'generation', 'koa'), rps('doitong.ts', 'generation', 'express'), 1);
target('`generation(id)` node:http listener ÷ raw node:http', rps('doitong.ts', 'generation', 'node'), rps('raw-node.ts', 'generate'), 0.4);
target('`generate` node:http listener ÷ raw node:http', rps('doitong.ts', 'generate', 'node'), rps('raw-node.ts', 'generate'), 0.4);
process.stdout.write(`${lines.join('\n')}\n`);
