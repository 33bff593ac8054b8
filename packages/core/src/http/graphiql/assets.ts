import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { DoitongError } from '../../errors';
import { headerValue } from '../graphql-params';
import type { DoitongRequest, DoitongResponse } from '../types';

/**
 * The page's browser files (GraphiQL and React bundled with the page's own code by
 * `graphiql/build.ts`), stored gzipped in `dist/graphiql/` when the package is built. Nothing is
 * loaded from node_modules or a CDN at run time.
 */
interface Manifest {
  version: string;
  fingerprint: string;
  files: Record<string, { contentType: string }>;
}

interface LoadedFile {
  gzipped: Uint8Array;
  plain?: Uint8Array;
  contentType: string;
  etag: string;
}

interface Bundle {
  folder: string;
  manifest: Manifest;
  files: Map<string, LoadedFile>;
}

let loading: Promise<Bundle> | undefined;

/** This package's folder: the nearest one above this file with a package.json (src/… or dist/). */
function packageRoot(): string {
  // The CommonJS build gets `import.meta.url` from tsup's shims.
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json')) && dirname(folder) !== folder) folder = dirname(folder);
  return folder;
}

function readManifest(folder: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

interface Builder {
  buildGraphiql(folder: string): Promise<Manifest>;
  graphiqlFingerprint(): string;
}

/**
 * The built files; running from the sources (`--conditions=source`, the tests), they are built on
 * first use whenever the page's sources or the bundled packages changed since the last build, into
 * node_modules/.cache (the package build's dist/graphiql is used when it is current).
 */
async function locate(): Promise<Bundle> {
  const root = packageRoot();
  const built = join(root, 'dist', 'graphiql');
  const fromSources = fileURLToPath(import.meta.url).startsWith(join(root, 'src') + sep);
  const builderFile = join(root, 'graphiql', 'build.ts');
  if (fromSources && existsSync(builderFile)) {
    // A computed specifier: the package build must not follow it (esbuild is a devDependency).
    const builder = (await import(/* @vite-ignore */ pathToFileURL(builderFile).href)) as Builder;
    const fingerprint = builder.graphiqlFingerprint();
    const current = readManifest(built);
    if (current?.fingerprint === fingerprint) return { folder: built, manifest: current, files: new Map() };
    const cache = join(root, 'node_modules', '.cache', 'doitong-graphiql', fingerprint);
    const manifest = readManifest(cache) ?? (await builder.buildGraphiql(cache));
    return { folder: cache, manifest, files: new Map() };
  }
  const manifest = readManifest(built);
  if (!manifest)
    throw new DoitongError('SERVICE_UNAVAILABLE', `The GraphiQL page's files are missing from ${built}: reinstall @doitong/core, or build it (pnpm build).`);
  return { folder: built, manifest, files: new Map() };
}

function bundle(): Promise<Bundle> {
  loading ??= locate().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** The version of the page's files: part of each file's URL, so browsers fetch them again after an upgrade. */
export async function graphiqlVersion(): Promise<string> {
  return (await bundle()).manifest.version;
}

/**
 * Serves `<mount>/graphiql/<file>` (read once, kept in memory), gzipped to every client that takes
 * gzip, which every browser does. Undefined for any other name, so the handler answers 404 as for
 * any unknown route.
 */
export async function serveGraphiqlAsset(name: string, request: DoitongRequest): Promise<DoitongResponse | undefined> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
  const { folder, manifest, files } = await bundle();
  const described = Object.hasOwn(manifest.files, name) ? manifest.files[name] : undefined;
  if (!described) return undefined;
  let file = files.get(name);
  if (!file) {
    const gzipped = new Uint8Array(readFileSync(join(folder, `${name}.gz`)));
    file = { gzipped, contentType: described.contentType, etag: `"${createHash('sha256').update(gzipped).digest('base64url').slice(0, 27)}"` };
    files.set(name, file);
  }
  const gzip = /\bgzip\b/.test(headerValue(request.headers['accept-encoding']) ?? '');
  const headers: Record<string, string> = {
    'content-type': file.contentType,
    'cache-control': 'public, max-age=86400',
    etag: file.etag,
    vary: 'accept-encoding',
    'x-content-type-options': 'nosniff',
  };
  if (gzip) headers['content-encoding'] = 'gzip';
  if (request.headers['if-none-match'] === file.etag) return { status: 304, headers, body: null };
  if (request.method === 'HEAD') return { status: 200, headers, body: null };
  if (gzip) return { status: 200, headers, body: file.gzipped };
  file.plain ??= new Uint8Array(gunzipSync(file.gzipped));
  return { status: 200, headers, body: file.plain };
}
