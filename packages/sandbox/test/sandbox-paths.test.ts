import { ProviderError } from '@doitong/core';
import { describe, expect, it } from 'vitest';
import { catalog } from '@doitong/adapters';
import { sandboxOptions, sandboxProviders, type SandboxAdapter } from '@doitong/sandbox';
import { callContext, manualClock, outputOf, requestFor } from './helpers';

const adapters = sandboxProviders({ latencyMilliseconds: 1000 });
const adapter = (id: string): SandboxAdapter => adapters.find((candidate) => candidate.id === id)!;
const flux = adapter('flux-schnell');
const prompt = { text: 'A lighthouse at dusk' };

function setup(options: Record<string, string | number> = {}, provider = flux) {
  const clock = manualClock();
  const context = callContext(clock);
  const request = requestFor(provider, 'IMAGE', prompt, options);
  return { clock, context, request, provider };
}

describe('the sandbox catalog', () => {
  it('keeps the sandbox-only options out of the live catalog and on every sandbox adapter', () => {
    const sandboxNames = sandboxOptions.map((spec) => spec.name);
    for (const entry of catalog) {
      for (const name of sandboxNames) expect(entry.options.map((spec) => spec.name)).not.toContain(name);
    }
    const adapters = sandboxProviders();
    expect(adapters.map((adapter) => adapter.id)).toEqual(catalog.map((entry) => entry.id));
    for (const adapter of adapters) {
      expect(adapter.livemode).toBe(false);
      for (const name of sandboxNames) expect(adapter.options.map((spec) => spec.name)).toContain(name);
    }
  });
});

describe('sandbox job lifecycle', () => {
  it('is queued, then running with progress, then succeeded once the latency has passed', async () => {
    const { clock, context, request } = setup();
    const job = await flux.start(request, context);
    expect(job.status).toBeUndefined();
    expect(JSON.parse(JSON.stringify(job.handle))).toEqual(job.handle); // plain JSON
    expect(job.pollAfterMilliseconds).toBe(250);
    expect(await flux.status!(job.handle, request, context)).toEqual({ state: 'queued', progress: 0, pollAfterMilliseconds: 250 });
    clock.advance(500);
    expect(await flux.status!(job.handle, request, context)).toEqual({ state: 'running', progress: 50, pollAfterMilliseconds: 250 });
    clock.advance(400);
    // Never hints past the ready time.
    expect(await flux.status!(job.handle, request, context)).toMatchObject({ state: 'running', progress: 90, pollAfterMilliseconds: 100 });
    clock.advance(100);
    const done = await flux.status!(job.handle, request, context);
    expect(outputOf(done).contentType).toBe('image/png');
  });

  it('keeps no state in the process: another adapter instance can poll the handle', async () => {
    const { clock, context, request } = setup();
    const job = await flux.start(request, context);
    clock.advance(1000);
    const other = sandboxProviders({ latencyMilliseconds: 1000 }).find((candidate) => candidate.id === 'flux-schnell')!;
    expect((await other.status!(job.handle, request, context)).state).toBe('succeeded');
  });

  it('lets sandboxLatencyMilliseconds override the latency, and 0 completes at the first poll', async () => {
    const { context, request } = setup({ sandboxLatencyMilliseconds: 0 });
    const job = await flux.start(request, context);
    expect((await flux.status!(job.handle, request, context)).state).toBe('succeeded');
  });

  it('still takes the former names, latencyMs and sandboxLatencyMs (deprecated)', async () => {
    const { clock, context, request } = setup({ sandboxLatencyMs: 0 });
    const job = await flux.start(request, context);
    expect((await flux.status!(job.handle, request, context)).state).toBe('succeeded');
    const former = sandboxProviders({ latencyMs: 1000 }).find((candidate) => candidate.id === 'flux-schnell')!;
    const { request: plain } = setup();
    const slow = await former.start(plain, context);
    clock.advance(999);
    expect((await former.status!(slow.handle, plain, context)).state).toBe('running');
    clock.advance(1);
    expect((await former.status!(slow.handle, plain, context)).state).toBe('succeeded');
  });

  it('answers a synchronous provider within start when there is no latency', async () => {
    const imagen = adapter('imagen');
    const { context, request } = setup({ sandboxLatencyMilliseconds: 0 }, imagen);
    const job = await imagen.start(request, context);
    expect(job.status?.state).toBe('succeeded');
  });

  it('slow takes ten times the latency', async () => {
    const { clock, context, request } = setup({ sandbox: 'slow' });
    const job = await flux.start(request, context);
    clock.advance(5000);
    expect(await flux.status!(job.handle, request, context)).toMatchObject({ state: 'running', progress: 50 });
    clock.advance(5000);
    expect((await flux.status!(job.handle, request, context)).state).toBe('succeeded');
  });
});

describe('sandbox failure paths', () => {
  it('unavailable: start refuses before acceptance, safe to retry or fall back', async () => {
    const { context, request } = setup({ sandbox: 'unavailable' });
    const error = await flux.start(request, context).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', acceptance: 'rejected', providerId: 'flux-schnell' });
  });

  it('fail: accepted, then failed with GENERATION_FAILED', async () => {
    const { clock, context, request } = setup({ sandbox: 'fail' });
    const job = await flux.start(request, context);
    clock.advance(1000);
    expect(await flux.status!(job.handle, request, context)).toMatchObject({ state: 'failed', code: 'GENERATION_FAILED', providerCode: 'SANDBOX_FAILED' });
  });

  it('unavailable-after-accept: accepted, then failed with PROVIDER_UNAVAILABLE', async () => {
    const { clock, context, request } = setup({ sandbox: 'unavailable-after-accept' });
    const job = await flux.start(request, context);
    clock.advance(1000);
    const status = await flux.status!(job.handle, request, context);
    expect(status).toMatchObject({ state: 'failed', code: 'PROVIDER_UNAVAILABLE' });
    expect(status.state === 'failed' && status.message.length).toBeGreaterThan(10);
  });

  it('timeout: never finishes; progress stays below 100', async () => {
    const { clock, context, request } = setup({ sandbox: 'timeout' });
    const job = await flux.start(request, context);
    for (const step of [1000, 60_000, 3_600_000]) {
      clock.advance(step);
      const status = await flux.status!(job.handle, request, context);
      expect(status.state).toBe('running');
      expect(status.state === 'running' && (status.progress ?? 0)).toBeLessThan(100);
    }
  });

  it('refuses requests the provider would refuse, before acceptance', async () => {
    const kling = adapter('kling');
    const clock = manualClock();
    const request = requestFor(kling, 'VIDEO', { text: 'A cat' }, { model: 'kling-v1-5' });
    const error = await kling.start(request, callContext(clock)).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'INVALID_INPUT', acceptance: 'rejected' });
    expect((error as Error).message).toContain('image-to-video');
  });
});

describe('sandbox cancel', () => {
  it('cancels a running job: cancel returns true and the job reports cancelled', async () => {
    const { clock, context, request } = setup();
    const job = await flux.start(request, context);
    clock.advance(300);
    expect(await flux.cancel!(job.handle, request, context)).toBe(true);
    expect(await flux.status!(job.handle, request, context)).toEqual({ state: 'cancelled' });
    clock.advance(10_000);
    expect(await flux.status!(job.handle, request, context)).toEqual({ state: 'cancelled' });
  });

  it('cannot cancel a job that already finished', async () => {
    const { clock, context, request } = setup();
    const job = await flux.start(request, context);
    clock.advance(1000);
    expect(await flux.cancel!(job.handle, request, context)).toBe(false);
  });

  it('can cancel a job that would never finish', async () => {
    const { clock, context, request } = setup({ sandbox: 'timeout' });
    const job = await flux.start(request, context);
    clock.advance(3_600_000);
    expect(await flux.cancel!(job.handle, request, context)).toBe(true);
    expect(await flux.status!(job.handle, request, context)).toEqual({ state: 'cancelled' });
  });
});

describe('every sandbox provider', () => {
  it.each(catalog.map((entry) => entry.id))('%s has the same specs and prices as the catalog, and is offline', (id) => {
    const entry = catalog.find((candidate) => candidate.id === id)!;
    const sandbox = adapter(id);
    expect(sandbox.livemode).toBe(false);
    expect(sandbox.options.slice(0, entry.options.length)).toEqual(entry.options);
    const type = entry.types[0]!;
    const input = { text: 'hello', image: 'https://example.com/a.jpg', video: 'https://example.com/a.mp4' };
    expect(sandbox.price(requestFor(sandbox, type, input))).toEqual(entry.price(requestFor(entry, type, input)));
  });
});
