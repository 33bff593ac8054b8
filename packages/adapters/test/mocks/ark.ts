import { bearer, mockServer, type MockServer, type Reply } from './mock-server';

/**
 * BytePlus ModelArk (REFERENCE.md §7 Seedance tasks, §11 Seedream images): Bearer ARK key, errors
 * `{error: {code, message, param, type}}`; tasks queued → running → succeeded | failed |
 * cancelled (queued only) | expired, `DELETE` cancels a queued task.
 */
export const arkKey = 'ark-key';

/** ModelArk's answers for our account's state (docs.byteplus.com/en/docs/ModelArk/1299023). */
export const arkAccountOverdue = {
  status: 403,
  body: { error: { code: 'AccountOverdueError', message: 'The request failed because your account has an overdue balance.', type: 'Forbidden' } },
};
export const arkModelNotOpen = {
  status: 404,
  body: {
    error: { code: 'ModelNotOpen', message: 'Your account has not activated the model service. Please activate it in the ModelArk console.', type: 'NotFound' },
  },
};
export const arkClosedEndpoint = {
  status: 400,
  body: {
    error: {
      code: 'InvalidEndpoint.ClosedEndpoint',
      message: 'The request targeted an endpoint that is currently closed or temporarily unavailable.',
      type: 'BadRequest',
    },
  },
};

function internalFailure(body: any): boolean {
  const text = Array.isArray(body?.content) ? (body.content.find((item: { type: string }) => item.type === 'text')?.text ?? '') : '';
  return text.includes('internal error');
}

const arkError = (reply: Reply, status: number, code: string, message: string, param?: string) =>
  reply.json(status, { error: { code, message, param, type: 'BadRequest' } });

export function arkMock(): Promise<MockServer> {
  return mockServer(
    (request, reply, server) => {
      if (bearer(request) !== arkKey) return arkError(reply, 401, 'AuthenticationError', 'The API key in the request is missing or invalid.');
      const rateLimited = (answer: Reply) => arkError(answer, 429, 'RateLimitExceeded.EndpointRPMExceeded', 'The request rate exceeds the endpoint limit.');
      if (request.path === '/api/v3/contents/generations/tasks' && request.method === 'POST') {
        const body = request.json ?? {};
        if (!String(body.model ?? '').startsWith('seedance-'))
          return arkError(reply, 404, 'InvalidEndpointOrModel.NotFound', 'The model does not exist.', 'model');
        if (!Array.isArray(body.content) || body.content.length === 0) return arkError(reply, 400, 'MissingParameter', 'content is required', 'content');
        if (body.resolution && !['480p', '720p', '1080p'].includes(body.resolution))
          return arkError(reply, 400, 'InvalidParameter', 'resolution', 'resolution');
        if (body.duration !== undefined && ![5, 10].includes(body.duration)) return arkError(reply, 400, 'InvalidParameter', 'duration', 'duration');
        const text = body.content.find((item: { type: string }) => item.type === 'text')?.text ?? '';
        if (text.includes('forbidden')) return arkError(reply, 400, 'InputTextSensitiveContentDetected', 'The input text may contain sensitive information.');
        const job = server.create(request, reply, rateLimited);
        if (!job) return;
        return reply.json(200, { id: `cgt-${job.id}` });
      }
      const task = /^\/api\/v3\/contents\/generations\/tasks\/cgt-([^/]+)$/.exec(request.path);
      if (task) {
        const job = server.jobs.get(task[1]!);
        if (!job) return arkError(reply, 404, 'ResourceNotFound', 'task not found');
        if (request.method === 'DELETE') {
          if (!server.cancel(job)) return arkError(reply, 400, 'InvalidAction', 'only queued tasks can be cancelled');
          return reply.json(200, {});
        }
        const advanced = server.advance(job);
        // A task can fail at ModelArk's end: error.code InternalServiceError, the service's fault.
        const internal = advanced === 'succeeded' && internalFailure(job.body);
        const phase = internal ? 'failed' : advanced;
        const status = { queued: 'queued', running: 'running', succeeded: 'succeeded', failed: 'failed', cancelled: 'cancelled' }[phase];
        return reply.json(200, {
          id: `cgt-${job.id}`,
          model: job.body?.model,
          status,
          error: internal
            ? { code: 'InternalServiceError', message: 'The service encountered an unexpected internal error.' }
            : phase === 'failed'
              ? { code: 'OutputVideoSensitiveContentDetected', message: 'The generated video may contain sensitive content.' }
              : null,
          content: phase === 'succeeded' ? { video_url: server.fileUrl(`${job.id}.mp4`) } : undefined,
          usage: phase === 'succeeded' ? { completion_tokens: 246840, total_tokens: 246840 } : undefined,
          created_at: 1743414619,
          updated_at: 1743414673,
          seed: 42,
          resolution: job.body?.resolution,
          ratio: job.body?.ratio,
          duration: job.body?.duration,
          framespersecond: 24,
        });
      }
      if (request.path === '/api/v3/images/generations' && request.method === 'POST') {
        const body = request.json ?? {};
        if (!String(body.model ?? '').startsWith('seedream-'))
          return arkError(reply, 404, 'InvalidEndpointOrModel.NotFound', 'The model does not exist.', 'model');
        if (!body.prompt) return arkError(reply, 400, 'MissingParameter', 'prompt is required', 'prompt');
        if (body.size && !/^\d+x\d+$/.test(body.size)) return arkError(reply, 400, 'InvalidParameter', 'size', 'size');
        const job = server.create(request, reply, rateLimited);
        if (!job) return;
        if (job.behaviour === 'fail') return arkError(reply, 400, 'OutputImageSensitiveContentDetected', 'The generated image may contain sensitive content.');
        return reply.json(200, {
          model: body.model,
          created: 1757469067,
          data: [{ url: server.fileUrl(`${job.id}.jpeg`), size: body.size }],
          usage: { generated_images: 1, output_tokens: 4096, total_tokens: 4096 },
        });
      }
    },
    {
      isCreate: (request) =>
        request.method === 'POST' && (request.path === '/api/v3/contents/generations/tasks' || request.path === '/api/v3/images/generations'),
      isCancel: (request) => request.method === 'DELETE',
    },
  );
}
