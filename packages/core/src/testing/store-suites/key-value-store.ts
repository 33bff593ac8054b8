// The key-value store's contract as tests, run by every store of Doitong's records.
import assert from 'node:assert/strict';
import type { KeyValueStore } from '../../storage/key-value-store';
import type { TestApi } from '../test-api';
import { each, unique, type Implementation } from './implementation';

/** What every key-value store must do for Doitong's records. */
export function storeTestSuite(test: TestApi, implementation: Implementation<KeyValueStore>): void {
  test.describe(`KeyValueStore: ${implementation.name}`, () => {
    each(test, implementation, 'stores, reads many, and deletes JSON records', async (store) => {
      const key = unique();
      await store.set(key, { id: key, nested: { list: [1, 2, 3] }, flag: true });
      assert.deepEqual(await store.get(key), { id: key, nested: { list: [1, 2, 3] }, flag: true });
      assert.deepEqual(await store.getMany([key, `${key}-missing`]), [{ id: key, nested: { list: [1, 2, 3] }, flag: true }, undefined]);
      assert.equal(await store.delete(key), true);
      assert.equal(await store.get(key), undefined);
    });
    each(test, implementation, 'expires a record after its time to live', async (store) => {
      const key = unique();
      // The time to live leaves room for a round trip to a loaded server before the first read.
      const ttlMilliseconds = 1000;
      const written = Date.now();
      await store.set(key, 'short', ttlMilliseconds);
      assert.equal(await store.get(key), 'short');
      await new Promise((resolve) => setTimeout(resolve, ttlMilliseconds + 200 - (Date.now() - written)));
      assert.equal(await store.get(key), undefined);
    });
  });
}
