/**
 * Builds the GraphiQL page's browser files (GraphiQL 5 and React 19, with the page's own code) with
 * esbuild into one folder: the package build writes it to `dist/graphiql/`, and the route builds it
 * on demand when it runs from the sources. GraphiQL and React are devDependencies: a host installs
 * only these few files, never the packages.
 *
 * `node --import tsx graphiql/build.ts [folder]` builds into `folder` (default `dist/graphiql`).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, '..');
const require = createRequire(join(packageRoot, 'package.json'));

/** What the route reads: each file's content type and whether a gzip copy sits beside it. */
export interface GraphiqlManifest {
  /** Changes whenever a file does: part of each file's URL, so browsers fetch the new one. */
  version: string;
  /** The inputs the files were built from (sources and package versions), to tell a stale build. */
  fingerprint: string;
  files: Record<string, { contentType: string }>;
}

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
};

function readManifest(folder: string): GraphiqlManifest | undefined {
  try {
    return JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as GraphiqlManifest;
  } catch {
    return undefined;
  }
}

/** The folder a package is installed in, followed through pnpm's links. */
function packageFolder(name: string, from = require): string {
  return realpathSync(dirname(from.resolve(`${name}/package.json`)));
}

/**
 * The packages' own folders, where GraphiQL's dependencies (its plugins, Monaco, monaco-graphql) can
 * be found: pnpm links a package's dependencies beside it, not into this package's node_modules.
 */
function dependencyFolders(): { nodePaths: string[]; monaco: string; monacoGraphql: string } {
  const graphiql = packageFolder('graphiql');
  const fromGraphiql = createRequire(join(graphiql, 'package.json'));
  const graphiqlReact = packageFolder('@graphiql/react', fromGraphiql);
  const fromReact = createRequire(join(graphiqlReact, 'package.json'));
  return {
    nodePaths: [nodeModulesOf(graphiql), nodeModulesOf(graphiqlReact)],
    monaco: packageFolder('monaco-editor', fromReact),
    monacoGraphql: packageFolder('monaco-graphql', fromReact),
  };
}

/** The node_modules folder a package sits in (scoped packages sit one level deeper). */
function nodeModulesOf(folder: string): string {
  let current = dirname(folder);
  while (basename(current) !== 'node_modules' && dirname(current) !== current) current = dirname(current);
  return current;
}

/** A digest of what the build reads: this folder's sources and the versions of the packages bundled. */
export function graphiqlFingerprint(): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(here).sort()) if (/\.(ts|tsx|css)$/.test(name)) hash.update(name).update(readFileSync(join(here, name)));
  for (const name of ['graphiql', 'react', 'react-dom', 'graphql-sse', 'esbuild']) {
    hash.update(name).update(readFileSync(join(packageFolder(name), 'package.json')));
  }
  return hash.digest('base64url').slice(0, 16);
}

/**
 * Builds into `folder`, whole or not at all: the files are written to a fresh folder beside it and
 * moved into place in one rename, so a server reading it (or a second build racing this one) never
 * sees half a build.
 */
export async function buildGraphiql(folder: string): Promise<GraphiqlManifest> {
  const { build } = await import('esbuild');
  const { nodePaths, monaco, monacoGraphql } = dependencyFolders();
  const staging = `${folder}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  mkdirSync(staging, { recursive: true });
  try {
    await build({
      entryPoints: {
        graphiql: join(here, 'app.tsx'),
        // Monaco's editors run their language services in workers, each a file of its own.
        'editor.worker': join(monaco, 'esm/vs/editor/editor.worker.js'),
        'json.worker': join(monaco, 'esm/vs/language/json/json.worker.js'),
        'graphql.worker': join(monacoGraphql, 'esm/graphql.worker.js'),
      },
      nodePaths,
      bundle: true,
      minify: true,
      format: 'iife',
      target: 'es2020',
      outdir: staging,
      loader: { '.ttf': 'file' },
      assetNames: '[name]',
      define: { 'process.env.NODE_ENV': '"production"' },
      legalComments: 'none',
      jsx: 'automatic',
      logLevel: 'error',
    });
    const files: GraphiqlManifest['files'] = {};
    const version = createHash('sha256');
    for (const name of readdirSync(staging).sort()) {
      const extension = name.slice(name.lastIndexOf('.'));
      const contentType = contentTypes[extension];
      if (!contentType) continue;
      const data = readFileSync(join(staging, name));
      version.update(name).update(data);
      // Installed once and served compressed to every browser: the gzip copy is what a host stores.
      writeFileSync(join(staging, `${name}.gz`), gzipSync(data, { level: 9 }));
      rmSync(join(staging, name));
      files[name] = { contentType };
    }
    const manifest: GraphiqlManifest = { version: version.digest('base64url').slice(0, 12), fingerprint: graphiqlFingerprint(), files };
    writeFileSync(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    try {
      renameSync(staging, folder);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      // Another build of the same inputs finished first, and a server may be reading it: keep it.
      if (readManifest(folder)?.fingerprint === manifest.fingerprint) return readManifest(folder)!;
      rmSync(folder, { recursive: true, force: true });
      renameSync(staging, folder);
    }
    return manifest;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const folder = process.argv[2] ?? join(packageRoot, 'dist', 'graphiql');
  const manifest = await buildGraphiql(folder);
  console.log(`GraphiQL page built into ${folder}: ${Object.keys(manifest.files).join(', ')}`);
}
