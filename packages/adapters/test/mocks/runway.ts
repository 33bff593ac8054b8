import { bearer, mockServer, type MockServer } from './mock-server';

/**
 * Runway's developer API (REFERENCE.md §4): refuses a request without `X-Runway-Version`,
 * validates `ratio` per model, answers `{id}`; tasks PENDING → THROTTLED/RUNNING (progress 0..1)
 * → SUCCEEDED (output[]) | FAILED (failure, failureCode) | CANCELLED; DELETE cancels.
 */
export const runwayKey = 'runway-key';
const ratios: Record<string, string[]> = {
  gen4_turbo: ['1280:720', '720:1280', '1104:832', '832:1104', '960:960', '1584:672'],
  gen3a_turbo: ['1280:768', '768:1280'],
  'gen4.5': ['1280:720', '720:1280', '1104:832', '832:1104', '960:960', '1584:672'],
};

export function runwayMock(): Promise<MockServer> {
  return mockServer(
    (request, reply, server) => {
      if (bearer(request) !== runwayKey) return reply.json(401, { error: 'Incorrect API key provided.' });
      if (request.headers['x-runway-version'] !== '2024-11-06') return reply.json(400, { error: 'The X-Runway-Version header is required and must be 2024-11-06.' });
      if ((request.path === '/v1/image_to_video' || request.path === '/v1/text_to_video') && request.method === 'POST') {
        const body = request.json ?? {};
        if (!ratios[body.model]) return reply.json(400, { error: `Invalid model: ${body.model}` });
        if (!ratios[body.model]!.includes(body.ratio)) return reply.json(400, { error: `Invalid ratio for ${body.model}` });
        if (request.path === '/v1/image_to_video' && !body.promptImage) return reply.json(400, { error: 'promptImage is required' });
        if (request.path === '/v1/text_to_video' && !body.promptText) return reply.json(400, { error: 'promptText is required' });
        if (body.model === 'gen3a_turbo' && !body.promptText) return reply.json(400, { error: 'promptText is required for gen3a_turbo' });
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
        if (phase === 'failed') return reply.json(200, { ...common, status: 'FAILED', failure: 'Input rejected by moderation', failureCode: 'SAFETY.INPUT.TEXT' });
        return reply.json(200, { ...common, status: 'SUCCEEDED', output: [server.fileUrl(`${job.id}.mp4`) + '?_jwt=abc'] });
      }
    },
    { isCreate: (request) => request.method === 'POST' && /^\/v1\/(image|text)_to_video$/.test(request.path), isCancel: (request) => request.method === 'DELETE' },
  );
}
