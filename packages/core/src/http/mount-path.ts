// Where a request falls under the path Doitong is mounted at: one answer for the bare node:http
// listener and for the bindings that match the mount path themselves (Koa).

/**
 * The part of `target` (a path, with or without its query string) below `mountPath` (no trailing
 * slash; `''` for the root), as `DoitongRequest.url` takes it: `/`, `/assets/…`, `/?query=…`.
 * Undefined when the request is not for Doitong: `/graphqlx` is not below `/graphql`.
 */
export function pathBelowMount(target: string, mountPath: string): string | undefined {
  if (!target.startsWith(mountPath)) return undefined;
  const below = target.slice(mountPath.length);
  if (below === '') return '/';
  if (below.startsWith('/')) return below;
  if (below.startsWith('?')) return `/${below}`;
  return undefined;
}
