import type { JsonObject, ProviderStatus } from '@doitong/core';
import type { CatalogEntry } from '../catalog/entry';
import { booleanOption, numberOption, stringOption } from '../catalog/shared/request-options';
import { defaultClassifier, httpClient, numberOf, objectOf, stringOf, unsignedCallback } from '@doitong/core/provider-utils';
import { missingCredentials, requireCredentials, type FamilySettings, type LiveTransport } from './credentials';
import { linkOutput, parseDataUrl } from './media';
import { plannedMetadata } from './metadata';
import { refuseInvalid } from './request-checks';

/**
 * Black Forest Labs' API for every Flux variant it serves (REFERENCE.md §9): `POST /v1/{model}`
 * with `x-key`, then the returned `polling_url` (which must be followed: the API is
 * multi-cluster) until `Ready`. `result.sample` links live about 10 minutes, so the engine copies
 * them at once. No cancel endpoint. BFL's webhook payload is UNCONFIRMED: a callback only
 * triggers a status check.
 */
export interface BflCredentials {
  apiKey: string;
}

/** BFL takes image prompts as base64 without a data: prefix, or (Kontext) as a link. */
function bflImage(image: string): string {
  return parseDataUrl(image)?.base64 ?? image;
}

export function bflTransport(entry: CatalogEntry, settings: FamilySettings<BflCredentials>): LiveTransport {
  const call = httpClient(settings, defaultClassifier);
  const headers = () => ({ 'x-key': requireCredentials(entry, settings).apiKey });

  function body(model: string, request: Parameters<LiveTransport['start']>[0]): JsonObject {
    const plan = entry.plan(request);
    const json: JsonObject = {
      prompt: request.input.text ?? '',
      output_format: 'png',
      prompt_upsampling: booleanOption(request, 'promptUpsampling') ?? false,
      safety_tolerance: numberOption(request, 'safetyTolerance') ?? 2,
    };
    const seed = numberOption(request, 'seed');
    if (seed !== undefined) json.seed = seed;
    if (model === 'flux-pro-1.1-ultra') {
      json.aspect_ratio = stringOption(request, 'aspectRatio') ?? '16:9';
      json.raw = stringOption(request, 'quality') === 'raw';
      if (request.input.image) {
        json.image_prompt = bflImage(request.input.image);
        json.image_prompt_strength = numberOption(request, 'imagePromptStrength') ?? 0.1;
      }
    } else if (model.startsWith('flux-kontext')) {
      json.aspect_ratio = stringOption(request, 'aspectRatio') ?? '1:1';
      if (request.input.image) json.input_image = bflImage(request.input.image);
    } else {
      json.width = plan.width ?? 1024;
      json.height = plan.height ?? 768;
      if (request.input.image) json.image_prompt = bflImage(request.input.image);
      const steps = numberOption(request, 'steps');
      if (steps !== undefined) json.steps = steps;
      const guidance = numberOption(request, 'guidance');
      if (guidance !== undefined) json.guidance = guidance;
    }
    return json;
  }

  return {
    livemode: true,
    unavailableReason: missingCredentials(settings),
    async start(request, context) {
      refuseInvalid(entry, request);
      const model = entry.plan(request).wireModel;
      const json = body(model, request);
      if (context.callbackUrl) json.webhook_url = context.callbackUrl;
      const job = await call({
        method: 'POST',
        url: `/v1/${model}`,
        json,
        create: true,
        signal: context.signal,
        headers: headers(),
        parse: ({ body: answer }) => {
          const value = objectOf(answer);
          const id = stringOf(value.id);
          if (!id) throw new Error('no id in the create answer');
          return { id, pollingUrl: stringOf(value.polling_url) ?? `/v1/get_result?id=${encodeURIComponent(id)}` };
        },
      });
      return { handle: job };
    },
    async status(handle, request, context): Promise<ProviderStatus> {
      const result = await call({
        method: 'GET',
        url: String(handle.pollingUrl),
        signal: context.signal,
        headers: headers(),
        parse: ({ body }) => objectOf(body),
      });
      // The Vercel SDK saw `state` in place of `status` on some answers; accept either.
      const word = stringOf(result.status) ?? stringOf(result.state);
      switch (word) {
        case 'Pending': {
          const progress = numberOf(result.progress);
          return { state: 'running', progress: progress !== undefined ? Math.round(progress <= 1 ? progress * 100 : progress) : 50 };
        }
        case 'Request Moderated':
        case 'Content Moderated':
          return { state: 'failed', code: 'GENERATION_FAILED', message: `BFL moderation: ${word}.`, providerCode: word };
        case 'Error':
        case 'Failed':
          return {
            state: 'failed',
            code: 'GENERATION_FAILED',
            message: stringOf(objectOf(result.details).message) ?? `BFL reported ${word}.`,
            providerCode: word,
          };
        case 'Task not found':
          // BFL lost the task: its fault, and nothing runs there any more.
          return { state: 'failed', code: 'PROVIDER_UNAVAILABLE', message: 'BFL no longer knows the task.', providerCode: word };
        case 'Ready': {
          const sample = stringOf(objectOf(result.result).sample);
          if (!sample) throw new Error('a Ready BFL result without result.sample');
          const seed = numberOf(objectOf(result.result).seed);
          return {
            state: 'succeeded',
            outputs: [linkOutput(sample, 'image/png', { ...plannedMetadata(entry, request), ...(seed !== undefined ? { seed } : {}) })],
          };
        }
        default:
          throw new Error(`unknown BFL status ${JSON.stringify(word)}`);
      }
    },
    parseCallback: unsignedCallback,
  };
}
