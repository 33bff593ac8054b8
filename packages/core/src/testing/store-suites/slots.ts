// The concurrency-slot store's contract as tests, run by every slot store.
import assert from 'node:assert/strict';
import type { ConcurrencySlots } from '../../policies/concurrency';
import type { ManualClock } from '../manual-clock';
import type { TestApi } from '../test-api';
import { each, unique, type Implementation } from './implementation';

/** What every concurrency-slot store must do: a limit per account, release by id, expiry of lost slots. */
export function slotsTestSuite(test: TestApi, implementation: Implementation<{ slots: ConcurrencySlots; clock: ManualClock }>): void {
  test.describe(`ConcurrencySlots: ${implementation.name}`, () => {
    each(test, implementation, 'holds at most the limit under 50 concurrent acquisitions', async ({ slots }) => {
      const account = unique();
      const results = await Promise.all(Array.from({ length: 50 }, (_, index) => slots.acquire(account, `gen_${index}`, 3, 60_000)));
      assert.equal(results.filter((result) => result.acquired).length, 3);
      assert.equal(await slots.active(account), 3);
    });
    each(test, implementation, 'frees a slot on release and re-acquires the same id without counting it twice', async ({ slots }) => {
      const account = unique();
      assert.equal((await slots.acquire(account, 'a', 1, 60_000)).acquired, true);
      assert.equal((await slots.acquire(account, 'a', 1, 60_000)).acquired, true);
      assert.equal((await slots.acquire(account, 'b', 1, 60_000)).acquired, false);
      await slots.release(account, 'a');
      assert.equal((await slots.acquire(account, 'b', 1, 60_000)).acquired, true);
    });
    each(test, implementation, 'lets a lost slot expire on its own', async ({ slots, clock }) => {
      const account = unique();
      await slots.acquire(account, 'crashed', 1, 1_000);
      assert.equal((await slots.acquire(account, 'next', 1, 1_000)).acquired, false);
      clock.advance(1_001);
      assert.equal((await slots.acquire(account, 'next', 1, 1_000)).acquired, true);
    });
    each(test, implementation, 'lists the slots held, without released or expired ones', async ({ slots, clock }) => {
      assert.ok(slots.held, 'a slot store lists its slots, for the reconciler');
      const account = unique();
      await slots.acquire(account, 'a', 5, 60_000);
      await slots.acquire(account, 'b', 5, 60_000);
      await slots.acquire(account, 'short', 5, 1_000);
      const mine = async () =>
        (await slots.held!(10_000))
          .filter((slot) => slot.accountId === account)
          .map((slot) => slot.slotId)
          .sort();
      assert.deepEqual(await mine(), ['a', 'b', 'short']);
      await slots.release(account, 'a');
      clock.advance(1_001);
      assert.deepEqual(await mine(), ['b']);
    });
  });
}
