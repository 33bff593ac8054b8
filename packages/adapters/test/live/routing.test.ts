import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDoitong, InProcessQueue, silentLogger, type Doitong } from '@doitong/core';
import { eventually, queueIdle } from '@doitong/core/testing';
import { liveProviders, luma as lumaEntry, runway } from '@doitong/adapters';
import { requestFor } from '../helpers';
import { lumaKey, lumaMock } from '../mocks/luma';
import type { MockServer } from '../mocks/mock-server';
import { runwayKey, runwayMock } from '../mocks/runway';

let doitong: Doitong | undefined;
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  await doitong?.close();
  for (const close of cleanup.splice(0)) await close();
});

/** Runway (quality 9) and Luma (quality 8), live against their mocks: QUALITY picks Runway first. */
async function setup(runwayUrl: string, luma: MockServer) {
  const queue = new InProcessQueue({ logger: silentLogger });
  doitong = createDoitong({
    queue,
    providers: liveProviders({
      providers: ['runway', 'luma'],
      env: {},
      credentials: { runway: { apiKey: runwayKey }, luma: { apiKey: lumaKey } },
      baseUrls: { runway: runwayUrl, luma: luma.url },
      timeouts: { headersMilliseconds: 200 },
    }),
    logger: silentLogger,
    assets: { directory: mkdtempSync(join(tmpdir(), 'doitong-routing-')) },
    pollSchedule: () => 5,
  });
  const { apiKey } = await doitong.accounts.create({ mode: 'live', plan: 'pro', credits: 1_000 });
  const call = async (query: string, variables: Record<string, unknown>) => {
    const response = await doitong!.handle({
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query, variables }),
      baseUrl: 'http://local/graphql',
    });
    return JSON.parse(String(response.body)).data;
  };
  const created = (
    await call('mutation($input: GenerateInput!) { generate(input: $input) { id provider creditCost } }', {
      input: { type: 'VIDEO', priority: 'QUALITY', input: { text: 'a boat at dawn', image: 'https://example.com/boat.jpg' } },
    })
  ).generate;
  const read = () =>
    call('query($id: ID!) { generation(id: $id) { status provider creditCost errorCode attempts { provider outcome creditCost } } me { credits } }', {
      id: created.id,
    });
  const ended = await eventually(read, (data) => ['COMPLETED', 'FAILED'].includes(data.generation.status));
  return { created, ended, queue };
}

describe('automatic selection over live transports', () => {
  it('falls back from a provider that refused at submit to the next, billed at the next one’s price', async () => {
    const runwayServer = await runwayMock();
    const luma = await lumaMock();
    cleanup.push(
      () => runwayServer.close(),
      () => luma.close(),
    );
    runwayServer.behaviour = 'unavailable';
    const { created, ended } = await setup(runwayServer.url, luma);
    expect(created.provider).toBe('runway');
    const request = (entry: typeof runway) => requestFor(entry, 'VIDEO', { text: 'a boat at dawn', image: 'https://example.com/boat.jpg' });
    const lumaPrice = lumaEntry.price(request(lumaEntry)).creditCost;
    expect(created.creditCost).toBe(runway.price(request(runway)).creditCost);
    expect(lumaPrice).not.toBe(created.creditCost);
    expect(ended.generation).toMatchObject({ status: 'COMPLETED', provider: 'luma', creditCost: lumaPrice });
    expect(ended.generation.attempts).toEqual([
      { provider: 'runway', outcome: 'rejected', creditCost: created.creditCost },
      { provider: 'luma', outcome: 'succeeded', creditCost: lumaPrice },
    ]);
    expect(ended.me.credits).toBe(1_000 - lumaPrice);
    expect([runwayServer.createCalls(), luma.createCalls()]).toEqual([1, 1]);
  });

  it('never resubmits, anywhere, a create call that timed out after it was sent', async () => {
    let received = 0;
    const silent = createServer(() => void received++);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>((resolve) => (silent.closeAllConnections(), silent.close(() => resolve()))));
    const luma = await lumaMock();
    cleanup.push(() => luma.close());
    const { ended, queue } = await setup(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`, luma);
    expect(ended.generation).toMatchObject({
      status: 'FAILED',
      provider: 'runway',
      errorCode: 'PROVIDER_UNAVAILABLE',
      attempts: [{ provider: 'runway', outcome: 'unknown' }],
    });
    expect(ended.me.credits).toBe(1_000);
    // Every job the generation queued has run: no later step is left that could submit again.
    await queueIdle(queue);
    expect([received, luma.createCalls()]).toEqual([1, 0]);
  });

  it('shows a provider without credentials as unavailable and never selects it', async () => {
    const luma = await lumaMock();
    cleanup.push(() => luma.close());
    doitong = createDoitong({
      providers: liveProviders({ providers: ['runway', 'luma'], env: {}, credentials: { luma: { apiKey: lumaKey } }, baseUrls: { luma: luma.url } }),
      logger: silentLogger,
      assets: { directory: mkdtempSync(join(tmpdir(), 'doitong-routing-')) },
    });
    const { apiKey } = await doitong.accounts.create({ mode: 'live', plan: 'pro', credits: 1_000 });
    const call = async (query: string) =>
      JSON.parse(
        String(
          (
            await doitong!.handle({
              method: 'POST',
              url: '/',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
              body: JSON.stringify({ query }),
            })
          ).body,
        ),
      );
    const listed = await call('{ providers(type: VIDEO) { id available livemode } }');
    expect(listed.data.providers).toEqual([
      { id: 'runway', available: false, livemode: true },
      { id: 'luma', available: true, livemode: true },
    ]);
    const created = await call(
      'mutation { generate(input: { type: VIDEO, priority: QUALITY, input: { text: "x" } }) { provider routing { candidates { provider eligible reason } } } }',
    );
    expect(created.data.generate.provider).toBe('luma');
    expect(created.data.generate.routing.candidates[0]).toMatchObject({
      provider: 'runway',
      eligible: false,
      reason: expect.stringContaining('RUNWAYML_API_SECRET'),
    });
    const explicit = await call('mutation { generate(input: { type: VIDEO, provider: "runway", input: { text: "x" } }) { id } }');
    expect(explicit.errors[0].extensions.code).toBe('PROVIDER_UNAVAILABLE');
  });
});
