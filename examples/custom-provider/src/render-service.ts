/**
 * Stands in for a service the host already runs: POST /renders starts a job, GET
 * /renders/:id reports it, DELETE cancels. It draws a PNG whose colours follow the prompt.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { crc32, deflateSync } from 'node:zlib';

interface Job {
  id: string;
  prompt: string;
  width: number;
  height: number;
  readyAt: number;
  state: 'working' | 'done' | 'failed' | 'cancelled';
  outcome: Outcome;
}

/**
 * What the service does with the renders it is given from now on, so tests can walk every path:
 * render; fail the render; refuse new renders (503); render forever; drop the connection unanswered.
 */
export type Outcome = 'succeed' | 'fail' | 'unavailable' | 'never-finish' | 'no-answer';

export interface RenderServiceControl {
  behave(outcome: Outcome): void;
  /** POST /renders received. */
  createCalls(): number;
  /** DELETE /renders/:id received. */
  cancelCalls(): number;
}

export function startRenderService(options: {
  port?: number;
  renderMilliseconds?: number;
  token: string;
}): Promise<{ url: string; server: Server; control: RenderServiceControl }> {
  const jobs = new Map<string, Job>();
  let sequence = 0;
  let outcome: Outcome = 'succeed';
  const counts = { create: 0, cancel: 0 };
  const control: RenderServiceControl = { behave: (next) => void (outcome = next), createCalls: () => counts.create, cancelCalls: () => counts.cancel };
  const server = createServer(async (request, response) => {
    const send = (status: number, body: unknown, type = 'application/json') => {
      response.writeHead(status, { 'content-type': type });
      response.end(type === 'application/json' ? JSON.stringify(body) : (body as Buffer));
    };
    if (request.headers.authorization !== `Token ${options.token}`) return send(401, { error: 'bad token' });
    const url = new URL(request.url ?? '/', 'http://render.local');
    const [, collection, id, file] = url.pathname.split('/');
    if (collection !== 'renders') return send(404, { error: 'not found' });
    if (request.method === 'POST' && !id) {
      counts.create++;
      let text = '';
      for await (const chunk of request) text += chunk;
      const body = JSON.parse(text || '{}') as { prompt?: string; width?: number; height?: number };
      if (!body.prompt) return send(422, { error: 'prompt is required' });
      if (outcome === 'unavailable') return send(503, { error: 'the render farm is full' });
      if (outcome === 'no-answer') return void request.socket.destroy();
      const job: Job = {
        id: `r${++sequence}`,
        prompt: body.prompt,
        width: body.width ?? 512,
        height: body.height ?? 512,
        readyAt: Date.now() + (options.renderMilliseconds ?? 300),
        state: 'working',
        outcome,
      };
      jobs.set(job.id, job);
      return send(202, { id: job.id, state: job.state });
    }
    const job = id ? jobs.get(id) : undefined;
    if (!job) return send(404, { error: 'no such render' });
    if (request.method === 'DELETE') {
      counts.cancel++;
      if (job.state === 'working') job.state = 'cancelled';
      return send(200, { id: job.id, state: job.state });
    }
    if (job.state === 'working' && Date.now() >= job.readyAt && job.outcome !== 'never-finish') job.state = job.outcome === 'fail' ? 'failed' : 'done';
    if (file === 'image.png' && job.state === 'done') return send(200, drawPng(job), 'image/png');
    const progress = job.state === 'done' ? 100 : Math.min(99, Math.round(100 - ((job.readyAt - Date.now()) / (options.renderMilliseconds ?? 300)) * 100));
    return send(200, {
      id: job.id,
      state: job.state,
      progress,
      width: job.width,
      height: job.height,
      image: job.state === 'done' ? `/renders/${job.id}/image.png` : null,
      ...(job.state === 'failed' ? { error: 'the prompt names a forbidden subject' } : {}),
    });
  });
  return new Promise((resolve) =>
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${address.port}`, server, control });
    }),
  );
}

/** A vertical gradient between two colours taken from the prompt's hash. */
function drawPng(job: Job): Buffer {
  const digest = createHash('sha256').update(job.prompt).digest();
  const rows: Buffer[] = [];
  for (let y = 0; y < job.height; y++) {
    const row = Buffer.alloc(1 + job.width * 3);
    const mix = y / Math.max(1, job.height - 1);
    for (let x = 0; x < job.width; x++) {
      for (let channel = 0; channel < 3; channel++) row[1 + x * 3 + channel] = Math.round(digest[channel]! * (1 - mix) + digest[channel + 3]! * mix);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(job.width, 0);
  header.writeUInt32BE(job.height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
