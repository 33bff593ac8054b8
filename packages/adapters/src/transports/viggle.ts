import type { ProviderStatus } from '@doitong/core';
import type { CatalogEntry } from '../catalog/entry';
import { booleanOption, stringOption } from '../catalog/shared/request-options';
import { httpClient, messageOf, multipart, numberOf, objectOf, requiredId, statusCode, stringOf, type Classifier } from '@doitong/core/provider-utils';
import { missingCredentials, requireCredentials, type FamilySettings, type LiveTransport } from './credentials';
import { linkOutput, parseDataUrl } from './media';
import { plannedMetadata } from './metadata';
import { refuseInvalid } from './request-checks';

/**
 * Viggle's render API, the dance model (REFERENCE.md §6): multipart `POST /api/render` with a
 * character image and a driving video (links or files), `GET /api/render/{job_id}`, `DELETE` to
 * cancel (Viggle refunds). The HTTP status of each error code is UNCONFIRMED, so the
 * `detail.error_code` family decides. No callbacks are documented: polled.
 */
export interface ViggleCredentials {
  apiKey: string;
}

export const viggleClassifier: Classifier = ({ status, body }) => {
  const detail = objectOf(objectOf(body).detail);
  const code = stringOf(detail.error_code);
  const message = messageOf(body, status);
  if (code?.startsWith('CS-ORIV')) return { code: 'INVALID_INPUT', message, providerCode: code };
  if (code?.startsWith('CS-ORAU') || code?.startsWith('CS-ORCR')) return { code: 'PROVIDER_UNAVAILABLE', message, providerCode: code };
  return { code: statusCode(status), message, ...(code ? { providerCode: code } : {}) };
};

function filePart(value: string, name: string, fallbackType: string) {
  const parsed = parseDataUrl(value);
  if (!parsed) return undefined;
  const type = parsed.mimeType || fallbackType;
  return { data: Buffer.from(parsed.base64, 'base64'), filename: `${name}.${type.split('/')[1] ?? 'bin'}`, contentType: type };
}

export function viggleTransport(entry: CatalogEntry, settings: FamilySettings<ViggleCredentials>): LiveTransport {
  const call = httpClient(settings, viggleClassifier);
  const headers = () => ({ authorization: `Bearer ${requireCredentials(entry, settings).apiKey}` });
  return {
    livemode: true,
    unavailableReason: missingCredentials(settings),
    async start(request, context) {
      refuseInvalid(entry, request);
      const image = request.input.image ?? '';
      const video = request.input.video ?? '';
      const imageFile = filePart(image, 'ref_image', 'image/png');
      const videoFile = filePart(video, 'driving_video', 'video/mp4');
      const background = stringOption(request, 'backgroundMode') ?? 'original';
      const form = multipart({
        ...(imageFile ? { ref_image: imageFile } : { ref_image_url: image }),
        ...(videoFile ? { driving_video: videoFile } : { driving_video_url: video }),
        model: entry.plan(request).wireModel,
        background_mode: background,
        bg_color: background === 'solid' ? (stringOption(request, 'backgroundColor') ?? '255,255,255') : undefined,
        fast: String(booleanOption(request, 'fast') ?? false),
      });
      const jobId = await call({
        method: 'POST',
        url: '/api/render',
        body: form,
        create: true,
        signal: context.signal,
        headers: headers(),
        parse: ({ body }) => requiredId(objectOf(body).job_id, 'job_id'),
      });
      return { handle: { jobId } };
    },
    async status(handle, request, context): Promise<ProviderStatus> {
      const job = await call({
        method: 'GET',
        url: `/api/render/${encodeURIComponent(String(handle.jobId))}`,
        signal: context.signal,
        headers: headers(),
        parse: ({ body }) => objectOf(body),
      });
      switch (stringOf(job.status)) {
        case 'queued':
          return { state: 'queued', progress: 0 };
        case 'processing':
          return { state: 'running', progress: Math.min(99, Math.max(0, numberOf(job.progress_pct) ?? 50)) };
        case 'cancelled':
          return { state: 'cancelled' };
        case 'failed':
          return {
            state: 'failed',
            code: 'GENERATION_FAILED',
            message: stringOf(job.error_message) ?? 'Viggle reported the render as failed.',
            ...(stringOf(job.error_code) ? { providerCode: stringOf(job.error_code)! } : {}),
          };
        case 'complete': {
          const url = stringOf(job.cdn_url);
          if (!url) throw new Error('a complete Viggle render without cdn_url');
          return { state: 'succeeded', outputs: [linkOutput(url, 'video/mp4', { ...plannedMetadata(entry, request), duration: undefined })] };
        }
        default:
          throw new Error(`unknown Viggle status ${JSON.stringify(job.status)}`);
      }
    },
    async cancel(handle, _request, context) {
      return call({
        method: 'DELETE',
        url: `/api/render/${encodeURIComponent(String(handle.jobId))}`,
        signal: context.signal,
        headers: headers(),
        parse: ({ status }) => status >= 200 && status < 300,
      });
    },
  };
}
