import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

export default defineConfig({
  ...packageBuild({ index: 'src/index.ts', testing: 'src/testing/index.ts' }),
  // The testing entry imports the package by its own name, so it shares the main entry's classes
  // (ProviderError, DoitongError) instead of bundling copies that `instanceof` would not recognise.
  external: ['@doitong/core'],
  // The CommonJS build gets `import.meta.url`, which GraphiQL's route uses to find its files in dist/graphiql.
  shims: true,
});
