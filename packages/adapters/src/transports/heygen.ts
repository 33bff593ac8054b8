import type { JsonObject, ProviderStatus } from '@doitong/core';
import type { CatalogEntry } from '../catalog/entry';
import { heygenRoutes } from '../catalog/heygen';
import { booleanOption, numberOption, stringOption } from '../catalog/shared/request-options';
import { httpClient, messageOf, numberOf, objectOf, requiredId, statusCode, stringOf, unsignedCallback, type Classifier } from '@doitong/core/provider-utils';
import { missingCredentials, requireCredentials, type FamilySettings, type LiveTransport } from './credentials';
import { linkOutput } from './media';
import { plannedMetadata } from './metadata';
import { refuseInvalid } from './request-checks';
import { modelOf } from '../catalog/shared/request-options';

/**
 * HeyGen avatar video (REFERENCE.md §15). Avatar III: `POST /v2/video/generate`, then
 * `GET /v1/video_status.get` (pending, waiting, processing, completed, failed). Avatar IV has its
 * own route: `POST /v3/videos` (flat body: avatar_id, script, voice_id, aspect_ratio, resolution,
 * motion_prompt, expressiveness) and `GET /v3/videos/{id}` (failure_code, failure_message), from
 * https://developers.heygen.com/reference/create-video and /reference/get-video. Links expire
 * after 7 days, so the engine copies the file. No cancel is documented. The preset names of the
 * catalog map to HeyGen public avatar and voice ids (UNCONFIRMED: public ids change; any other
 * string is sent as an id).
 */
export interface HeyGenCredentials {
  apiKey: string;
}

const avatars: Record<string, string> = {
  kate: 'Kristin_public_3_20240108',
  josh: 'josh_lite3_20230714',
  anna: 'Anna_public_3_20240108',
  daniel: 'Daniel_public_3_20240108',
  monica: 'Monica_inSleeveless_20220819',
  tyler: 'Tyler-incasualsuit-20220721',
};
const voices: Record<string, string> = {
  professional_female: '1bd001e7e50f421d891986aad5158bc8',
  professional_male: '2d5b0e6cf36f460aa7fc47e3eee4ba54',
  friendly_female: '9b0dd4b1a4b04d1e8c7dbb0ef4bd9e0f',
  friendly_male: '077ab11b14f04ce0b49b5f6e5cc20979',
  narrator: '131a436c47064f708210df6628ef8f32',
};
const backgrounds: Record<string, JsonObject> = {
  modern_office: { type: 'color', value: '#D9DEE4' },
  studio: { type: 'color', value: '#2B2B2B' },
  living_room: { type: 'color', value: '#E8DCCB' },
  classroom: { type: 'color', value: '#DCE8D5' },
  green_screen: { type: 'color', value: '#00B140' },
  white: { type: 'color', value: '#FFFFFF' },
};

/**
 * Our HeyGen account's state, not the request: the v3 codes of developers.heygen.com/docs/
 * error-codes (insufficient_credit is 402, trial and quota limits 429) and the legacy numeric
 * ones of docs.heygen.com/reference/errors (40009 invalid credentials, 400599 plan tier, 400631
 * account suspended…), whatever HTTP status carries them.
 */
const accountCodes = new Set([
  'insufficient_credit',
  'trial_video_limit_exceeded',
  'quota_exceeded',
  'rate_limit_exceeded',
  'unauthorized',
  'forbidden',
  'resource_access_denied',
  'invalid_api_key',
  '40009',
  '400101',
  '400112',
  '401056',
  '401057',
  '400562',
  '400573',
  '400599',
  '400631',
]);
/** Text HeyGen refused (400105 BLOCKED_WORDS_DETECTED, 40039 INVALID_TEXT_INPUT): the content, not the request's shape. */
const contentCodes = new Set(['400105', '40039']);

export const heygenClassifier: Classifier = ({ status, body }) => {
  const code = stringOf(objectOf(objectOf(body).error).code) ?? stringOf(objectOf(body).code);
  const message = messageOf(body, status);
  const providerCode = code ? { providerCode: code } : {};
  if (code && accountCodes.has(code)) return { code: 'PROVIDER_UNAVAILABLE', message, ...providerCode };
  if (code && contentCodes.has(code)) return { code: 'GENERATION_FAILED', message, ...providerCode };
  return { code: statusCode(status), message, ...providerCode };
};

/** `gesture` as Avatar IV's motion prompt and expressiveness: the option a caller pays Avatar IV for. */
const gestures: Record<string, { prompt: string; expressiveness: 'low' | 'medium' | 'high' }> = {
  neutral: { prompt: 'Natural, relaxed posture with small, occasional hand gestures.', expressiveness: 'low' },
  friendly: { prompt: 'Warm smile, open hand gestures and slight nods while speaking.', expressiveness: 'medium' },
  energetic: { prompt: 'Lively, expressive hand gestures and animated head movement.', expressiveness: 'high' },
  calm: { prompt: 'Still, composed posture with slow, minimal gestures.', expressiveness: 'low' },
  professional: { prompt: 'Confident upright posture with measured, purposeful hand gestures.', expressiveness: 'medium' },
};

export function heygenTransport(entry: CatalogEntry, settings: FamilySettings<HeyGenCredentials>): LiveTransport {
  const call = httpClient(settings, heygenClassifier);
  const headers = () => ({ 'x-api-key': requireCredentials(entry, settings).apiKey });
  return {
    livemode: true,
    unavailableReason: missingCredentials(settings),
    async start(request, context) {
      refuseInvalid(entry, request);
      if (heygenRoutes[modelOf(request, 'avatar-iv')]?.endpoint === '/v3/videos') return startAvatarIv(request, context);
      const plan = entry.plan(request);
      const avatar = stringOption(request, 'avatarId') ?? 'kate';
      const voiceName = request.input.voice ?? 'professional_female';
      const voice: JsonObject = request.input.text
        ? { type: 'text', voice_id: voices[voiceName] ?? voiceName, input_text: request.input.text, speed: numberOption(request, 'speed') ?? 1 }
        : { type: 'audio', audio_url: request.input.audio ?? '' };
      const emotion = stringOption(request, 'emotion');
      if (emotion && voice.type === 'text') voice.emotion = emotion;
      const json: JsonObject = {
        video_inputs: [
          {
            character: { type: 'avatar', avatar_id: avatars[avatar] ?? avatar, avatar_style: stringOption(request, 'avatarStyle') ?? 'normal' },
            voice,
            background: backgrounds[stringOption(request, 'background') ?? 'studio'] ?? backgrounds.studio!,
          },
        ],
        dimension: { width: plan.width ?? 1920, height: plan.height ?? 1080 },
        caption: booleanOption(request, 'caption') ?? false,
        callback_id: request.generationId,
      };
      if (context.callbackUrl) json.callback_url = context.callbackUrl;
      const videoId = await call({
        method: 'POST',
        url: '/v2/video/generate',
        json,
        create: true,
        signal: context.signal,
        headers: headers(),
        parse: ({ body }) => requiredId(objectOf(objectOf(body).data).video_id, 'data.video_id'),
      });
      return { handle: { videoId } };
    },
    async status(handle, request, context): Promise<ProviderStatus> {
      if (handle.api === 'v3') return statusAvatarIv(handle, request, context);
      const video = await call({
        method: 'GET',
        url: '/v1/video_status.get',
        query: { video_id: String(handle.videoId) },
        signal: context.signal,
        headers: headers(),
        parse: ({ body }) => objectOf(objectOf(body).data),
      });
      switch (stringOf(video.status)) {
        case 'pending':
        case 'waiting':
          return { state: 'queued', progress: 0 };
        case 'processing':
          return { state: 'running', progress: 50 };
        case 'failed': {
          const error = objectOf(video.error);
          return {
            state: 'failed',
            code: 'GENERATION_FAILED',
            message: stringOf(error.detail) ?? stringOf(error.message) ?? 'HeyGen reported the video as failed.',
            ...(stringOf(error.code) ? { providerCode: stringOf(error.code)! } : {}),
          };
        }
        case 'completed': {
          const url = stringOf(video.video_url);
          if (!url) throw new Error('a completed HeyGen video without video_url');
          const duration = numberOf(video.duration);
          return {
            state: 'succeeded',
            outputs: [linkOutput(url, 'video/mp4', { ...plannedMetadata(entry, request), ...(duration !== undefined ? { duration } : {}) })],
          };
        }
        default:
          throw new Error(`unknown HeyGen status ${JSON.stringify(video.status)}`);
      }
    },
    parseCallback: unsignedCallback,
  };

  /** Avatar IV through `POST /v3/videos`: its own body, with the gesture as the motion prompt. */
  async function startAvatarIv(request: Parameters<LiveTransport['start']>[0], context: Parameters<LiveTransport['start']>[1]) {
    const avatar = stringOption(request, 'avatarId') ?? 'kate';
    const gesture = gestures[stringOption(request, 'gesture') ?? 'neutral'] ?? gestures.neutral!;
    const json: JsonObject = {
      type: 'avatar',
      avatar_id: avatars[avatar] ?? avatar,
      resolution: stringOption(request, 'resolution') ?? '1080p',
      aspect_ratio: stringOption(request, 'aspectRatio') ?? '16:9',
      background: backgrounds[stringOption(request, 'background') ?? 'studio'] ?? backgrounds.studio!,
      motion_prompt: gesture.prompt,
      expressiveness: gesture.expressiveness,
      callback_id: request.generationId,
    };
    if (request.input.text) {
      const voiceName = request.input.voice ?? 'professional_female';
      json.script = request.input.text;
      json.voice_id = voices[voiceName] ?? voiceName;
      json.voice_settings = { speed: numberOption(request, 'speed') ?? 1 };
    } else json.audio_url = request.input.audio ?? '';
    if (context.callbackUrl) json.callback_url = context.callbackUrl;
    const videoId = await call({
      method: 'POST',
      url: '/v3/videos',
      json,
      create: true,
      signal: context.signal,
      headers: headers(),
      parse: ({ body }) => requiredId(objectOf(objectOf(body).data).video_id, 'data.video_id'),
    });
    return { handle: { videoId, api: 'v3' } };
  }

  async function statusAvatarIv(
    handle: JsonObject,
    request: Parameters<LiveTransport['start']>[0],
    context: Parameters<LiveTransport['start']>[1],
  ): Promise<ProviderStatus> {
    const video = await call({
      method: 'GET',
      url: `/v3/videos/${encodeURIComponent(String(handle.videoId))}`,
      signal: context.signal,
      headers: headers(),
      parse: ({ body }) => objectOf(objectOf(body).data),
    });
    switch (stringOf(video.status)) {
      case 'pending':
      case 'waiting':
        return { state: 'queued', progress: 0 };
      case 'processing':
        return { state: 'running', progress: 50 };
      case 'failed': {
        // failure_code values are not listed by HeyGen (UNCONFIRMED): the generation's failure, refunded.
        const failureCode = stringOf(video.failure_code);
        return {
          state: 'failed',
          code: 'GENERATION_FAILED',
          message: stringOf(video.failure_message) ?? 'HeyGen reported the video as failed.',
          ...(failureCode ? { providerCode: failureCode } : {}),
        };
      }
      case 'completed': {
        const url = stringOf(video.video_url);
        if (!url) throw new Error('a completed HeyGen video without video_url');
        const duration = numberOf(video.duration);
        return {
          state: 'succeeded',
          outputs: [linkOutput(url, 'video/mp4', { ...plannedMetadata(entry, request), ...(duration !== undefined ? { duration } : {}) })],
        };
      }
      default:
        throw new Error(`unknown HeyGen status ${JSON.stringify(video.status)}`);
    }
  }
}
