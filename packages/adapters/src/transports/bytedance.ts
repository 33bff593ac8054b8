import type { JsonObject, JsonValue, ProviderStatus } from '@doitong/core';
import type { CatalogEntry } from '../catalog/entry';
import { booleanOption, numberOption, stringOption } from '../catalog/shared/request-options';
import { styledPrompt } from '../catalog/shared/style';
import { httpClient, messageOf, objectOf, requiredId, statusCode, stringOf, unsignedCallback, type Classifier } from '@doitong/core/provider-utils';
import { missingCredentials, requireCredentials, type FamilySettings, type LiveTransport } from './credentials';
import { linkOutput } from './media';
import { plannedMetadata } from './metadata';
import { refuseInvalid } from './request-checks';

/**
 * ByteDance on BytePlus ModelArk (REFERENCE.md §7 Seedance, §11 Seedream), one ARK API key.
 * Errors are `{error: {code, message, type}}`, classified by the code words of ModelArk's error
 * table (https://docs.byteplus.com/en/docs/ModelArk/1299023): anything naming sensitive content is
 * the content's fault; a model the account has not activated, a closed endpoint, an overdue
 * account or a spent quota is our account's state; parameters are the request's.
 */
export interface ArkCredentials {
  apiKey: string;
}

/** The account or the service, whatever the HTTP status: ModelNotOpen and InvalidEndpointOrModel.* are 404, ClosedEndpoint 400. */
const arkAccountCodes =
  /^(ModelNotOpen|InvalidEndpointOrModel|InvalidEndpoint\.ClosedEndpoint|AccountOverdueError|OperationDenied\.Service|QuotaExceeded|SetLimitExceeded|RateLimitExceeded|ServerOverloaded|InternalServiceError|ServiceUnavailable)/;

export const arkClassifier: Classifier = ({ status, body }) => {
  const code = stringOf(objectOf(objectOf(body).error).code);
  const message = messageOf(body, status);
  if (code && /Sensitive|Moderat|ContentFilter/i.test(code)) return { code: 'GENERATION_FAILED', message: `content refused: ${message}`, providerCode: code };
  if (code && arkAccountCodes.test(code)) return { code: 'PROVIDER_UNAVAILABLE', message, providerCode: code };
  if (code && /^(InvalidParameter|MissingParameter|InvalidArgument|InvalidImage)/.test(code)) return { code: 'INVALID_INPUT', message, providerCode: code };
  return { code: statusCode(status), message, ...(code ? { providerCode: code } : {}) };
};

/** Seedance video tasks: queued, running, succeeded, failed, cancelled (queued only), expired. */
export function seedanceTransport(entry: CatalogEntry, settings: FamilySettings<ArkCredentials>): LiveTransport {
  const call = httpClient(settings, arkClassifier);
  const headers = () => ({ authorization: `Bearer ${requireCredentials(entry, settings).apiKey}` });
  return {
    livemode: true,
    unavailableReason: missingCredentials(settings),
    async start(request, context) {
      refuseInvalid(entry, request);
      const plan = entry.plan(request);
      const content: JsonValue[] = [];
      const text = styledPrompt(request.input.text, stringOption(request, 'style'));
      if (text) content.push({ type: 'text', text });
      if (request.input.image) content.push({ type: 'image_url', image_url: { url: request.input.image }, role: 'first_frame' });
      const json: JsonObject = {
        model: plan.wireModel,
        content,
        resolution: stringOption(request, 'resolution') ?? '1080p',
        ratio: request.input.image ? 'adaptive' : (stringOption(request, 'aspectRatio') ?? '16:9'),
        duration: plan.duration ?? 5,
        camera_fixed: booleanOption(request, 'cameraFixed') ?? false,
        watermark: false,
      };
      const seed = numberOption(request, 'seed');
      if (seed !== undefined) json.seed = seed;
      if (context.callbackUrl) json.callback_url = context.callbackUrl;
      const id = await call({
        method: 'POST',
        url: '/api/v3/contents/generations/tasks',
        json,
        create: true,
        signal: context.signal,
        headers: headers(),
        parse: ({ body }) => requiredId(objectOf(body).id, 'id'),
      });
      return { handle: { taskId: id } };
    },
    async status(handle, request, context): Promise<ProviderStatus> {
      const task = await call({
        method: 'GET',
        url: `/api/v3/contents/generations/tasks/${encodeURIComponent(String(handle.taskId))}`,
        signal: context.signal,
        headers: headers(),
        parse: ({ body }) => objectOf(body),
      });
      const error = objectOf(task.error);
      switch (stringOf(task.status)) {
        case 'queued':
          return { state: 'queued', progress: 0 };
        case 'running':
          return { state: 'running', progress: 50 };
        case 'cancelled':
          return { state: 'cancelled' };
        case 'expired':
          // The provider let the task lapse without running it: its fault, and nothing runs there now.
          return {
            state: 'failed',
            code: 'PROVIDER_UNAVAILABLE',
            message: stringOf(error.message) ?? 'Seedance let the task expire before running it.',
            providerCode: 'expired',
          };
        case 'failed': {
          // A task's error code reads like the create call's: ModelArk's own fault (InternalServiceError) may fall back.
          const failure = arkClassifier({ status: 200, body: { error }, headers: {} });
          return {
            state: 'failed',
            code: failure.code === 'PROVIDER_UNAVAILABLE' ? 'PROVIDER_UNAVAILABLE' : 'GENERATION_FAILED',
            message: stringOf(error.message) ?? 'Seedance reported the task as failed.',
            ...(stringOf(error.code) ? { providerCode: stringOf(error.code)! } : {}),
          };
        }
        case 'succeeded': {
          const url = stringOf(objectOf(task.content).video_url);
          if (!url) throw new Error('a succeeded Seedance task without content.video_url');
          const metadata = plannedMetadata(entry, request);
          const fps = typeof task.framespersecond === 'number' ? task.framespersecond : undefined;
          const duration = typeof task.duration === 'number' ? task.duration : undefined;
          return { state: 'succeeded', outputs: [linkOutput(url, 'video/mp4', { ...metadata, ...(fps ? { fps } : {}), ...(duration ? { duration } : {}) })] };
        }
        default:
          throw new Error(`unknown Seedance status ${JSON.stringify(task.status)}`);
      }
    },
    async cancel(handle, _request, context) {
      return call({
        method: 'DELETE',
        url: `/api/v3/contents/generations/tasks/${encodeURIComponent(String(handle.taskId))}`,
        signal: context.signal,
        headers: headers(),
        parse: ({ status }) => status >= 200 && status < 300,
      });
    },
    parseCallback: unsignedCallback,
  };
}

/** Seedream images, synchronous: the link comes back in the create call (valid 24 hours). */
export function seedreamTransport(entry: CatalogEntry, settings: FamilySettings<ArkCredentials>): LiveTransport {
  const call = httpClient({ ...settings, headersTimeoutMilliseconds: settings.headersTimeoutMilliseconds ?? 120_000 }, arkClassifier);
  return {
    livemode: true,
    unavailableReason: missingCredentials(settings),
    async start(request, context) {
      refuseInvalid(entry, request);
      const plan = entry.plan(request);
      const json: JsonObject = {
        model: plan.wireModel,
        prompt: request.input.text ?? '',
        size: `${plan.width}x${plan.height}`,
        response_format: 'url',
        watermark: booleanOption(request, 'watermark') ?? false,
      };
      const seed = numberOption(request, 'seed');
      if (seed !== undefined) json.seed = seed;
      const guidance = numberOption(request, 'guidanceScale');
      if (guidance !== undefined && plan.wireModel.startsWith('seedream-3')) json.guidance_scale = guidance;
      if (request.input.image) json.image = request.input.image;
      const url = await call({
        method: 'POST',
        url: '/api/v3/images/generations',
        json,
        create: true,
        signal: context.signal,
        headers: { authorization: `Bearer ${requireCredentials(entry, settings).apiKey}` },
        parse: ({ body }) => {
          const link = stringOf(objectOf((objectOf(body).data as unknown[] | undefined)?.[0]).url);
          if (!link) throw new Error('no data[0].url in the answer');
          return link;
        },
      });
      return { handle: { model: plan.wireModel }, status: { state: 'succeeded', outputs: [linkOutput(url, 'image/jpeg', plannedMetadata(entry, request))] } };
    },
  };
}
