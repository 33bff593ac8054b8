/**
 * The durable single-process default, stopped and restarted with generations in flight at a
 * provider mock on loopback: with SIGTERM (a short drain, so work is left over), with SIGKILL from
 * outside, and with SIGKILL right after a record is written and before its job is queued. After
 * the restart every generation ends COMPLETED, the provider saw one create call each, every
 * webhook arrives with one stable id, and the credits are exact.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually } from '@doitong/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { startJobProvider, type JobProvider } from '../../redis/test/fixtures/job-provider';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
const credits = 10_000;
let provider: JobProvider;
let receiver: Server;
let receiverUrl = '';
const received: Array<{ id: string; generationId: string; type: string; body: string; headers: Record<string, string> }> = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  provider = await startJobProvider({ durationMilliseconds: 2_000 });
  receiver = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
    const event = JSON.parse(body) as { type: string; data: { generation: { id: string } } };
    received.push({ id: headers['webhook-id']!, generationId: event.data.generation.id, type: event.type, body, headers });
    response.writeHead(204).end();
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks`;
}, 60_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  receiver?.close();
  await provider?.close();
});

async function start(directory: string, apiKey: string, environment: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'test/fixtures/instance.ts'], {
    cwd: packageDirectory,
    env: { ...process.env, DATA_DIRECTORY: directory, PROVIDER_URL: provider.url, ACCOUNT_KEY: apiKey, CREDITS: String(credits), ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (process.env.DEBUG_INSTANCE) process.stderr.write(chunk);
  });
  const [url, secret] = await new Promise<[string, string]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance did not start:\n${output}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\S+) webhook-secret (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve([match[1]!, match[2]!]);
      }
    });
    child.once('exit', (code, signal) => reject(new Error(`instance exited with ${code ?? signal}:\n${output}`)));
  });
  const send = async (body: unknown) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await response.json()) as any;
  };
  return { child, url, secret, send };
}

async function exited(child: ChildProcess) {
  if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
}

const generate = (index: number) => ({
  query: `mutation($url: String!) { generate(input: { type: IMAGE, input: { text: "restart ${index}" }, webhookUrl: $url }) { id } }`,
  variables: { url: receiverUrl },
});

function finalGenerations(send: (body: unknown) => Promise<any>, count: number) {
  return eventually(
    async () =>
      (await send({ query: `{ generations(first: ${count + 10}) { nodes { id status creditCost } } }` })).data.generations.nodes as Array<{
        id: string;
        status: string;
        creditCost: number;
      }>,
    (nodes) => nodes.length >= count && nodes.every((generation) => ['COMPLETED', 'FAILED', 'CANCELLED'].includes(generation.status)),
    { timeoutMilliseconds: 90_000, intervalMilliseconds: 300, what: 'every generation ended' },
  );
}

/** Everything a restart must keep: one create each, credits exact, every webhook with one id, verified. */
async function expectNothingLost(send: (body: unknown) => Promise<any>, secret: string, ids: string[]) {
  const final = await finalGenerations(send, ids.length);
  expect(final.map((generation) => generation.id).sort()).toEqual([...ids].sort());
  expect(final.filter((generation) => generation.status !== 'COMPLETED')).toEqual([]);
  for (const id of ids) expect(provider.creates.get(id), id).toBe(1);
  await eventually(
    async () => ids.filter((id) => !received.some((event) => event.generationId === id)),
    (missing) => missing.length === 0,
    {
      timeoutMilliseconds: 30_000,
      intervalMilliseconds: 200,
      what: 'a webhook for every generation',
    },
  );
  const verifier = new Webhook(secret);
  for (const id of ids) {
    const events = received.filter((event) => event.generationId === id);
    expect(events.length, id).toBeGreaterThanOrEqual(1);
    expect(new Set(events.map((event) => event.id)).size, id).toBe(1);
    expect(events[0]!.type).toBe('generation.completed');
    verifier.verify(events[0]!.body, events[0]!.headers);
  }
  const ledger = await send({ query: '{ me { credits } creditTransactions(first: 100) { nodes { type amount } } }' });
  const charged = final.reduce((sum, generation) => sum + generation.creditCost, 0);
  expect(ledger.data.me.credits).toBe(credits - charged);
  const entries = ledger.data.creditTransactions.nodes as Array<{ type: string; amount: number }>;
  expect(entries.reduce((sum, entry) => sum + entry.amount, 0)).toBe(ledger.data.me.credits);
  expect(entries.filter((entry) => entry.type === 'RESERVE').length).toBe(ids.length);
  expect(entries.filter((entry) => entry.type === 'COMMIT' || entry.type === 'REFUND').length).toBe(ids.length);
}

async function createMany(send: (body: unknown) => Promise<any>, count: number, offset: number) {
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const created = await send(generate(offset + index));
    expect(created.errors).toBeUndefined();
    ids.push(created.data.generate.id);
  }
  return ids;
}

it('resumes the generations a SIGTERM left after a short drain', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'doitong-restart-'));
  const apiKey = `dk_test_term${Date.now()}`;
  const first = await start(directory, apiKey, { DRAIN_SECONDS: '0.2' });
  const ids = await createMany(first.send, 15, 0);
  first.child.kill('SIGTERM');
  await exited(first.child);
  expect(first.child.exitCode).toBe(0);
  const second = await start(directory, apiKey);
  expect(second.secret).toBe(first.secret);
  await expectNothingLost(second.send, second.secret, ids);
  second.child.kill('SIGTERM');
  await exited(second.child);
}, 150_000);

it('resumes the generations a SIGKILL cut short, submits and polls alike', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'doitong-restart-'));
  const apiKey = `dk_test_kill${Date.now()}`;
  const first = await start(directory, apiKey);
  const ids = await createMany(first.send, 15, 100);
  first.child.kill('SIGKILL');
  await exited(first.child);
  const second = await start(directory, apiKey);
  await expectNothingLost(second.send, second.secret, ids);
  second.child.kill('SIGTERM');
  await exited(second.child);
}, 150_000);

it('submits a generation whose instance died after writing its record and before queuing its job', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'doitong-restart-'));
  const apiKey = `dk_test_record${Date.now()}`;
  const first = await start(directory, apiKey, { KILL_BEFORE_SUBMIT: '3' });
  const ids = await createMany(first.send, 2, 200);
  // The third request kills its instance between the record and the job.
  await first.send(generate(202)).catch(() => undefined);
  await exited(first.child);
  expect(first.child.signalCode).toBe('SIGKILL');
  const second = await start(directory, apiKey);
  const listed = (await second.send({ query: '{ generations(first: 10) { nodes { id status } } }' })).data.generations.nodes as Array<{
    id: string;
    status: string;
  }>;
  expect(listed).toHaveLength(3);
  const orphan = listed.find((generation) => !ids.includes(generation.id))!;
  ids.push(orphan.id);
  // The reconciler (every second here, two seconds' grace) queues its submission.
  await expectNothingLost(second.send, second.secret, ids);
  second.child.kill('SIGTERM');
  await exited(second.child);
}, 150_000);
