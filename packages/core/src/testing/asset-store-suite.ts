import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { AssetStore } from '../assets/asset-store';
import type { Implementation } from './store-suites';
import type { TestApi } from './test-api';

/** Reads what a store streams back, whole. */
async function readAll(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

/** Hands `data` out in chunks of `size` bytes, as a download would. */
async function* inChunks(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < data.byteLength; offset += size) yield data.subarray(offset, Math.min(offset + size, data.byteLength));
}

/** Chunks that fail after `before` bytes, as a download whose connection broke. */
async function* failingAfter(data: Uint8Array, before: number, error: Error): AsyncGenerator<Uint8Array> {
  yield data.subarray(0, before);
  throw error;
}

const unique = () => `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/**
 * What every asset store must do: store whole files and streams (one larger than an S3 multipart
 * part, 5 MiB, so object stores upload it in parts), read them whole and by range, replace and
 * delete them, leave nothing behind when a stream fails part-way, prune by age, and, for a store
 * that hands out direct links, serve the file at its link. Keys are made unique per test, so a
 * store may be shared between tests (a bucket).
 */
export function assetStoreTestSuite(test: TestApi, implementation: Implementation<AssetStore>): void {
  const each = (name: string, body: (store: AssetStore) => Promise<void>) =>
    test.it(name, async () => {
      const store = await implementation.create();
      try {
        await body(store);
      } finally {
        await implementation.close?.(store);
      }
    });

  test.describe(`AssetStore: ${implementation.name}`, () => {
    each('stores a whole file under a nested key and reads it back with its size and content type', async (store) => {
      const key = `${unique()}/gen_1.png`;
      const data = randomBytes(1000);
      const info = await store.put(key, data, 'image/png');
      assert.deepEqual(info, { key, size: 1000, contentType: 'image/png' });
      assert.deepEqual(await store.info(key), { key, size: 1000, contentType: 'image/png' });
      assert.ok((await readAll(store.read(key))).equals(data));
    });

    each('streams a 12 MiB file in from chunks and reads it whole and by inclusive ranges', async (store) => {
      const key = `${unique()}/gen_2.mp4`;
      const data = randomBytes(12 * 1024 * 1024 + 123);
      const info = await store.put(key, inChunks(data, 256 * 1024), 'video/mp4');
      assert.deepEqual(info, { key, size: data.byteLength, contentType: 'video/mp4' });
      assert.deepEqual(await store.info(key), { key, size: data.byteLength, contentType: 'video/mp4' });
      assert.ok((await readAll(store.read(key))).equals(data), 'the whole file reads back as written');
      assert.ok((await readAll(store.read(key, { start: 0, end: 3 }))).equals(data.subarray(0, 4)), 'the first four bytes');
      const middle = { start: 5 * 1024 * 1024 - 10, end: 5 * 1024 * 1024 + 9 };
      assert.ok((await readAll(store.read(key, middle))).equals(data.subarray(middle.start, middle.end + 1)), 'a range across a part boundary');
      assert.ok((await readAll(store.read(key, { start: data.byteLength - 1, end: data.byteLength - 1 }))).equals(data.subarray(-1)), 'the last byte');
    });

    each('stores an empty stream as an empty file', async (store) => {
      const key = `${unique()}/empty.json`;
      assert.equal((await store.put(key, inChunks(new Uint8Array(0), 16), 'application/json')).size, 0);
      assert.equal((await store.info(key))?.size, 0);
      assert.equal((await readAll(store.read(key))).byteLength, 0);
    });

    each('replaces a file put again under the same key', async (store) => {
      const key = `${unique()}/gen_3.wav`;
      await store.put(key, Buffer.from('first version'), 'audio/wav');
      await store.put(key, inChunks(Buffer.from('second'), 2), 'audio/wav');
      assert.equal((await readAll(store.read(key))).toString(), 'second');
      assert.equal((await store.info(key))?.size, 6);
    });

    each('leaves nothing under a new key, and the earlier file under a used one, when a stream fails part-way', async (store) => {
      const folder = unique();
      const broken = new Error('the connection broke');
      const data = randomBytes(6 * 1024 * 1024);
      await assert.rejects(store.put(`${folder}/new.mp4`, failingAfter(data, 5.5 * 1024 * 1024, broken), 'video/mp4'), (error) => error === broken);
      assert.equal(await store.info(`${folder}/new.mp4`), undefined, 'no file under the new key');
      await store.put(`${folder}/used.mp4`, Buffer.from('kept'), 'video/mp4');
      await assert.rejects(store.put(`${folder}/used.mp4`, failingAfter(data, 1024, broken), 'video/mp4'), (error) => error === broken);
      assert.equal((await readAll(store.read(`${folder}/used.mp4`))).toString(), 'kept', 'the earlier file is intact');
    });

    each('deletes a file, and deleting a missing one is not an error', async (store) => {
      const key = `${unique()}/gen_4.png`;
      await store.put(key, Buffer.from('bytes'), 'image/png');
      await store.delete(key);
      assert.equal(await store.info(key), undefined);
      await store.delete(key);
      assert.equal(await store.info(`${unique()}/never.png`), undefined);
    });

    each('prunes by age: nothing younger than the cut-off, everything older, and says how many', async (store) => {
      if (!store.prune) return;
      const folder = unique();
      await store.put(`${folder}/a.png`, Buffer.from('a'), 'image/png');
      await store.put(`${folder}/deeper/b.png`, inChunks(Buffer.from('bb'), 1), 'image/png');
      assert.equal(await store.prune(3_600_000), 0, 'files written just now are younger than an hour');
      assert.equal((await store.info(`${folder}/a.png`))?.size, 1);
      // A cut-off a minute in the future makes every file old, without waiting for one to age.
      const removed = await store.prune(-60_000);
      assert.ok(removed >= 2, `removed ${removed}`);
      assert.equal(await store.info(`${folder}/a.png`), undefined);
      assert.equal(await store.info(`${folder}/deeper/b.png`), undefined);
    });

    each('serves a file at its direct link, whole and by range, under its file name', async (store) => {
      if (!store.downloadUrl) return;
      const key = `${unique()}/gen_5.png`;
      const data = randomBytes(4096);
      await store.put(key, data, 'image/png');
      const link = await store.downloadUrl(key, { expiresAt: Date.now() + 600_000, fileName: 'gen_5.png' });
      const whole = await fetch(link);
      assert.equal(whole.status, 200);
      assert.equal(whole.headers.get('content-type'), 'image/png');
      assert.match(whole.headers.get('content-disposition') ?? '', /gen_5\.png/);
      assert.ok(Buffer.from(await whole.arrayBuffer()).equals(data));
      const part = await fetch(link, { headers: { range: 'bytes=10-19' } });
      assert.equal(part.status, 206);
      assert.ok(Buffer.from(await part.arrayBuffer()).equals(data.subarray(10, 20)));
    });
  });
}
