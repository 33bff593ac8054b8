import { createHmac, timingSafeEqual } from 'node:crypto';
import { bearer, mockServer, type MockRequest, type MockServer, type Reply } from './mock-server';

/**
 * Kling's classic task API (REFERENCE.md §1, §1A) and the talking-agent solution (§1D), as
 * documented: JWT auth (401 with codes 1001-1004), the `{code, message, request_id, data}`
 * envelope, `task_status` submitted → processing → succeed | failed, `duration` as a string,
 * base64 images without a data: prefix, 429/1102 when the resource pack is exhausted.
 */
export const klingKeys = { accessKey: 'ak-test', secretKey: 'sk-test-secret', apiKey: 'kling-api-key' };

const models = [
  'kling-v1',
  'kling-v1-5',
  'kling-v1-6',
  'kling-v2-master',
  'kling-v2-1',
  'kling-v2-1-master',
  'kling-v2',
  'kling-v2-new',
  'kling-v2-5-turbo',
  'kling-v2-6',
];

function envelope(data: unknown) {
  return { code: 0, message: 'SUCCEED', request_id: `req-${Math.random().toString(36).slice(2)}`, data };
}

function error(reply: Reply, status: number, code: number, message: string) {
  reply.json(status, { code, message, request_id: 'req-error' });
}

/** 401 codes: 1001 empty, 1002 invalid, 1003 not yet valid, 1004 expired. */
function authenticate(request: MockRequest, reply: Reply, apiKeyOnly: boolean): boolean {
  const token = bearer(request);
  if (!token) return (error(reply, 401, 1001, 'Authorization is empty'), false);
  if (token === klingKeys.apiKey) return true;
  if (apiKeyOnly) return (error(reply, 401, 1002, 'Authorization is invalid'), false);
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return (error(reply, 401, 1002, 'Authorization is invalid'), false);
  const expected = createHmac('sha256', klingKeys.secretKey).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return (error(reply, 401, 1002, 'Authorization is invalid'), false);
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iss?: string; exp?: number; nbf?: number };
  const now = Date.now() / 1000;
  if (claims.iss !== klingKeys.accessKey) return (error(reply, 401, 1002, 'Authorization is invalid'), false);
  if ((claims.nbf ?? 0) > now + 5) return (error(reply, 401, 1003, 'Authorization is not yet valid'), false);
  if ((claims.exp ?? 0) < now) return (error(reply, 401, 1004, 'Authorization has expired'), false);
  return true;
}

function taskObject(server: MockServer, id: string, kind: 'video' | 'image') {
  const job = server.jobs.get(id);
  if (!job) return undefined;
  const phase = server.advance(job);
  const words = { queued: 'submitted', running: 'processing', succeeded: 'succeed', failed: 'failed', cancelled: 'failed' } as const;
  const task: Record<string, unknown> = {
    task_id: id,
    task_status: words[phase],
    task_status_msg: phase === 'failed' ? 'Failure to pass the risk control system' : '',
    task_info: { external_task_id: job.body?.external_task_id },
    created_at: 1722769557708,
    updated_at: 1722769557708 + job.polls * 1000,
  };
  if (phase === 'succeeded') {
    task.task_result =
      kind === 'image'
        ? { images: [{ index: 0, url: server.fileUrl(`${id}.png`) }] }
        : { videos: [{ id: `video_${id}`, url: server.fileUrl(`${id}.mp4`), duration: '5.1' }] };
    task.final_unit_deduction = '1';
  }
  return task;
}

const routes: Record<string, { models: string[]; aspectRatios: string[] }> = {
  'videos/text2video': {
    models: ['kling-v1', 'kling-v1-6', 'kling-v2-master', 'kling-v2-1-master', 'kling-v2-5-turbo', 'kling-v2-6'],
    aspectRatios: ['16:9', '9:16', '1:1'],
  },
  'videos/image2video': {
    models: ['kling-v1', 'kling-v1-5', 'kling-v1-6', 'kling-v2-master', 'kling-v2-1', 'kling-v2-1-master', 'kling-v2-5-turbo', 'kling-v2-6'],
    aspectRatios: [],
  },
  'images/generations': {
    models: ['kling-v1', 'kling-v1-5', 'kling-v2', 'kling-v2-new', 'kling-v2-1'],
    aspectRatios: ['16:9', '9:16', '1:1', '4:3', '3:4', '3:2', '2:3', '21:9'],
  },
};

export function klingMock(): Promise<MockServer> {
  return mockServer(
    (request, reply, server) => {
      const classic = /^\/v1\/(videos\/text2video|videos\/image2video|images\/generations)(?:\/([^/]+))?$/.exec(request.path);
      if (classic) {
        if (!authenticate(request, reply, false)) return;
        const kind = classic[1] === 'images/generations' ? 'image' : 'video';
        if (request.method === 'GET' && classic[2]) {
          const task = taskObject(server, classic[2], kind);
          return task ? reply.json(200, envelope(task)) : error(reply, 404, 1203, 'task not found');
        }
        if (request.method !== 'POST' || classic[2]) return error(reply, 404, 1202, 'invalid method');
        const body = request.json ?? {};
        if (body.model_name !== undefined && !models.includes(body.model_name)) return error(reply, 404, 1203, `model ${body.model_name} does not exist`);
        // Each route has its own models (REFERENCE.md §1.3, §1.4, §1A): v1.5 and v2.1 are not text-to-video.
        const routeModels = routes[classic[1]!]!;
        if (!routeModels.models.includes(body.model_name ?? 'kling-v1'))
          return error(reply, 400, 1201, `model_name ${body.model_name} is not supported on ${classic[1]}`);
        if (body.aspect_ratio !== undefined && !routeModels.aspectRatios.includes(body.aspect_ratio))
          return error(reply, 400, 1201, `aspect_ratio ${body.aspect_ratio} is not supported`);
        if (classic[1] !== 'videos/image2video' && !body.prompt) return error(reply, 400, 1201, 'prompt is required');
        if (classic[1] === 'videos/image2video' && !body.image) return error(reply, 400, 1201, 'image is required');
        if (typeof body.image === 'string' && body.image.startsWith('data:'))
          return error(reply, 400, 1201, 'image must be a URL or raw base64 without a data: prefix');
        if (kind === 'video' && body.duration !== undefined && body.duration !== '5' && body.duration !== '10')
          return error(reply, 400, 1201, 'duration must be "5" or "10"');
        if (typeof body.prompt === 'string' && body.prompt.includes('forbidden')) return error(reply, 400, 1301, 'content security policy triggered');
        const job = server.create(request, reply, (answer) => error(answer, 429, 1102, 'resource pack exhausted'));
        if (!job) return;
        return reply.json(
          200,
          envelope({
            task_id: job.id,
            task_status: 'submitted',
            task_info: { external_task_id: body.external_task_id },
            created_at: 1722769557708,
            updated_at: 1722769557708,
          }),
        );
      }
      if (request.path === '/solutions/talking_agent' && request.method === 'POST') {
        if (!authenticate(request, reply, true)) return;
        const contents: Array<{ type: string; text?: string; url?: string }> = request.json?.contents ?? [];
        if (contents.filter((item) => item.type === 'speech_script').length !== 1) return error(reply, 400, 1201, 'exactly one speech_script is required');
        const productMode = contents.some((item) => item.type.startsWith('goods_') || item.type === 'ref_image');
        if (productMode && request.json?.settings?.speech_rate !== undefined) return error(reply, 400, 1201, 'speech_rate is not allowed in product mode');
        const job = server.create(request, reply, (answer) => error(answer, 429, 1102, 'resource pack exhausted'));
        if (!job) return;
        return reply.json(
          200,
          envelope({
            id: job.id,
            status: 'submitted',
            create_time: 1722769557708,
            update_time: 1722769557708,
            external_id: request.json?.options?.external_task_id,
          }),
        );
      }
      if (request.path === '/solutions' && request.method === 'GET') {
        if (!authenticate(request, reply, true)) return;
        const ids = (request.query.get('task_ids') ?? '').split(',').filter(Boolean);
        const data = ids.flatMap((id) => {
          const job = server.jobs.get(id);
          if (!job) return [];
          const phase = server.advance(job);
          const status = { queued: 'submitted', running: 'processing', succeeded: 'succeeded', failed: 'failed', cancelled: 'failed' }[phase];
          return [
            {
              id,
              status,
              message: phase === 'failed' ? 'The script violates the content policy' : '',
              outputs: phase === 'succeeded' ? [{ type: 'video', url: server.fileUrl(`${id}.mp4`), duration: 12.5 }] : [],
              billing: [],
            },
          ];
        });
        return reply.json(200, envelope(data));
      }
    },
    {
      isCreate: (request) =>
        request.method === 'POST' &&
        (/^\/v1\/(videos\/(text2video|image2video)|images\/generations)$/.test(request.path) || request.path === '/solutions/talking_agent'),
    },
  );
}
