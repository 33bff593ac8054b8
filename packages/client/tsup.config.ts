import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

export default defineConfig([
  packageBuild(),
  // The command line: one ESM file that npm links as `doitong`.
  { ...packageBuild({ cli: 'src/cli.ts' }), format: ['esm'], dts: false, clean: false, banner: { js: '#!/usr/bin/env node' } },
]);
