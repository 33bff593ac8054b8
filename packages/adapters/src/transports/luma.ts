import type { JsonObject, ProviderStatus } from '@doitong/core';
import type { CatalogEntry } from '../catalog/entry';
import { booleanOption, stringOption } from '../catalog/shared/request-options';
import { styledPrompt } from '../catalog/shared/style';
import { defaultClassifier, httpClient, objectOf, requiredId, stringOf, unsignedCallback } from '@doitong/core/provider-utils';
import { missingCredentials, requireCredentials, type FamilySettings, type LiveTransport } from './credentials';
import { linkOutput } from './media';
import { plannedMetadata } from './metadata';
import { refuseInvalid } from './request-checks';

/**
 * Luma Dream Machine (REFERENCE.md §5): `POST /dream-machine/v1/generations/video` (201 with the
 * generation), states queued → dreaming → completed | failed, `DELETE` removes a generation.
 * Callbacks are unsigned: they only trigger a status check.
 */
export interface LumaCredentials {
  apiKey: string;
}

export function lumaTransport(entry: CatalogEntry, settings: FamilySettings<LumaCredentials>): LiveTransport {
  const call = httpClient(settings, defaultClassifier);
  const headers = () => ({ authorization: `Bearer ${requireCredentials(entry, settings).apiKey}` });
  return {
    livemode: true,
    unavailableReason: missingCredentials(settings),
    async start(request, context) {
      refuseInvalid(entry, request);
      const plan = entry.plan(request);
      const json: JsonObject = {
        generation_type: 'video',
        model: plan.wireModel,
        prompt: styledPrompt(request.input.text, stringOption(request, 'style')),
        aspect_ratio: stringOption(request, 'aspectRatio') ?? '16:9',
        loop: booleanOption(request, 'loop') ?? false,
        duration: `${plan.duration ?? 5}s`,
        resolution: stringOption(request, 'resolution') ?? '720p',
      };
      if (request.input.image) json.keyframes = { frame0: { type: 'image', url: request.input.image } };
      if (context.callbackUrl) json.callback_url = context.callbackUrl;
      const id = await call({
        method: 'POST',
        url: '/dream-machine/v1/generations/video',
        json,
        create: true,
        signal: context.signal,
        headers: headers(),
        parse: ({ body }) => requiredId(objectOf(body).id, 'id'),
      });
      return { handle: { generationId: id } };
    },
    async status(handle, request, context): Promise<ProviderStatus> {
      const generation = await call({
        method: 'GET',
        url: `/dream-machine/v1/generations/${encodeURIComponent(String(handle.generationId))}`,
        signal: context.signal,
        headers: headers(),
        parse: ({ body }) => objectOf(body),
      });
      switch (stringOf(generation.state)) {
        case 'queued':
          return { state: 'queued', progress: 0 };
        case 'dreaming':
          return { state: 'running', progress: 50 };
        case 'failed':
          return {
            state: 'failed',
            code: 'GENERATION_FAILED',
            message: stringOf(generation.failure_reason) ?? 'Luma reported the generation as failed.',
            providerCode: 'failed',
          };
        case 'completed': {
          const url = stringOf(objectOf(generation.assets).video);
          if (!url) throw new Error('a completed Luma generation without assets.video');
          return { state: 'succeeded', outputs: [linkOutput(url, 'video/mp4', plannedMetadata(entry, request))] };
        }
        default:
          throw new Error(`unknown Luma state ${JSON.stringify(generation.state)}`);
      }
    },
    async cancel(handle, _request, context) {
      return call({
        method: 'DELETE',
        url: `/dream-machine/v1/generations/${encodeURIComponent(String(handle.generationId))}`,
        signal: context.signal,
        headers: headers(),
        parse: ({ status }) => status >= 200 && status < 300,
      });
    },
    parseCallback: unsignedCallback,
  };
}
