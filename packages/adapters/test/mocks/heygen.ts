import { mockServer, type MockServer, type Reply } from './mock-server';

/**
 * HeyGen avatar video (REFERENCE.md §15): `X-Api-Key`, `POST /v2/video/generate` (Avatar III) →
 * `{error: null, data: {video_id}}`, `GET /v1/video_status.get?video_id=` → `{code: 100, data:
 * {status: pending | waiting | processing | completed | failed, video_url, duration, error}}`; and
 * Avatar IV's own route (developers.heygen.com/reference/create-video, /get-video):
 * `POST /v3/videos` with a flat body (aspect_ratio 16:9 | 9:16, resolution, motion_prompt,
 * expressiveness) → `{data: {video_id, status}}`, `GET /v3/videos/{id}` → `{data: {status,
 * video_url, duration, failure_code, failure_message}}`.
 */
export const heygenKey = 'heygen-key';

/** HeyGen's answer when the account's credits do not cover the video (developers.heygen.com/docs/error-codes). */
export const heygenInsufficientCredit = {
  status: 402,
  body: {
    error: {
      code: 'insufficient_credit',
      message: 'Your account has 5 credits but this video requires 10 credits.',
      doc_url: 'https://developers.heygen.com/docs/error-codes#insufficient-credit',
    },
  },
};

const failure = (reply: Reply, status: number, code: string, message: string) => reply.json(status, { error: { code, message }, data: null });

export function heygenMock(): Promise<MockServer> {
  return mockServer(
    (request, reply, server) => {
      if (request.headers['x-api-key'] !== heygenKey) return failure(reply, 401, 'invalid_api_key', 'Unauthorized');
      if (request.path === '/v2/video/generate' && request.method === 'POST') {
        const inputs = request.json?.video_inputs;
        if (!Array.isArray(inputs) || inputs.length < 1 || inputs.length > 50)
          return failure(reply, 400, 'invalid_parameter', 'video_inputs must have 1 to 50 items');
        const { width, height } = request.json?.dimension ?? {};
        if (width !== undefined && (width % 2 || height % 2 || width < 128 || height > 4096))
          return failure(reply, 400, 'invalid_parameter', 'dimension must be even numbers between 128 and 4096');
        for (const scene of inputs) {
          if (scene.voice?.type === 'text' && !scene.voice.input_text) return failure(reply, 400, 'invalid_parameter', 'input_text is required');
          if (!scene.character?.avatar_id && !scene.character?.talking_photo_id) return failure(reply, 400, 'invalid_parameter', 'avatar_id is required');
        }
        const job = server.create(request, reply, (answer) => failure(answer, 429, 'rate_limit_exceeded', 'Too many requests'));
        if (!job) return;
        return reply.json(200, { error: null, data: { video_id: job.id } });
      }
      if (request.path === '/v3/videos' && request.method === 'POST') {
        const body = request.json ?? {};
        if (body.type !== 'avatar' || !body.avatar_id) return failure(reply, 400, 'invalid_parameter', 'type must be "avatar" with an avatar_id');
        if (body.video_inputs !== undefined || body.dimension !== undefined)
          return failure(reply, 400, 'invalid_parameter', 'unknown field: the v3 body is flat');
        if (body.aspect_ratio !== undefined && !['16:9', '9:16'].includes(body.aspect_ratio))
          return failure(reply, 400, 'invalid_parameter', 'aspect_ratio must be one of 16:9, 9:16');
        if (body.resolution !== undefined && !['4k', '1080p', '720p'].includes(body.resolution))
          return failure(reply, 400, 'invalid_parameter', 'resolution must be one of 4k, 1080p, 720p');
        if (body.expressiveness !== undefined && !['high', 'medium', 'low'].includes(body.expressiveness))
          return failure(reply, 400, 'invalid_parameter', 'expressiveness must be one of high, medium, low');
        if ((body.script === undefined) === (body.audio_url === undefined && body.audio_asset_id === undefined))
          return failure(reply, 400, 'invalid_parameter', 'give either script or audio_url/audio_asset_id');
        if (body.script !== undefined && !body.voice_id) return failure(reply, 400, 'invalid_parameter', 'voice_id is required with script');
        const job = server.create(request, reply, (answer) => failure(answer, 429, 'rate_limit_exceeded', 'Too many requests'));
        if (!job) return;
        return reply.json(200, { data: { video_id: job.id, status: 'waiting', output_format: 'mp4' } });
      }
      const v3 = /^\/v3\/videos\/([^/]+)$/.exec(request.path);
      if (v3 && request.method === 'GET') {
        const job = server.jobs.get(v3[1]!);
        if (!job) return failure(reply, 404, 'not_found', 'video not found');
        const phase = server.advance(job);
        const status = { queued: 'pending', running: 'processing', succeeded: 'completed', failed: 'failed', cancelled: 'failed' }[phase];
        return reply.json(200, {
          data: {
            id: job.id,
            status,
            title: null,
            created_at: 1711929600,
            video_url: phase === 'succeeded' ? `${server.fileUrl(`${job.id}.mp4`)}?Expires=1` : null,
            duration: phase === 'succeeded' ? 12.4 : null,
            failure_code: phase === 'failed' ? 'rendering_failed' : null,
            failure_message: phase === 'failed' ? 'Avatar rendering timed out' : null,
          },
        });
      }
      if (request.path === '/v1/video_status.get' && request.method === 'GET') {
        const job = server.jobs.get(request.query.get('video_id') ?? '');
        if (!job) return failure(reply, 404, 'not_found', 'video not found');
        const phase = server.advance(job);
        const status = { queued: job.polls % 2 ? 'pending' : 'waiting', running: 'processing', succeeded: 'completed', failed: 'failed', cancelled: 'failed' }[
          phase
        ];
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
    { isCreate: (request) => request.method === 'POST' && (request.path === '/v2/video/generate' || request.path === '/v3/videos') },
  );
}
