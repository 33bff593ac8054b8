/**
 * Slowness is not failure: status calls that fail for a while (a busy host, a slow network) make a
 * job late; only failures without a break for the whole `statusFailureSeconds` window end it.
 */
import { afterEach, expect, it } from 'vitest';
import { ProviderError, type Doitong } from '@doitong/core';
import { eventually, fakeProvider, manualClock, post, testDoitong } from './support';

let doitong: Doitong | undefined;
afterEach(async () => {
  await doitong?.close();
  doitong = undefined;
});

it('keeps a job whose status calls fail PROCESSING until they have failed for the whole window', async () => {
  const clock = manualClock(Date.now());
  const fake = fakeProvider({ pollsToFinish: 1 });
  let failures = 0;
  let failing = true;
  const adapter = {
    ...fake.adapter,
    async status(...parameters: Parameters<NonNullable<typeof fake.adapter.status>>) {
      if (failing) {
        failures++;
        throw new ProviderError('PROVIDER_UNAVAILABLE', 'status timed out', { providerId: 'fake', acceptance: 'unknown' });
      }
      return fake.adapter.status!(...parameters);
    },
  };
  doitong = testDoitong({ providers: [adapter], clock, pollSchedule: () => 5, timeouts: { statusFailureSeconds: 60 } });
  const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
  const slow = (await post(doitong, apiKey, { query: 'mutation { generate(input: { type: IMAGE, input: { text: "a" } }) { id } }' })).body.data.generate.id;
  await eventually(
    async () => failures,
    (count) => count >= 12,
  );
  expect((await doitong.getGeneration(slow))!.status).toBe('PROCESSING');
  // The provider answers again within the window: the job ends as it should.
  failing = false;
  await eventually(
    () => doitong!.getGeneration(slow),
    (generation) => generation?.status === 'COMPLETED',
  );

  failing = true;
  const broken = (await post(doitong, apiKey, { query: 'mutation { generate(input: { type: IMAGE, input: { text: "b" } }) { id } }' })).body.data.generate.id;
  const before = failures;
  await eventually(
    async () => failures,
    (count) => count >= before + 12,
  );
  expect((await doitong.getGeneration(broken))!.status).toBe('PROCESSING');
  clock.advance(60_001);
  const failed = await eventually(
    () => doitong!.getGeneration(broken),
    (generation) => generation?.status === 'FAILED',
  );
  expect(failed!.error!.code).toBe('PROVIDER_UNAVAILABLE');
});
