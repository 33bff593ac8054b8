import { defineConfig } from 'vitest/config';
import base, { mediaTests } from './vitest.config';

/**
 * The media-heavy tests (the sandbox's real files checked by real parsers, the product page's
 * samples run end to end against the demo): `pnpm test:media`. They need only Node.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: mediaTests,
    exclude: ['**/test/system/**', '**/node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One file at a time: each encodes real media and starts the demo, which take the whole machine.
    maxWorkers: 1,
  },
});
