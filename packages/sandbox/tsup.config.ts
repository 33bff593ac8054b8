import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// shims: the CommonJS build gets `import.meta.url`, which the sandbox uses to find its fonts and voices.
export default defineConfig({ ...packageBuild(), shims: true });
