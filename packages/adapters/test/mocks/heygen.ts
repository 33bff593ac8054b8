import { mockServer, type MockServer, type Reply } from './mock-server';

/**
 * HeyGen avatar video (REFERENCE.md §15): `X-Api-Key`, `POST /v2/video/generate` →
 * `{error: null, data: {video_id}}`, `GET /v1/video_status.get?video_id=` → `{code: 100, data:
 * {status: pending | waiting | processing | completed | failed, video_url, duration, error}}`.
 */
export const heygenKey = 'heygen-key';

const failure = (reply: Reply, status: number, code: string, message: string) => reply.json(status, { error: { code, message }, data: null });

export function heygenMock(): Promise<MockServer> {
  return mockServer(
    (request, reply, server) => {
      if (request.headers['x-api-key'] !== heygenKey) return failure(reply, 401, 'invalid_api_key', 'Unauthorized');
      if (request.path === '/v2/video/generate' && request.method === 'POST') {
        const inputs = request.json?.video_inputs;
        if (!Array.isArray(inputs) || inputs.length < 1 || inputs.length > 50) return failure(reply, 400, 'invalid_parameter', 'video_inputs must have 1 to 50 items');
        const { width, height } = request.json?.dimension ?? {};
        if (width !== undefined && (width % 2 || height % 2 || width < 128 || height > 4096)) return failure(reply, 400, 'invalid_parameter', 'dimension must be even numbers between 128 and 4096');
        for (const scene of inputs) {
          if (scene.voice?.type === 'text' && !scene.voice.input_text) return failure(reply, 400, 'invalid_parameter', 'input_text is required');
          if (!scene.character?.avatar_id && !scene.character?.talking_photo_id) return failure(reply, 400, 'invalid_parameter', 'avatar_id is required');
        }
        const job = server.create(request, reply, (answer) => failure(answer, 429, 'rate_limit_exceeded', 'Too many requests'));
        if (!job) return;
        return reply.json(200, { error: null, data: { video_id: job.id } });
      }
      if (request.path === '/v1/video_status.get' && request.method === 'GET') {
        const job = server.jobs.get(request.query.get('video_id') ?? '');
        if (!job) return failure(reply, 404, 'not_found', 'video not found');
        const phase = server.advance(job);
        const status = { queued: job.polls % 2 ? 'pending' : 'waiting', running: 'processing', succeeded: 'completed', failed: 'failed', cancelled: 'failed' }[phase];
        return reply.json(200, {
          code: 100,
          message: 'Success',
          data: {
            id: job.id,
            status,
            video_url: phase === 'succeeded' ? `${server.fileUrl(`${job.id}.mp4`)}?Expires=1` : null,
            thumbnail_url: null,
            duration: phase === 'succeeded' ? 12.4 : null,
            callback_id: job.body?.callback_id ?? null,
            created_at: 1711288320,
            error: phase === 'failed' ? { code: 40119, detail: 'Video is too long (> 3600.0s).', message: 'Video is too long' } : null,
          },
        });
      }
    },
    { isCreate: (request) => request.method === 'POST' && request.path === '/v2/video/generate' },
  );
}
