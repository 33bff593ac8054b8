import type { ProviderAdapter, ProviderOutput } from '@doitong/core';
import { sandboxProviders } from '@doitong/sandbox';

/**
 * What the benchmarks' providers answer with: a one-pixel PNG. The sandbox's own renderer draws a
 * real 1024×1024 picture per generation (about 100 ms of CPU), which would measure the renderer,
 * not the API; this keeps the output file, its write and its metadata.
 */
export const onePixelOutput: ProviderOutput = {
  kind: 'bytes',
  data: new Uint8Array(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')),
  contentType: 'image/png',
  metadata: { width: 1, height: 1, format: 'png' },
};

/**
 * The sandbox's descriptions, prices and options, with a provider that accepts each job and has it
 * finished at the first poll with the one-pixel PNG: every generation goes through submit, one poll,
 * the output's storage and settlement.
 */
export function firstPollProviders(): ProviderAdapter[] {
  return sandboxProviders({ latencyMilliseconds: 0 }).map((adapter) => ({
    ...adapter,
    async start(request) {
      return { handle: { jobId: request.generationId }, pollAfterMilliseconds: 0 };
    },
    async status() {
      return { state: 'succeeded', outputs: [onePixelOutput] };
    },
  }));
}
