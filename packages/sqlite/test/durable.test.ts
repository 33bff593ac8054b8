/**
 * What `sqlite({ dataDirectory })` keeps across a restart of the process that uses it: accounts
 * and keys, generations and their output files, the ledger, idempotency records and the secrets.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createDoitong, silentLogger, type Doitong } from '@doitong/core';
import { eventually, fakeProvider } from '@doitong/core/testing';
import { sqlite } from '@doitong/sqlite';

function open(dataDirectory: string) {
  return createDoitong({ providers: [fakeProvider({ pollsToFinish: 2 }).adapter], logger: silentLogger, pollSchedule: () => 5, ...sqlite({ dataDirectory }) });
}

async function post(doitong: Doitong, apiKey: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await doitong.handle({
    method: 'POST',
    url: '/',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, ...headers },
    body: JSON.stringify(body),
    baseUrl: 'http://localhost/graphql',
  });
  return { status: response.status, headers: response.headers, body: JSON.parse(String(response.body)) };
}

it('keeps accounts, generations, files, credits, idempotency records and secrets across a restart', async () => {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'doitong-durable-'));
  const first = open(dataDirectory);
  const { apiKey, account } = await first.accounts.create({ plan: 'pro', credits: 100 });
  const generate = { query: 'mutation { generate(input: { type: IMAGE, input: { text: "kept" } }) { id creditCost } }' };
  const created = await post(first, apiKey, generate, { 'idempotency-key': 'restart-1' });
  const id = created.body.data.generate.id as string;
  await eventually(
    () => first.getGeneration(id),
    (generation) => generation?.status === 'COMPLETED',
  );
  const read = { query: `{ generation(id: "${id}") { status url } me { credits } creditTransactions(first: 10) { nodes { type amount } } }` };
  const before = (await post(first, apiKey, read)).body.data;
  const secret = first.webhooks.secret;
  await first.close();

  const second = open(dataDirectory);
  const after = (await post(second, apiKey, read)).body.data;
  expect(after).toEqual(before);
  expect(after.me.credits).toBe(100 - created.body.data.generate.creditCost);
  expect((await second.accounts.get(account.id))?.plan).toBe('pro');
  // The same link still downloads the file: the asset secret and the files were kept.
  const file = await second.handle({
    method: 'GET',
    url: new URL(after.generation.url).pathname.replace(/^\/graphql/, '') + new URL(after.generation.url).search,
    headers: {},
    body: '',
  });
  expect(file.status).toBe(200);
  // The Idempotency-Key's answer is replayed, not run again.
  const replayed = await post(second, apiKey, generate, { 'idempotency-key': 'restart-1' });
  expect(replayed.headers['idempotent-replayed']).toBe('true');
  expect(replayed.body.data.generate.id).toBe(id);
  expect(second.webhooks.secret).toBe(secret);
  await second.close();
});
