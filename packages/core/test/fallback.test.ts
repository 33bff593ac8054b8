import { afterEach, describe, expect, it } from 'vitest';
import { InProcessQueue, silentLogger, type Doitong } from '@doitong/core';
import { manualClock } from '@doitong/core/testing';
import { eventually, post, queueIdle, testDoitong } from './support';
import { testProvider } from './providers';

let doitong: Doitong;
afterEach(async () => doitong?.close());

const generate = 'mutation($input: GenerateInput!) { generate(input: $input) { id provider creditCost } }';
const read =
  'query($id: ID!) { generation(id: $id) { status provider creditCost errorCode error { message } routing { provider reason candidates { provider eligible reason } } attempts { provider creditCost outcome errorCode } } }';

async function setup(providers: ReturnType<typeof testProvider>[], credits = 1_000, extra: Parameters<typeof testDoitong>[0] = {}) {
  doitong = testDoitong({ providers: providers.map((provider) => provider.adapter), pollSchedule: () => 5, ...extra });
  const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits });
  return apiKey;
}

const credits = async (apiKey: string) => (await post(doitong, apiKey, { query: '{ me { credits } }' })).body.data.me.credits as number;
const ledger = async (apiKey: string) =>
  (
    await post(doitong, apiKey, { query: '{ creditTransactions(first: 20) { nodes { type amount } } }' })
  ).body.data.creditTransactions.nodes.reverse() as Array<{ type: string; amount: number }>;
const ended = (apiKey: string, id: string) =>
  eventually(
    () => post(doitong, apiKey, { query: read, variables: { id } }),
    (response) => ['COMPLETED', 'FAILED', 'CANCELLED'].includes(response.body.data?.generation?.status),
  ).then((response) => response.body.data.generation);
const start = async (apiKey: string, input: Record<string, unknown>) =>
  (await post(doitong, apiKey, { query: generate, variables: { input: { type: 'VIDEO', input: { text: 'a fox' }, ...input } } })).body.data.generate;

describe('fallback', () => {
  it('skips a provider that refused the job before accepting it; the next one serves, billed at its own price', async () => {
    const best = testProvider({ id: 'best', quality: 10, creditCost: 50, start: 'reject' });
    const next = testProvider({ id: 'next', quality: 6, creditCost: 20 });
    const apiKey = await setup([best, next]);
    const created = await start(apiKey, { priority: 'QUALITY' });
    expect(created).toMatchObject({ provider: 'best', creditCost: 50 });
    const generation = await ended(apiKey, created.id);
    expect(generation).toMatchObject({ status: 'COMPLETED', provider: 'next', creditCost: 20 });
    expect(generation.attempts).toEqual([
      { provider: 'best', creditCost: 50, outcome: 'rejected', errorCode: 'PROVIDER_UNAVAILABLE' },
      { provider: 'next', creditCost: 20, outcome: 'succeeded', errorCode: null },
    ]);
    expect(generation.routing.reason).toContain('fell back to next after best failed');
    expect([best.calls.start, next.calls.start]).toEqual([1, 1]);
    expect(await credits(apiKey)).toBe(980);
    // The old reservation is released, the new one reserved and committed: charged once, at 20.
    expect(await ledger(apiKey)).toEqual([
      { type: 'TOP_UP', amount: 1000 },
      { type: 'RESERVE', amount: -50 },
      { type: 'RESERVE', amount: -20 },
      { type: 'REFUND', amount: 50 },
      { type: 'COMMIT', amount: 0 },
    ]);
  });

  it('never resubmits a create call whose outcome is unknown, anywhere', async () => {
    const best = testProvider({ id: 'best', quality: 10, start: 'unknown' });
    const next = testProvider({ id: 'next', quality: 6 });
    const queue = new InProcessQueue({ logger: silentLogger });
    const apiKey = await setup([best, next], 1_000, { queue });
    const generation = await ended(apiKey, (await start(apiKey, { priority: 'QUALITY' })).id);
    expect(generation).toMatchObject({
      status: 'FAILED',
      provider: 'best',
      errorCode: 'PROVIDER_UNAVAILABLE',
      attempts: [{ provider: 'best', outcome: 'unknown' }],
    });
    // Every job the generation queued has run: no later step is left that could submit again.
    await queueIdle(queue);
    expect([best.calls.start, next.calls.start]).toEqual([1, 0]);
  });

  it('falls back after a verified terminal provider failure, but not after the content was refused', async () => {
    const broken = testProvider({ id: 'broken', quality: 10, end: 'fail-provider' });
    const next = testProvider({ id: 'next', quality: 6 });
    const apiKey = await setup([broken, next]);
    const generation = await ended(apiKey, (await start(apiKey, { priority: 'QUALITY' })).id);
    expect(generation).toMatchObject({
      status: 'COMPLETED',
      provider: 'next',
      attempts: [
        { provider: 'broken', outcome: 'failed', errorCode: 'PROVIDER_UNAVAILABLE' },
        { provider: 'next', outcome: 'succeeded' },
      ],
    });
    broken.state.end = 'fail-content';
    const refused = await ended(apiKey, (await start(apiKey, { provider: 'broken', fallback: ['next'] })).id);
    expect(refused).toMatchObject({ status: 'FAILED', provider: 'broken', errorCode: 'GENERATION_FAILED' });
    expect(next.calls.start).toBe(1);
    expect(await credits(apiKey)).toBe(1000 - 10);
  });

  it('falls back from an explicit provider only through the caller’s fallback list, in its order', async () => {
    const chosen = testProvider({ id: 'chosen', start: 'reject', creditCost: 10 });
    const other = testProvider({ id: 'other', quality: 10, creditCost: 15 });
    const listed = testProvider({ id: 'listed', creditCost: 12 });
    const apiKey = await setup([chosen, other, listed]);
    const alone = await ended(apiKey, (await start(apiKey, { provider: 'chosen' })).id);
    expect(alone).toMatchObject({ status: 'FAILED', errorCode: 'PROVIDER_UNAVAILABLE' });
    expect([other.calls.start, listed.calls.start]).toEqual([0, 0]);
    const withList = await ended(apiKey, (await start(apiKey, { provider: 'chosen', fallback: ['listed', 'other'] })).id);
    expect(withList).toMatchObject({ status: 'COMPLETED', provider: 'listed', creditCost: 12 });
    expect([other.calls.start, listed.calls.start]).toEqual([0, 1]);
    const unknown = await post(doitong, apiKey, {
      query: generate,
      variables: { input: { type: 'VIDEO', provider: 'chosen', input: { text: 'x' }, fallback: ['nope'] } },
    });
    expect(unknown.body.errors[0].extensions).toMatchObject({ code: 'INVALID_INPUT', option: 'fallback', allowedValues: ['chosen', 'other', 'listed'] });
  });

  it('fails with a full refund when the fallback costs more than the balance', async () => {
    const best = testProvider({ id: 'best', quality: 10, creditCost: 50, start: 'reject' });
    const dear = testProvider({ id: 'dear', quality: 6, creditCost: 80 });
    const apiKey = await setup([best, dear], 60);
    const generation = await ended(apiKey, (await start(apiKey, { priority: 'QUALITY' })).id);
    expect(generation).toMatchObject({ status: 'FAILED', errorCode: 'INSUFFICIENT_CREDITS' });
    expect(generation.error.message).toContain('costs 80 credits');
    expect(dear.calls.start).toBe(0);
    expect(await credits(apiKey)).toBe(60);
  });
});

describe('circuit breaker', () => {
  it('stops choosing a failing provider, then probes it again after the cool-down and closes on success', async () => {
    const clock = manualClock(Date.now());
    const flaky = testProvider({ id: 'flaky', quality: 10, start: 'reject' });
    const steady = testProvider({ id: 'steady', quality: 6 });
    const apiKey = await setup([flaky, steady], 1_000, { clock, health: { failureThreshold: 2, coolDownSeconds: 30 } });
    for (let index = 0; index < 2; index++)
      expect((await ended(apiKey, (await start(apiKey, { provider: 'flaky', fallback: ['steady'] })).id)).provider).toBe('steady');
    expect(doitong.health.circuit('flaky@test')).toBe('open');
    const skipped = await ended(apiKey, (await start(apiKey, { priority: 'QUALITY' })).id);
    expect(skipped.routing.candidates.find((candidate: { provider: string }) => candidate.provider === 'flaky')).toMatchObject({
      eligible: false,
      reason: expect.stringContaining('circuit open'),
    });
    expect(flaky.calls.start).toBe(2);
    clock.advance(31_000);
    expect(doitong.health.circuit('flaky@test')).toBe('half-open');
    flaky.state.start = 'accept';
    const probe = await ended(apiKey, (await start(apiKey, { priority: 'QUALITY' })).id);
    expect(probe).toMatchObject({ status: 'COMPLETED', provider: 'flaky' });
    expect(doitong.health.circuit('flaky@test')).toBe('closed');
  });

  it('reopens at once when the probe fails', async () => {
    const clock = manualClock(Date.now());
    const flaky = testProvider({ id: 'flaky', quality: 10, start: 'reject' });
    const steady = testProvider({ id: 'steady', quality: 6 });
    const apiKey = await setup([flaky, steady], 1_000, { clock, health: { failureThreshold: 1, coolDownSeconds: 30 } });
    await ended(apiKey, (await start(apiKey, { priority: 'QUALITY' })).id);
    expect(doitong.health.circuit('flaky@test')).toBe('open');
    clock.advance(31_000);
    const probe = await ended(apiKey, (await start(apiKey, { priority: 'QUALITY' })).id);
    expect(probe.attempts.map((attempt: { provider: string }) => attempt.provider)).toEqual(['flaky', 'steady']);
    expect(doitong.health.circuit('flaky@test')).toBe('open');
  });
});

describe('maximum job time', () => {
  it('ends a stuck job as GENERATION_FAILED, refunds it and cancels it at the provider', async () => {
    const clock = manualClock(Date.now());
    const stuck = testProvider({ id: 'stuck', end: 'never', maxJobTime: 60, creditCost: 25 });
    const apiKey = await setup([stuck], 100, { clock });
    const created = await start(apiKey, {});
    await eventually(
      () => post(doitong, apiKey, { query: read, variables: { id: created.id } }),
      (response) => response.body.data.generation.status === 'PROCESSING',
    );
    expect(await credits(apiKey)).toBe(75);
    clock.advance(61_000);
    const generation = await ended(apiKey, created.id);
    expect(generation).toMatchObject({ status: 'FAILED', errorCode: 'GENERATION_FAILED', error: { message: expect.stringContaining('60 s') } });
    expect(stuck.calls.cancel).toBe(1);
    expect(await credits(apiKey)).toBe(100);
  });
});
