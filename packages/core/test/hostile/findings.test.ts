import { afterEach, describe, expect, it } from 'vitest';
import { memoryStore, type Doitong, type MemoryKeyValueStore } from '@doitong/core';
import { manualClock, pngHeader } from '@doitong/core/testing';
import { fakeProvider, testDoitong } from '../support';
import { collector, hasStack, recordingLogger, send, settledHeap } from './support';

/** Each finding of a hostile client's probe, reproduced, and what the host now answers instead. */
let doitong: Doitong | undefined;
afterEach(async () => {
  await doitong?.close();
  doitong = undefined;
});

const json = (apiKey: string | null, body: unknown, headers: Record<string, string> = {}) => ({
  url: '/',
  headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}), ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('a key with no credits cannot fill the idempotency store', () => {
  it('keeps nothing for mutations refused before any window is charged, whatever their size, with a new key each time', async () => {
    // The store's own clock: a released claim is a lapsed record the store drops a second later.
    const storeClock = manualClock(Date.now());
    const store = memoryStore({ now: storeClock.now }) as MemoryKeyValueStore;
    const logger = recordingLogger();
    doitong = testDoitong({ providers: [fakeProvider().adapter], storage: store, logger });
    const { apiKey } = await doitong.accounts.create({ plan: 'free', credits: 0 });
    const gc = collector();
    const name = 'p'.repeat(700 * 1024);
    const query = `mutation { generate(input: { type: IMAGE, provider: "${name}", input: { text: "x" } }) { id } }`;
    // Warm up the paths once, then measure.
    await send(doitong, json(apiKey, { query }, { 'idempotency-key': 'warm-up' }));
    storeClock.advance(2_000);
    store.sweep();
    const entries = store.size;
    const before = settledHeap(gc);
    for (let index = 0; index < 6; index++) {
      const response = await send(doitong, json(apiKey, { query }, { 'idempotency-key': `key-${index}` }));
      expect(response.status).toBe(200);
      expect(JSON.parse(response.text).errors[0].extensions.code).toBe('INVALID_INPUT');
    }
    storeClock.advance(2_000);
    store.sweep();
    const growth = settledHeap(gc) - before;
    expect(store.size).toBe(entries);
    // Six requests of 700 KB used to keep about 8 MiB (the response, 1.3 MiB each, for 24 hours).
    expect(growth).toBeLessThan(2 * 1024 * 1024);
  });
});

describe('malformed paths and bodies are 4xx with a code, and log no stack', () => {
  const paths = [
    '//',
    '///',
    '/assets/%zz',
    '/assets/%E0%A4%A',
    '/assets/%',
    '/assets/%c0%ae%c0%ae/secret',
    '/callbacks/%zz/gen_1',
    '/callbacks/fake/%E0%A4%A',
    '/callbacks/%/%',
    '/%c0%ae%c0%ae/',
    '//assets//x',
  ];
  it.each(paths)('%s', async (path) => {
    const logger = recordingLogger();
    doitong = testDoitong({ providers: [fakeProvider().adapter], logger });
    for (const method of ['GET', 'POST', 'HEAD']) {
      const response = await send(doitong, { method, url: path, headers: { accept: 'application/json' } });
      expect(response.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(response.status, `${method} ${path}`).toBeLessThan(500);
      if (method !== 'HEAD' && response.text) expect(JSON.parse(response.text).errors[0].extensions.code).toMatch(/^[A-Z_]+$/);
    }
    expect(logger.entries.filter((entry) => hasStack(entry.object))).toEqual([]);
  });

  it('refuses JSON nested 50,000 deep, with or without an Idempotency-Key, before anything walks it', async () => {
    const logger = recordingLogger();
    doitong = testDoitong({ providers: [fakeProvider().adapter], logger });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const deep = `{"query":"mutation($v: JSON) { generate(input: { type: IMAGE, input: { text: \\"x\\" }, options: $v }) { id } }","variables":{"v":${'['.repeat(50_000)}${']'.repeat(50_000)}}}`;
    for (const headers of [{ 'idempotency-key': 'deep' }, {}] as Array<Record<string, string>>) {
      const response = await send(doitong, json(apiKey, deep, headers));
      expect(response.status).toBe(400);
      expect(JSON.parse(response.text).errors[0].extensions).toMatchObject({ code: 'BAD_REQUEST', maxDepth: 64 });
    }
    // Unauthenticated, the same body is refused as unauthenticated.
    expect((await send(doitong, json(null, deep, { 'idempotency-key': 'deep' }))).status).toBe(401);
    expect(logger.entries.filter((entry) => hasStack(entry.object))).toEqual([]);
  });
});

describe('input images are checked before anything decodes them', () => {
  it('refuses an inline image that declares more pixels than allowed, from its header', async () => {
    doitong = testDoitong({ providers: [fakeProvider().adapter] });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const generate = 'mutation($image: String) { generate(input: { type: IMAGE, input: { text: "x", image: $image } }) { id } }';
    const huge = `data:image/png;base64,${Buffer.from(pngHeader(12_000, 12_000)).toString('base64')}`;
    const refused = JSON.parse((await send(doitong, json(apiKey, { query: generate, variables: { image: huge } }))).text);
    expect(refused.errors[0].extensions).toMatchObject({ code: 'INVALID_INPUT', option: 'input.image', width: 12_000, height: 12_000, maxPixels: 4096 * 4096 });
    const unreadable = JSON.parse((await send(doitong, json(apiKey, { query: generate, variables: { image: 'data:image/png;base64,AAAA' } }))).text);
    expect(unreadable.errors[0].extensions).toMatchObject({ code: 'INVALID_INPUT', option: 'input.image' });
    const malformed = JSON.parse((await send(doitong, json(apiKey, { query: generate, variables: { image: 'data:image/png,%E0%A4%A' } }))).text);
    expect(malformed.errors[0].extensions).toMatchObject({ code: 'INVALID_INPUT', option: 'input.image' });
    const fine = JSON.parse(
      (
        await send(
          doitong,
          json(apiKey, { query: generate, variables: { image: `data:image/png;base64,${Buffer.from(pngHeader(640, 480)).toString('base64')}` } }),
        )
      ).text,
    );
    expect(fine.data.generate.id).toMatch(/^gen_/);
  });

  it('takes its limits from the inputMedia option, bytes of audio and video included', async () => {
    doitong = testDoitong({ providers: [fakeProvider({ types: ['AVATAR'] }).adapter], inputMedia: { maxImagePixels: 100 * 100, maxAudioBytes: 1_000 } });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const generate = 'mutation($input: GenerationInputData!) { generate(input: { type: AVATAR, input: $input }) { id } }';
    const image = `data:image/png;base64,${Buffer.from(pngHeader(640, 480)).toString('base64')}`;
    const audio = `data:audio/wav;base64,${Buffer.alloc(2_000).toString('base64')}`;
    for (const [input, option] of [
      [{ text: 'x', image }, 'input.image'],
      [{ text: 'x', audio }, 'input.audio'],
    ] as const) {
      const response = JSON.parse((await send(doitong, json(apiKey, { query: generate, variables: { input } }))).text);
      expect(response.errors[0].extensions).toMatchObject({ code: 'INVALID_INPUT', option });
    }
  });
});
