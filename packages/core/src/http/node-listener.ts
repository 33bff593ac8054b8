// Doitong on a bare node:http server, no framework needed: requests under the mount path go to
// the handler, anything else is a 404 in Doitong's error format.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pathBelowMount } from './mount-path';
import { handleNodeRequest, type RequestHandlerFunction } from './node';

const notFound = JSON.stringify({ errors: [{ message: 'Not found.', extensions: { code: 'NOT_FOUND' } }] });

/** A node:http listener serving `handle` at `path` (default `/graphql`). */
export function nodeListener(
  handle: RequestHandlerFunction,
  options: { path?: string; maxBodyBytes: number },
): (request: IncomingMessage, response: ServerResponse) => void {
  const path = (options.path ?? '/graphql').replace(/\/$/, '');
  const maxBodyBytes = options.maxBodyBytes;
  return (request, response) => {
    const url = pathBelowMount(request.url ?? '/', path);
    if (url === undefined) {
      response.writeHead(404, { 'content-type': 'application/json; charset=utf-8' }).end(notFound);
      return;
    }
    void handleNodeRequest(handle, request, response, { url, mountPath: path, maxBodyBytes });
  };
}
