/**
 * The scale-out mode measured: `npx --yes pnpm@10 bench:scale-out`. Several Doitong instances,
 * each in its own process with the `redis()` option group on one Redis (REDIS_URL, default the
 * machine's), and the load in another process sending `generate` round-robin to them, then
 * `generation(id)` reads. Prints generations per second, p50/p99 of the request and of the whole
 * generation (request sent → COMPLETED on whichever instance finished it), and, exactly, what
 * each costs Redis: commands from Redis's own `INFO commandstats` (which counts every command,
 * inside scripts and transactions too) and round trips (writes to Redis's socket, counted in each
 * instance). The commands an idle cluster sends anyway (BullMQ's blocking waits and stalled-job
 * checks) are measured alone for a few seconds and reported apart.
 *
 * The counts are only exact on a Redis nothing else uses meanwhile: point REDIS_URL at a Redis of
 * its own (`redis-server --port 6390 --save '' --appendonly no`) on a shared machine.
 * BENCH_INSTANCES (3), BENCH_GENERATIONS (2,000), BENCH_READS (5,000), BENCH_CONCURRENCY (48).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createDoitong, silentLogger } from '@doitong/core';
import { redis } from '@doitong/redis';
import { benchApiKey } from './http/doitong-key.ts';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const instanceCount = Number(process.env.BENCH_INSTANCES ?? 3);
const generations = Number(process.env.BENCH_GENERATIONS ?? 2_000);
const reads = Number(process.env.BENCH_READS ?? 5_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 48);
const prefix = `bench-scale-${process.pid}:`;
const assets = mkdtempSync(join(tmpdir(), 'doitong-scale-out-'));
const execArgv = ['--import', 'tsx'];

const client = new Redis(redisUrl);

/** Every command Redis has run so far, by name (INFO's own calls left out). */
async function commandCounts(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const line of (await client.info('commandstats')).split('\n')) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim());
    if (match && match[1] !== 'info') counts.set(match[1]!, Number(match[2]));
  }
  return counts;
}

function difference(after: Map<string, number>, before: Map<string, number>): Map<string, number> {
  const result = new Map<string, number>();
  for (const [name, calls] of after) if (calls - (before.get(name) ?? 0) > 0) result.set(name, calls - (before.get(name) ?? 0));
  return result;
}

const total = (counts: Map<string, number>) => [...counts.values()].reduce((sum, calls) => sum + calls, 0);

function once<Message extends { type: string }>(child: ChildProcess, type: string): Promise<Message> {
  return new Promise((resolve) => {
    const listener = (message: Message) => {
      if (message.type !== type) return;
      child.off('message', listener);
      resolve(message);
    };
    child.on('message', listener);
  });
}

// The account, written once before anything is measured.
const setup = createDoitong({
  providers: [],
  logger: silentLogger,
  graphiql: false,
  ...redis({ url: redisUrl, prefix, queue: { name: 'setup', prefix: `${prefix}bull` } }),
});
await setup.accounts.create({
  plan: 'enterprise',
  credits: 1e12,
  apiKey: benchApiKey,
  limits: { generationsPerMinute: 1e8, concurrent: 1e8, readsPerMinute: 1e8 },
});
await setup.close();

const completedAt = new Map<string, number>();
const instances = await Promise.all(
  Array.from({ length: instanceCount }, async () => {
    const child = fork(new URL('./scale-out/instance.ts', import.meta.url), {
      execArgv,
      env: { ...process.env, BENCH_REDIS_URL: redisUrl, BENCH_PREFIX: prefix, BENCH_ASSETS: assets },
    });
    child.on('message', (message: { type: string; id?: string; at?: number }) => {
      if (message.type === 'completed') completedAt.set(message.id!, message.at!);
    });
    const { port } = await once<{ type: string; port: number }>(child, 'listening');
    return { child, url: `http://127.0.0.1:${port}/graphql` };
  }),
);
const load = fork(new URL('./scale-out/load.ts', import.meta.url), {
  execArgv,
  env: { ...process.env, BENCH_URLS: JSON.stringify(instances.map(({ url }) => url)) },
});
await once(load, 'ready');

async function redisWrites(): Promise<number> {
  const counts = await Promise.all(
    instances.map(async ({ child }) => {
      const reply = once<{ type: string; writes: number }>(child, 'writes');
      child.send({ type: 'writes' });
      return (await reply).writes;
    }),
  );
  return counts.reduce((sum, writes) => sum + writes, 0);
}

async function untilCompleted(ids: string[]): Promise<void> {
  while (!ids.every((id) => completedAt.has(id))) await new Promise((resolve) => setTimeout(resolve, 5));
}

interface Generated {
  id: string;
  sentAt: number;
  milliseconds: number;
}
async function generate(count: number): Promise<Generated[]> {
  const reply = once<{ type: string; results: Generated[] }>(load, 'generated');
  load.send({ type: 'generate', count, concurrency });
  const { results } = await reply;
  await untilCompleted(results.map(({ id }) => id));
  return results;
}

async function read(ids: string[], count: number): Promise<number[]> {
  const reply = once<{ type: string; results: number[] }>(load, 'read');
  load.send({ type: 'read', ids, count, concurrency });
  return (await reply).results;
}

/** Runs `phase` and returns its result with the commands and round trips it cost (less the idle rate). */
async function measured<Result>(phase: () => Promise<Result>, idlePerSecond: { commands: number; writes: number }) {
  const [commandsBefore, writesBefore] = [await commandCounts(), await redisWrites()];
  const started = performance.now();
  const result = await phase();
  const seconds = (performance.now() - started) / 1000;
  const [commandsAfter, writesAfter] = [await commandCounts(), await redisWrites()];
  const commands = difference(commandsAfter, commandsBefore);
  return { result, seconds, commands, idleCommands: idlePerSecond.commands * seconds, writes: writesAfter - writesBefore - idlePerSecond.writes * seconds };
}

const percentile = (values: number[], share: number) => {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))]!;
};

// Warm up every instance's code paths and connections, then let the queue settle.
await generate(Math.min(200, generations));
await new Promise((resolve) => setTimeout(resolve, 1_000));

// What an idle cluster costs, per second (blocking waits, stalled-job checks, timers).
const idleSeconds = 3;
const [idleCommandsBefore, idleWritesBefore] = [await commandCounts(), await redisWrites()];
await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
const idle = difference(await commandCounts(), idleCommandsBefore);
const idlePerSecond = { commands: total(idle) / idleSeconds, writes: ((await redisWrites()) - idleWritesBefore) / idleSeconds };

const generationPhase = await measured(() => generate(generations), idlePerSecond);
const ids = generationPhase.result.map(({ id }) => id);
const readPhase = await measured(() => read(ids, reads), idlePerSecond);

const endToEnd = generationPhase.result.map(({ id, sentAt }) => completedAt.get(id)! - sentAt);
const perGeneration = (total(generationPhase.commands) - generationPhase.idleCommands) / generations;
const perRead = (total(readPhase.commands) - readPhase.idleCommands) / reads;
const breakdown = (counts: Map<string, number>, per: number) =>
  [...counts]
    .sort((left, right) => right[1] - left[1])
    .map(([name, calls]) => `${name} ${(calls / per).toFixed(2)}`)
    .join(', ');

const lines = [
  `${instanceCount} instances on one Redis (${redisUrl}), load from a separate process, ${concurrency} requests at a time; Node ${process.version}`,
  '',
  '| | generations | reads |',
  '|---|---:|---:|',
  `| requests | ${generations} | ${reads} |`,
  `| per second | ${(generations / generationPhase.seconds).toFixed(0)} completed | ${(reads / readPhase.seconds).toFixed(0)} |`,
  `| request p50 / p99 ms | ${percentile(
    generationPhase.result.map(({ milliseconds }) => milliseconds),
    0.5,
  ).toFixed(1)} / ${percentile(
    generationPhase.result.map(({ milliseconds }) => milliseconds),
    0.99,
  ).toFixed(1)} | ${percentile(readPhase.result, 0.5).toFixed(1)} / ${percentile(readPhase.result, 0.99).toFixed(1)} |`,
  `| sent → COMPLETED p50 / p99 ms | ${percentile(endToEnd, 0.5).toFixed(1)} / ${percentile(endToEnd, 0.99).toFixed(1)} | |`,
  `| Redis commands each | ${perGeneration.toFixed(1)} | ${perRead.toFixed(1)} |`,
  `| Redis round trips each | ${(generationPhase.writes / generations).toFixed(1)} | ${(readPhase.writes / reads).toFixed(1)} |`,
  '',
  `Idle cluster: ${idlePerSecond.commands.toFixed(0)} commands/s (${breakdown(idle, idleSeconds)}), left out of the figures above.`,
  `Commands per generation: ${breakdown(generationPhase.commands, generations)}`,
  `Commands per read: ${breakdown(readPhase.commands, reads)}`,
];
process.stdout.write(`${lines.join('\n')}\n`);

load.send({ type: 'close' });
await Promise.all(instances.map(({ child }) => new Promise((resolve) => (child.once('exit', resolve), child.send({ type: 'close' })))));
// Leave the Redis as it was found.
for (let cursor = '0'; ;) {
  const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
  if (keys.length) await client.del(...keys);
  if ((cursor = next) === '0') break;
}
await client.quit();
