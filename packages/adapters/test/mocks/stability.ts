import { bearer, formFields, mockServer, png, type MockServer, type Reply } from './mock-server';

/**
 * Stability AI v2beta SD3 (REFERENCE.md §10): multipart/form-data only (JSON bodies are refused),
 * `Accept: image/*` for raw bytes with `finish-reason` and `seed` headers; errors `{id, name,
 * errors[]}` with 400, 401, 402, 403 `content_moderation`, 413, 429.
 */
export const stabilityKey = 'sk-stability';
const aspectRatios = ['1:1', '16:9', '21:9', '2:3', '3:2', '4:5', '5:4', '9:16', '9:21'];

const failure = (reply: Reply, status: number, name: string, message: string) => reply.json(status, { id: 'a1b2c3', name, errors: [message] });

export function stabilityMock(): Promise<MockServer> {
  return mockServer(
    (request, reply, server) => {
      if (bearer(request) !== stabilityKey) return failure(reply, 401, 'unauthorized', 'Missing or invalid API key');
      if (request.path === '/v2beta/stable-image/generate/sd3' && request.method === 'POST') {
        const fields = formFields(request);
        if (!fields) return failure(reply, 400, 'bad_request', 'content-type: must be multipart/form-data');
        if (!fields.prompt) return failure(reply, 400, 'bad_request', 'prompt: cannot be empty');
        if (fields.aspect_ratio && !aspectRatios.includes(String(fields.aspect_ratio))) return failure(reply, 400, 'bad_request', 'aspect_ratio: invalid');
        if (fields.mode === 'image-to-image' && (!fields.image || !fields.strength))
          return failure(reply, 400, 'bad_request', 'image and strength are required for image-to-image');
        if (fields.output_format && !['png', 'jpeg'].includes(String(fields.output_format)))
          return failure(reply, 400, 'bad_request', 'output_format: must be png or jpeg');
        const job = server.create({ ...request, json: fields }, reply, (answer) =>
          failure(answer, 429, 'rate_limit_exceeded', 'You have exceeded the rate limit of 150 requests within a 10 second period'),
        );
        if (!job) return;
        if (job.behaviour === 'fail') return failure(reply, 403, 'content_moderation', 'Your request was flagged by our content moderation system.');
        const accept = String(request.headers.accept ?? '');
        const image = png(16, 9);
        if (accept === 'application/json') return reply.json(200, { image: Buffer.from(image).toString('base64'), finish_reason: 'SUCCESS', seed: 343940597 });
        return reply.bytes(200, image, 'image/png', { 'finish-reason': 'SUCCESS', seed: '343940597', 'x-request-id': 'req' });
      }
    },
    { isCreate: (request) => request.method === 'POST' && request.path.startsWith('/v2beta/') },
  );
}
