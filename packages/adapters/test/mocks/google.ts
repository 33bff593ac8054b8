import { mockServer, png, wav, type MockRequest, type MockServer, type Reply } from './mock-server';

/**
 * Google's Gemini API (REFERENCE.md §3 Veo long-running operations, §8 Imagen predict) and Cloud
 * Text-to-Speech (§14), with the API key in `x-goog-api-key` and errors in Google's envelope
 * `{error: {code, message, status}}`.
 */
export const googleKey = 'google-key';

function googleError(reply: Reply, code: number, status: string, message: string) {
  reply.json(code, { error: { code, message, status } });
}

function authorised(request: MockRequest, reply: Reply): boolean {
  if (request.headers['x-goog-api-key'] === googleKey || request.query.get('key') === googleKey) return true;
  googleError(reply, 403, 'PERMISSION_DENIED', 'Method doesn\'t allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.');
  return false;
}

const exhausted = (reply: Reply) => googleError(reply, 429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).');

export function geminiMock(): Promise<MockServer> {
  return mockServer(
    (request, reply, server) => {
      if (request.path.startsWith('/v1beta/files/')) {
        // Generated videos download only with the key.
        if (!authorised(request, reply)) return;
        return reply.bytes(200, Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypisom'), Buffer.alloc(12)]), 'video/mp4');
      }
      if (!authorised(request, reply)) return;
      const predictLong = /^\/v1beta\/models\/([^/:]+):predictLongRunning$/.exec(request.path);
      if (predictLong && request.method === 'POST') {
        const body = request.json ?? {};
        const parameters = body.parameters ?? {};
        if (!body.instances?.[0]?.prompt) return googleError(reply, 400, 'INVALID_ARGUMENT', '* GenerateVideoRequest.prompt: prompt is required');
        if (parameters.aspectRatio && !['16:9', '9:16'].includes(parameters.aspectRatio)) return googleError(reply, 400, 'INVALID_ARGUMENT', 'aspectRatio is not supported');
        if (parameters.durationSeconds !== undefined && ![4, 5, 6, 7, 8].includes(parameters.durationSeconds)) return googleError(reply, 400, 'INVALID_ARGUMENT', 'durationSeconds out of range');
        const job = server.create(request, reply, exhausted);
        if (!job) return;
        return reply.json(200, { name: `models/${predictLong[1]}/operations/${job.id}` });
      }
      const operation = /^\/v1beta\/models\/[^/]+\/operations\/([^/]+)$/.exec(request.path);
      if (operation && request.method === 'GET') {
        const job = server.jobs.get(operation[1]!);
        if (!job) return googleError(reply, 404, 'NOT_FOUND', 'Operation not found');
        const phase = server.advance(job);
        const name = request.path.slice('/v1beta/'.length);
        if (phase === 'queued' || phase === 'running') return reply.json(200, { name, done: false, metadata: {} });
        if (phase === 'failed' || phase === 'cancelled')
          return reply.json(200, { name, done: true, response: { '@type': 'type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse', generateVideoResponse: { raiMediaFilteredCount: 1, raiMediaFilteredReasons: ['The prompt could not be submitted: it may violate our policies.'] } } });
        return reply.json(200, {
          name,
          done: true,
          response: { generateVideoResponse: { generatedSamples: [{ video: { uri: `${server.url}/v1beta/files/${job.id}:download?alt=media` } }] } },
        });
      }
      const predict = /^\/v1beta\/models\/([^/:]+):predict$/.exec(request.path);
      if (predict && request.method === 'POST') {
        const body = request.json ?? {};
        if (!body.instances?.[0]?.prompt) return googleError(reply, 400, 'INVALID_ARGUMENT', 'prompt is required');
        if (body.parameters?.sampleCount !== undefined && (body.parameters.sampleCount < 1 || body.parameters.sampleCount > 4)) return googleError(reply, 400, 'INVALID_ARGUMENT', 'sampleCount must be 1 to 4');
        const job = server.create(request, reply, exhausted);
        if (!job) return;
        if (job.behaviour === 'fail') return reply.json(200, { predictions: [{ raiFilteredReason: 'Your current safety filter threshold filtered out the generated image.' }] });
        return reply.json(200, { predictions: [{ bytesBase64Encoded: Buffer.from(png(4, 3)).toString('base64'), mimeType: 'image/png' }] });
      }
    },
    { isCreate: (request) => request.method === 'POST' && /:predict(LongRunning)?$/.test(request.path) },
  );
}

export function googleTtsMock(): Promise<MockServer> {
  return mockServer(
    (request, reply, server) => {
      if (!authorised(request, reply)) return;
      if (request.path === '/v1/text:synthesize' && request.method === 'POST') {
        const body = request.json ?? {};
        const input = body.input ?? {};
        if ((input.text === undefined) === (input.ssml === undefined)) return googleError(reply, 400, 'INVALID_ARGUMENT', 'Exactly one of text or ssml must be set.');
        if (Buffer.byteLength(input.text ?? input.ssml ?? '') > 5000) return googleError(reply, 400, 'INVALID_ARGUMENT', 'Either input.text or input.ssml is longer than the limit of 5000 bytes.');
        if (!body.voice?.languageCode) return googleError(reply, 400, 'INVALID_ARGUMENT', 'voice.languageCode is required');
        if (!['LINEAR16', 'MP3', 'OGG_OPUS', 'MULAW', 'ALAW'].includes(body.audioConfig?.audioEncoding)) return googleError(reply, 400, 'INVALID_ARGUMENT', 'AudioEncoding is unspecified');
        const job = server.create(request, reply, exhausted);
        if (!job) return;
        if (job.behaviour === 'fail') return googleError(reply, 400, 'INVALID_ARGUMENT', 'This request contains sentences that are too long.');
        return reply.json(200, { audioContent: Buffer.from(wav(0.5, body.audioConfig.sampleRateHertz ?? 24_000)).toString('base64') });
      }
    },
    { isCreate: (request) => request.method === 'POST' && request.path === '/v1/text:synthesize' },
  );
}
