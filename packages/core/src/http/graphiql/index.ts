import { headerValue } from '../graphql-params';
import type { DoitongRequest, DoitongResponse } from '../types';
import { graphiqlVersion, serveGraphiqlAsset } from './assets';
import { graphiqlPage } from './page';

export { serveGraphiqlAsset };

/**
 * True for a browser opening the mount path: GET, HTML preferred over JSON, and no `query`
 * parameter (a GET with a query is GraphQL over HTTP whatever the Accept header says).
 */
export function wantsGraphiql(request: DoitongRequest, url: URL): boolean {
  if (request.method !== 'GET' || url.searchParams.has('query')) return false;
  const accept = (headerValue(request.headers.accept) ?? '').toLowerCase();
  return accept.includes('text/html');
}

/** The GraphiQL page, with links relative to where the client sees the mount path. */
export async function graphiqlResponse(request: DoitongRequest): Promise<DoitongResponse> {
  let mountPath = '';
  try {
    if (request.baseUrl) mountPath = new URL(request.baseUrl).pathname.replace(/\/+$/, '');
  } catch {
    // A Host header that makes no URL: links from the root still work behind most mounts.
  }
  return {
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' },
    body: graphiqlPage(mountPath, await graphiqlVersion()),
  };
}
