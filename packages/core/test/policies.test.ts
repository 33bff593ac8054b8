import { afterEach, describe, expect, it } from 'vitest';
import { MemoryLedger, type CreditLedger, type Doitong } from '@doitong/core';
import { eventually, fakeProvider, manualClock, post, testDoitong } from './support';

const generate = 'mutation($text: String!) { generate(input: { type: IMAGE, input: { text: $text } }) { id status creditCost } }';

let doitong: Doitong;
afterEach(async () => doitong?.close());

async function finish(apiKey: string, id: string, status = 'COMPLETED') {
  await eventually(
    () => post(doitong, apiKey, { query: 'query($id: ID!) { generation(id: $id) { status } }', variables: { id } }),
    (response) => response.body.data.generation.status === status,
  );
}

describe('plan rate limits', () => {
  it('refuses the 11th generation of a minute on the Free plan with 429, and every response carries consistent headers', async () => {
    const clock = manualClock(Date.UTC(2026, 10, 23, 12, 0, 0));
    doitong = testDoitong({ providers: [fakeProvider().adapter], clock });
    const { apiKey } = await doitong.accounts.create({ plan: 'free', credits: 1_000 });
    for (let index = 1; index <= 10; index++) {
      const response = await post(doitong, apiKey, { query: generate, variables: { text: `n${index}` } });
      expect(response.status).toBe(200);
      expect(response.headers['x-ratelimit-limit']).toBe('10');
      expect(response.headers['x-ratelimit-remaining']).toBe(String(10 - index));
      expect(response.headers['x-ratelimit-reset']).toBe('60');
      expect(response.headers['ratelimit-policy']).toBe(
        '"minute";q=10;w=60, "day";q=100;w=86400, "concurrent";q=1;qu="concurrent-requests", "reads";q=300;w=60',
      );
      expect(response.headers.ratelimit).toBe(`"minute";r=${10 - index};t=60, "day";r=${100 - index};t=43200, "concurrent";r=0;t=1`);
      await finish(apiKey, response.body.data.generate.id);
    }
    clock.advance(15_000);
    const refused = await post(doitong, apiKey, { query: generate, variables: { text: 'eleven' } });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('45');
    expect(refused.headers['x-ratelimit-remaining']).toBe('0');
    expect(refused.headers['x-ratelimit-reset']).toBe('45');
    expect(refused.body.data.generate).toBeNull();
    expect(refused.body.errors[0].extensions).toEqual({ code: 'RATE_LIMIT', retryable: true, policy: 'minute', limit: 10, retryAfterSeconds: 45 });
    // Reads have their own bucket: polling still works.
    const read = await post(doitong, apiKey, { query: '{ me { credits } }' });
    expect(read.status).toBe(200);
    expect(read.headers['x-ratelimit-limit']).toBe('300');
    // The refused generation took nothing from the day window and nothing from credits.
    clock.advance(45_000);
    const next = await post(doitong, apiKey, { query: generate, variables: { text: 'next minute' } });
    expect(next.status).toBe(200);
    expect(next.headers.ratelimit).toContain('"day";r=89;');
  });

  it('refuses a second concurrent generation on the Free plan while the first runs, and accepts it after', async () => {
    const provider = fakeProvider({ pollsToFinish: 1_000 });
    doitong = testDoitong({ providers: [provider.adapter] });
    const { apiKey } = await doitong.accounts.create({ plan: 'free', credits: 1_000 });
    const first = await post(doitong, apiKey, { query: generate, variables: { text: 'one' } });
    const second = await post(doitong, apiKey, { query: generate, variables: { text: 'two' } });
    expect(second.status).toBe(429);
    expect(second.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMIT', policy: 'concurrent', limit: 1 });
    expect(second.headers['retry-after']).toBeDefined();
    // The refused request gave its minute point back.
    expect(second.headers['x-ratelimit-remaining']).toBe('0');
    expect(second.headers.ratelimit).toContain('"minute";r=9;');
    await post(doitong, apiKey, { query: 'mutation($id: ID!) { cancelGeneration(id: $id) }', variables: { id: first.body.data.generate.id } });
    const third = await post(doitong, apiKey, { query: generate, variables: { text: 'three' } });
    expect(third.status).toBe(200);
    expect(third.body.data.generate.status).toBe('PENDING');
  });

  it('refuses the 101st generation of a UTC day on the Free plan, and accepts again the next day', async () => {
    const clock = manualClock(Date.UTC(2026, 10, 23, 0, 0, 0));
    doitong = testDoitong({ providers: [fakeProvider().adapter], clock });
    const { apiKey } = await doitong.accounts.create({ plan: 'free', credits: 10_000 });
    for (let index = 0; index < 100; index++) {
      if (index > 0 && index % 10 === 0) clock.advance(60_000);
      const response = await post(doitong, apiKey, { query: generate, variables: { text: `n${index}` } });
      expect(response.status).toBe(200);
      await finish(apiKey, response.body.data.generate.id);
    }
    clock.advance(60_000);
    const refused = await post(doitong, apiKey, { query: generate, variables: { text: 'too many' } });
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMIT', policy: 'day', limit: 100 });
    expect(refused.headers['x-ratelimit-limit']).toBe('100');
    clock.set(Date.UTC(2026, 10, 24, 0, 0, 1));
    const tomorrow = await post(doitong, apiKey, { query: generate, variables: { text: 'tomorrow' } });
    expect(tomorrow.status).toBe(200);
  });

  it('counts each aliased generate field, and answers 429 only when all of them were refused', async () => {
    doitong = testDoitong({
      providers: [fakeProvider({ pollsToFinish: 1_000 }).adapter],
      plans: { tiny: { generationsPerMinute: 3, concurrent: 10, generationsPerDay: 100 } },
    });
    const { apiKey } = await doitong.accounts.create({ plan: 'tiny', credits: 1_000 });
    const two =
      'mutation { a: generate(input: { type: IMAGE, input: { text: "a" } }) { id } b: generate(input: { type: IMAGE, input: { text: "b" } }) { id } }';
    const first = await post(doitong, apiKey, { query: two });
    expect(first.status).toBe(200);
    expect(first.headers['x-ratelimit-remaining']).toBe('1');
    const partial = await post(doitong, apiKey, { query: two });
    expect(partial.status).toBe(200);
    expect(partial.body.data.a).not.toBeNull();
    expect(partial.body.data.b).toBeNull();
    expect(partial.body.errors[0].extensions.code).toBe('RATE_LIMIT');
    const none = await post(doitong, apiKey, { query: two });
    expect(none.status).toBe(429);
  });

  it('applies host-defined plans and per-account overrides', async () => {
    doitong = testDoitong({
      providers: [fakeProvider({ pollsToFinish: 1_000 }).adapter],
      plans: { team: { name: 'Team', generationsPerMinute: 2, concurrent: 5, generationsPerDay: null } },
    });
    const team = await doitong.accounts.create({ plan: 'team', credits: 1_000 });
    const overridden = await doitong.accounts.create({ plan: 'free', credits: 1_000, limits: { concurrent: 3 } });
    const response = await post(doitong, team.apiKey, { query: generate, variables: { text: 'x' } });
    expect(response.headers['ratelimit-policy']).toBe('"minute";q=2;w=60, "concurrent";q=5;qu="concurrent-requests", "reads";q=300;w=60');
    for (let index = 0; index < 3; index++)
      expect((await post(doitong, overridden.apiKey, { query: generate, variables: { text: `x${index}` } })).status).toBe(200);
    expect((await post(doitong, overridden.apiKey, { query: generate, variables: { text: 'x4' } })).body.errors[0].extensions.policy).toBe('concurrent');
  });

  it('lets a lost concurrency slot expire on its own', async () => {
    const clock = manualClock();
    const { MemoryConcurrencySlots } = await import('@doitong/core');
    const slots = new MemoryConcurrencySlots(clock);
    expect((await slots.acquire('acct', 'gen_1', 1, 1_000)).acquired).toBe(true);
    expect((await slots.acquire('acct', 'gen_2', 1, 1_000)).acquired).toBe(false);
    clock.advance(1_001);
    expect((await slots.acquire('acct', 'gen_2', 1, 1_000)).acquired).toBe(true);
  });
});

describe('credits', () => {
  it('lets exactly 10 of 200 concurrent generations through when the balance pays for 10', async () => {
    doitong = testDoitong({ providers: [fakeProvider({ pollsToFinish: 1_000, creditCost: 10 }).adapter] });
    const { apiKey, account } = await doitong.accounts.create({ plan: 'pro', credits: 100, limits: { generationsPerMinute: 1_000, concurrent: 1_000 } });
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, index) => post(doitong, apiKey, { query: generate, variables: { text: `n${index}` } })),
    );
    const accepted = responses.filter((response) => response.body.data?.generate);
    const refused = responses.filter((response) => response.body.errors?.[0]?.extensions?.code === 'INSUFFICIENT_CREDITS');
    expect(accepted).toHaveLength(10);
    expect(refused).toHaveLength(190);
    expect(refused[0]!.body.errors[0].extensions).toMatchObject({ required: 10, retryable: false });
    const me = await post(doitong, apiKey, { query: '{ me { credits } creditTransactions(first: 100) { nodes { type amount balanceAfter } } }' });
    expect(me.body.data.me.credits).toBe(0);
    const entries = me.body.data.creditTransactions.nodes as Array<{ type: string; amount: number }>;
    expect(entries.filter((entry) => entry.type === 'RESERVE')).toHaveLength(10);
    expect(entries.reduce((sum, entry) => sum + entry.amount, 0)).toBe(0);
    expect((await doitong.accounts.get(account.id))!.credits).toBe(0);
    // The refused ones consumed no rate limit either.
    const next = await post(doitong, apiKey, { query: '{ me { id } }' });
    expect(next.status).toBe(200);
  });

  it('refunds a failed, an unavailable and a cancelled generation in full, and commits a completed one once', async () => {
    for (const [options, status] of [
      [{ outcome: 'fail' as const }, 'FAILED'],
      [{ outcome: 'reject' as const }, 'FAILED'],
      [{ pollsToFinish: 1_000 }, 'CANCELLED'],
      [{}, 'COMPLETED'],
    ] as const) {
      doitong = testDoitong({ providers: [fakeProvider({ ...options, creditCost: 25 }).adapter] });
      const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
      const created = await post(doitong, apiKey, { query: generate, variables: { text: 'x' } });
      const id = created.body.data.generate.id;
      if (status === 'CANCELLED') await post(doitong, apiKey, { query: 'mutation($id: ID!) { cancelGeneration(id: $id) }', variables: { id } });
      await finish(apiKey, id, status);
      const ledger = await post(doitong, apiKey, { query: '{ me { credits } creditTransactions { nodes { type amount generationId } } }' });
      const types = (ledger.body.data.creditTransactions.nodes as Array<{ type: string }>).map((entry) => entry.type).reverse();
      if (status === 'COMPLETED') {
        expect(ledger.body.data.me.credits).toBe(75);
        expect(types).toEqual(['TOP_UP', 'RESERVE', 'COMMIT']);
      } else {
        expect(ledger.body.data.me.credits).toBe(100);
        expect(types).toEqual(['TOP_UP', 'RESERVE', 'REFUND']);
      }
      await doitong.close();
    }
  });

  it('settles a reservation exactly once, whatever the interleaving', async () => {
    const ledger: CreditLedger = new MemoryLedger();
    await ledger.topUp('acct', 50);
    const reserved = await Promise.all(Array.from({ length: 20 }, (_, index) => ledger.reserve('acct', 10, `res_${index}`)));
    expect(reserved.filter((result) => result.ok)).toHaveLength(5);
    expect(await ledger.balance('acct')).toBe(0);
    const settled = await Promise.all([ledger.commit('res_0'), ledger.refund('res_0'), ledger.commit('res_0'), ledger.refund('res_1'), ledger.refund('res_1')]);
    expect(settled).toEqual([true, false, false, true, false]);
    expect(await ledger.balance('acct')).toBe(10);
    // Reserving an id twice charges once.
    await ledger.topUp('acct', 10);
    const again = await Promise.all([ledger.reserve('acct', 10, 'res_again'), ledger.reserve('acct', 10, 'res_again')]);
    expect(again.every((result) => result.ok)).toBe(true);
    expect(await ledger.balance('acct')).toBe(10);
  });

  it('lets a host add credits, and pages the ledger', async () => {
    doitong = testDoitong({ providers: [fakeProvider().adapter] });
    const { apiKey, account } = await doitong.accounts.create({ plan: 'pro', credits: 10 });
    for (let index = 0; index < 4; index++) await doitong.accounts.addCredits(account.id, 5, `top-up ${index}`);
    await expect(doitong.accounts.addCredits(account.id, -5)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const page =
      'query($after: String) { creditTransactions(first: 3, after: $after) { nodes { type amount balanceAfter note } pageInfo { hasNextPage endCursor } } }';
    const first = await post(doitong, apiKey, { query: page });
    expect(first.body.data.creditTransactions.nodes.map((entry: { balanceAfter: number }) => entry.balanceAfter)).toEqual([30, 25, 20]);
    const second = await post(doitong, apiKey, { query: page, variables: { after: first.body.data.creditTransactions.pageInfo.endCursor } });
    expect(second.body.data.creditTransactions.nodes.map((entry: { balanceAfter: number }) => entry.balanceAfter)).toEqual([15, 10]);
    expect(second.body.data.creditTransactions.pageInfo.hasNextPage).toBe(false);
  });
});
