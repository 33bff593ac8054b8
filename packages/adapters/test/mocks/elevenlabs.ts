import { mockServer, wav, type MockServer, type Reply } from './mock-server';

/**
 * ElevenLabs text-to-speech (REFERENCE.md §13): `xi-api-key`, `POST /v1/text-to-speech/{voice_id}`
 * with `output_format` in the query, binary audio back; 422 validation lists, 400/401
 * `{detail: {status, message}}`, 429 `too_many_concurrent_requests`.
 */
export const elevenLabsKey = 'xi-key';
export const knownVoices = new Set(['21m00Tcm4TlvDq8ikWAM', 'pNInz6obpgDQGcFmaJgB', 'EXAVITQu4vr4xnSDxMaL', 'custom-voice-1']);
const limits: Record<string, number> = { eleven_multilingual_v2: 10_000, eleven_v3: 10_000, eleven_flash_v2_5: 40_000, eleven_turbo_v2_5: 40_000 };

const detail = (reply: Reply, status: number, word: string, message: string) => reply.json(status, { detail: { status: word, message } });

export function elevenLabsMock(): Promise<MockServer> {
  return mockServer(
    (request, reply, server) => {
      if (request.headers['xi-api-key'] !== elevenLabsKey) return detail(reply, 401, 'invalid_api_key', 'Invalid API key');
      const voice = /^\/v1\/text-to-speech\/([^/]+)$/.exec(request.path)?.[1];
      if (voice && request.method === 'POST') {
        const body = request.json ?? {};
        if (typeof body.text !== 'string') return reply.json(422, { detail: [{ loc: ['body', 'text'], msg: 'field required', type: 'value_error.missing' }] });
        if (!knownVoices.has(voice)) return detail(reply, 400, 'voice_not_found', `A voice with the voice_id ${voice} was not found.`);
        if (body.text.length > (limits[body.model_id] ?? 10_000)) return detail(reply, 400, 'max_character_limit_exceeded', 'Text is too long.');
        const format = request.query.get('output_format') ?? 'mp3_44100_128';
        const job = server.create(request, reply, (answer) => detail(answer, 429, 'too_many_concurrent_requests', 'Too many concurrent requests.'));
        if (!job) return;
        if (job.behaviour === 'fail') return detail(reply, 400, 'voice_not_found', 'The voice is no longer available.');
        if (format.startsWith('wav_')) return reply.bytes(200, wav(0.75, Number(format.slice(4))), 'audio/wav');
        return reply.bytes(200, Buffer.from('ID3fake-mp3'), 'audio/mpeg');
      }
    },
    { isCreate: (request) => request.method === 'POST' && request.path.startsWith('/v1/text-to-speech/') },
  );
}
