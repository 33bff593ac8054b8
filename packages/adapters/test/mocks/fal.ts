import { mockServer, type MockServer } from './mock-server';

/**
 * fal's queue (REFERENCE.md §18): `Authorization: Key …`, submit to `/{endpoint_id}` (sub-paths
 * allowed), then status, result and cancel under `/{owner}/{alias}/requests/{id}`: the sub-path is
 * dropped, and a request polled under the full endpoint path is not found. IN_QUEUE → IN_PROGRESS
 * → COMPLETED; a failed run answers its result fetch with 422.
 */
export const falKey = 'fal-key';

export function falMock(): Promise<MockServer> {
  return mockServer(
    (request, reply, server) => {
      if (request.headers.authorization !== `Key ${falKey}`) return reply.json(401, { detail: 'No user found for Key ID and Secret' });
      const requestPath = /^\/([^/]+)\/([^/]+)\/requests\/([^/]+)(\/status|\/cancel)?$/.exec(request.path);
      if (requestPath) {
        const job = server.jobs.get(requestPath[3]!);
        // Only owner/alias is a valid prefix: the endpoint's sub-path must have been dropped.
        if (!job || job.body.app !== `${requestPath[1]}/${requestPath[2]}`) return reply.json(404, { detail: 'Request not found' });
        if (requestPath[4] === '/cancel' && request.method === 'PUT') {
          return server.cancel(job) ? reply.json(202, { status: 'CANCELLATION_REQUESTED' }) : reply.json(400, { status: 'ALREADY_COMPLETED' });
        }
        const urls = links(server, job.body.app, job.id);
        if (requestPath[4] === '/status') {
          if (job.cancelled) return reply.json(200, { status: 'COMPLETED', request_id: job.id, ...urls });
          const phase = server.advance(job);
          if (phase === 'queued') return reply.json(202, { status: 'IN_QUEUE', queue_position: 0, request_id: job.id, ...urls });
          if (phase === 'running') return reply.json(202, { status: 'IN_PROGRESS', logs: [], request_id: job.id, ...urls });
          return reply.json(200, { status: 'COMPLETED', logs: [], metrics: { inference_time: 0.35 }, request_id: job.id, ...urls });
        }
        if (job.cancelled) return reply.json(400, { detail: 'Request was cancelled' });
        if (job.behaviour === 'fail')
          return reply.json(422, { detail: [{ loc: ['body', 'prompt'], msg: 'NSFW content detected', type: 'content_policy_violation' }] });
        return reply.json(
          200,
          {
            images: [{ url: server.fileUrl(`${job.id}.png`), width: 1024, height: 768, content_type: 'image/png' }],
            timings: { inference: 0.35 },
            seed: 123456,
            has_nsfw_concepts: [false],
            prompt: job.body.input?.prompt,
          },
          { 'x-fal-request-id': job.id },
        );
      }
      if (request.method === 'POST') {
        const endpoint = request.path.slice(1);
        if (endpoint.split('/').length < 2) return reply.json(404, { detail: 'Application not found' });
        if (!request.json?.prompt) return reply.json(422, { detail: [{ loc: ['body', 'prompt'], msg: 'field required', type: 'value_error.missing' }] });
        const job = server.create(
          { ...request, json: { app: endpoint.split('/').slice(0, 2).join('/'), input: request.json, webhook: request.query.get('fal_webhook') } },
          reply,
          (answer) => answer.json(429, { detail: 'Too many concurrent requests' }),
        );
        if (!job) return;
        return reply.json(200, {
          request_id: job.id,
          gateway_request_id: job.id,
          status: 'IN_QUEUE',
          queue_position: 0,
          ...links(server, job.body.app, job.id),
        });
      }
    },
    {
      isCreate: (request) => request.method === 'POST' && !request.path.includes('/requests/'),
      isCancel: (request) => request.method === 'PUT' && request.path.endsWith('/cancel'),
    },
  );
}

function links(server: MockServer, app: string, id: string) {
  const base = `${server.url}/${app}/requests/${id}`;
  return { response_url: base, status_url: `${base}/status`, cancel_url: `${base}/cancel` };
}
