import type { JsonObject, ProviderStatus } from '@doitong/core';
import type { CatalogEntry } from '../catalog/entry';
import { booleanOption, numberOption, stringOption } from '../catalog/shared/request-options';
import { styledPrompt } from '../catalog/shared/style';
import { httpClient, messageOf, objectOf, requiredId, stringOf, type Classifier } from '@doitong/core/provider-utils';
import { missingCredentials, requireCredentials, type FamilySettings, type LiveTransport } from './credentials';
import { formatOf, inlineImage, linkOutput } from './media';
import { plannedMetadata, wavMetadata } from './metadata';
import { refuseInvalid } from './request-checks';

/**
 * Google's APIs (REFERENCE.md §3 Veo, §8 Imagen, §14 Cloud Text-to-Speech), authenticated with an
 * API key in `x-goog-api-key`. Errors come in Google's envelope `{error: {code, message, status,
 * details}}`: the canonical `status` word and the `google.rpc.ErrorInfo` reason decide, never the
 * message (https://ai.google.dev/gemini-api/docs/troubleshooting; google/rpc/code.proto).
 */
export interface GoogleCredentials {
  apiKey: string;
}

/** The words that mean the caller's request; every other word is the provider's or our account's state. */
const callerStatuses = new Set(['INVALID_ARGUMENT', 'NOT_FOUND', 'OUT_OF_RANGE', 'ALREADY_EXISTS']);

/**
 * ErrorInfo reasons that are our key or project, not the request, even under INVALID_ARGUMENT
 * (an invalid key answers 400 INVALID_ARGUMENT with reason API_KEY_INVALID) or
 * FAILED_PRECONDITION (billing not enabled).
 */
const accountReasons = new Set([
  'API_KEY_INVALID',
  'API_KEY_EXPIRED',
  'API_KEY_SERVICE_BLOCKED',
  'BILLING_DISABLED',
  'SERVICE_DISABLED',
  'CONSUMER_SUSPENDED',
  'CONSUMER_INVALID',
  'ACCESS_TOKEN_EXPIRED',
]);

/** google.rpc.Code by number: an operation's `error` is a google.rpc.Status, often with the number only. */
const rpcCodes = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];

/** The status word of a google.rpc.Status: its `status`, or the name of its numeric `code`. */
export function googleStatusWord(status: Record<string, unknown>): string | undefined {
  const word = stringOf(status.status);
  if (word) return word;
  const code = typeof status.code === 'number' ? status.code : undefined;
  return code !== undefined ? rpcCodes[code] : undefined;
}

function errorReason(error: Record<string, unknown>): string | undefined {
  const details = Array.isArray(error.details) ? error.details : [];
  for (const detail of details) {
    const reason = stringOf(objectOf(detail).reason);
    if (reason) return reason;
  }
  return undefined;
}

export const googleClassifier: Classifier = ({ status, body }) => {
  const error = objectOf(objectOf(body).error);
  const word = stringOf(error.status);
  const reason = errorReason(error);
  const message = messageOf(body, status);
  const providerCode = reason ?? word;
  // FAILED_PRECONDITION is the project's state ("enable billing", a region without the free
  // tier): the provider cannot serve us now, whatever the request.
  if (reason && accountReasons.has(reason)) return { code: 'PROVIDER_UNAVAILABLE', message, providerCode };
  if (word) return { code: callerStatuses.has(word) ? 'INVALID_INPUT' : 'PROVIDER_UNAVAILABLE', message, providerCode: providerCode! };
  return { code: status === 400 || status === 404 ? 'INVALID_INPUT' : 'PROVIDER_UNAVAILABLE', message };
};

/**
 * An operation that ended with an error: INTERNAL, UNAVAILABLE and the like (by word or by
 * google.rpc.Code number: 13, 14) are Google's fault, as are quota, billing and key problems;
 * what the request itself caused (INVALID_ARGUMENT…) is the generation's failure.
 */
export function operationFailure(error: Record<string, unknown>, product: string): Extract<ProviderStatus, { state: 'failed' }> {
  const word = googleStatusWord(error);
  const contentFault = word !== undefined && (callerStatuses.has(word) || word === 'CANCELLED');
  const message = stringOf(error.message) ?? `${product} failed${word ? ` (${word})` : ''}.`;
  return { state: 'failed', code: contentFault ? 'GENERATION_FAILED' : 'PROVIDER_UNAVAILABLE', message, ...(word ? { providerCode: word } : {}) };
}

/** Veo through the Gemini API's long-running predict. No cancel is documented for its operations. */
export function veoTransport(entry: CatalogEntry, settings: FamilySettings<GoogleCredentials>): LiveTransport {
  const call = httpClient(settings, googleClassifier);
  const auth = () => ({ 'x-goog-api-key': requireCredentials(entry, settings).apiKey });
  return {
    livemode: true,
    unavailableReason: missingCredentials(settings),
    async start(request, context) {
      refuseInvalid(entry, request);
      const plan = entry.plan(request);
      const instance: JsonObject = { prompt: styledPrompt(request.input.text, stringOption(request, 'style')) };
      if (request.input.image) {
        const image = inlineImage(entry, request.input.image);
        instance.image = { bytesBase64Encoded: image.base64, mimeType: image.mimeType };
      }
      const parameters: JsonObject = {
        sampleCount: 1,
        durationSeconds: plan.duration ?? 8,
        aspectRatio: stringOption(request, 'aspectRatio') ?? '16:9',
        enhancePrompt: booleanOption(request, 'enhancePrompt') ?? true,
      };
      if (!plan.wireModel.startsWith('veo-2')) parameters.resolution = `${Math.min(plan.width ?? 720, plan.height ?? 720)}p`;
      const person = stringOption(request, 'personGeneration');
      if (person) parameters.personGeneration = person;
      if (request.input.negativePrompt) parameters.negativePrompt = request.input.negativePrompt;
      const name = await call({
        method: 'POST',
        url: `/v1beta/models/${plan.wireModel}:predictLongRunning`,
        json: { instances: [instance], parameters },
        create: true,
        signal: context.signal,
        headers: auth(),
        parse: ({ body }) => requiredId(objectOf(body).name, 'operation name'),
      });
      return { handle: { operation: name } };
    },
    async status(handle, request, context): Promise<ProviderStatus> {
      const operation = await call({
        method: 'GET',
        url: `/v1beta/${String(handle.operation)}`,
        signal: context.signal,
        headers: auth(),
        parse: ({ body }) => objectOf(body),
      });
      if (operation.done !== true) return { state: 'running', progress: 50 };
      const error = objectOf(operation.error);
      if (Object.keys(error).length > 0) return operationFailure(error, 'Veo');
      const result = objectOf(objectOf(operation.response).generateVideoResponse);
      const samples = Array.isArray(result.generatedSamples) ? result.generatedSamples : [];
      const video = objectOf(objectOf(samples[0]).video);
      const metadata = plannedMetadata(entry, request);
      const encoded = stringOf(video.encodedVideo);
      if (encoded) {
        const contentType = stringOf(video.encoding) ?? 'video/mp4';
        return {
          state: 'succeeded',
          outputs: [{ kind: 'bytes', data: Buffer.from(encoded, 'base64'), contentType, metadata: { ...metadata, format: formatOf(contentType) ?? 'mp4' } }],
        };
      }
      const uri = stringOf(video.uri);
      if (!uri) {
        const reasons = Array.isArray(result.raiMediaFilteredReasons) ? result.raiMediaFilteredReasons.map(String).join('; ') : '';
        return { state: 'failed', code: 'GENERATION_FAILED', message: `Veo filtered the video${reasons ? `: ${reasons}` : ''}.`, providerCode: 'RAI_FILTERED' };
      }
      // Google's file links download only with the API key.
      return { state: 'succeeded', outputs: [linkOutput(uri, 'video/mp4', metadata, auth())] };
    },
  };
}

/** Imagen through the Gemini API's synchronous predict: the image comes back in the create call. */
export function imagenTransport(entry: CatalogEntry, settings: FamilySettings<GoogleCredentials>): LiveTransport {
  const call = httpClient({ ...settings, headersTimeoutMilliseconds: settings.headersTimeoutMilliseconds ?? 120_000 }, googleClassifier);
  return {
    livemode: true,
    unavailableReason: missingCredentials(settings),
    async start(request, context) {
      refuseInvalid(entry, request);
      const plan = entry.plan(request);
      const parameters: JsonObject = {
        sampleCount: 1,
        aspectRatio: stringOption(request, 'aspectRatio') ?? '1:1',
        outputOptions: { mimeType: 'image/png' },
        includeRaiReason: true,
      };
      if ((plan.width ?? 0) > 1408 || (plan.height ?? 0) > 1408) parameters.sampleImageSize = '2K';
      const person = stringOption(request, 'personGeneration');
      if (person) parameters.personGeneration = person;
      const prediction = await call({
        method: 'POST',
        url: `/v1beta/models/${plan.wireModel}:predict`,
        json: { instances: [{ prompt: request.input.text ?? '' }], parameters },
        create: true,
        signal: context.signal,
        headers: { 'x-goog-api-key': requireCredentials(entry, settings).apiKey },
        parse: ({ body }) => objectOf((objectOf(body).predictions as unknown[] | undefined)?.[0]),
      });
      const data = stringOf(prediction.bytesBase64Encoded);
      const handle = { model: plan.wireModel };
      if (!data) {
        const reason = stringOf(prediction.raiFilteredReason) ?? 'Imagen returned no image (filtered by its safety system).';
        return { handle, status: { state: 'failed', code: 'GENERATION_FAILED', message: reason, providerCode: 'RAI_FILTERED' } };
      }
      const contentType = stringOf(prediction.mimeType) ?? 'image/png';
      const metadata = { ...plannedMetadata(entry, request), format: formatOf(contentType) ?? 'png' };
      return { handle, status: { state: 'succeeded', outputs: [{ kind: 'bytes', data: Buffer.from(data, 'base64'), contentType, metadata }] } };
    },
  };
}

/**
 * Voice names per family for en-US (Google's published voice list; other languages use the
 * family's "A" voice). UNCONFIRMED beyond the examples in REFERENCE.md §14.
 */
const englishVoices: Record<string, Record<string, string>> = {
  standard: { FEMALE: 'Standard-C', MALE: 'Standard-D' },
  wavenet: { FEMALE: 'Wavenet-F', MALE: 'Wavenet-D' },
  neural2: { FEMALE: 'Neural2-C', MALE: 'Neural2-D' },
  studio: { FEMALE: 'Studio-O', MALE: 'Studio-Q' },
  'chirp3-hd': { FEMALE: 'Chirp3-HD-Aoede', MALE: 'Chirp3-HD-Charon' },
};
const familyNames: Record<string, string> = { standard: 'Standard', wavenet: 'Wavenet', neural2: 'Neural2', studio: 'Studio', 'chirp3-hd': 'Chirp3-HD' };

/** Google Cloud Text-to-Speech, synchronous, LINEAR16 at 24 kHz (a WAV with its header). */
export function googleTtsTransport(entry: CatalogEntry, settings: FamilySettings<GoogleCredentials>): LiveTransport {
  const call = httpClient(settings, googleClassifier);
  return {
    livemode: true,
    unavailableReason: missingCredentials(settings),
    async start(request, context) {
      refuseInvalid(entry, request);
      const family = entry.plan(request).wireModel;
      const languageCode = stringOption(request, 'languageCode') ?? 'en-US';
      const gender = stringOption(request, 'gender') ?? 'FEMALE';
      const text = request.input.text ?? '';
      const voice: JsonObject = { languageCode, ssmlGender: gender };
      if (request.input.voice) voice.name = request.input.voice;
      else if (gender !== 'NEUTRAL') {
        voice.name =
          languageCode === 'en-US' ? `en-US-${englishVoices[family]?.[gender] ?? 'Wavenet-F'}` : `${languageCode}-${familyNames[family] ?? 'Wavenet'}-A`;
      }
      const audio = await call({
        method: 'POST',
        url: '/v1/text:synthesize',
        json: {
          input: text.trimStart().startsWith('<speak>') ? { ssml: text } : { text },
          voice,
          audioConfig: {
            audioEncoding: 'LINEAR16',
            sampleRateHertz: 24_000,
            speakingRate: numberOption(request, 'speed') ?? 1,
            pitch: numberOption(request, 'pitch') ?? 0,
            volumeGainDb: numberOption(request, 'volumeGainDb') ?? 0,
          },
        },
        create: true,
        signal: context.signal,
        headers: { 'x-goog-api-key': requireCredentials(entry, settings).apiKey },
        parse: ({ body }) => {
          const content = stringOf(objectOf(body).audioContent);
          if (!content) throw new Error('no audioContent in the answer');
          return Buffer.from(content, 'base64');
        },
      });
      const metadata = { ...wavMetadata(audio), model: family };
      return {
        handle: { model: family },
        status: { state: 'succeeded', outputs: [{ kind: 'bytes', data: new Uint8Array(audio), contentType: 'audio/wav', metadata }] },
      };
    },
  };
}
