import { DoitongError } from '../errors';
import { verifyAssetSignature } from '../assets/signed-url';
import type { Services } from '../graphql/context';
import { headerValue } from './graphql-params';
import type { DoitongRequest, DoitongResponse } from './types';

/**
 * Serves a signed asset link, with HTTP range requests so players can seek in videos. A store with
 * direct links (a bucket) gets the request redirected to the file there, valid as long as this link.
 */
export async function serveAsset(services: Services, request: DoitongRequest, key: string, url: URL, secret: string): Promise<DoitongResponse> {
  const expires = url.searchParams.get('expires');
  if (!verifyAssetSignature(key, expires, url.searchParams.get('signature'), secret, services.clock.now()))
    throw new DoitongError('FORBIDDEN', 'This download link is invalid or has expired; read the generation again for a fresh one.');
  const fileName = key.slice(key.lastIndexOf('/') + 1);
  if (services.assets.downloadUrl) {
    const location = await services.assets.downloadUrl(key, { expiresAt: Number(expires) * 1000, fileName });
    return { status: 302, headers: { location, 'cache-control': 'private, no-store' }, body: null };
  }
  const info = await services.assets.info(key);
  if (!info) throw new DoitongError('NOT_FOUND', 'The file no longer exists.');
  const headers: Record<string, string> = {
    'content-type': info.contentType,
    'accept-ranges': 'bytes',
    'cache-control': 'private, max-age=3600',
    'content-disposition': `inline; filename="${fileName}"`,
    // Served inline from the API's own origin: a browser must take the stored type, never guess one.
    'x-content-type-options': 'nosniff',
  };
  const range = parseRange(headerValue(request.headers.range), info.size);
  if (range === 'unsatisfiable') {
    return { status: 416, headers: { ...headers, 'content-range': `bytes */${info.size}` }, body: null };
  }
  if (range) {
    headers['content-range'] = `bytes ${range.start}-${range.end}/${info.size}`;
    headers['content-length'] = String(range.end - range.start + 1);
    return { status: 206, headers, body: request.method === 'HEAD' ? null : services.assets.read(key, range) };
  }
  headers['content-length'] = String(info.size);
  return { status: 200, headers, body: request.method === 'HEAD' ? null : services.assets.read(key) };
}

/** One `bytes=` range (the only form players send); several ranges are served whole. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  let start: number;
  let end: number;
  if (first === '') {
    if (last === '') return undefined;
    start = Math.max(0, size - Number(last));
    end = size - 1;
  } else {
    start = Number(first);
    end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}
