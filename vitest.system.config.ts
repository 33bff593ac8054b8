import { defineConfig } from 'vitest/config';
import base from './vitest.config';

/**
 * Tests that need machine packages from Debian (Chromium for the GraphiQL browser test,
 * PocketSphinx to hear the sandbox's speech): `pnpm test:system`. .ci/run installs them.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['packages/*/test/system/**/*.test.ts', 'examples/*/test/system/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One file at a time: Chromium and the speech recogniser each take the whole machine.
    maxWorkers: 1,
  },
});
