import { ProviderError, type JsonObject, type ProviderStatus } from '@doitong/core';
import type { CatalogEntry } from '../catalog/entry';
import { numberOption, stringOption } from '../catalog/shared/request-options';
import { defaultClassifier, httpClient, messageOf, numberOf, objectOf, stringOf, unsignedCallback } from '@doitong/core/provider-utils';
import { missingCredentials, requireCredentials, type FamilySettings, type LiveTransport } from './credentials';
import { linkOutput } from './media';
import { plannedMetadata } from './metadata';
import { refuseInvalid } from './request-checks';
import { contentKinds, gatewayEntry, outputLinks, type GatewayAdapter, type GatewayModelOptions } from './gateway';
import { defaultGatewayInput, type InputMapper } from './replicate';

/**
 * fal's queue API (REFERENCE.md §18): `POST {queue}/{endpoint_id}` with `Authorization: Key …`,
 * then the returned status, result and cancel URLs. Those URLs drop the endpoint's sub-path
 * (`fal-ai/flux/schnell` is polled at `fal-ai/flux/requests/{id}`), so the returned ones are used
 * and the rule only applies when they are missing. A run's errors surface on the result fetch.
 * fal signs webhooks with ED25519 against keys fetched from a JWKS URL (UNCONFIRMED): a webhook
 * is not verified and only triggers a status check.
 */
export interface FalCredentials {
  apiKey: string;
}

/** `fal-ai/flux/schnell` → `fal-ai/flux`: the owner/alias part that request URLs use. */
export function falAppPath(endpoint: string): string {
  return endpoint.split('/').slice(0, 2).join('/');
}

export function falTransport(entry: CatalogEntry, settings: FamilySettings<FalCredentials>, mapInput: InputMapper, contentType: string): LiveTransport {
  const call = httpClient(settings, defaultClassifier);
  const headers = () => ({ authorization: `Key ${requireCredentials(entry, settings).apiKey}` });
  return {
    livemode: true,
    unavailableReason: missingCredentials(settings),
    async start(request, context) {
      refuseInvalid(entry, request);
      const endpoint = entry.plan(request).wireModel;
      const job = await call({
        method: 'POST',
        url: `/${endpoint}`,
        query: { fal_webhook: context.callbackUrl },
        json: mapInput(request),
        create: true,
        signal: context.signal,
        headers: headers(),
        parse: ({ body }) => {
          const value = objectOf(body);
          const id = stringOf(value.request_id);
          if (!id) throw new Error('no request_id in the submit answer');
          const base = `/${falAppPath(endpoint)}/requests/${encodeURIComponent(id)}`;
          return {
            requestId: id,
            statusUrl: stringOf(value.status_url) ?? `${base}/status`,
            responseUrl: stringOf(value.response_url) ?? base,
            cancelUrl: stringOf(value.cancel_url) ?? `${base}/cancel`,
          };
        },
      });
      return { handle: job };
    },
    async status(handle, request, context): Promise<ProviderStatus> {
      const status = await call({
        method: 'GET',
        url: String(handle.statusUrl),
        signal: context.signal,
        headers: headers(),
        parse: ({ body }) => objectOf(body),
      });
      switch (stringOf(status.status)) {
        case 'IN_QUEUE':
          return { state: 'queued', progress: 0 };
        case 'IN_PROGRESS':
          return { state: 'running', progress: 50 };
        case 'COMPLETED':
          break;
        default:
          throw new Error(`unknown fal status ${JSON.stringify(status.status)}`);
      }
      let result: Record<string, unknown>;
      try {
        result = await call({
          method: 'GET',
          url: String(handle.responseUrl),
          signal: context.signal,
          headers: headers(),
          parse: ({ body }) => objectOf(body),
        });
      } catch (error) {
        // The run ended with an error, surfaced on the result: a 5xx is fal's fault, anything else the input's or content's.
        if (error instanceof ProviderError && error.responseStatus !== undefined) {
          return {
            state: 'failed',
            code: error.responseStatus >= 500 ? 'PROVIDER_UNAVAILABLE' : 'GENERATION_FAILED',
            message: messageOf(error.responseBody, error.responseStatus),
            providerCode: String(error.responseStatus),
          };
        }
        throw error;
      }
      const url = outputLinks(result)[0];
      if (!url) throw new Error('a completed fal request without an output link');
      const image = objectOf((result.images as unknown[] | undefined)?.[0]);
      const width = numberOf(image.width);
      const height = numberOf(image.height);
      const seed = numberOf(result.seed);
      const metadata = {
        ...plannedMetadata(entry, request),
        ...(width && height ? { width, height, resolution: `${width}x${height}` } : {}),
        ...(seed !== undefined ? { seed } : {}),
      };
      return { state: 'succeeded', outputs: [linkOutput(url, stringOf(image.content_type) ?? contentType, metadata)] };
    },
    async cancel(handle, _request, context) {
      try {
        return await call({
          method: 'PUT',
          url: String(handle.cancelUrl),
          signal: context.signal,
          headers: headers(),
          parse: ({ body }) => stringOf(objectOf(body).status) === 'CANCELLATION_REQUESTED',
        });
      } catch (error) {
        // 400: the request already finished; nothing to cancel.
        if (error instanceof ProviderError && error.responseStatus === 400) return false;
        throw error;
      }
    },
    parseCallback: unsignedCallback,
  };
}

/** fal's `image_size` presets for the catalog's aspect ratios. */
const imageSizes: Record<string, string> = {
  '1:1': 'square_hd',
  '4:3': 'landscape_4_3',
  '16:9': 'landscape_16_9',
  '3:4': 'portrait_4_3',
  '9:16': 'portrait_16_9',
};

/** The catalog's `flux-schnell`: FLUX.1 [schnell] on fal's queue. */
export function fluxSchnellInput(request: Parameters<InputMapper>[0]): JsonObject {
  const input: JsonObject = {
    prompt: request.input.text ?? '',
    image_size: imageSizes[stringOption(request, 'aspectRatio') ?? '4:3'] ?? 'landscape_4_3',
    num_inference_steps: numberOption(request, 'steps') ?? 4,
    num_images: 1,
    enable_safety_checker: true,
    output_format: 'png',
  };
  const seed = numberOption(request, 'seed');
  if (seed !== undefined) input.seed = seed;
  return input;
}

/**
 * Any fal model as a Doitong provider, by endpoint id: `falGateway({ id: 'fal-flux-dev',
 * model: 'fal-ai/flux/dev', type: 'IMAGE', price: { creditCost: 3, estimatedTime: 5 } })`.
 * The key comes from `token` or `FAL_KEY`.
 */
export function falGateway(options: GatewayModelOptions): GatewayAdapter {
  const entry = gatewayEntry(options, 'fal');
  const key = options.token ?? process.env.FAL_KEY;
  const transport = falTransport(
    entry,
    {
      providerId: entry.id,
      baseUrl: options.baseUrl ?? 'https://queue.fal.run',
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      credentials: key ? { apiKey: key } : undefined,
      credentialHint: 'FAL_KEY',
    },
    options.input ?? defaultGatewayInput('image_url'),
    contentKinds[options.type].contentType,
  );
  return { ...entry, ...transport };
}
