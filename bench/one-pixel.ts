import type { ProviderOutput } from '@doitong/core';

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
