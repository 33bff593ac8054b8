import { afterEach, describe, expect, it } from 'vitest';
import type { Doitong } from '@doitong/core';
import { eventually, manualClock, post, testDoitong } from './support';
import { testProvider } from './providers';

let doitong: Doitong;
afterEach(async () => doitong?.close());

const generate = 'mutation($input: GenerateInput!) { generate(input: $input) { id provider creditCost } }';
const read = 'query($id: ID!) { generation(id: $id) { status provider errorCode error { message } attempts { provider outcome errorCode } } }';

async function setup(providers: ReturnType<typeof testProvider>[]) {
  doitong = testDoitong({ providers: providers.map((provider) => provider.adapter), pollSchedule: () => 5 });
  const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 1_000 });
  return apiKey;
}

const credits = async (apiKey: string) => (await post(doitong, apiKey, { query: '{ me { credits } }' })).body.data.me.credits as number;
const ended = (apiKey: string, id: string) =>
  eventually(
    () => post(doitong, apiKey, { query: read, variables: { id } }),
    (response) => ['COMPLETED', 'FAILED', 'CANCELLED'].includes(response.body.data?.generation?.status),
  ).then((response) => response.body.data.generation);
const start = async (apiKey: string, input: Record<string, unknown>) =>
  (await post(doitong, apiKey, { query: generate, variables: { input: { type: 'VIDEO', input: { text: 'a fox' }, ...input } } })).body.data.generate;

describe('a status call that reports the job’s end', () => {
  it('ends the generation at once with the provider’s classification: a refused output is GENERATION_FAILED, refunded, never sent elsewhere', async () => {
    const refusing = testProvider({ id: 'refusing', quality: 10, end: 'status-refused', creditCost: 40 });
    const next = testProvider({ id: 'next', quality: 6 });
    const apiKey = await setup([refusing, next]);
    const generation = await ended(apiKey, (await start(apiKey, { provider: 'refusing', fallback: ['next'] })).id);
    expect(generation).toMatchObject({
      status: 'FAILED',
      provider: 'refusing',
      errorCode: 'GENERATION_FAILED',
      error: { message: 'output refused as sensitive' },
    });
    expect(generation.attempts).toEqual([{ provider: 'refusing', outcome: 'failed', errorCode: 'GENERATION_FAILED' }]);
    expect(refusing.calls.status).toBe(1);
    expect(next.calls.start).toBe(0);
    expect(await credits(apiKey)).toBe(1_000);
  });

  it('treats a definite failure of the provider’s own as a verified terminal failure: the fallback serves', async () => {
    const broken = testProvider({ id: 'broken', quality: 10, end: 'status-provider-failed' });
    const next = testProvider({ id: 'next', quality: 6, creditCost: 20 });
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
    expect(broken.calls.status).toBe(1);
    expect(await credits(apiKey)).toBe(980);
  });

  it('still asks again when the status could not be read, and gives up as PROVIDER_UNAVAILABLE once the reads have failed for the whole window', async () => {
    const clock = manualClock(Date.now());
    const flaky = testProvider({ id: 'flaky', end: 'status-unreadable' });
    doitong = testDoitong({ providers: [flaky.adapter], pollSchedule: () => 5, clock, timeouts: { statusFailureSeconds: 60 } });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 1_000 });
    const { id } = await start(apiKey, {});
    // Five failed reads and more within the window: late, not failed.
    await eventually(
      async () => flaky.calls.status,
      (count) => count >= 8,
    );
    expect((await post(doitong, apiKey, { query: read, variables: { id } })).body.data.generation.status).toBe('PROCESSING');
    clock.advance(60_001);
    const generation = await ended(apiKey, id);
    expect(generation).toMatchObject({ status: 'FAILED', errorCode: 'PROVIDER_UNAVAILABLE', attempts: [{ provider: 'flaky', outcome: 'unknown' }] });
    expect(await credits(apiKey)).toBe(1_000);
  });
});
