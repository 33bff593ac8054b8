import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32, deflateSync } from 'node:zlib';
import type { MockBehaviour } from '@doitong/core/testing';

/** One request as the mock received it: what tests assert was sent. */
export interface MockRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** The body parsed as JSON, when it was JSON. */
  json: any;
}

export interface Reply {
  json(status: number, body: unknown, headers?: Record<string, string>): void;
  bytes(status: number, data: Uint8Array, contentType: string, headers?: Record<string, string>): void;
  empty(status: number): void;
  /** Drops the connection without answering: the caller cannot know what happened. */
  drop(): void;
}

/** A job the mock keeps: how many times it was read, how it should end, whether it was cancelled. */
export interface MockJob {
  id: string;
  behaviour: MockBehaviour;
  polls: number;
  cancelled: boolean;
  body: any;
}

/** Where a job is in the provider's documented sequence at this read. */
export type Phase = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface MockServer {
  url: string;
  requests: MockRequest[];
  jobs: Map<string, MockJob>;
  /** The behaviour of jobs created from now on. */
  behaviour: MockBehaviour;
  /** The next answer to a create call (set by tests of error classification), used once. */
  nextCreateError?: { status: number; body: unknown; headers?: Record<string, string> };
  createCalls(): number;
  cancelCalls(): number;
  /** Registers a create call and returns the job, or answers it (unavailable, no-answer) and returns undefined. */
  create(request: MockRequest, reply: Reply, unavailable: (reply: Reply) => void): MockJob | undefined;
  /** Moves a job one read along: queued on the first read, running on the second, then its end. */
  advance(job: MockJob): Phase;
  cancel(job: MockJob): boolean;
  fileUrl(name: string): string;
  close(): Promise<void>;
}

let sequence = 0;

/**
 * A provider mock on 127.0.0.1 and a free port: records every request, answers at once, and
 * serves output files under `/files/`. Each family's mock supplies the routes and the provider's
 * own bodies; this keeps the bookkeeping they share.
 */
export async function mockServer(
  route: (request: MockRequest, reply: Reply, server: MockServer) => void | Promise<void>,
  options: { isCreate(request: MockRequest): boolean; isCancel?(request: MockRequest): boolean },
): Promise<MockServer> {
  const server: MockServer = {
    url: '',
    requests: [],
    jobs: new Map(),
    behaviour: 'succeed',
    createCalls: () => server.requests.filter((request) => options.isCreate(request)).length,
    cancelCalls: () => server.requests.filter((request) => options.isCancel?.(request) ?? false).length,
    create(request, reply, unavailable) {
      if (server.nextCreateError) {
        const { status, body, headers } = server.nextCreateError;
        server.nextCreateError = undefined;
        reply.json(status, body, headers);
        return undefined;
      }
      if (server.behaviour === 'unavailable') {
        unavailable(reply);
        return undefined;
      }
      if (server.behaviour === 'no-answer') {
        reply.drop();
        return undefined;
      }
      const job: MockJob = {
        id: `job${++sequence}x${Math.random().toString(36).slice(2, 8)}`,
        behaviour: server.behaviour,
        polls: 0,
        cancelled: false,
        body: request.json,
      };
      server.jobs.set(job.id, job);
      return job;
    },
    advance(job) {
      if (job.cancelled) return 'cancelled';
      job.polls++;
      if (job.polls === 1) return 'queued';
      if (job.polls === 2 || job.behaviour === 'never-finish') return 'running';
      return job.behaviour === 'fail' ? 'failed' : 'succeeded';
    },
    cancel(job) {
      if (job.polls > 2 && job.behaviour !== 'never-finish') return false;
      job.cancelled = true;
      return true;
    },
    fileUrl: (name) => `${server.url}/files/${name}`,
    close: () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
  const http = createServer(async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(incoming.url ?? '/', 'http://mock.local');
    let json: any;
    if (String(incoming.headers['content-type'] ?? '').includes('json') && body.length) {
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        json = undefined;
      }
    }
    const request: MockRequest = { method: incoming.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: incoming.headers, body, json };
    const reply: Reply = {
      json(status, value, headers = {}) {
        outgoing.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
      },
      bytes(status, data, contentType, headers = {}) {
        outgoing.writeHead(status, { 'content-type': contentType, 'content-length': String(data.length), ...headers }).end(Buffer.from(data));
      },
      empty(status) {
        outgoing.writeHead(status).end();
      },
      drop() {
        incoming.socket.destroy();
      },
    };
    if (url.pathname.startsWith('/files/')) {
      const name = url.pathname.slice('/files/'.length);
      const extension = name.split('.').pop() ?? '';
      return reply.bytes(200, sampleFile(extension), contentTypes[extension] ?? 'application/octet-stream');
    }
    server.requests.push(request);
    try {
      await route(request, reply, server);
    } catch (error) {
      reply.json(500, { error: String(error) });
    }
    if (!outgoing.headersSent && !incoming.socket.destroyed) reply.json(404, { detail: 'Not Found' });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  server.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return server;
}

const contentTypes: Record<string, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  mp4: 'video/mp4',
  wav: 'audio/wav',
};

/** Small real files: a 2x2 PNG, a WAV of silence, the head of an MP4. */
export function sampleFile(extension: string): Uint8Array {
  if (extension === 'wav') return wav(0.25);
  if (extension === 'png' || extension === 'jpeg' || extension === 'jpg' || extension === 'webp') return png(2, 2);
  return Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypisom'), Buffer.alloc(12)]);
}

export function png(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const content = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(content) >>> 0);
    return Buffer.concat([length, content, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc((1 + width * 3) * height, 128);
  for (let y = 0; y < height; y++) rows[y * (1 + width * 3)] = 0;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export function wav(seconds: number, sampleRate = 24_000): Uint8Array {
  const samples = Math.round(seconds * sampleRate);
  const buffer = Buffer.alloc(44 + samples * 2);
  buffer.write('RIFF', 0, 'ascii');
  buffer.writeUInt32LE(36 + samples * 2, 4);
  buffer.write('WAVE', 8, 'ascii');
  buffer.write('fmt ', 12, 'ascii');
  buffer.writeUInt32LE(16, 16);
  buffer.writeUInt16LE(1, 20);
  buffer.writeUInt16LE(1, 22);
  buffer.writeUInt32LE(sampleRate, 24);
  buffer.writeUInt32LE(sampleRate * 2, 28);
  buffer.writeUInt16LE(2, 32);
  buffer.writeUInt16LE(16, 34);
  buffer.write('data', 36, 'ascii');
  buffer.writeUInt32LE(samples * 2, 40);
  return buffer;
}

/** The bearer token of a request, or undefined. */
export function bearer(request: MockRequest): string | undefined {
  const header = request.headers.authorization;
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
}

/** Fields of a multipart/form-data body, as the provider would read them. */
export function formFields(request: MockRequest): Record<string, string | { filename: string; contentType: string; data: Buffer }> | undefined {
  const type = String(request.headers['content-type'] ?? '');
  const boundary = /boundary=(.+)$/.exec(type)?.[1];
  if (!type.startsWith('multipart/form-data') || !boundary) return undefined;
  const fields: Record<string, string | { filename: string; contentType: string; data: Buffer }> = {};
  const text = request.body.toString('latin1');
  for (const part of text.split(`--${boundary}`).slice(1)) {
    if (part.startsWith('--')) break;
    const [head, ...rest] = part.split('\r\n\r\n');
    const content = rest.join('\r\n\r\n').replace(/\r\n$/, '');
    const name = /name="([^"]+)"/.exec(head ?? '')?.[1];
    if (!name) continue;
    const filename = /filename="([^"]+)"/.exec(head ?? '')?.[1];
    if (filename) fields[name] = { filename, contentType: /content-type: (.+)/i.exec(head ?? '')?.[1]?.trim() ?? '', data: Buffer.from(content, 'latin1') };
    else fields[name] = Buffer.from(content, 'latin1').toString('utf8');
  }
  return fields;
}
