// The attributes of a request span and of a webhook's client span read from URLs: the route template
// (kept few, so the HTTP metrics stay low in cardinality), the path, the scheme; apart from the
// spans themselves, as plain functions of a request.
import type { DoitongRequest } from '@doitong/core';

/** The route template below the mount path (`/assets/{key}`), the path without its query, and the scheme. */
export function describe(request: DoitongRequest): { route: string | undefined; path: string; scheme: string | undefined } {
  const query = request.url.indexOf('?');
  const below = (query === -1 ? request.url : request.url.slice(0, query)) || '/';
  let mount = '';
  let scheme: string | undefined;
  if (request.baseUrl) {
    const base = safeUrl(request.baseUrl);
    if (base) {
      mount = base.pathname.replace(/\/+$/, '');
      scheme = base.protocol.slice(0, -1);
    }
  }
  const template = routeTemplate(below);
  const under = (path: string) => (path === '/' ? mount || '/' : `${mount}${path}`);
  return { route: template === undefined ? undefined : under(template), path: under(below), scheme };
}

function routeTemplate(path: string): string | undefined {
  const trimmed = path.replace(/\/+$/, '') || '/';
  if (trimmed === '/' || trimmed === '/health' || trimmed === '/ready') return trimmed;
  if (trimmed.startsWith('/assets/')) return '/assets/{key}';
  if (trimmed.startsWith('/graphiql/')) return '/graphiql/{file}';
  if (trimmed === '/console' || trimmed.startsWith('/console/')) return '/console/{file}';
  if (trimmed === '/admin') return trimmed;
  if (/^\/callbacks\/[^/]+\/[^/]+$/.test(trimmed)) return '/callbacks/{provider}/{generationId}';
  return undefined;
}

export function safeUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
