// The idempotency store's contract as tests, run by every store of Idempotency-Key claims.
import assert from 'node:assert/strict';
import type { IdempotencyStore } from '../../policies/idempotency';
import type { ManualClock } from '../manual-clock';
import type { TestApi } from '../test-api';
import { each, unique, type Implementation } from './implementation';

/**
 * What every idempotency store must do: one claim per key under concurrency, replay and mismatch,
 * a claim that is a lease (renewed while its request runs, lapsing after it died, so a retry
 * proceeds), and a token that stops a lapsed request from completing or releasing the claim that
 * took over.
 */
export function idempotencyStoreTestSuite(test: TestApi, implementation: Implementation<{ store: IdempotencyStore; clock: ManualClock }>): void {
  test.describe(`IdempotencyStore: ${implementation.name}`, () => {
    const response = (body: string) => ({ status: 200, headers: { 'content-type': 'application/json' }, body });
    each(test, implementation, 'gives one claim of 50 concurrent ones, then replays the answer, and refuses another payload', async ({ store }) => {
      const scope = unique();
      const outcomes = await Promise.all(Array.from({ length: 50 }, () => store.claim(scope, 'key', 'print', 10_000)));
      const claimed = outcomes.filter((outcome) => outcome.outcome === 'claimed');
      assert.equal(claimed.length, 1);
      assert.ok(outcomes.every((outcome) => outcome.outcome === 'claimed' || outcome.outcome === 'in_flight'));
      const token = (claimed[0] as { token: string }).token;
      assert.equal(await store.complete(scope, 'key', token, 'print', { response: response('{"data":1}') }, 60_000), true);
      assert.deepEqual(await store.claim(scope, 'key', 'print', 10_000), { outcome: 'replay', response: response('{"data":1}') });
      assert.deepEqual(await store.claim(scope, 'key', 'other', 10_000), { outcome: 'mismatch' });
      // Keys are scoped: another scope's same key is free.
      assert.equal((await store.claim(`${scope}-other`, 'key', 'print', 10_000)).outcome, 'claimed');
    });
    each(test, implementation, 'forgets a released claim, so the retry runs again', async ({ store }) => {
      const scope = unique();
      const first = await store.claim(scope, 'key', 'print', 10_000);
      assert.equal(first.outcome, 'claimed');
      await store.release(scope, 'key', (first as { token: string }).token);
      assert.equal((await store.claim(scope, 'key', 'print', 10_000)).outcome, 'claimed');
    });
    each(test, implementation, 'keeps a renewed claim, and lets an unrenewed one lapse so a retry proceeds', async ({ store, clock }) => {
      const scope = unique();
      const first = (await store.claim(scope, 'key', 'print', 1_000)) as { outcome: string; token: string };
      clock.advance(700);
      assert.equal(await store.renew(scope, 'key', first.token, 1_000), true);
      clock.advance(700);
      assert.equal((await store.claim(scope, 'key', 'print', 1_000)).outcome, 'in_flight');
      // The request holding it died: nobody renews, and the lease lapses.
      clock.advance(1_001);
      const retry = (await store.claim(scope, 'key', 'print', 1_000)) as { outcome: string; token: string };
      assert.equal(retry.outcome, 'claimed');
      assert.notEqual(retry.token, first.token);
      // The lapsed request cannot renew, complete or release what the retry now holds.
      assert.equal(await store.renew(scope, 'key', first.token, 1_000), false);
      assert.equal(await store.complete(scope, 'key', first.token, 'print', { response: response('stale') }, 60_000), false);
      await store.release(scope, 'key', first.token);
      assert.equal((await store.claim(scope, 'key', 'print', 1_000)).outcome, 'in_flight');
      assert.equal(await store.complete(scope, 'key', retry.token, 'print', { response: response('fresh') }, 60_000), true);
      assert.deepEqual(await store.claim(scope, 'key', 'print', 1_000), { outcome: 'replay', response: response('fresh') });
    });
    each(test, implementation, 'remembers a request whose response was not kept, and says why', async ({ store, clock }) => {
      const scope = unique();
      const first = (await store.claim(scope, 'key', 'print', 1_000)) as { token: string };
      assert.equal(await store.complete(scope, 'key', first.token, 'print', { notKept: 'secret' }, 60_000), true);
      assert.deepEqual(await store.claim(scope, 'key', 'print', 1_000), { outcome: 'not_kept', reason: 'secret', completedAt: clock.now() });
    });
  });
}
