import { defineConfig } from 'vitest/config';
import base from './vitest.config';

/** Tests against the machine's Redis and PostgreSQL (REDIS_URL, DATABASE_URL): `pnpm test:services`. */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['packages/redis/test/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
