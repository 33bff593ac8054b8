import { connect } from 'node:net';

/** What a probe saw: the whole body is always read, so keep-alive connections are freed. */
export interface ProbeResponse {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
  text: string;
  /** The body as JSON, or undefined when it is not JSON. */
  json: any;
}

/** One real HTTP request with the global fetch. */
export async function probe(url: string, init: RequestInit = {}): Promise<ProbeResponse> {
  const response = await fetch(url, init);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = Buffer.from(bytes).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, bytes, text, json };
}

/** A GraphQL POST with a JSON body, authorized with `apiKey` when one is given. */
export function postGraphQL(url: string, apiKey: string | null, body: unknown, headers: Record<string, string> = {}): Promise<ProbeResponse> {
  return probe(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A body sent in chunks with no Content-Length, so only counting the bytes can enforce a limit. */
export function chunkedBody(text: string, chunkSize = 1024): ReadableStream<Uint8Array> {
  const bytes = Buffer.from(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

/**
 * Sends the head of a POST that promises more body than it sends, then hangs up: the
 * server must notice the aborted read without crashing or leaking a rejection.
 */
export function abandonRequest(url: string, apiKey: string): Promise<void> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(target.port), target.hostname, () => {
      socket.write(
        `POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/json\r\n` +
          `Authorization: Bearer ${apiKey}\r\nContent-Length: 1000\r\n\r\n{"query":"{ __typ`,
      );
      // Give the server a moment to start reading the body; whether it did or not, it must survive.
      setTimeout(() => socket.destroy(), 20);
    });
    socket.once('close', () => resolve());
    socket.once('error', reject);
  });
}
