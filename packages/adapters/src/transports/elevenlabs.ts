import type { JsonObject } from '@doitong/core';
import type { CatalogEntry } from '../catalog/entry';
import { elevenLabsVoices } from '../catalog/elevenlabs';
import { numberOption, stringOption } from '../catalog/shared/request-options';
import { httpClient, messageOf, objectOf, statusCode, stringOf, type Classifier } from '@doitong/core/provider-utils';
import { missingCredentials, requireCredentials, type FamilySettings, type LiveTransport } from './credentials';
import { wavMetadata } from './metadata';
import { refuseInvalid } from './request-checks';

/**
 * ElevenLabs text-to-speech (REFERENCE.md §13), synchronous: `POST /v1/text-to-speech/{voice_id}`
 * with `xi-api-key`, asked for `wav_24000` so the answer is a WAV with a header. Errors carry
 * `detail.status` words (`voice_not_found`, `quota_exceeded`…) or, for validation, a list.
 */
export interface ElevenLabsCredentials {
  apiKey: string;
}

const callerWords = new Set(['voice_not_found', 'max_character_limit_exceeded', 'invalid_voice_settings', 'model_not_found']);

export const elevenLabsClassifier: Classifier = ({ status, body }) => {
  const word = stringOf(objectOf(objectOf(body).detail).status);
  const message = messageOf(body, status);
  if (word && callerWords.has(word)) return { code: 'INVALID_INPUT', message, providerCode: word };
  if (word)
    return {
      code:
        status === 422 || status === 400
          ? word.includes('quota') || word.includes('api_key')
            ? 'PROVIDER_UNAVAILABLE'
            : 'INVALID_INPUT'
          : 'PROVIDER_UNAVAILABLE',
      message,
      providerCode: word,
    };
  return { code: statusCode(status), message };
};

/** What `emotion` becomes: an audio tag on Eleven v3, voice settings elsewhere. */
const emotionSettings: Record<string, { stability: number; style: number }> = {
  neutral: { stability: 0.5, style: 0 },
  calm: { stability: 0.8, style: 0.1 },
  happy: { stability: 0.35, style: 0.5 },
  excited: { stability: 0.25, style: 0.8 },
  sad: { stability: 0.6, style: 0.4 },
  angry: { stability: 0.3, style: 0.9 },
  whispering: { stability: 0.7, style: 0.3 },
};

export function elevenLabsTransport(entry: CatalogEntry, settings: FamilySettings<ElevenLabsCredentials>): LiveTransport {
  const call = httpClient(settings, elevenLabsClassifier);
  return {
    livemode: true,
    unavailableReason: missingCredentials(settings),
    async start(request, context) {
      refuseInvalid(entry, request);
      const model = entry.plan(request).wireModel;
      const voiceId = request.input.voice
        ? (elevenLabsVoices[request.input.voice] ?? request.input.voice)
        : (elevenLabsVoices[stringOption(request, 'voice') ?? 'rachel'] ?? elevenLabsVoices.rachel!);
      const emotion = stringOption(request, 'emotion');
      const text = request.input.text ?? '';
      const voiceSettings: JsonObject = {
        stability: numberOption(request, 'stability') ?? 0.5,
        similarity_boost: numberOption(request, 'similarityBoost') ?? 0.75,
        speed: numberOption(request, 'speed') ?? 1,
      };
      if (emotion && model !== 'eleven_v3' && emotionSettings[emotion]) {
        voiceSettings.stability = emotionSettings[emotion].stability;
        voiceSettings.style = emotionSettings[emotion].style;
      }
      const json: JsonObject = { text: emotion && model === 'eleven_v3' ? `[${emotion}] ${text}` : text, model_id: model, voice_settings: voiceSettings };
      const language = stringOption(request, 'languageCode');
      if (language) json.language_code = language;
      const seed = numberOption(request, 'seed');
      if (seed !== undefined) json.seed = seed;
      const audio = await call({
        method: 'POST',
        url: `/v1/text-to-speech/${encodeURIComponent(voiceId)}`,
        query: { output_format: 'wav_24000' },
        json,
        create: true,
        signal: context.signal,
        headers: { 'xi-api-key': requireCredentials(entry, settings).apiKey, accept: 'audio/wav' },
        parse: ({ bytes }) => {
          if (bytes.length === 0) throw new Error('an empty audio answer');
          return bytes;
        },
      });
      return {
        handle: { model, voiceId },
        status: { state: 'succeeded', outputs: [{ kind: 'bytes', data: audio, contentType: 'audio/wav', metadata: { ...wavMetadata(audio), model } }] },
      };
    },
  };
}
