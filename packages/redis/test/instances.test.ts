/**
 * Three instances on loopback share one Redis, as several processes behind a load balancer
 * would: limits, idempotency and generations are global, whichever instance a request hits.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDoitong, silentLogger, type Doitong } from '@doitong/core';
import { eventually, fakeProvider, listen, manualClock, type RunningHost } from '@doitong/core/testing';
import { redis } from '@doitong/redis';
import { connectRedis, redisUrl, testPrefix } from './services';

const prefix = testPrefix();
const provider = fakeProvider({ pollsToFinish: 1_000 });
// One clock for the three instances, in the middle of a minute: the window cannot roll over mid-test.
const clock = manualClock(Date.UTC(2026, 10, 23, 12, 0, 30) + Math.floor(Math.random() * 1_000) * 86_400_000);
const assets = mkdtempSync(join(tmpdir(), 'doitong-instances-'));
const instances: Array<{ doitong: Doitong; host: RunningHost }> = [];
let turn = 0;

beforeAll(async () => {
  for (let index = 0; index < 3; index++) {
    const doitong = createDoitong({
      providers: [provider.adapter],
      logger: silentLogger,
      clock,
      assets: { directory: assets },
      assetSecret: 'shared-between-instances',
      ...redis({
        url: redisUrl,
        prefix,
        queue: { name: `jobs-${prefix.replaceAll(':', '-')}`, stalledIntervalMilliseconds: 1_000, lockDurationMilliseconds: 2_000 },
      }),
    });
    instances.push({ doitong, host: await listen(doitong.nodeListener()) });
  }
});

afterAll(async () => {
  for (const { doitong, host } of instances) {
    await host.close();
    await doitong.close();
  }
});

/** A round-robin client: each request goes to the next instance. */
async function send(apiKey: string, body: unknown, headers: Record<string, string> = {}) {
  const instance = instances[turn++ % instances.length]!;
  const response = await fetch(instance.host.url, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

const generate = 'mutation($text: String!) { generate(input: { type: IMAGE, input: { text: $text } }) { id status } }';

describe('three instances on one Redis', () => {
  it('hold the Free plan’s 10 generations a minute across all of them', async () => {
    const { apiKey } = await instances[0]!.doitong.accounts.create({ plan: 'free', credits: 1_000, limits: { concurrent: 100 } });
    const responses = [];
    for (let index = 0; index < 12; index++) responses.push(await send(apiKey, { query: generate, variables: { text: `n${index}` } }));
    expect(responses.map((response) => response.status)).toEqual([...Array(10).fill(200), 429, 429]);
    expect(responses[10]!.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMIT', policy: 'minute', limit: 10, retryAfterSeconds: 30 });
    expect(responses.slice(0, 10).map((response) => Number(response.headers.get('x-ratelimit-remaining')))).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    // The next minute, on any instance, the window is fresh.
    clock.advance(30_000);
    expect((await send(apiKey, { query: generate, variables: { text: 'next minute' } })).status).toBe(200);
  });

  it('create one generation for one Idempotency-Key sent to all three at once', async () => {
    const { apiKey } = await instances[0]!.doitong.accounts.create({ plan: 'pro', credits: 1_000 });
    const responses = await Promise.all(
      Array.from({ length: 9 }, () => send(apiKey, { query: generate, variables: { text: 'once' } }, { 'idempotency-key': 'shared-key' })),
    );
    const ids = new Set(responses.filter((response) => response.status === 200).map((response) => response.body.data.generate.id));
    expect(ids.size).toBe(1);
    expect(responses.every((response) => response.status === 200 || response.status === 409)).toBe(true);
    const after = await send(apiKey, { query: generate, variables: { text: 'once' } }, { 'idempotency-key': 'shared-key' });
    expect(after.status).toBe(200);
    expect(after.body.data.generate.id).toBe([...ids][0]);
    const ledger = await send(apiKey, { query: '{ me { credits } generations { nodes { id } } creditTransactions { nodes { type } } }' });
    expect(ledger.body.data.generations.nodes).toHaveLength(1);
    expect(ledger.body.data.creditTransactions.nodes.filter((entry: { type: string }) => entry.type === 'RESERVE')).toHaveLength(1);
  });

  it('read and cancel on one instance a generation created on another', async () => {
    const { apiKey } = await instances[1]!.doitong.accounts.create({ plan: 'pro', credits: 100 });
    turn = 0;
    const created = await send(apiKey, { query: generate, variables: { text: 'travels' } });
    const id = created.body.data.generate.id;
    const read = await send(apiKey, { query: 'query($id: ID!) { generation(id: $id) { id status } }', variables: { id } });
    expect(read.body.data.generation.id).toBe(id);
    await eventually(
      async () => (await send(apiKey, { query: 'query($id: ID!) { generation(id: $id) { status } }', variables: { id } })).body.data.generation.status,
      (status) => status === 'PROCESSING',
      10_000,
    );
    const cancelled = await send(apiKey, { query: 'mutation($id: ID!) { cancelGeneration(id: $id) }', variables: { id } });
    expect(cancelled.body.data.cancelGeneration).toBe(true);
    const final = await send(apiKey, { query: '{ me { credits } }' });
    expect(final.body.data.me.credits).toBe(100);
    expect(provider.calls.cancel).toBeGreaterThanOrEqual(1);
  });

  it('write every key under their prefix', async () => {
    const { apiKey, account } = await instances[0]!.doitong.accounts.create({ plan: 'pro', credits: 100 });
    const created = await send(apiKey, { query: generate, variables: { text: 'prefixed' } });
    await send(apiKey, { query: 'query($id: ID!) { generation(id: $id) { id } }', variables: { id: created.body.data.generate.id } });
    const client = await connectRedis();
    const keys: string[] = [];
    for (let cursor = '0'; ;) {
      const [next, batch] = await client.scan(cursor, 'MATCH', `*${account.id}*`, 'COUNT', 1_000);
      keys.push(...batch);
      if ((cursor = next) === '0') break;
    }
    client.disconnect();
    // Records, credits, ledger, slots, rate-limit windows: all of them, and nothing outside.
    expect(keys.length).toBeGreaterThan(4);
    expect(keys.filter((key) => !key.startsWith(prefix))).toEqual([]);
    expect(keys.some((key) => key.startsWith(`${prefix}rl:`))).toBe(true);
  });

  it('report readiness from their stores', async () => {
    const response = await fetch(instances[2]!.host.url + '/ready');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ready: true, checks: { redis: { ok: true } } });
  });
});
