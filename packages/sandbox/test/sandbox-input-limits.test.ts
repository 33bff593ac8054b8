import { describe, expect, it } from 'vitest';
import { sandboxProviders } from '@doitong/sandbox';
import { pngHeader } from '@doitong/core/testing';
import { callContext, manualClock, requestFor } from './helpers';

describe('the sandbox checks input images before decoding them', () => {
  it('fails a job whose loaded image declares more pixels than allowed, without decoding it', async () => {
    const loaded: string[] = [];
    // A header of 12,000 × 12,000 pixels: decoding it would take hundreds of megabytes.
    const adapters = sandboxProviders({ latencyMilliseconds: 0, loadInput: async (url) => (loaded.push(url), pngHeader(12_000, 12_000)) });
    const kling = adapters.find((adapter) => adapter.id === 'kling')!;
    const clock = manualClock();
    const context = callContext(clock);
    const request = requestFor(kling, 'VIDEO', { text: 'wave', image: 'https://images.example.com/huge.png' });
    const job = await kling.start(request, context);
    const status = job.status ?? (await kling.status!(job.handle, request, context));
    expect(loaded).toEqual(['https://images.example.com/huge.png']);
    expect(status).toMatchObject({ state: 'failed', code: 'GENERATION_FAILED', providerCode: 'SANDBOX_INPUT_REFUSED' });
    expect((status as { message: string }).message).toContain('12000 × 12000');
  });

  it('takes its limits from the inputMedia option', async () => {
    const adapters = sandboxProviders({ latencyMilliseconds: 0, loadInput: async () => pngHeader(300, 300), inputMedia: { maxImagePixels: 200 * 200 } });
    const kling = adapters.find((adapter) => adapter.id === 'kling')!;
    const context = callContext(manualClock());
    const request = requestFor(kling, 'VIDEO', { text: 'wave', image: 'https://images.example.com/small.png' });
    const job = await kling.start(request, context);
    const status = job.status ?? (await kling.status!(job.handle, request, context));
    expect(status).toMatchObject({ state: 'failed', providerCode: 'SANDBOX_INPUT_REFUSED' });
  });
});
