import { createHmac } from 'node:crypto';
import type { GenerationRequest, JsonObject, ProviderStatus } from '@doitong/core';
import type { CatalogEntry } from '../catalog/entry';
import { numberOption, stringOption } from '../catalog/shared/request-options';
import { styledPrompt } from '../catalog/shared/style';
import {
  callbackJson,
  httpClient,
  messageOf,
  numberOf,
  objectOf,
  requiredId,
  stringOf,
  UpstreamFailure,
  verifyStandardWebhook,
  type Classifier,
} from '@doitong/core/provider-utils';
import { missingCredentials, requireCredentials, type FamilySettings, type LiveTransport } from './credentials';
import { linkOutput } from './media';
import { plannedMetadata } from './metadata';
import { refuseInvalid } from './request-checks';

/**
 * Kling's classic (legacy-design) task API: REFERENCE.md §1 (video) and §1A (Kolors images).
 * Authenticated with a JWT signed per call from the access key and secret key (HS256, 30 minutes,
 * 5 s of clock skew), or with the newer plain API key. Statuses: submitted, processing, succeed
 * (no "ed": the classic API's word), failed. Kling has no cancel endpoint.
 */
export interface KlingCredentials {
  accessKey?: string;
  secretKey?: string;
  /** The new-system API key, sent as it is instead of a JWT. */
  apiKey?: string;
  /** The console's webhook secret (`whsec_…`): callbacks are then verified (Standard Webhooks). */
  webhookSecret?: string;
}

/** HS256 JWT as Kling documents it: iss = access key, exp = now + 1800, nbf = now - 5. */
export function klingJwt(accessKey: string, secretKey: string, nowMilliseconds: number): string {
  const now = Math.floor(nowMilliseconds / 1000);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ iss: accessKey, exp: now + 1800, nbf: now - 5 })}`;
  return `${unsigned}.${createHmac('sha256', secretKey).update(unsigned).digest('base64url')}`;
}

export function klingAuthorization(credentials: KlingCredentials, now: number): string {
  if (credentials.apiKey) return `Bearer ${credentials.apiKey}`;
  return `Bearer ${klingJwt(credentials.accessKey ?? '', credentials.secretKey ?? '', now)}`;
}

/** Kling's error table (§1.7): the `code` decides, not the HTTP status alone. */
export const klingClassifier: Classifier = ({ status, body }) => {
  const code = numberOf(objectOf(body).code);
  const message = messageOf(body, status);
  const providerCode = code !== undefined ? String(code) : undefined;
  if (code === 1300 || code === 1301) return { code: 'GENERATION_FAILED', message: `content refused: ${message}`, providerCode };
  if (code !== undefined && code >= 1200 && code < 1300) return { code: 'INVALID_INPUT', message, providerCode };
  if (code !== undefined && ((code >= 1000 && code < 1200) || code >= 1302)) return { code: 'PROVIDER_UNAVAILABLE', message, providerCode };
  return { code: status === 400 || status === 404 ? 'INVALID_INPUT' : 'PROVIDER_UNAVAILABLE', message, providerCode };
};

/** Kling's words, mapped once (Appendix A). `succeeded` is the 2026 API's spelling. */
export function klingState(word: string | undefined): 'queued' | 'running' | 'succeeded' | 'failed' | undefined {
  switch (word) {
    case 'submitted':
      return 'queued';
    case 'processing':
      return 'running';
    case 'succeed':
    case 'succeeded':
      return 'succeeded';
    case 'failed':
      return 'failed';
    default:
      return undefined;
  }
}

/** Kling takes base64 images without the `data:` prefix; URLs as they are. */
export function klingImage(image: string): string {
  const match = /^data:[^;,]+;base64,(.*)$/s.exec(image);
  return match ? match[1]! : image;
}

export function klingTransport(entry: CatalogEntry, settings: FamilySettings<KlingCredentials>): LiveTransport {
  const call = httpClient(settings, klingClassifier);
  const image = entry.types.includes('IMAGE');

  function body(request: GenerationRequest, callbackUrl: string | undefined): { path: string; json: JsonObject } {
    const plan = entry.plan(request);
    const json: JsonObject = { model_name: plan.wireModel, external_task_id: request.generationId };
    if (callbackUrl) json.callback_url = callbackUrl;
    if (request.input.negativePrompt) json.negative_prompt = request.input.negativePrompt;
    if (image) {
      json.prompt = request.input.text ?? '';
      json.aspect_ratio = stringOption(request, 'aspectRatio') ?? '16:9';
      json.n = 1;
      // resolution exists on the newer (2.x) image models only (§1A).
      if (plan.wireModel.startsWith('kling-v2')) json.resolution = stringOption(request, 'resolution') ?? '1k';
      if (request.input.image) {
        json.image = klingImage(request.input.image);
        json.image_fidelity = numberOption(request, 'imageFidelity') ?? 0.5;
        if (stringOption(request, 'imageReference')) json.image_reference = stringOption(request, 'imageReference')!;
      }
      return { path: '/v1/images/generations', json };
    }
    json.prompt = styledPrompt(request.input.text, stringOption(request, 'style'));
    json.mode = stringOption(request, 'mode') ?? 'std';
    // The classic API takes duration as a string enum: "5" or "10".
    json.duration = String(numberOption(request, 'duration') ?? 5);
    if (!plan.wireModel.startsWith('kling-v2')) json.cfg_scale = numberOption(request, 'cfgScale') ?? 0.5;
    const camera = stringOption(request, 'cameraMovement');
    if (camera) json.camera_control = { type: camera };
    if (request.input.image) {
      json.image = klingImage(request.input.image);
      return { path: '/v1/videos/image2video', json };
    }
    json.aspect_ratio = stringOption(request, 'aspectRatio') ?? '16:9';
    return { path: '/v1/videos/text2video', json };
  }

  return {
    livemode: true,
    unavailableReason: missingCredentials(settings),
    async start(request, context) {
      refuseInvalid(entry, request);
      const credentials = requireCredentials(entry, settings);
      const { path, json } = body(request, context.callbackUrl);
      const taskId = await call({
        method: 'POST',
        url: path,
        json,
        create: true,
        signal: context.signal,
        headers: { authorization: klingAuthorization(credentials, context.now()) },
        parse: ({ status, body: answer }) => {
          const envelope = objectOf(answer);
          if (numberOf(envelope.code) !== 0) throw new UpstreamFailure(status, answer);
          return requiredId(objectOf(envelope.data).task_id, 'data.task_id');
        },
      });
      return { handle: { taskId, path } };
    },
    async status(handle, request, context): Promise<ProviderStatus> {
      const credentials = requireCredentials(entry, settings);
      const task = await call({
        method: 'GET',
        url: `${String(handle.path)}/${encodeURIComponent(String(handle.taskId))}`,
        signal: context.signal,
        headers: { authorization: klingAuthorization(credentials, context.now()) },
        parse: ({ status, body: answer }) => {
          const envelope = objectOf(answer);
          if (numberOf(envelope.code) !== 0) throw new UpstreamFailure(status, answer);
          return objectOf(envelope.data);
        },
      });
      const state = klingState(stringOf(task.task_status));
      if (state === 'queued') return { state: 'queued', progress: 5 };
      if (state === 'running') return { state: 'running', progress: 50 };
      if (state === 'failed') {
        return {
          state: 'failed',
          code: 'GENERATION_FAILED',
          message: stringOf(task.task_status_msg) || 'Kling reported the task as failed.',
          providerCode: 'failed',
        };
      }
      if (state !== 'succeeded') throw new Error(`unknown Kling task_status ${JSON.stringify(task.task_status)}`);
      const result = objectOf(task.task_result);
      const metadata = plannedMetadata(entry, request);
      if (image) {
        const first = objectOf((result.images as unknown[] | undefined)?.[0]);
        const url = stringOf(first.url);
        if (!url) throw new Error('a succeeded Kolors task without task_result.images[0].url');
        return { state: 'succeeded', outputs: [linkOutput(url, 'image/png', metadata)] };
      }
      const video = objectOf((result.videos as unknown[] | undefined)?.[0]);
      const url = stringOf(video.url);
      if (!url) throw new Error('a succeeded Kling task without task_result.videos[0].url');
      // Kling returns the true length as a string ("5.1").
      const duration = numberOf(video.duration);
      return { state: 'succeeded', outputs: [linkOutput(url, 'video/mp4', { ...metadata, ...(duration !== undefined ? { duration } : {}) })] };
    },
    parseCallback(callback) {
      const secret = settings.credentials?.webhookSecret;
      // Kling signs only when a webhook secret exists in its console; then nothing unsigned is believed.
      if (secret) return { verified: verifyStandardWebhook(secret, callback), checkStatus: true };
      return { verified: callbackJson(callback) !== undefined, checkStatus: true };
    },
  };
}
