import { bearer, mockServer, type MockServer, type Reply } from './mock-server';

/**
 * MiniMax Hailuo video (REFERENCE.md §2): business errors as HTTP 200 with a non-zero
 * `base_resp.status_code` (1004 bad key, 1002 rate limit, 1008 insufficient balance, 2013 invalid
 * params, 1026 sensitive input, 1027 sensitive output: a task that ends Fail), statuses Preparing → Queueing → Processing → Success | Fail, and a
 * second call to exchange `file_id` for `download_url`.
 */
export const minimaxKey = 'minimax-key';
const models = [
  'MiniMax-Hailuo-2.3',
  'MiniMax-Hailuo-2.3-Fast',
  'MiniMax-Hailuo-02',
  'T2V-01-Director',
  'T2V-01',
  'I2V-01-Director',
  'I2V-01-live',
  'I2V-01',
  'S2V-01',
];

const textModels = ['MiniMax-Hailuo-2.3', 'MiniMax-Hailuo-02', 'T2V-01-Director', 'T2V-01'];
const imageModels = ['MiniMax-Hailuo-2.3', 'MiniMax-Hailuo-2.3-Fast', 'MiniMax-Hailuo-02', 'I2V-01-Director', 'I2V-01-live', 'I2V-01'];

const base = (status_code: number, status_msg: string) => ({ base_resp: { status_code, status_msg } });
const fail = (reply: Reply, code: number, message: string, extra: object = {}) => reply.json(200, { ...extra, ...base(code, message) });

export function minimaxMock(): Promise<MockServer> {
  return mockServer(
    (request, reply, server) => {
      if (bearer(request) !== minimaxKey) return fail(reply, 1004, 'login fail: Please carry the API secret key in the Authorization field');
      if (request.path === '/v1/video_generation' && request.method === 'POST') {
        const body = request.json ?? {};
        if (!models.includes(body.model)) return fail(reply, 2013, `invalid params, model ${body.model}`, { task_id: '' });
        if (body.duration !== undefined && ![6, 10].includes(body.duration)) return fail(reply, 2013, 'invalid params, duration', { task_id: '' });
        if (body.resolution !== undefined && !['512P', '720P', '768P', '1080P'].includes(body.resolution))
          return fail(reply, 2013, 'invalid params, resolution', { task_id: '' });
        if (body.duration === 10 && body.resolution === '1080P') return fail(reply, 2013, 'invalid params, 10s is not supported at 1080P', { task_id: '' });
        // Each model serves its own routes (REFERENCE.md §2.2): text-to-video, image-to-video or both.
        const fromImage = typeof body.first_frame_image === 'string';
        if (!fromImage && !textModels.includes(body.model)) return fail(reply, 2013, `invalid params, ${body.model} needs first_frame_image`, { task_id: '' });
        if (fromImage && !imageModels.includes(body.model))
          return fail(reply, 2013, `invalid params, ${body.model} does not take first_frame_image`, { task_id: '' });
        // The 01 series makes 6 s at 720P only; 512P is Hailuo 02's image-to-video only.
        if (/-01/.test(body.model) && ((body.duration !== undefined && body.duration !== 6) || (body.resolution !== undefined && body.resolution !== '720P')))
          return fail(reply, 2013, `invalid params, ${body.model} makes 6 s at 720P`, { task_id: '' });
        if (body.resolution === '512P' && !(body.model === 'MiniMax-Hailuo-02' && fromImage))
          return fail(reply, 2013, 'invalid params, 512P is for MiniMax-Hailuo-02 image-to-video', { task_id: '' });
        if (typeof body.first_frame_image === 'string' && !/^(https?:|data:image\/)/.test(body.first_frame_image))
          return fail(reply, 2013, 'invalid params, first_frame_image', { task_id: '' });
        if (typeof body.prompt === 'string' && body.prompt.includes('forbidden')) return fail(reply, 1026, 'input new_sensitive', { task_id: '' });
        const job = server.create(request, reply, (answer) => fail(answer, 1008, 'insufficient balance', { task_id: '' }));
        if (!job) return;
        return reply.json(200, { task_id: job.id, ...base(0, 'success') });
      }
      if (request.path === '/v1/query/video_generation' && request.method === 'GET') {
        const job = server.jobs.get(request.query.get('task_id') ?? '');
        if (!job) return fail(reply, 2013, 'invalid params, task_id');
        const phase = server.advance(job);
        if (phase === 'queued')
          return reply.json(200, { task_id: job.id, status: job.polls === 1 ? 'Preparing' : 'Queueing', file_id: '', ...base(0, 'success') });
        if (phase === 'running') return reply.json(200, { task_id: job.id, status: 'Processing', file_id: '', ...base(0, 'success') });
        if (phase === 'failed' || phase === 'cancelled') return reply.json(200, { task_id: job.id, status: 'Fail', file_id: '', ...base(0, 'success') });
        // The output check runs after rendering: the task ends Fail and base_resp names the reason.
        if (typeof job.body?.prompt === 'string' && job.body.prompt.includes('sensitive output'))
          return reply.json(200, { task_id: job.id, status: 'Fail', file_id: '', ...base(1027, 'output new_sensitive') });
        if (typeof job.body?.prompt === 'string' && job.body.prompt.includes('system error'))
          return reply.json(200, { task_id: job.id, status: 'Fail', file_id: '', ...base(1033, 'system error') });
        return reply.json(200, { task_id: job.id, status: 'Success', file_id: `file_${job.id}`, video_width: 1366, video_height: 768, ...base(0, 'success') });
      }
      if (request.path === '/v1/files/retrieve' && request.method === 'GET') {
        const fileId = request.query.get('file_id') ?? '';
        return reply.json(200, {
          file: {
            file_id: fileId,
            bytes: 36,
            created_at: 1700469398,
            filename: 'output_aigc.mp4',
            purpose: 'video_generation',
            download_url: server.fileUrl(`${fileId}.mp4`),
          },
          ...base(0, 'success'),
        });
      }
    },
    { isCreate: (request) => request.method === 'POST' && request.path === '/v1/video_generation' },
  );
}
