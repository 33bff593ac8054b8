import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDoitong, errorCodes as serverCodes, silentLogger, type Doitong } from '@doitong/core';
import { fakeProvider, listen, manualClock, type RunningHost } from '@doitong/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { DoitongClient, DoitongError, errorCodes, type Generation } from '@doitong/client';

let doitong: Doitong | undefined;
let host: RunningHost | undefined;

afterEach(async () => {
  await host?.close();
  await doitong?.close();
  host = undefined;
  doitong = undefined;
});

/** A Doitong on a loopback port, and a fetch that records what the client sends. */
async function serve(options: Parameters<typeof createDoitong>[0] = {}, plan = 'pro') {
  const instance = createDoitong({
    providers: [fakeProvider({ pollsToFinish: 3 }).adapter],
    logger: silentLogger,
    assets: { directory: mkdtempSync(join(tmpdir(), 'doitong-client-')) },
    ...options,
  });
  doitong = instance;
  const { apiKey } = await instance.accounts.create({ plan, credits: 1000 });
  const running = await listen(instance.nodeListener());
  host = running;
  const sent: Array<{ headers: Record<string, string>; body: { query: string; variables: Record<string, unknown> } }> = [];
  const recording: typeof fetch = async (input, init) => {
    sent.push({ headers: Object.fromEntries(new Headers(init?.headers).entries()), body: JSON.parse(String(init?.body)) });
    return fetch(input, init);
  };
  return { apiKey, sent, recording, endpoint: running.url };
}

describe('DoitongClient', () => {
  it('generates with an automatic Idempotency-Key, then waits for completion over the live subscription', async () => {
    const { apiKey, sent, recording, endpoint } = await serve();
    const client = new DoitongClient({ apiKey, endpoint, fetch: recording });
    const started = await client.generate({ type: 'IMAGE', input: { text: 'a red fox' } });
    expect(started).toMatchObject({ type: 'IMAGE', provider: 'fake', status: 'PENDING', creditCost: 10, url: null });
    const again = await client.generate({ type: 'IMAGE', input: { text: 'a red fox' } });
    const keys = sent.map((request) => request.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).not.toBe(keys[0]);

    const updates: Generation[] = [];
    const done = await client.waitForCompletion(again.id, { via: 'subscription', onUpdate: (generation) => updates.push(generation) });
    expect(done.status).toBe('COMPLETED');
    expect(done.url).toMatch(/\/graphql\/assets\/.+\.png\?expires=/);
    expect(updates.at(-1)?.status).toBe('COMPLETED');
    expect(sent.at(-1)?.headers.accept).toBe('text/event-stream');
    expect(sent.at(-1)?.body.query).toContain('generationUpdated');
    const file = await fetch(done.url!);
    expect([...new Uint8Array(await file.arrayBuffer())]).toEqual([137, 80, 78, 71]);
    expect(client.rateLimit).toMatchObject({ limit: expect.any(Number), remaining: expect.any(Number), reset: expect.any(Number) });
  });

  it('falls back to adaptive polling when the server cannot stream', async () => {
    const { apiKey, recording, endpoint, sent } = await serve();
    const noStreams: typeof fetch = async (input, init) => {
      if (new Headers(init?.headers).get('accept') === 'text/event-stream')
        return new Response('{"errors":[{"message":"no"}]}', { status: 406, headers: { 'content-type': 'application/json' } });
      return recording(input, init);
    };
    const client = new DoitongClient({ apiKey, endpoint, fetch: noStreams });
    const started = await client.generate({ type: 'IMAGE', input: { text: 'a red fox' } });
    const statuses: string[] = [];
    const done = await client.waitForCompletion(started.id, { onUpdate: (generation) => statuses.push(generation.status) });
    expect(done.status).toBe('COMPLETED');
    expect(statuses.at(-1)).toBe('COMPLETED');
    expect(sent.filter((request) => request.body.query.startsWith('query Generation')).length).toBeGreaterThanOrEqual(1);
  });

  it('reads, lists providers and cancels', async () => {
    const { apiKey, endpoint } = await serve({ providers: [fakeProvider({ pollsToFinish: 1_000 }).adapter] });
    const client = new DoitongClient({ apiKey, endpoint });
    const providers = await client.providers('IMAGE');
    expect(providers.map((provider) => provider.id)).toEqual(['fake']);
    expect(providers[0]).toMatchObject({
      pricing: { creditCost: 10 },
      options: expect.arrayContaining([expect.objectContaining({ name: 'size', allowedValues: ['small', 'large'] })]),
    });
    const started = await client.generate({ type: 'IMAGE', input: { text: 'slow' } });
    expect((await client.generation(started.id)).id).toBe(started.id);
    expect(await client.cancel(started.id)).toBe(true);
    expect((await client.generation(started.id)).status).toBe('CANCELLED');
    expect(await client.cancel(started.id)).toBe(false);
  });

  it('throws typed errors carrying the code, the status and the details', async () => {
    const { apiKey, endpoint } = await serve();
    const client = new DoitongClient({ apiKey, endpoint });
    const missing = await client.generation('gen_nope').catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(DoitongError);
    expect(missing).toMatchObject({ code: 'NOT_FOUND', retryable: false });

    const invalid = await client
      .generate({ type: 'IMAGE', provider: 'fake', input: { text: 'x' }, options: { size: 'huge' } })
      .catch((error: unknown) => error);
    expect(invalid).toMatchObject({ code: 'INVALID_INPUT', details: { option: 'size', allowedValues: ['small', 'large'] } });

    const stranger = new DoitongClient({ apiKey: 'dk_test_wrong', endpoint });
    expect(await stranger.providers('IMAGE').catch((error: unknown) => error)).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });

    const unreachable = new DoitongClient({ apiKey, endpoint: 'http://127.0.0.1:1/graphql', maxRetries: 0 });
    expect(await unreachable.providers('IMAGE').catch((error: unknown) => error)).toMatchObject({ code: 'NETWORK_ERROR' });
  });

  it('retries a RATE_LIMIT after the reset time, with the same Idempotency-Key, and gives up past maxRetryWaitSeconds', async () => {
    // One generation a minute, and a clock one second before the minute ends.
    const clock = manualClock(Date.UTC(2026, 0, 1, 12, 0, 59));
    const { apiKey, recording, endpoint, sent } = await serve(
      { clock, plans: { tight: { generationsPerMinute: 1, concurrent: 10, generationsPerDay: null, readsPerMinute: 1_000 } } },
      'tight',
    );
    // The server's time moves on while the client waits, as it would for real.
    const passingTime: typeof fetch = async (input, init) => {
      const response = await recording(input, init);
      if (response.status === 429) clock.advance(1_000);
      return response;
    };
    const client = new DoitongClient({ apiKey, endpoint, fetch: passingTime });
    await client.generate({ type: 'IMAGE', input: { text: 'first' } });
    const second = await client.generate({ type: 'IMAGE', input: { text: 'second' } });
    expect(second.status).toBe('PENDING');
    expect(sent).toHaveLength(3);
    expect(sent[2]!.headers['idempotency-key']).toBe(sent[1]!.headers['idempotency-key']);

    const impatient = new DoitongClient({ apiKey, endpoint, maxRetryWaitSeconds: 0 });
    const refused = await impatient.generate({ type: 'IMAGE', input: { text: 'third' } }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'RATE_LIMIT', status: 429, retryAfterSeconds: expect.any(Number) });
  });

  it('knows every error code the server can send', () => {
    expect([...errorCodes].sort()).toEqual(Object.keys(serverCodes).sort());
  });
});
