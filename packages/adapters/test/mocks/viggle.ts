import { bearer, formFields, mockServer, type MockServer, type Reply } from './mock-server';

/**
 * Viggle's render API (REFERENCE.md §6): multipart `POST /api/render` with a reference image and a
 * driving video, each as a file or a link; `GET /api/render/{job_id}` needs no auth; statuses
 * queued → processing (progress_pct) → complete (cdn_url) | failed | cancelled; `DELETE` cancels.
 * Errors: `{detail: {error_code, message, action}}`.
 */
export const viggleKey = 'sk-viggle';

const detail = (reply: Reply, status: number, error_code: string, message: string) =>
  reply.json(status, { detail: { error_code, message, action: 'see docs' } });

export function viggleMock(): Promise<MockServer> {
  return mockServer(
    (request, reply, server) => {
      const job = /^\/api\/render\/([^/]+)$/.exec(request.path);
      if (job && request.method === 'GET') {
        const found = server.jobs.get(job[1]!);
        if (!found) return detail(reply, 404, 'CS-ORJB-001', 'Job not found');
        const phase = server.advance(found);
        if (phase === 'queued') return reply.json(200, { job_id: found.id, status: 'queued' });
        if (phase === 'running') return reply.json(200, { job_id: found.id, status: 'processing', progress_pct: 40, checkpoint: 'pose' });
        if (phase === 'cancelled') return reply.json(200, { job_id: found.id, status: 'cancelled' });
        if (phase === 'failed')
          return reply.json(200, {
            job_id: found.id,
            status: 'failed',
            error_code: 'CS-ORMD-001',
            error_message: 'The reference image was flagged by moderation',
          });
        return reply.json(200, { job_id: found.id, status: 'complete', cdn_url: server.fileUrl(`${found.id}.mp4`) });
      }
      const key = bearer(request);
      if (!key) return detail(reply, 401, 'CS-ORAU-001', 'API key is required');
      if (key !== viggleKey) return detail(reply, 401, 'CS-ORAU-002', 'Invalid API key');
      if (job && request.method === 'DELETE') {
        const found = server.jobs.get(job[1]!);
        if (!found) return detail(reply, 404, 'CS-ORJB-001', 'Job not found');
        server.cancel(found);
        return reply.json(200, { job_id: found.id, status: 'cancelled' });
      }
      if (request.path === '/api/render' && request.method === 'POST') {
        const fields = formFields(request);
        if (!fields) return detail(reply, 400, 'CS-ORIV-000', 'multipart/form-data is required');
        if (!fields.ref_image && !fields.ref_image_url) return detail(reply, 400, 'CS-ORIV-001', 'Reference image is required');
        if (!fields.driving_video && !fields.driving_video_url) return detail(reply, 400, 'CS-ORIV-002', 'Driving video is required');
        const created = server.create({ ...request, json: fields }, reply, (answer) => detail(answer, 402, 'CS-ORCR-001', 'Insufficient credits'));
        if (!created) return;
        return reply.json(200, { job_id: created.id, status: 'queued', mode: 'full_pipeline', enqueued_at: '2025-11-07T05:31:56Z' });
      }
    },
    { isCreate: (request) => request.method === 'POST' && request.path === '/api/render', isCancel: (request) => request.method === 'DELETE' },
  );
}
