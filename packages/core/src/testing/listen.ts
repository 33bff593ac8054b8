import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A host app listening on a loopback port, as a binding conformance test starts it. */
export interface RunningHost {
  /** The absolute URL where Doitong is mounted, such as `http://127.0.0.1:54321/graphql`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves a host app (an Express app, a Koa app's `callback()`, any node:http listener) on
 * 127.0.0.1 and a free port, and reports the URL of the given mount path.
 */
export async function listen(listener: RequestListener, mountPath = '/graphql'): Promise<RunningHost> {
  const server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${mountPath}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections from fetch would otherwise hold close() open until they time out.
        server.closeAllConnections();
      }),
  };
}
