import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The console's files, in the shape `createDoitong({ console: { bundle } })` takes. */
export interface ConsoleBundle {
  files: Record<string, { body: Uint8Array; contentType: string }>;
}

const contentTypes: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
};

/** This package's folder, from `dist/` when built or `src/` from sources (the CommonJS build gets `import.meta.url` from tsup's shims). */
function packageRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..');
}

/**
 * The console built with this package (`dist/app/`), read into memory once per call. `directory`
 * reads another build of it (`buildApp(directory)`), as the tests do.
 */
export function consoleBundle(options: { directory?: string } = {}): ConsoleBundle {
  const directory = options.directory ?? join(packageRoot(), 'dist', 'app');
  if (!existsSync(join(directory, 'index.html')))
    throw new Error(`The Doitong console is not built in ${directory}: run the package's build (pnpm --filter @doitong/console build).`);
  const files: ConsoleBundle['files'] = {};
  for (const [name, contentType] of Object.entries(contentTypes)) files[name] = { body: new Uint8Array(readFileSync(join(directory, name))), contentType };
  return { files };
}
