import { bearer, mockServer, type MockServer } from './mock-server';

/**
 * Luma Dream Machine (REFERENCE.md §5): `POST /dream-machine/v1/generations/video` (and the
 * original `/generations`) answering 201 with the generation; states queued → dreaming →
 * completed | failed; `DELETE` removes; errors `{detail}`.
 */
export const lumaKey = 'luma-key';
const models = ['ray-2', 'ray-flash-2', 'ray-1-6'];

export function lumaMock(): Promise<MockServer> {
  return mockServer(
    (request, reply, server) => {
      if (bearer(request) !== lumaKey) return reply.json(401, { detail: 'Invalid API key is provided' });
      if ((request.path === '/dream-machine/v1/generations/video' || request.path === '/dream-machine/v1/generations') && request.method === 'POST') {
        const body = request.json ?? {};
        if (!models.includes(body.model)) return reply.json(400, { detail: `Invalid model: ${body.model}` });
        if (body.duration !== undefined && !['5s', '9s'].includes(body.duration)) return reply.json(400, { detail: 'duration must be 5s or 9s' });
        if (body.resolution !== undefined && !['540p', '720p', '1080p', '4k'].includes(body.resolution))
          return reply.json(400, { detail: 'Invalid resolution' });
        if (!body.prompt && !body.keyframes) return reply.json(400, { detail: 'prompt or keyframes are required' });
        const job = server.create(request, reply, (answer) => answer.json(402, { detail: 'Insufficient credits' }));
        if (!job) return;
        return reply.json(201, {
          id: job.id,
          generation_type: 'video',
          state: 'queued',
          failure_reason: null,
          created_at: '2025-01-01T00:00:00Z',
          model: body.model,
          assets: null,
          request: body,
        });
      }
      const one = /^\/dream-machine\/v1\/generations\/([^/]+)$/.exec(request.path);
      if (one) {
        const job = server.jobs.get(one[1]!);
        if (!job) return reply.json(404, { detail: 'Generation not found' });
        if (request.method === 'DELETE') {
          server.cancel(job);
          return reply.empty(204);
        }
        const phase = server.advance(job);
        const state = { queued: 'queued', running: 'dreaming', succeeded: 'completed', failed: 'failed', cancelled: 'failed' }[phase];
        return reply.json(200, {
          id: job.id,
          generation_type: 'video',
          state,
          failure_reason: phase === 'failed' ? 'Prompt not allowed because it contains disallowed content' : phase === 'cancelled' ? 'deleted' : null,
          created_at: '2025-01-01T00:00:00Z',
          model: job.body?.model,
          assets: phase === 'succeeded' ? { video: server.fileUrl(`${job.id}.mp4`), image: server.fileUrl(`${job.id}.jpg`) } : null,
          request: job.body,
        });
      }
    },
    {
      isCreate: (request) => request.method === 'POST' && /^\/dream-machine\/v1\/generations(\/video)?$/.test(request.path),
      isCancel: (request) => request.method === 'DELETE',
    },
  );
}
