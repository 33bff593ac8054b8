import { bearer, mockServer, type MockServer } from './mock-server';

/**
 * Replicate's predictions API (REFERENCE.md §17): Bearer token, `POST /v1/models/{owner}/{name}/predictions`
 * or `POST /v1/predictions` with a version, 201 with the prediction; starting → processing →
 * succeeded | failed | canceled | aborted; `POST /v1/predictions/{id}/cancel`; 422 for bad input,
 * 429 `{detail: "Request was throttled…"}`.
 */
export const replicateToken = 'r8_test';

export function replicateMock(): Promise<MockServer> {
  return mockServer(
    (request, reply, server) => {
      if (bearer(request) !== replicateToken)
        return reply.json(401, { title: 'Unauthenticated', detail: 'You did not pass a valid authentication token', status: 401 });
      const official = /^\/v1\/models\/([^/]+)\/([^/]+)\/predictions$/.exec(request.path);
      if (request.method === 'POST' && (official || request.path === '/v1/predictions')) {
        const body = request.json ?? {};
        if (!official && !/^[0-9a-f]{64}$/.test(body.version ?? ''))
          return reply.json(422, {
            title: 'Invalid version',
            detail: "The specified version does not exist (or perhaps you don't have permission to use it?)",
            status: 422,
          });
        if (!body.input || typeof body.input !== 'object')
          return reply.json(422, {
            title: 'Input validation failed',
            detail: '- input: input is required',
            status: 422,
            invalid_fields: [{ type: 'required', field: 'input' }],
          });
        const job = server.create(request, reply, (answer) =>
          answer.json(429, { detail: 'Request was throttled. Your rate limit resets in ~30s.', status: 429 }),
        );
        if (!job) return;
        return reply.json(201, prediction(server, job.id, 'starting', body));
      }
      const one = /^\/v1\/predictions\/([^/]+)(\/cancel)?$/.exec(request.path);
      if (one) {
        const job = server.jobs.get(one[1]!);
        if (!job) return reply.json(404, { detail: 'Not found.', status: 404 });
        if (one[2] && request.method === 'POST') {
          server.cancel(job);
          return reply.json(200, prediction(server, job.id, job.cancelled ? 'canceled' : 'succeeded', job.body));
        }
        const phase = server.advance(job);
        const status = { queued: 'starting', running: 'processing', succeeded: 'succeeded', failed: 'failed', cancelled: 'canceled' }[phase];
        return reply.json(200, prediction(server, job.id, status, job.body));
      }
    },
    {
      isCreate: (request) =>
        request.method === 'POST' && (request.path === '/v1/predictions' || /^\/v1\/models\/[^/]+\/[^/]+\/predictions$/.test(request.path)),
      isCancel: (request) => request.path.endsWith('/cancel'),
    },
  );
}

function prediction(server: MockServer, id: string, status: string, body: { input?: unknown; version?: string }) {
  return {
    id,
    model: 'black-forest-labs/flux-schnell',
    version: body?.version ?? 'hidden',
    input: body?.input,
    logs: '',
    output: status === 'succeeded' ? [server.fileUrl(`${id}.webp`)] : null,
    data_removed: false,
    error: status === 'failed' ? 'NSFW content detected. Try running it again, or try a different prompt.' : null,
    status,
    source: 'api',
    created_at: '2025-01-01T00:00:00.000Z',
    urls: { get: `${server.url}/v1/predictions/${id}`, cancel: `${server.url}/v1/predictions/${id}/cancel`, web: `https://replicate.com/p/${id}` },
  };
}
