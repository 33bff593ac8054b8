import { describe, expect, it } from 'vitest';
import { MemoryKeyValueStore, MemoryLedger } from '@doitong/core';
import { eventually, fakeProvider, manualClock, post, testDoitong } from './support';

const generate = { query: 'mutation { generate(input: { type: IMAGE, input: { text: "a fox" } }) { id status } }' };
const list = { query: '{ generations(first: 10) { edges { node { id status } } pageInfo { hasNextPage } } }' };

describe('retention', () => {
  it('drops a finished generation once the retention has passed since it ended, and keeps running ones', async () => {
    const clock = manualClock();
    const done = fakeProvider({ id: 'done', pollsToFinish: 1 });
    const doitong = testDoitong({ providers: [done.adapter], clock, retention: { generationsSeconds: 60 } });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 1_000 });
    const finished = (await post(doitong, apiKey, generate)).body.data.generate.id as string;
    await eventually(
      () => doitong.getGeneration(finished),
      (generation) => generation?.status === 'COMPLETED',
    );

    clock.advance(59_000);
    expect((await doitong.getGeneration(finished))?.status).toBe('COMPLETED');
    expect((await post(doitong, apiKey, list)).body.data.generations.edges).toHaveLength(1);

    clock.advance(2_000);
    expect(await doitong.getGeneration(finished)).toBeUndefined();
    const read = await post(doitong, apiKey, { query: `{ generation(id: "${finished}") { id } }` });
    expect(read.body.errors[0].extensions.code).toBe('NOT_FOUND');
    // The listing skips what is gone instead of failing or looping.
    expect((await post(doitong, apiKey, list)).body.data.generations.edges).toHaveLength(0);
    await doitong.close();
  });

  it('never drops a generation that is still running', async () => {
    const clock = manualClock();
    const slow = fakeProvider({ id: 'slow', pollsToFinish: 1_000_000 });
    const doitong = testDoitong({ providers: [slow.adapter], clock, retention: { generationsSeconds: 1 } });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 1_000 });
    const running = (await post(doitong, apiKey, generate)).body.data.generate.id as string;
    await eventually(
      () => doitong.getGeneration(running),
      (generation) => generation?.status === 'PROCESSING',
    );
    clock.advance(3_600_000);
    expect((await doitong.getGeneration(running))?.status).toBe('PROCESSING');
    await doitong.close();
  });

  it('keeps everything without a retention setting', async () => {
    const clock = manualClock();
    const done = fakeProvider({ id: 'done', pollsToFinish: 1 });
    const doitong = testDoitong({ providers: [done.adapter], clock });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 1_000 });
    const finished = (await post(doitong, apiKey, generate)).body.data.generate.id as string;
    await eventually(
      () => doitong.getGeneration(finished),
      (generation) => generation?.status === 'COMPLETED',
    );
    clock.advance(365 * 86_400_000);
    expect((await doitong.getGeneration(finished))?.status).toBe('COMPLETED');
    await doitong.close();
  });

  it('the memory ledger forgets old entries and settled reservations but never a balance', async () => {
    const clock = manualClock();
    const ledger = new MemoryLedger(clock.now, { retentionMilliseconds: 60_000 });
    await ledger.topUp('acct_1', 100);
    const reserved = await ledger.reserve('acct_1', 10, 'res_1', 'gen_1');
    expect(reserved.ok).toBe(true);
    await ledger.commit('res_1');
    clock.advance(61_000);
    await ledger.reserve('acct_1', 5, 'res_2', 'gen_2');
    ledger.prune();
    const page = await ledger.transactions('acct_1', { first: 10 });
    expect(page.items.map((entry) => entry.type)).toEqual(['RESERVE']);
    expect(await ledger.balance('acct_1')).toBe(85);
    // The unsettled reservation is kept: it can still be settled exactly once.
    clock.advance(3_600_000);
    ledger.prune();
    expect(await ledger.refund('res_2')).toBe(true);
    expect(await ledger.refund('res_2')).toBe(false);
    expect(await ledger.balance('acct_1')).toBe(90);
  });

  it('the memory store frees expired entries, not only hides them', async () => {
    const clock = manualClock();
    const store = new MemoryKeyValueStore({ now: clock.now });
    await store.set('kept', { value: 1 });
    await store.set('short', { value: 2 }, 1_000);
    clock.advance(1_001);
    expect(store.sweep()).toBe(1);
    expect(store.size).toBe(1);
    expect(await store.get('short')).toBeUndefined();
    expect(await store.get('kept')).toEqual({ value: 1 });
  });
});
