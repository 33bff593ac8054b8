import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// The Node side only (consoleBundle); the browser app is built by scripts/build-app.ts into dist/app.
// shims: the CommonJS build gets `import.meta.url`, which finds dist/app.
export default defineConfig({ ...packageBuild(), shims: true });
