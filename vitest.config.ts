import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The media-heavy files: they render real video, audio and images with the sandbox and check
 * them with real parsers, so they run in their own command, `pnpm test:media`, which CI also runs.
 * Matched by file name so that they stay selected wherever in its package a file moves.
 */
export const mediaTests = ['packages/*/test/**/sandbox-media.test.ts', 'examples/*/test/**/seed-samples.test.ts'];
/**
 * The SQLite restart tests start, stop and kill child processes (a minute or more on a busy
 * machine): they run with the services, in `pnpm test:services`.
 */
export const restartTests = ['packages/sqlite/test/restart.test.ts'];
const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Tests run against the sources of every workspace package: no build step before `pnpm test`.
    alias: [
      // Node loads graphql 16 as CommonJS (it has no "exports" map); Vite would pick its .mjs
      // build for our code while CommonJS dependencies get the other copy. One copy, as in Node.
      { find: /^graphql$/, replacement: require.resolve('graphql', { paths: [source('./packages/core')] }) },
      { find: /^@doitong\/core\/testing$/, replacement: source('./packages/core/src/testing/index.ts') },
      { find: /^@doitong\/core\/provider-utils$/, replacement: source('./packages/core/src/provider-utils/index.ts') },
      { find: /^@doitong\/core\/opentelemetry$/, replacement: source('./packages/core/src/opentelemetry/index.ts') },
      { find: /^@doitong\/core$/, replacement: source('./packages/core/src/index.ts') },
      { find: /^@doitong\/adapters$/, replacement: source('./packages/adapters/src/index.ts') },
      { find: /^@doitong\/express$/, replacement: source('./packages/express/src/index.ts') },
      { find: /^@doitong\/koa$/, replacement: source('./packages/koa/src/index.ts') },
      { find: /^@doitong\/fastify$/, replacement: source('./packages/fastify/src/index.ts') },
      { find: /^@doitong\/client$/, replacement: source('./packages/client/src/index.ts') },
      { find: /^@doitong\/redis$/, replacement: source('./packages/redis/src/index.ts') },
      { find: /^@doitong\/console$/, replacement: source('./packages/console/src/index.ts') },
      { find: /^@doitong\/s3$/, replacement: source('./packages/s3/src/index.ts') },
      { find: /^@doitong\/sqlite$/, replacement: source('./packages/sqlite/src/index.ts') },
      { find: /^@doitong\/sandbox$/, replacement: source('./packages/sandbox/src/index.ts') },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    // Tests that need services (Redis, PostgreSQL, an S3 server) or Debian packages (Chromium, PocketSphinx) have
    // their own commands, `pnpm test:services` and `pnpm test:system`: a fresh machine has neither.
    // The media-heavy files have theirs too, `pnpm test:media`, to keep `pnpm test` quick.
    exclude: ['packages/redis/test/**', 'packages/s3/test/**', ...restartTests, '**/test/system/**', ...mediaTests, '**/node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most files wait on servers, child processes and timers more than they compute: one worker more than
    // the machine has cores keeps the cores busy (Vitest's default, one fewer, runs them one at a time on
    // two cores: 343 s against 147 s for the same files).
    maxWorkers: availableParallelism() + 1,
  },
});
