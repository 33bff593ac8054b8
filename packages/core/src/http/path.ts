import { DoitongError } from '../errors';

const base = 'http://doitong.local';

/**
 * The URL of a request under the mount path. The path is always read as a path: `//x` would
 * otherwise be taken for a host name (and `//` for an invalid URL), so it is put after an origin
 * rather than resolved against one. Anything unreadable is the client's 400, never a 500.
 */
export function requestUrl(target: string): URL {
  try {
    return new URL(target.startsWith('/') ? `${base}${target}` : `${base}/${target}`);
  } catch {
    throw new DoitongError('BAD_REQUEST', 'The request path is not a valid URL path.');
  }
}

/**
 * A percent-decoded path segment; malformed escapes (`%zz`, a lone `%`, a cut-off or overlong
 * UTF-8 sequence such as `%c0%ae`) are a 400, not the URIError decodeURIComponent throws.
 */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new DoitongError('BAD_REQUEST', 'The request path has malformed percent-encoding.');
  }
}
