import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as a receiver saw it, with the raw body. */
export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the receiver does with a request: a status to answer with, or `hang` (never answer). */
export type Answer = number | 'hang' | { status: number; headers: Record<string, string> };

/**
 * A webhook receiver on 127.0.0.1 and a free port, recording every request. `answer` decides
 * each response from the request and how many came to the same path before it.
 */
export async function startReceiver(answer: (request: ReceivedRequest, countOnPath: number) => Answer = () => 204) {
  const received: ReceivedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const openOn = new Map<string, number>();
  const mostOpenOn = new Map<string, number>();
  const closedByClient: string[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = { path: request.url ?? '/', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      const count = received.filter((other) => other.path === entry.path).length;
      received.push(entry);
      const decision = answer(entry, count);
      openOn.set(entry.path, (openOn.get(entry.path) ?? 0) + 1);
      mostOpenOn.set(entry.path, Math.max(mostOpenOn.get(entry.path) ?? 0, openOn.get(entry.path)!));
      response.on('close', () => {
        openOn.set(entry.path, openOn.get(entry.path)! - 1);
        hanging.delete(response);
        if (!response.writableEnded) closedByClient.push(entry.path);
      });
      if (decision === 'hang') {
        hanging.add(response);
        return;
      }
      if (typeof decision === 'number') response.writeHead(decision).end();
      else response.writeHead(decision.status, decision.headers).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    received,
    on: (path: string) => received.filter((entry) => entry.path === path),
    /** The most requests to `path` that were open at once. */
    mostOpenOn: (path: string) => mostOpenOn.get(path) ?? 0,
    closedByClient,
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hanging) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
