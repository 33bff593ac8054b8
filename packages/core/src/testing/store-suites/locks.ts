// The lock contract as tests, run by every lock implementation.
import assert from 'node:assert/strict';
import type { Locks } from '../../storage/key-lock';
import type { TestApi } from '../test-api';
import { each, unique, type Implementation } from './implementation';

/** What every lock implementation must do: one holder per key at a time, no deadlock after a failure. */
export function locksTestSuite(test: TestApi, implementation: Implementation<Locks>): void {
  test.describe(`Locks: ${implementation.name}`, () => {
    each(test, implementation, 'runs work on one key one at a time, and other keys in parallel', async (locks) => {
      const key = unique();
      let inside = 0;
      let most = 0;
      const work = async () => {
        inside++;
        most = Math.max(most, inside);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inside--;
      };
      await Promise.all(Array.from({ length: 10 }, () => locks.run(key, work)));
      assert.equal(most, 1);
      let parallel = 0;
      await Promise.all(
        Array.from({ length: 5 }, (_, index) =>
          locks.run(`${key}-${index}`, async () => {
            parallel++;
            await new Promise((resolve) => setTimeout(resolve, 20));
          }),
        ),
      );
      assert.equal(parallel, 5);
    });
    each(test, implementation, 'releases the lock when the work throws', async (locks) => {
      const key = unique();
      await assert.rejects(
        locks.run(key, async () => {
          throw new Error('boom');
        }),
      );
      assert.equal(await locks.run(key, async () => 'next'), 'next');
    });
  });
}
