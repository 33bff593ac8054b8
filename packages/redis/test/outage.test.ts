/**
 * Redis stopped and restarted under load: while it is away requests fail fast with a code (no
 * hang, no 500), and when it returns the work resumes with no reservation lost. Runs its own
 * redis-server (append-only, fsync always) so stopping it touches nothing else.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDoitong, silentLogger, type Doitong } from '@doitong/core';
import { listen, type RunningHost } from '@doitong/core/testing';
import { redis } from '@doitong/redis';
import { jobProviderAdapter, startJobProvider, type JobProvider } from './fixtures/job-provider';

const directory = mkdtempSync(join(tmpdir(), 'doitong-outage-'));
let port = 0;
let server: ChildProcess | undefined;
let doitong: Doitong;
let host: RunningHost;
let provider: JobProvider;

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port: free } = probe.address() as { port: number };
  probe.close();
  return free;
}

async function startRedis() {
  server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', directory, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 20_000);
    server!.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    server!.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
  });
}

async function stopRedis() {
  server!.kill('SIGKILL');
  await once(server!, 'exit');
}

beforeAll(async () => {
  port = await freePort();
  await startRedis();
  provider = await startJobProvider({ durationMilliseconds: 3_000 });
  doitong = createDoitong({
    providers: [jobProviderAdapter(provider.url)],
    logger: silentLogger,
    assets: { directory: join(directory, 'assets') },
    ...redis({ url: `redis://127.0.0.1:${port}/0`, queue: { stalledIntervalMilliseconds: 1_000, lockDurationMilliseconds: 2_000 } }),
  });
  host = await listen(doitong.nodeListener());
}, 60_000);

afterAll(async () => {
  await host?.close();
  // Close against a running Redis, as a host would, then stop it.
  if (server && server.exitCode !== null) await startRedis();
  await doitong?.close();
  await stopRedis();
  await provider?.close();
}, 60_000);

async function send(apiKey: string, body: unknown) {
  const started = performance.now();
  const response = await fetch(host.url, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, body: (await response.json()) as any, seconds: (performance.now() - started) / 1000 };
}

it('fails fast with a code while Redis is down, and resumes with no reservation lost when it returns', async () => {
  const { apiKey } = await doitong.accounts.create({ plan: 'enterprise', credits: 1_000 });
  const generate = { query: 'mutation { generate(input: { type: IMAGE, input: { text: "x" } }) { id } }' };
  const before = await Promise.all(Array.from({ length: 20 }, () => send(apiKey, generate)));
  expect(before.every((response) => response.status === 200 && response.body.data.generate.id)).toBe(true);
  // The provider takes three seconds: every generation is still in flight when Redis goes.
  const inFlight = await send(apiKey, { query: '{ generations(first: 50) { nodes { status } } }' });
  expect(
    inFlight.body.data.generations.nodes.filter((generation: { status: string }) => generation.status === 'PENDING' || generation.status === 'PROCESSING'),
  ).toHaveLength(20);

  await stopRedis();
  const during = await Promise.all(Array.from({ length: 10 }, (_, index) => send(apiKey, index % 2 ? generate : { query: '{ me { credits } }' })));
  for (const response of during) {
    expect(response.seconds).toBeLessThan(10);
    expect(response.status).not.toBe(500);
    const code = response.body.errors?.[0]?.extensions?.code;
    expect(code, JSON.stringify(response.body)).toBe('SERVICE_UNAVAILABLE');
    expect(JSON.stringify(response.body)).not.toMatch(/\bat \S+\.(js|ts):\d+/);
  }
  const ready = await fetch(`${host.url}/ready`);
  expect(ready.status).toBe(503);

  await startRedis();
  const deadline = Date.now() + 60_000;
  let generations: Array<{ status: string; creditCost: number }> = [];
  for (;;) {
    const response = await send(apiKey, { query: '{ generations(first: 50) { nodes { status creditCost } } }' }).catch(() => undefined);
    if (response?.status === 200 && response.body.data) {
      generations = response.body.data.generations.nodes;
      if (generations.every((generation) => ['COMPLETED', 'FAILED', 'CANCELLED'].includes(generation.status))) break;
    }
    if (Date.now() > deadline) throw new Error(`work did not resume: ${JSON.stringify(generations)}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  expect(generations.length).toBe(20);
  expect(generations.every((generation) => generation.status === 'COMPLETED')).toBe(true);
  for (const [, count] of provider.creates) expect(count).toBe(1);
  const ledger = (await send(apiKey, { query: '{ me { credits } creditTransactions(first: 50) { nodes { type amount } } }' })).body.data;
  const charged = generations.filter((generation) => generation.status === 'COMPLETED').reduce((sum, generation) => sum + generation.creditCost, 0);
  expect(ledger.me.credits).toBe(1_000 - charged);
  const entries = ledger.creditTransactions.nodes as Array<{ type: string; amount: number }>;
  expect(entries.filter((entry) => entry.type === 'RESERVE').length).toBe(entries.filter((entry) => entry.type === 'COMMIT' || entry.type === 'REFUND').length);
  expect((await fetch(`${host.url}/ready`)).status).toBe(200);
}, 150_000);
