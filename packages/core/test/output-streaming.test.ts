import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { downloadOutput, LocalAssetStore, type AssetBody, type Doitong } from '@doitong/core';
import { eventually, fakeProvider, post, testDoitong } from './support';

let doitong: Doitong | undefined;
let server: Server | undefined;

afterEach(async () => {
  await doitong?.close();
  doitong = undefined;
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A provider's file host on loopback: sends `file` in 64 KiB writes, with or without a length. */
async function fileHost(file: Buffer, declareLength = true): Promise<string> {
  server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'video/mp4', ...(declareLength ? { 'content-length': String(file.byteLength) } : {}) });
    let offset = 0;
    const send = () => {
      while (offset < file.byteLength) {
        const chunk = file.subarray(offset, offset + 65_536);
        offset += chunk.byteLength;
        if (!response.write(chunk)) return void response.once('drain', send);
      }
      response.end();
    };
    send();
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/output.mp4`;
}

/** The local store, noting the shape of each body it was given. */
class RecordingStore extends LocalAssetStore {
  readonly bodies: Array<{ whole: boolean; chunks: number; largestChunk: number }> = [];

  override async put(key: string, data: AssetBody, contentType: string) {
    if (data instanceof Uint8Array) {
      this.bodies.push({ whole: true, chunks: 1, largestChunk: data.byteLength });
      return super.put(key, data, contentType);
    }
    const seen = { whole: false, chunks: 0, largestChunk: 0 };
    this.bodies.push(seen);
    const source = data;
    async function* noted() {
      for await (const chunk of source) {
        seen.chunks++;
        seen.largestChunk = Math.max(seen.largestChunk, chunk.byteLength);
        yield chunk;
      }
    }
    return super.put(key, noted(), contentType);
  }
}

describe("a provider's expiring output", () => {
  it('streams from the provider into the asset store, chunk by chunk, never held whole', async () => {
    const file = randomBytes(16 * 1024 * 1024);
    const url = await fileHost(file);
    const { adapter } = fakeProvider({ types: ['VIDEO'] });
    const store = new RecordingStore(mkdtempSync(join(tmpdir(), 'doitong-stream-')));
    doitong = testDoitong({
      assets: store,
      providers: [{ ...adapter, status: async () => ({ state: 'succeeded', outputs: [{ kind: 'url', url, expires: true, metadata: { format: 'mp4' } }] }) }],
    });
    const { apiKey, account } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const created = await post(doitong, apiKey, { query: 'mutation { generate(input: { type: VIDEO, input: { text: "a fox" } }) { id } }' });
    const id = created.body.data.generate.id as string;
    const done = await eventually(
      () => post(doitong!, apiKey, { query: 'query ($id: ID!) { generation(id: $id) { status metadata { fileSize contentType } } }', variables: { id } }),
      (response) => response.body.data.generation.status !== 'PENDING' && response.body.data.generation.status !== 'PROCESSING',
      20_000,
    );
    expect(done.body.data.generation).toEqual({ status: 'COMPLETED', metadata: { fileSize: file.byteLength, contentType: 'video/mp4' } });
    expect(store.bodies).toHaveLength(1);
    const [body] = store.bodies;
    expect(body!.whole).toBe(false);
    expect(body!.chunks).toBeGreaterThan(20);
    expect(body!.largestChunk).toBeLessThan(1024 * 1024);
    const stored = readFileSync(join(store.directory, account.id, `${id}.mp4`));
    expect(sha256(stored)).toBe(sha256(file));
  });

  it('is cut off past the size cap, whether or not the provider declared a length', async () => {
    const file = randomBytes(3 * 1024 * 1024);
    const declared = await fileHost(file);
    await expect(downloadOutput(declared, { signal: AbortSignal.timeout(10_000), maxBytes: 1024 * 1024 })).rejects.toThrow(/larger than 1048576 bytes/);
    await new Promise((resolve) => server!.close(resolve));

    const undeclared = await fileHost(file, false);
    const download = await downloadOutput(undeclared, { signal: AbortSignal.timeout(10_000), maxBytes: 1024 * 1024 });
    const directory = mkdtempSync(join(tmpdir(), 'doitong-cap-'));
    const store = new LocalAssetStore(directory);
    await expect(store.put('acct_1/big.mp4', download.data, 'video/mp4')).rejects.toThrow(/larger than 1048576 bytes/);
    expect(await store.info('acct_1/big.mp4')).toBeUndefined();
    expect(readdirSync(join(directory, 'acct_1'))).toEqual([]);
  });
});

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
