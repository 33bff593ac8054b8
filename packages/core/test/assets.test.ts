import { existsSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalAssetStore, type AssetStore, type Doitong } from '@doitong/core';
import { signAssetPath } from '../src/assets/signed-url';
import { eventually, fakeProvider, manualClock, post, testDoitong } from './support';

const generate = 'mutation { generate(input: { type: IMAGE, input: { text: "a fox" } }) { id } }';
const read = 'query Read($id: ID!) { generation(id: $id) { status url } }';
const secret = 'asset-test-secret';
let doitong: Doitong | undefined;

afterEach(async () => {
  await doitong?.close();
  doitong = undefined;
});

/** GETs a path below the mount point, as a binding would pass it. */
async function download(instance: Doitong, path: string, headers: Record<string, string> = {}, method = 'GET') {
  const response = await instance.handle({ method, url: path, headers, baseUrl: 'http://localhost/graphql' });
  const chunks: Uint8Array[] = [];
  const body = response.body;
  if (typeof body === 'string') chunks.push(Buffer.from(body));
  else if (body instanceof Uint8Array) chunks.push(body);
  else if (body) for await (const chunk of body) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return { status: response.status, headers: response.headers, bytes: Buffer.concat(chunks) };
}

/** Runs a generation of the fake provider to the end and returns its signed link, below the mount path. */
async function completedLink(instance: Doitong, apiKey: string): Promise<string> {
  const created = await post(instance, apiKey, { query: generate });
  const id = created.body.data.generate.id as string;
  const done = await eventually(
    () => post(instance, apiKey, { query: read, variables: { id } }),
    (response) => response.body.data.generation.status === 'COMPLETED',
  );
  return (done.body.data.generation.url as string).slice('http://localhost/graphql'.length);
}

describe('signed download links', () => {
  it('serve the file until they expire, then answer 403 FORBIDDEN; a forged signature is 403 at once', async () => {
    const clock = manualClock();
    doitong = testDoitong({ providers: [fakeProvider().adapter], clock, assetSecret: secret, assetUrlTtlSeconds: 3600 });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const link = await completedLink(doitong, apiKey);
    expect(link).toMatch(/^\/assets\/acct_[^/]+\/gen_[^/]+\.png\?expires=\d+&signature=[\w-]+$/);

    const fresh = await download(doitong, link);
    expect(fresh.status).toBe(200);
    expect([...fresh.bytes]).toEqual([137, 80, 78, 71]);

    const forged = await download(doitong, link.replace(/signature=[\w-]+/, 'signature=AAAA'));
    expect(forged.status).toBe(403);
    expect(JSON.parse(forged.bytes.toString()).errors[0].extensions.code).toBe('FORBIDDEN');

    // Links end on an hour boundary after the TTL: two hours on, this one has certainly expired.
    clock.advance(2 * 3_600_000 + 1_000);
    const expired = await download(doitong, link);
    expect(expired.status).toBe(403);
    expect(JSON.parse(expired.bytes.toString()).errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('give each kind of file its content type', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'doitong-assets-'));
    doitong = testDoitong({ assets: { directory }, assetSecret: secret });
    const expiresAt = Date.now() + 3_600_000;
    const types: Record<string, string> = {
      'a.png': 'image/png',
      'a.jpg': 'image/jpeg',
      'a.webp': 'image/webp',
      'a.wav': 'audio/wav',
      'a.mp3': 'audio/mpeg',
      'a.mp4': 'video/mp4',
      'a.bin': 'application/octet-stream',
    };
    mkdirSync(join(directory, 'acct_1'));
    for (const [name, type] of Object.entries(types)) {
      writeFileSync(join(directory, 'acct_1', name), 'data');
      const response = await download(doitong, signAssetPath(`acct_1/${name}`, expiresAt, secret));
      expect(response.status, name).toBe(200);
      expect(response.headers['content-type'], name).toBe(type);
      expect(response.headers['content-disposition']).toBe(`inline; filename="${name}"`);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('answer range requests, as video players send them', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'doitong-assets-'));
    doitong = testDoitong({ assets: { directory }, assetSecret: secret });
    mkdirSync(join(directory, 'acct_1'));
    writeFileSync(join(directory, 'acct_1', 'clip.mp4'), Buffer.from('0123456789'));
    const link = signAssetPath('acct_1/clip.mp4', Date.now() + 3_600_000, secret);

    const whole = await download(doitong, link);
    expect(whole).toMatchObject({ status: 200, headers: { 'accept-ranges': 'bytes', 'content-length': '10', 'content-type': 'video/mp4' } });

    const first = await download(doitong, link, { range: 'bytes=0-3' });
    expect(first.status).toBe(206);
    expect(first.headers).toMatchObject({ 'content-range': 'bytes 0-3/10', 'content-length': '4' });
    expect(first.bytes.toString()).toBe('0123');

    const rest = await download(doitong, link, { range: 'bytes=6-' });
    expect([rest.status, rest.headers['content-range'], rest.bytes.toString()]).toEqual([206, 'bytes 6-9/10', '6789']);

    const suffix = await download(doitong, link, { range: 'bytes=-2' });
    expect([suffix.status, suffix.headers['content-range'], suffix.bytes.toString()]).toEqual([206, 'bytes 8-9/10', '89']);

    const beyond = await download(doitong, link, { range: 'bytes=20-' });
    expect([beyond.status, beyond.headers['content-range']]).toEqual([416, 'bytes */10']);

    const head = await download(doitong, link, { range: 'bytes=0-3' }, 'HEAD');
    expect([head.status, head.headers['content-length'], head.bytes.length]).toEqual([206, '4', 0]);
  });
});

describe('a store with direct links (a bucket)', () => {
  it('redirects a valid link to the file there, valid as long as the link, and still refuses a forged or expired one', async () => {
    const clock = manualClock();
    const asked: Array<{ key: string; expiresAt: number; fileName: string }> = [];
    const local = new LocalAssetStore(mkdtempSync(join(tmpdir(), 'doitong-direct-')));
    const bucket: AssetStore = {
      put: (key, data, contentType) => local.put(key, data, contentType),
      info: (key) => local.info(key),
      read: (key, range) => local.read(key, range),
      delete: (key) => local.delete(key),
      async downloadUrl(key, options) {
        asked.push({ key, ...options });
        return `https://bucket.example/${key}?presigned=1`;
      },
    };
    doitong = testDoitong({ providers: [fakeProvider().adapter], clock, assets: bucket, assetSecret: secret, assetUrlTtlSeconds: 3600 });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const link = await completedLink(doitong, apiKey);
    const key = decodeURIComponent(link.slice('/assets/'.length, link.indexOf('?')));
    const expires = Number(new URL(link, 'http://localhost').searchParams.get('expires'));

    const redirected = await download(doitong, link);
    expect(redirected.status).toBe(302);
    expect(redirected.headers.location).toBe(`https://bucket.example/${key}?presigned=1`);
    expect(redirected.bytes.length).toBe(0);
    expect(asked).toEqual([{ key, expiresAt: expires * 1000, fileName: key.slice(key.lastIndexOf('/') + 1) }]);

    const forged = await download(doitong, link.replace(/signature=[\w-]+/, 'signature=AAAA'));
    expect(forged.status).toBe(403);
    clock.advance(2 * 3_600_000 + 1_000);
    expect((await download(doitong, link)).status).toBe(403);
    expect(asked).toHaveLength(1);
  });
});

describe('asset retention', () => {
  function oldAndNewFiles(directory: string) {
    mkdirSync(join(directory, 'acct_1'), { recursive: true });
    const old = join(directory, 'acct_1', 'old.png');
    const recent = join(directory, 'acct_1', 'recent.png');
    writeFileSync(old, 'old');
    writeFileSync(recent, 'recent');
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    utimesSync(old, twoHoursAgo, twoHoursAgo);
    return { old, recent };
  }

  it('deletes files older than retentionSeconds, keeps the others, and their links then answer 404', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'doitong-retention-'));
    doitong = testDoitong({ assets: { directory, retentionSeconds: 3600 }, assetSecret: secret });
    const { old, recent } = oldAndNewFiles(directory);
    expect(await doitong.pruneAssets()).toBe(1);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    const gone = await download(doitong, signAssetPath('acct_1/old.png', Date.now() + 3_600_000, secret));
    expect(gone.status).toBe(404);
    expect(JSON.parse(gone.bytes.toString()).errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('prunes on its own schedule, and close() stops the schedule', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'doitong-retention-'));
    // One second of retention: the schedule runs every second.
    doitong = testDoitong({ assets: { directory, retentionSeconds: 1 } });
    const { old } = oldAndNewFiles(directory);
    await eventually(
      async () => existsSync(old),
      (exists) => !exists,
      5_000,
    );

    await doitong.close();
    doitong = undefined;
    const { old: afterClose } = oldAndNewFiles(directory);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(existsSync(afterClose)).toBe(true);
  });

  it('keeps files forever without retentionSeconds', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'doitong-retention-'));
    doitong = testDoitong({ assets: { directory } });
    const { old } = oldAndNewFiles(directory);
    expect(await doitong.pruneAssets()).toBe(0);
    expect(existsSync(old)).toBe(true);
  });
});
