/**
 * Nothing lost, nothing held: three instances share a private Redis (started here, append-only
 * with fsync always, so stopping it touches nothing else), with records on Redis or on
 * PostgreSQL. Each scenario stops or kills something while generations are in flight: SIGTERM
 * during polls, SIGTERM during create calls, SIGKILL between a record and its job, Redis killed
 * for a few seconds. After each, every generation is COMPLETED, the provider saw one create call
 * each, every reservation is settled exactly once, no slot is held once a reconciler interval has
 * passed, and every webhook arrived with one stable id and a valid signature.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisConcurrencySlots, RedisLedger } from '@doitong/redis';
import { startJobProvider, type JobProvider } from './fixtures/job-provider';
import { startWebhookReceiver, type ReceivedWebhook } from './fixtures/webhook-receiver';
import { databaseUrl, testPrefix } from './services';

/** The private port of this file's redis-server (6391-6395 are kept for these tests). */
const redisPort = 6391;
const redisUrl = `redis://127.0.0.1:${redisPort}/0`;
const secret = 'whsec_' + Buffer.from('faults-test-secret-faults-test-secret').toString('base64');
const credits = 100_000;
const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'doitong-faults-'));
const final = ['COMPLETED', 'FAILED', 'CANCELLED'];

let redisServer: ChildProcess | undefined;
let client: Redis;
let provider: JobProvider;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>> | undefined;
let receiverUrl = '';
let received: ReceivedWebhook[] = [];
const children: ChildProcess[] = [];
/** What the scenarios did, printed at the end. */
const figures = {
  scenarios: 0,
  generations: 0,
  sigterms: 0,
  sigkills: 0,
  redisOutages: 0,
  stuck: 0,
  heldCredits: 0,
  heldSlots: 0,
  doubleCreates: 0,
  // Seconds until a key whose request died with its instance was answered again, one per SIGKILL.
  retriedKeySeconds: [] as number[],
};

async function startRedis() {
  redisServer = spawn(
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--dir', directory, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 20_000);
    redisServer!.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    redisServer!.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
  });
}

async function stopRedis() {
  redisServer!.kill('SIGKILL');
  await exited(redisServer!);
}

async function exited(child: ChildProcess) {
  if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
}

beforeAll(async () => {
  await startRedis();
  client = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  // It goes away with the server in the outage scenario, and comes back with it.
  client.on('error', () => undefined);
  provider = await startJobProvider({ durationMilliseconds: 2_000 });
  receiver = await startWebhookReceiver(secret);
  receiverUrl = receiver.url;
  received = receiver.received;
}, 60_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  console.log(`faults: ${JSON.stringify(figures)}`);
  client?.disconnect();
  receiver?.close();
  await provider?.close();
  if (redisServer && redisServer.exitCode === null && redisServer.signalCode === null) await stopRedis();
}, 60_000);

interface Instance {
  child: ChildProcess;
  url: string;
}

/** Three instances sharing one prefix, queue and (optionally) PostgreSQL table. */
function cluster(records: 'redis' | 'postgres') {
  const prefix = testPrefix();
  const queue = `faults-${prefix.replaceAll(':', '-')}`;
  const apiKey = `dk_test_faults${Date.now()}${Math.random().toString(36).slice(2, 8)}`;
  const instances: Instance[] = [];
  const shared: Record<string, string> = {
    REDIS_URL: redisUrl,
    PREFIX: prefix,
    QUEUE: queue,
    PROVIDER_URL: provider.url,
    WEBHOOK_SECRET: secret,
    ASSETS_DIRECTORY: join(directory, 'assets'),
    RECONCILER_GRACE_SECONDS: '5',
    ...(records === 'postgres' ? { DATABASE_URL: databaseUrl, DATABASE_TABLE: 'doitong_fault_records' } : {}),
  };
  const start = async (environment: Record<string, string> = {}) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'test/fixtures/instance.ts'], {
      cwd: packageDirectory,
      env: { ...process.env, ...shared, ...environment },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (process.env.DEBUG_INSTANCE) process.stderr.write(chunk);
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`instance did not start:\n${output}`)), 60_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening (\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.once('exit', (code, signal) => reject(new Error(`instance exited with ${code ?? signal}:\n${output}`)));
    });
    const instance = { child, url };
    instances.push(instance);
    return instance;
  };
  const alive = () => instances.filter(({ child }) => child.exitCode === null && child.signalCode === null);
  let turn = 0;
  const send = async (body: unknown, headers: Record<string, string> = {}) => {
    const targets = alive();
    const target = targets[turn++ % targets.length]!;
    const response = await fetch(target.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  return { prefix, apiKey, instances, start, alive, send };
}

type Cluster = ReturnType<typeof cluster>;
const generate = (text: string) => ({
  query: `mutation($url: String!) { generate(input: { type: IMAGE, input: { text: "${text}" }, webhookUrl: $url }) { id } }`,
  variables: { url: receiverUrl },
});

async function createMany(target: Cluster, count: number, label: string) {
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const created = await target.send(generate(`${label} ${index}`));
    expect(created.body.errors, JSON.stringify(created.body)).toBeUndefined();
    ids.push(created.body.data.generate.id);
  }
  return ids;
}

/** Reads until `done` holds, retrying reads that fail while something is down. */
async function until<Value>(read: () => Promise<Value>, done: (value: Value) => boolean, milliseconds: number, what: string): Promise<Value> {
  const deadline = Date.now() + milliseconds;
  let last: Value | undefined;
  for (;;) {
    last = await read().catch(() => last);
    if (last !== undefined && done(last)) return last;
    if (Date.now() > deadline) throw new Error(`${what}: ${JSON.stringify(last)?.slice(0, 2_000)}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** Every promise of the issue, checked after a scenario. */
async function expectNothingLostNothingHeld(target: Cluster, ids: string[]) {
  figures.scenarios++;
  figures.generations += ids.length;
  const listed = await until(
    async () =>
      (await target.send({ query: `{ generations(first: ${ids.length + 20}) { nodes { id status creditCost } } }` })).body.data.generations.nodes as Array<{
        id: string;
        status: string;
        creditCost: number;
      }>,
    (nodes) => nodes.length >= ids.length && nodes.every((generation) => final.includes(generation.status)),
    120_000,
    'not every generation ended',
  ).catch((error: unknown) => {
    figures.stuck++;
    throw error;
  });
  expect(listed.map((generation) => generation.id).sort()).toEqual([...ids].sort());
  expect(listed.filter((generation) => generation.status !== 'COMPLETED')).toEqual([]);
  const creates = ids.map((id) => provider.creates.get(id) ?? 0);
  figures.doubleCreates += creates.filter((count) => count > 1).length;
  expect(creates).toEqual(ids.map(() => 1));

  // Credits: charged exactly the completed generations, every reservation settled once.
  const ledger = (await target.send({ query: '{ me { id credits } creditTransactions(first: 100) { nodes { type amount } } }' })).body.data;
  const charged = listed.reduce((sum, generation) => sum + generation.creditCost, 0);
  expect(ledger.me.credits).toBe(credits - charged);
  const entries = ledger.creditTransactions.nodes as Array<{ type: string; amount: number }>;
  expect(entries.reduce((sum, entry) => sum + entry.amount, 0)).toBe(ledger.me.credits);
  expect(entries.filter((entry) => entry.type === 'RESERVE').length).toBe(ids.length);
  expect(entries.filter((entry) => entry.type === 'COMMIT' || entry.type === 'REFUND').length).toBe(ids.length);
  const accountId = ledger.me.id as string;
  const open = (await new RedisLedger(client, { prefix: target.prefix }).openReservations(1_000)).filter((reservation) => reservation.accountId === accountId);
  figures.heldCredits += open.reduce((sum, reservation) => sum + reservation.amount, 0);
  expect(open).toEqual([]);

  // Slots: none held by a final or missing generation once a reconciler interval (1 s here) has passed.
  const slots = new RedisConcurrencySlots(client, { prefix: target.prefix });
  const held = await until(
    async () => (await slots.held(1_000)).filter((slot) => slot.accountId === accountId),
    (list) => list.length === 0,
    15_000,
    'slots still held',
  ).catch((error: unknown) => {
    figures.heldSlots++;
    throw error;
  });
  expect(held).toEqual([]);

  // Webhooks: each generation's final event, with one stable id (a repeat is the same message).
  await until(
    async () => ids.filter((id) => !received.some((event) => event.generationId === id)),
    (missing) => missing.length === 0,
    60_000,
    'webhooks missing',
  );
  for (const id of ids) {
    const events = received.filter((event) => event.generationId === id);
    expect(new Set(events.map((event) => event.id)).size, id).toBe(1);
    expect(events.every((event) => event.type === 'generation.completed')).toBe(true);
  }
}

async function stopAll(target: Cluster) {
  for (const { child } of target.alive()) {
    child.kill('SIGTERM');
    await exited(child);
  }
}

async function sigtermDuringPolls(records: 'redis' | 'postgres') {
  const target = cluster(records);
  await target.start({ CREATE_ACCOUNT_KEY: target.apiKey, CREDITS: String(credits) });
  await target.start({ DRAIN_SECONDS: '0.5' });
  await target.start();
  const ids = await createMany(target, 24, `${records} polls`);
  // Every job accepted: each instance is polling now.
  await until(
    async () => ids.filter((id) => provider.creates.has(id)).length,
    (count) => count === ids.length,
    30_000,
    'not every generation was submitted',
  );
  const stopped = target.instances[1]!;
  stopped.child.kill('SIGTERM');
  figures.sigterms++;
  await exited(stopped.child);
  expect(stopped.child.exitCode).toBe(0);
  await target.start();
  await expectNothingLostNothingHeld(target, ids);
  await stopAll(target);
}

async function sigkillBeforeSubmit(records: 'redis' | 'postgres') {
  const target = cluster(records);
  await target.start({ CREATE_ACCOUNT_KEY: target.apiKey, CREDITS: String(credits) });
  const victim = await target.start({ KILL_BEFORE_SUBMIT: '3' });
  await target.start();
  const ids: string[] = [];
  // Every request carries an Idempotency-Key, as a careful client sends it; the one the instance died in is retried.
  let lost: { body: ReturnType<typeof generate>; key: string } | undefined;
  for (let index = 0; ids.length < 18; index++) {
    const request = { body: generate(`${records} kill ${index}`), key: `${records}-kill-${index}-${Date.now()}` };
    const created = await target.send(request.body, { 'idempotency-key': request.key }).catch(() => undefined);
    if (created?.body.data?.generate) ids.push(created.body.data.generate.id);
    else {
      lost = request;
      break;
    }
  }
  await exited(victim.child);
  expect(victim.child.signalCode).toBe('SIGKILL');
  figures.sigkills++;
  // The dead request's claim on its key lapses with its lease (10 s): the retry is answered, not refused as in use.
  expect(lost).toBeDefined();
  // The request the instance died in wrote its record, and no job was queued for it.
  const before = (await target.send({ query: '{ generations(first: 50) { nodes { id } } }' })).body.data.generations.nodes as Array<{ id: string }>;
  const orphans = before.map((generation) => generation.id).filter((id) => !ids.includes(id));
  expect(orphans).toHaveLength(1);
  const retriedAt = Date.now();
  const retried = await until(
    () => target.send(lost!.body, { 'idempotency-key': lost!.key }),
    (answer) => answer.status === 200 && answer.body.data?.generate?.id !== undefined,
    30_000,
    'the retried Idempotency-Key was not answered',
  );
  figures.retriedKeySeconds.push(Math.round((Date.now() - retriedAt) / 100) / 10);
  // The retry is answered with that generation (queued again for submission), not a second one.
  expect(retried.body.data.generate.id).toBe(orphans[0]);
  ids.push(retried.body.data.generate.id);
  const listed = (await target.send({ query: '{ generations(first: 50) { nodes { id } } }' })).body.data.generations.nodes as Array<{ id: string }>;
  expect(listed.map((generation) => generation.id).sort()).toEqual([...ids].sort());
  ids.push(...(await createMany(target, 6, `${records} after kill`)));
  await target.start();
  await expectNothingLostNothingHeld(target, ids);
  await stopAll(target);
}

describe('on Redis records', () => {
  it('SIGTERM while polls are in flight: the drained instance hands its jobs back', () => sigtermDuringPolls('redis'), 240_000);

  it('SIGTERM while create calls are in flight: a cut-short submission is adopted, never sent twice', async () => {
    const target = cluster('redis');
    await target.start({ CREATE_ACCOUNT_KEY: target.apiKey, CREDITS: String(credits) });
    const stopped = await target.start({ DRAIN_SECONDS: '0.3' });
    await target.start();
    provider.createDelayMilliseconds = 1_500;
    const ids = await createMany(target, 18, 'submits');
    stopped.child.kill('SIGTERM');
    figures.sigterms++;
    await exited(stopped.child);
    provider.createDelayMilliseconds = 0;
    await target.start();
    await expectNothingLostNothingHeld(target, ids);
    await stopAll(target);
  }, 240_000);

  it('SIGKILL between the record write and its job: the retried key answers with that generation, submitted then', () => sigkillBeforeSubmit('redis'), 240_000);

  it('Redis killed for three seconds mid-run and restarted: the work resumes', async () => {
    const target = cluster('redis');
    await target.start({ CREATE_ACCOUNT_KEY: target.apiKey, CREDITS: String(credits) });
    await target.start();
    await target.start();
    const ids = await createMany(target, 24, 'outage');
    await stopRedis();
    figures.redisOutages++;
    const during = await target.send(generate('during the outage')).catch(() => undefined);
    if (during) expect(during.body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await startRedis();
    await expectNothingLostNothingHeld(target, ids);
    await stopAll(target);
  }, 240_000);
});

describe('on PostgreSQL records', () => {
  it('SIGTERM while polls are in flight', () => sigtermDuringPolls('postgres'), 240_000);
  it('SIGKILL between the record write and its job', () => sigkillBeforeSubmit('postgres'), 240_000);
});
