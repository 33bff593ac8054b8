import type { JsonObject, ProviderStatus } from '@doitong/core';
import type { CatalogEntry } from '../catalog/entry';
import { booleanOption, numberOption, stringOption } from '../catalog/shared/request-options';
import {
  linkOutput,
  missingCredentials,
  numberOf,
  objectOf,
  plannedMetadata,
  refuseInvalid,
  requireCredentials,
  stringOf,
  unsignedCallback,
  type FamilySettings,
  type LiveTransport,
  requiredId,
} from './common';
import { httpClient, messageOf, statusCode, type Classifier } from './http';

/**
 * HeyGen avatar video (REFERENCE.md §15): `POST /v2/video/generate`, `GET /v1/video_status.get`.
 * Statuses pending, waiting, processing, completed, failed. Links expire after 7 days, so the
 * engine copies the file. No cancel is documented. The preset names of the catalog map to HeyGen
 * public avatar and voice ids (UNCONFIRMED: public ids change; any other string is sent as an id).
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

export const heygenClassifier: Classifier = ({ status, body }) => {
  const code = stringOf(objectOf(objectOf(body).error).code);
  return { code: statusCode(status), message: messageOf(body, status), ...(code ? { providerCode: code } : {}) };
};

export function heygenTransport(entry: CatalogEntry, settings: FamilySettings<HeyGenCredentials>): LiveTransport {
  const call = httpClient(settings, heygenClassifier);
  const headers = () => ({ 'x-api-key': requireCredentials(entry, settings).apiKey });
  return {
    livemode: true,
    unavailableReason: missingCredentials(settings),
    async start(request, context) {
      refuseInvalid(entry, request);
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
      const video = await call({ method: 'GET', url: '/v1/video_status.get', query: { video_id: String(handle.videoId) }, signal: context.signal, headers: headers(), parse: ({ body }) => objectOf(objectOf(body).data) });
      switch (stringOf(video.status)) {
        case 'pending':
        case 'waiting':
          return { state: 'queued', progress: 0 };
        case 'processing':
          return { state: 'running', progress: 50 };
        case 'failed': {
          const error = objectOf(video.error);
          return { state: 'failed', code: 'GENERATION_FAILED', message: stringOf(error.detail) ?? stringOf(error.message) ?? 'HeyGen reported the video as failed.', ...(stringOf(error.code) ? { providerCode: stringOf(error.code)! } : {}) };
        }
        case 'completed': {
          const url = stringOf(video.video_url);
          if (!url) throw new Error('a completed HeyGen video without video_url');
          const duration = numberOf(video.duration);
          return { state: 'succeeded', outputs: [linkOutput(url, 'video/mp4', { ...plannedMetadata(entry, request), ...(duration !== undefined ? { duration } : {}) })] };
        }
        default:
          throw new Error(`unknown HeyGen status ${JSON.stringify(video.status)}`);
      }
    },
    parseCallback: unsignedCallback,
  };
}
