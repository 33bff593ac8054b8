import { mockServer, type MockServer } from './mock-server';

/**
 * Black Forest Labs (REFERENCE.md §9): `x-key` auth, `POST /v1/{model}` answering `{id,
 * polling_url}` (the polling URL must be followed), `GET /v1/get_result?id=` with status Pending →
 * Ready | Request Moderated | Content Moderated | Error | Task not found; FastAPI-style 422 bodies,
 * 402 when out of credits, 429 when too many tasks are in flight.
 */
export const bflKey = 'bfl-key';
const models = ['flux-pro-1.1', 'flux-pro-1.1-ultra', 'flux-dev', 'flux-pro', 'flux-kontext-pro', 'flux-kontext-max'];

export function bflMock(): Promise<MockServer> {
  return mockServer(
    (request, reply, server) => {
      if (request.headers['x-key'] !== bflKey) return reply.json(403, { detail: 'Not authenticated - Invalid Authentication' });
      const model = /^\/v1\/([^/]+)$/.exec(request.path)?.[1];
      if (request.method === 'POST' && model && model !== 'get_result') {
        if (!models.includes(model)) return reply.json(404, { detail: 'Not Found' });
        const body = request.json ?? {};
        const problems: Array<{ loc: string[]; msg: string; type: string }> = [];
        for (const side of ['width', 'height']) {
          const value = body[side];
          if (value !== undefined && (value < 256 || value > 1440 || value % 32 !== 0))
            problems.push({ loc: ['body', side], msg: 'must be a multiple of 32 between 256 and 1440', type: 'value_error' });
        }
        if (body.safety_tolerance !== undefined && (body.safety_tolerance < 0 || body.safety_tolerance > 6))
          problems.push({ loc: ['body', 'safety_tolerance'], msg: 'must be 0 to 6', type: 'value_error' });
        // image_prompt is "an image in base64 format" (flux-pro-1.1, flux-pro-1.1-ultra): a link is not one.
        if (typeof body.image_prompt === 'string' && (/^(https?:|data:)/.test(body.image_prompt) || !/^[A-Za-z0-9+/=\s]+$/.test(body.image_prompt)))
          problems.push({ loc: ['body', 'image_prompt'], msg: 'image_prompt must be a base64-encoded image', type: 'value_error' });
        if (problems.length) return reply.json(422, { detail: problems });
        const job = server.create(request, reply, (answer) => answer.json(402, { detail: 'Insufficient credits' }));
        if (!job) return;
        return reply.json(200, { id: job.id, polling_url: `${server.url}/v1/get_result?id=${job.id}`, cost: 4.0, input_mp: 0, output_mp: 1.05 });
      }
      if (request.method === 'GET' && request.path === '/v1/get_result') {
        const job = server.jobs.get(request.query.get('id') ?? '');
        if (!job) return reply.json(200, { id: request.query.get('id'), status: 'Task not found', result: null });
        const phase = server.advance(job);
        if (phase === 'queued' || phase === 'running')
          return reply.json(200, { id: job.id, status: 'Pending', result: null, progress: phase === 'queued' ? 0.1 : 0.6, details: null });
        if (phase === 'failed')
          return reply.json(200, { id: job.id, status: 'Content Moderated', result: null, details: { 'Moderation Reasons': ['Derivative Works Filter'] } });
        return reply.json(200, {
          id: job.id,
          status: 'Ready',
          result: {
            sample: `${server.fileUrl(`${job.id}.png`)}?se=2025-01-01`,
            prompt: job.body?.prompt,
            seed: 1234,
            start_time: 1718000000.1,
            end_time: 1718000004.9,
            duration: 4.8,
          },
          progress: null,
          details: null,
          preview: null,
        });
      }
    },
    { isCreate: (request) => request.method === 'POST' && request.path !== '/v1/get_result' },
  );
}
