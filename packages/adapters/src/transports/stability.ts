import type { ProviderStatus } from '@doitong/core';
import type { CatalogEntry } from '../catalog/entry';
import { numberOption, stringOption } from '../catalog/shared/request-options';
import { headerOf, httpClient, messageOf, multipart, numberOf, objectOf, statusCode, stringOf, type Classifier } from '@doitong/core/provider-utils';
import { missingCredentials, requireCredentials, type FamilySettings, type LiveTransport } from './credentials';
import { inlineImage } from './media';
import { plannedMetadata } from './metadata';
import { refuseInvalid } from './request-checks';

/**
 * Stability AI's v2beta Stable Image SD3 endpoint (REFERENCE.md §10), synchronous. The body must be
 * multipart/form-data even without a file; `Accept: image/*` returns the PNG's bytes with
 * `finish-reason` and `seed` headers. A 403 named `content_moderation`, or a 200 whose
 * finish-reason is CONTENT_FILTERED, is the content's fault.
 */
export interface StabilityCredentials {
  apiKey: string;
}

export const stabilityClassifier: Classifier = ({ status, body }) => {
  const name = stringOf(objectOf(body).name);
  const message = messageOf(body, status);
  if (name === 'content_moderation') return { code: 'GENERATION_FAILED', message: `content refused: ${message}`, providerCode: name };
  return { code: statusCode(status), message, ...(name ? { providerCode: name } : {}) };
};

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes.length < 24 || bytes[1] !== 0x50 || bytes[2] !== 0x4e || bytes[3] !== 0x47) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

export function stabilityTransport(entry: CatalogEntry, settings: FamilySettings<StabilityCredentials>): LiveTransport {
  const call = httpClient({ ...settings, headersTimeoutMilliseconds: settings.headersTimeoutMilliseconds ?? 120_000 }, stabilityClassifier);
  return {
    livemode: true,
    unavailableReason: missingCredentials(settings),
    async start(request, context) {
      refuseInvalid(entry, request);
      const plan = entry.plan(request);
      const image = request.input.image ? inlineImage(entry, request.input.image) : undefined;
      const turbo = plan.wireModel.includes('turbo');
      const fields = multipart({
        prompt: request.input.text ?? '',
        model: plan.wireModel,
        output_format: 'png',
        mode: image ? 'image-to-image' : 'text-to-image',
        ...(image
          ? {
              image: { data: Buffer.from(image.base64, 'base64'), filename: `image.${image.mimeType.split('/')[1] ?? 'png'}`, contentType: image.mimeType },
              strength: String(numberOption(request, 'strength') ?? 0.5),
            }
          : { aspect_ratio: stringOption(request, 'aspectRatio') ?? '1:1' }),
        seed: numberOption(request, 'seed') !== undefined ? String(numberOption(request, 'seed')) : undefined,
        cfg_scale: numberOption(request, 'cfgScale') !== undefined ? String(numberOption(request, 'cfgScale')) : undefined,
        style_preset: stringOption(request, 'stylePreset'),
        // Turbo models take no negative prompt (§10).
        negative_prompt: !turbo && request.input.negativePrompt ? request.input.negativePrompt : undefined,
      });
      const result = await call({
        method: 'POST',
        url: '/v2beta/stable-image/generate/sd3',
        body: fields,
        create: true,
        signal: context.signal,
        headers: { authorization: `Bearer ${requireCredentials(entry, settings).apiKey}`, accept: 'image/*' },
        parse: ({ bytes, headers, contentType }) => ({
          bytes,
          contentType: contentType || 'image/png',
          finish: headerOf(headers, 'finish-reason'),
          seed: numberOf(headerOf(headers, 'seed')),
        }),
      });
      const handle = { model: plan.wireModel };
      if (result.finish === 'CONTENT_FILTERED') {
        return {
          handle,
          status: {
            state: 'failed',
            code: 'GENERATION_FAILED',
            message: 'Stability filtered the image (finish-reason CONTENT_FILTERED).',
            providerCode: 'CONTENT_FILTERED',
          } satisfies ProviderStatus,
        };
      }
      const size = pngSize(result.bytes);
      const metadata = {
        ...plannedMetadata(entry, request),
        format: result.contentType === 'image/jpeg' ? 'jpeg' : 'png',
        ...(size ? { ...size, resolution: `${size.width}x${size.height}` } : {}),
        ...(result.seed !== undefined ? { seed: result.seed } : {}),
      };
      return { handle, status: { state: 'succeeded', outputs: [{ kind: 'bytes', data: result.bytes, contentType: result.contentType, metadata }] } };
    },
  };
}
