import { defineConfig } from 'vitest/config';
import base, { restartTests } from './vitest.config';

/**
 * Tests against the machine's Redis and PostgreSQL (REDIS_URL, DATABASE_URL) and a real S3-compatible
 * server (s3rver, started by the tests on loopback): `pnpm test:services`.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['packages/redis/test/**/*.test.ts', 'packages/s3/test/**/*.test.ts', ...restartTests],
    exclude: ['**/node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One file at a time: the fault and outage tests stop and start instances and Redis servers.
    maxWorkers: 1,
  },
});
