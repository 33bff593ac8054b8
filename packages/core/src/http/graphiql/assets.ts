import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DoitongRequest, DoitongResponse } from '../types';

/** The files the GraphiQL page loads, each from the npm package that ships it (package, path inside it). */
const files: Record<string, { module: string; path: string; contentType: string }> = {
  'graphiql.min.js': { module: 'graphiql', path: 'graphiql.min.js', contentType: 'text/javascript; charset=utf-8' },
  'graphiql.min.css': { module: 'graphiql', path: 'graphiql.min.css', contentType: 'text/css; charset=utf-8' },
  'react.production.min.js': { module: 'react', path: 'umd/react.production.min.js', contentType: 'text/javascript; charset=utf-8' },
  'react-dom.production.min.js': { module: 'react-dom', path: 'umd/react-dom.production.min.js', contentType: 'text/javascript; charset=utf-8' },
  'graphql-sse.min.js': { module: 'graphql-sse', path: 'umd/graphql-sse.min.js', contentType: 'text/javascript; charset=utf-8' },
};

interface LoadedFile {
  data: Uint8Array;
  contentType: string;
  etag: string;
}

const loaded = new Map<string, LoadedFile>();
let version: string | undefined;

/** Resolves from this package (the CommonJS build gets `import.meta.url` from tsup's shims). */
function resolver(): NodeRequire {
  return createRequire(import.meta.url);
}

/** The installed GraphiQL's version: part of each asset's URL, so browsers refetch after an upgrade. */
export function graphiqlVersion(): string {
  if (version === undefined) {
    try {
      version = (JSON.parse(readFileSync(resolver().resolve('graphiql/package.json'), 'utf8')) as { version: string }).version;
    } catch {
      version = 'missing';
    }
  }
  return version;
}

/**
 * Serves `<mount>/graphiql/<file>` from node_modules (read once, kept in memory), never from a CDN.
 * Undefined for any other name, so the handler answers 404 as for any unknown route.
 */
export function serveGraphiqlAsset(name: string, request: DoitongRequest): DoitongResponse | undefined {
  const file = files[name];
  if (!file || (request.method !== 'GET' && request.method !== 'HEAD')) return undefined;
  let entry = loaded.get(name);
  if (!entry) {
    // Packages' "exports" hide these files from require.resolve; their package.json is always exported.
    const folder = dirname(resolver().resolve(`${file.module}/package.json`));
    const data = new Uint8Array(readFileSync(join(folder, file.path)));
    entry = { data, contentType: file.contentType, etag: `"${createHash('sha256').update(data).digest('base64url').slice(0, 27)}"` };
    loaded.set(name, entry);
  }
  const headers = { 'content-type': entry.contentType, 'cache-control': 'public, max-age=86400', etag: entry.etag };
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch === entry.etag) return { status: 304, headers, body: null };
  return { status: 200, headers, body: request.method === 'HEAD' ? null : entry.data };
}
