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

/**
 * A wrong key is 400 INVALID_ARGUMENT with the ErrorInfo reason API_KEY_INVALID (not the request's
 * fault although the word says so); no key at all is 403 PERMISSION_DENIED.
 */
function authorised(request: MockRequest, reply: Reply): boolean {
  const key = request.headers['x-goog-api-key'] ?? request.query.get('key');
  if (key === googleKey) return true;
  if (key) {
    reply.json(400, {
      error: {
        code: 400,
        message: 'API key not valid. Please pass a valid API key.',
        status: 'INVALID_ARGUMENT',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'API_KEY_INVALID',
            domain: 'googleapis.com',
            metadata: { service: 'generativelanguage.googleapis.com' },
          },
        ],
      },
    });
    return false;
  }
  googleError(
    reply,
    403,
    'PERMISSION_DENIED',
    "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
  );
  return false;
}

/** The Gemini API's answer for a project without billing where the free tier is not offered. */
export const googleBillingRequired = {
  status: 400,
  body: {
    error: {
      code: 400,
      message: 'Gemini API free tier is not available in your country. Please enable billing on your project in Google AI Studio.',
      status: 'FAILED_PRECONDITION',
    },
  },
};

/** A prepaid billing account whose credit ran out. */
export const googlePrepayDepleted = {
  status: 402,
  body: { error: { code: 402, message: 'Your prepayment credits are depleted. Please add credits to continue.', status: 'RESOURCE_EXHAUSTED' } },
};

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
        if (parameters.aspectRatio && !['16:9', '9:16'].includes(parameters.aspectRatio))
          return googleError(reply, 400, 'INVALID_ARGUMENT', 'aspectRatio is not supported');
        if (parameters.durationSeconds !== undefined && ![4, 5, 6, 7, 8].includes(parameters.durationSeconds))
          return googleError(reply, 400, 'INVALID_ARGUMENT', 'durationSeconds out of range');
        const veo3 = predictLong[1]!.startsWith('veo-3');
        if (veo3 && ![undefined, 4, 6, 8].includes(parameters.durationSeconds))
          return googleError(reply, 400, 'INVALID_ARGUMENT', 'durationSeconds must be 4, 6 or 8');
        if (veo3 && parameters.resolution === '1080p' && parameters.durationSeconds !== 8)
          return googleError(reply, 400, 'INVALID_ARGUMENT', '1080p is only supported with durationSeconds 8');
        if (body.instances[0].image && !body.instances[0].image.bytesBase64Encoded)
          return googleError(reply, 400, 'INVALID_ARGUMENT', 'image.bytesBase64Encoded is required');
        const fromImage = Boolean(body.instances[0].image);
        const people = veo3
          ? [fromImage ? 'allow_adult' : 'allow_all']
          : fromImage
            ? ['allow_adult', 'dont_allow']
            : ['allow_all', 'allow_adult', 'dont_allow'];
        if (parameters.personGeneration !== undefined && !people.includes(String(parameters.personGeneration).toLowerCase()))
          return googleError(reply, 400, 'INVALID_ARGUMENT', `personGeneration ${parameters.personGeneration} is not supported for this use case`);
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
        // An operation's error is a google.rpc.Status: often a numeric code (13 INTERNAL, 14 UNAVAILABLE) and no word.
        const prompt = String(job.body?.instances?.[0]?.prompt ?? '');
        if (prompt.includes('internal error')) return reply.json(200, { name, done: true, error: { code: 13, message: 'Internal error encountered.' } });
        if (prompt.includes('unavailable')) return reply.json(200, { name, done: true, error: { code: 14, message: 'The service is currently unavailable.' } });
        if (prompt.includes('policy')) return reply.json(200, { name, done: true, error: { code: 3, message: 'The prompt violates the usage guidelines.' } });
        if (phase === 'failed' || phase === 'cancelled')
          return reply.json(200, {
            name,
            done: true,
            response: {
              '@type': 'type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse',
              generateVideoResponse: { raiMediaFilteredCount: 1, raiMediaFilteredReasons: ['The prompt could not be submitted: it may violate our policies.'] },
            },
          });
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
        if (body.parameters?.sampleCount !== undefined && (body.parameters.sampleCount < 1 || body.parameters.sampleCount > 4))
          return googleError(reply, 400, 'INVALID_ARGUMENT', 'sampleCount must be 1 to 4');
        const job = server.create(request, reply, exhausted);
        if (!job) return;
        if (job.behaviour === 'fail')
          return reply.json(200, { predictions: [{ raiFilteredReason: 'Your current safety filter threshold filtered out the generated image.' }] });
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
        if ((input.text === undefined) === (input.ssml === undefined))
          return googleError(reply, 400, 'INVALID_ARGUMENT', 'Exactly one of text or ssml must be set.');
        if (Buffer.byteLength(input.text ?? input.ssml ?? '') > 5000)
          return googleError(reply, 400, 'INVALID_ARGUMENT', 'Either input.text or input.ssml is longer than the limit of 5000 bytes.');
        if (!body.voice?.languageCode) return googleError(reply, 400, 'INVALID_ARGUMENT', 'voice.languageCode is required');
        if (!['LINEAR16', 'MP3', 'OGG_OPUS', 'MULAW', 'ALAW'].includes(body.audioConfig?.audioEncoding))
          return googleError(reply, 400, 'INVALID_ARGUMENT', 'AudioEncoding is unspecified');
        const job = server.create(request, reply, exhausted);
        if (!job) return;
        if (job.behaviour === 'fail') return googleError(reply, 400, 'INVALID_ARGUMENT', 'This request contains sentences that are too long.');
        return reply.json(200, { audioContent: Buffer.from(wav(0.5, body.audioConfig.sampleRateHertz ?? 24_000)).toString('base64') });
      }
    },
    { isCreate: (request) => request.method === 'POST' && request.path === '/v1/text:synthesize' },
  );
}
