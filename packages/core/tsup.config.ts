import { writeFile } from 'node:fs/promises';
import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';
import { typeDefs } from './src/graphql/type-defs';

export default defineConfig({
  ...packageBuild({
    index: 'src/index.ts',
    testing: 'src/testing/index.ts',
    'provider-utils': 'src/provider-utils/index.ts',
    opentelemetry: 'src/opentelemetry/index.ts',
  }),
  // The testing, provider-utils and opentelemetry entries import the package by its own name, so it shares the main entry's classes
  // (ProviderError, DoitongError) instead of bundling copies that `instanceof` would not recognise.
  external: ['@doitong/core'],
  // lru-cache ships six builds (4 MB installed) of which the package needs one: bundled into dist, it keeps
  // an install of core small. Its license is in THIRD_PARTY_NOTICES.md.
  noExternal: ['lru-cache'],
  // The CommonJS build gets `import.meta.url`, which GraphiQL's route uses to find its files in dist/graphiql.
  shims: true,
  // The schema ships as SDL too (`@doitong/core/schema.graphql`), for hosts' code generators and clients.
  onSuccess: () => writeFile('dist/schema.graphql', `${typeDefs.trim()}\n`),
});
