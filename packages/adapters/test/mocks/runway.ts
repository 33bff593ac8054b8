import { bearer, mockServer, type MockServer } from './mock-server';

/**
 * Runway's developer API (REFERENCE.md §4; runwayml/sdk-node 4.12.0 src/resources/image-to-video.ts,
 * text-to-video.ts): refuses a request without `X-Runway-Version`, validates each route's own
 * model union (gen3a_turbo is no longer one), `ratio`, `promptText` and `duration`, answers
 * `{id}`; tasks PENDING → THROTTLED/RUNNING (progress 0..1) → SUCCEEDED (output[]) | FAILED
 * (failure, failureCode) | CANCELLED; DELETE cancels. An account without credits is answered
 * 400 with `runwayOutOfCredits`.
 */
export const runwayKey = 'runway-key';
const sixRatios = ['1280:720', '720:1280', '1104:832', '832:1104', '960:960', '1584:672'];
const veoRatios = ['1280:720', '720:1280', '1080:1920', '1920:1080'];
/** Per endpoint, per model: the ratios, whether promptText is required, the durations allowed. */
const routes: Record<string, Record<string, { ratios: string[]; prompt: boolean; durations: (duration: unknown) => boolean }>> = {
  '/v1/image_to_video': {
    gen4_turbo: {
      ratios: sixRatios,
      prompt: false,
      durations: (duration) => duration === undefined || (Number.isInteger(duration) && (duration as number) >= 2 && (duration as number) <= 10),
    },
    'gen4.5': {
      ratios: sixRatios,
      prompt: true,
      durations: (duration) => Number.isInteger(duration) && (duration as number) >= 2 && (duration as number) <= 10,
    },
    'veo3.1': { ratios: veoRatios, prompt: false, durations: (duration) => duration === undefined || [4, 6, 8].includes(duration as number) },
  },
  '/v1/text_to_video': {
    'gen4.5': {
      ratios: ['1280:720', '720:1280'],
      prompt: true,
      durations: (duration) => Number.isInteger(duration) && (duration as number) >= 2 && (duration as number) <= 10,
    },
    'veo3.1': { ratios: veoRatios, prompt: true, durations: (duration) => duration === undefined || [4, 6, 8].includes(duration as number) },
  },
};

/** Runway's answer when the organisation's credits are spent (HTTP 400, as for bad input). */
export const runwayOutOfCredits = { status: 400, body: { error: 'You do not have enough credits to run this task.' } };

export function runwayMock(): Promise<MockServer> {
  return mockServer(
    (request, reply, server) => {
      if (bearer(request) !== runwayKey) return reply.json(401, { error: 'Incorrect API key provided.' });
      if (request.headers['x-runway-version'] !== '2024-11-06')
        return reply.json(400, { error: 'The X-Runway-Version header is required and must be 2024-11-06.' });
      if ((request.path === '/v1/image_to_video' || request.path === '/v1/text_to_video') && request.method === 'POST') {
        const body = request.json ?? {};
        const route = routes[request.path]![body.model];
        if (!route) return reply.json(400, { error: `Invalid model: ${body.model} is not available on ${request.path}` });
        if (!route.ratios.includes(body.ratio))
          return reply.json(400, { error: `Invalid ratio ${body.ratio} for ${body.model}: expected one of ${route.ratios.join(', ')}` });
        if (request.path === '/v1/image_to_video' && !body.promptImage) return reply.json(400, { error: 'promptImage is required' });
        if (route.prompt && !body.promptText) return reply.json(400, { error: `promptText is required for ${body.model}` });
        if (!route.durations(body.duration)) return reply.json(400, { error: `Invalid duration ${body.duration} for ${body.model}` });
        const job = server.create(request, reply, (answer) => answer.json(429, { error: 'You have exceeded the rate limit for this model.' }));
        if (!job) return;
        return reply.json(200, { id: job.id });
      }
      const task = /^\/v1\/tasks\/([^/]+)$/.exec(request.path);
      if (task) {
        const job = server.jobs.get(task[1]!);
        if (!job) return reply.json(404, { error: 'Task not found' });
        if (request.method === 'DELETE') {
          server.cancel(job);
          return reply.empty(204);
        }
        const phase = server.advance(job);
        const common = { id: job.id, createdAt: '2025-04-01T12:00:00.000Z' };
        if (phase === 'queued') return reply.json(200, { ...common, status: job.polls % 2 ? 'PENDING' : 'THROTTLED' });
        if (phase === 'running') return reply.json(200, { ...common, status: 'RUNNING', progress: 0.4 });
        if (phase === 'cancelled') return reply.json(200, { ...common, status: 'CANCELLED' });
        if (phase === 'failed')
          return reply.json(200, { ...common, status: 'FAILED', failure: 'Input rejected by moderation', failureCode: 'SAFETY.INPUT.TEXT' });
        if (typeof job.body?.promptText === 'string' && job.body.promptText.includes('moderation down'))
          return reply.json(200, {
            ...common,
            status: 'FAILED',
            failure: 'An error occurred while moderating the input.',
            failureCode: 'INPUT_PREPROCESSING.INTERNAL',
          });
        return reply.json(200, { ...common, status: 'SUCCEEDED', output: [server.fileUrl(`${job.id}.mp4`) + '?_jwt=abc'] });
      }
    },
    {
      isCreate: (request) => request.method === 'POST' && /^\/v1\/(image|text)_to_video$/.test(request.path),
      isCancel: (request) => request.method === 'DELETE',
    },
  );
}
