import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * Builds the browser console into `outdir`: one minified ES module (Preact, graphql-sse and the
 * views), its style sheet and the page. Nothing is left to load from anywhere but the host.
 */
export async function buildApp(outdir = join(packageRoot, 'dist', 'app')): Promise<string> {
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [join(packageRoot, 'app', 'main.tsx')],
    outfile: join(outdir, 'console.js'),
    bundle: true,
    format: 'esm',
    minify: true,
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'eof',
    logLevel: 'warning',
  });
  await build({
    entryPoints: [join(packageRoot, 'app', 'console.css')],
    outfile: join(outdir, 'console.css'),
    bundle: true,
    minify: true,
    logLevel: 'warning',
  });
  copyFileSync(join(packageRoot, 'app', 'index.html'), join(outdir, 'index.html'));
  return outdir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildApp();
