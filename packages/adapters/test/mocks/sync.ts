import { mockServer, type MockServer } from './mock-server';

/**
 * sync.so lip-sync (REFERENCE.md §16): `x-api-key`, `POST /v2/generate` with one visual and one
 * audio (or text) input, `GET /v2/generate/{id}`: PENDING → PROCESSING → COMPLETED (outputUrl,
 * outputDuration) | FAILED | REJECTED; 429 over 60 requests a minute.
 */
export const syncKey = 'sync-key';
const models = ['lipsync-2', 'lipsync-2-pro', 'lipsync-1.9.0-beta', 'sync-3', 'react-1'];

export function syncMock(): Promise<MockServer> {
  return mockServer(
    (request, reply, server) => {
      if (request.headers['x-api-key'] !== syncKey) return reply.json(401, { message: 'Unauthorized', statusCode: 401 });
      if (request.path === '/v2/generate' && request.method === 'POST') {
        const body = request.json ?? {};
        if (!models.includes(body.model)) return reply.json(400, { message: `model must be one of ${models.join(', ')}`, statusCode: 400 });
        const inputs: Array<{ type: string }> = Array.isArray(body.input) ? body.input : [];
        const visual = inputs.filter((input) => input.type === 'video' || input.type === 'image').length;
        const speech = inputs.filter((input) => input.type === 'audio' || input.type === 'text').length;
        if (visual !== 1 || speech !== 1) return reply.json(400, { message: 'input needs exactly one video and one audio or text', statusCode: 400 });
        const job = server.create(request, reply, (answer) => answer.json(429, { message: 'Too Many Requests', statusCode: 429 }));
        if (!job) return;
        return reply.json(201, {
          id: job.id,
          createdAt: '2025-11-07T05:31:56Z',
          status: 'PENDING',
          model: body.model,
          input: body.input,
          webhookUrl: body.webhookUrl ?? null,
          options: body.options ?? {},
          outputUrl: null,
          error: null,
          errorCode: null,
        });
      }
      const one = /^\/v2\/generate\/([^/]+)$/.exec(request.path);
      if (one && request.method === 'GET') {
        const job = server.jobs.get(one[1]!);
        if (!job) return reply.json(404, { message: 'Not Found', statusCode: 404 });
        const phase = server.advance(job);
        const status = { queued: 'PENDING', running: 'PROCESSING', succeeded: 'COMPLETED', failed: 'REJECTED', cancelled: 'FAILED' }[phase];
        return reply.json(200, {
          id: job.id,
          status,
          model: job.body?.model,
          outputUrl: phase === 'succeeded' ? server.fileUrl(`${job.id}.mp4`) : null,
          outputDuration: phase === 'succeeded' ? 8.2 : null,
          error: phase === 'failed' ? 'No face was detected in the input video.' : null,
          errorCode: phase === 'failed' ? 'generation_no_face_detected' : null,
        });
      }
    },
    { isCreate: (request) => request.method === 'POST' && request.path === '/v2/generate' },
  );
}
