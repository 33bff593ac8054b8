import { createHash } from 'node:crypto';
import type { DoitongRequest, DoitongResponse } from './types';

/**
 * The web console's files, as `@doitong/console`'s `consoleBundle()` gives them: built when that
 * package is built, served by core from memory, so the console needs no network beyond its host.
 */
export interface ConsoleBundle {
  /** Files by their path below `<mount>/console/`; `index.html` is the page. */
  files: Readonly<Record<string, { body: Uint8Array | string; contentType: string }>>;
}

/**
 * Only the host's own origin: the page's script and style come from the bundle, data from the
 * mount path; pictures and players may also load output links on another HTTPS origin (a bucket's
 * presigned URL). No framing, so the operators' pages cannot be clickjacked.
 */
const policy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' https: data: blob:",
  "media-src 'self' https: blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** `<mount>/console/…`: the bundle's files with their security headers; undefined for other paths. */
export function consoleRoute(bundle: ConsoleBundle) {
  const files = new Map(
    Object.entries(bundle.files).map(([name, file]) => {
      const data = typeof file.body === 'string' ? new TextEncoder().encode(file.body) : file.body;
      return [name, { data, contentType: file.contentType, etag: `"${createHash('sha256').update(data).digest('base64url').slice(0, 27)}"` }] as const;
    }),
  );
  return async (request: DoitongRequest, url: URL): Promise<DoitongResponse | undefined> => {
    if (url.pathname !== '/console' && !url.pathname.startsWith('/console/')) return undefined;
    if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
    // The page's links are relative to `console/`, so the bare path is sent there first.
    if (url.pathname === '/console')
      return { status: 308, headers: { location: `console/${url.search}`, 'content-type': 'text/plain; charset=utf-8' }, body: 'console/' };
    const name = url.pathname.slice('/console/'.length) || 'index.html';
    const file = files.get(name);
    if (!file) return undefined;
    const headers: Record<string, string> = {
      'content-type': file.contentType,
      'x-content-type-options': 'nosniff',
      'content-security-policy': policy,
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      // Revalidated on each load (an ETag answer is a few bytes), so an upgraded bundle is never stale.
      'cache-control': 'no-cache',
      etag: file.etag,
    };
    if (request.headers['if-none-match'] === file.etag) return { status: 304, headers, body: null };
    return { status: 200, headers, body: request.method === 'HEAD' ? null : file.data };
  };
}
