/**
 * Chaos: three instances in their own processes share Redis; with 100 generations in flight one
 * instance is killed with SIGKILL. Every generation must still end, the provider must have seen
 * exactly one create call per generation, every webhook must arrive with a stable webhook-id, and
 * the credits must balance to the last credit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startJobProvider, type JobProvider } from './fixtures/job-provider';
import { startWebhookReceiver, type ReceivedWebhook } from './fixtures/webhook-receiver';
import { redisUrl, testPrefix } from './services';

const prefix = testPrefix();
const queue = `chaos-${prefix.replaceAll(':', '-')}`;
const secret = 'whsec_' + Buffer.from('chaos-test-secret-chaos-test-secret').toString('base64');
const apiKey = `dk_test_chaos${Date.now()}`;
const credits = 10_000;
const packageDirectory = fileURLToPath(new URL('..', import.meta.url));

let provider: JobProvider;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>> | undefined;
let receiverUrl = '';
let received: ReceivedWebhook[] = [];
const instances: Array<{ child: ChildProcess; url: string }> = [];

async function startInstance(environment: Record<string, string>) {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'test/fixtures/instance.ts'], {
    cwd: packageDirectory,
    env: {
      ...process.env,
      REDIS_URL: redisUrl,
      PREFIX: prefix,
      QUEUE: queue,
      PROVIDER_URL: provider.url,
      WEBHOOK_SECRET: secret,
      ASSETS_DIRECTORY: assets,
      ...environment,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
    child.once('exit', (code) => reject(new Error(`instance exited with ${code}:\n${output}`)));
  });
  instances.push({ child, url });
}

const assets = mkdtempSync(join(tmpdir(), 'doitong-chaos-'));

beforeAll(async () => {
  provider = await startJobProvider({ durationMilliseconds: 2_500 });
  receiver = await startWebhookReceiver(secret);
  receiverUrl = receiver.url;
  received = receiver.received;
  await startInstance({ CREATE_ACCOUNT_KEY: apiKey, CREDITS: String(credits) });
  await startInstance({});
  await startInstance({});
}, 120_000);

afterAll(async () => {
  for (const { child } of instances)
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  receiver?.close();
  await provider?.close();
});

async function send(index: number, body: unknown) {
  const alive = instances.filter(({ child }) => child.exitCode === null && child.signalCode === null);
  const target = alive[index % alive.length]!;
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as any;
}

it('survives an instance killed with SIGKILL while 100 generations are in flight', async () => {
  const ids: string[] = [];
  for (let index = 0; index < 100; index++) {
    const created = await send(index, {
      query: `mutation($url: String!) { generate(input: { type: IMAGE, input: { text: "chaos ${index}" }, webhookUrl: $url }) { id } }`,
      variables: { url: receiverUrl },
    });
    expect(created.errors).toBeUndefined();
    ids.push(created.data.generate.id);
  }
  // Every instance is now submitting and polling; kill one mid-flight.
  instances[1]!.child.kill('SIGKILL');
  await once(instances[1]!.child, 'exit');

  const deadline = Date.now() + 90_000;
  let final: Array<{ id: string; status: string; creditCost: number }> = [];
  for (;;) {
    const page = await send(0, { query: '{ generations(first: 100) { nodes { id status creditCost } } }' });
    final = page.data.generations.nodes;
    if (final.length === 100 && final.every((generation) => ['COMPLETED', 'FAILED', 'CANCELLED'].includes(generation.status))) break;
    if (Date.now() > deadline)
      throw new Error(
        `not all generations ended: ${JSON.stringify(final.filter((generation) => !['COMPLETED', 'FAILED', 'CANCELLED'].includes(generation.status)))}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 500));
  }

  // Exactly one create call per generation at the provider.
  for (const id of ids) expect(provider.creates.get(id), id).toBe(1);
  expect(final.filter((generation) => generation.status === 'COMPLETED').length).toBe(100);

  // Every webhook delivered at least once, each generation's with one stable webhook-id.
  // A delivery whose attempt died with the instance is retried once its claim lapses (15 s here).
  const webhookDeadline = Date.now() + 60_000;
  while (new Set(received.map((event) => event.generationId)).size < 100 && Date.now() < webhookDeadline)
    await new Promise((resolve) => setTimeout(resolve, 200));
  for (const id of ids) {
    const events = received.filter((event) => event.generationId === id);
    expect(events.length, id).toBeGreaterThanOrEqual(1);
    expect(new Set(events.map((event) => event.id)).size, id).toBe(1);
    expect(events[0]!.type).toBe('generation.completed');
  }

  // Credits balance to the last credit: charged exactly the completed generations, every reservation settled.
  const ledger = await send(0, { query: '{ me { credits } creditTransactions(first: 100) { nodes { type amount } pageInfo { hasNextPage endCursor } } }' });
  const charged = final.filter((generation) => generation.status === 'COMPLETED').reduce((sum, generation) => sum + generation.creditCost, 0);
  expect(ledger.data.me.credits).toBe(credits - charged);
  const entries: Array<{ type: string; amount: number }> = [];
  let page = ledger.data.creditTransactions;
  entries.push(...page.nodes);
  while (page.pageInfo.hasNextPage) {
    page = (
      await send(0, {
        query: `{ creditTransactions(first: 100, after: "${page.pageInfo.endCursor}") { nodes { type amount } pageInfo { hasNextPage endCursor } } }`,
      })
    ).data.creditTransactions;
    entries.push(...page.nodes);
  }
  expect(entries.reduce((sum, entry) => sum + entry.amount, 0)).toBe(ledger.data.me.credits);
  const reserves = entries.filter((entry) => entry.type === 'RESERVE').length;
  const settlements = entries.filter((entry) => entry.type === 'COMMIT' || entry.type === 'REFUND').length;
  expect(settlements).toBe(reserves);
}, 180_000);
