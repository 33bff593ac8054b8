import type { GenerationRequest, JsonObject, JsonValue, ProviderStatus } from '@doitong/core';
import type { CatalogEntry } from '../catalog/entry';
import { numberOption, stringOption } from '../catalog/shared/request-options';
import { defaultClassifier, httpClient, objectOf, requiredId, stringOf, verifyStandardWebhook } from '@doitong/core/provider-utils';
import { missingCredentials, requireCredentials, type FamilySettings, type LiveTransport } from './credentials';
import { linkOutput } from './media';
import { plannedMetadata } from './metadata';
import { refuseInvalid } from './request-checks';
import { contentKinds, gatewayEntry, outputLinks, type GatewayAdapter, type GatewayModelOptions } from './gateway';

/**
 * Replicate's predictions API (REFERENCE.md §17): official models by `owner/name`, any other by
 * `owner/name:version`. Statuses starting, processing, succeeded, failed, canceled, aborted;
 * `POST /v1/predictions/{id}/cancel`. Webhooks are signed (Standard Webhooks): with the account's
 * webhook secret they are verified; without it they are only a reason to check the status.
 */
export interface ReplicateCredentials {
  apiToken: string;
  /** `whsec_…` from `GET /v1/webhooks/default/secret`. */
  webhookSecret?: string;
}

export type InputMapper = (request: GenerationRequest) => JsonObject;

export function replicateTransport(
  entry: CatalogEntry,
  settings: FamilySettings<ReplicateCredentials>,
  mapInput: InputMapper,
  contentType: string,
): LiveTransport {
  const call = httpClient(settings, defaultClassifier);
  const headers = () => ({ authorization: `Bearer ${requireCredentials(entry, settings).apiToken}` });
  return {
    livemode: true,
    unavailableReason: missingCredentials(settings),
    async start(request, context) {
      refuseInvalid(entry, request);
      const model = entry.plan(request).wireModel;
      const [name, version] = model.split(':');
      const json: JsonObject = { input: mapInput(request) };
      if (version) json.version = version;
      if (context.callbackUrl) {
        json.webhook = context.callbackUrl;
        json.webhook_events_filter = ['completed'];
      }
      const id = await call({
        method: 'POST',
        url: version ? '/v1/predictions' : `/v1/models/${name}/predictions`,
        json,
        create: true,
        signal: context.signal,
        headers: headers(),
        parse: ({ body }) => requiredId(objectOf(body).id, 'id'),
      });
      return { handle: { predictionId: id } };
    },
    async status(handle, request, context): Promise<ProviderStatus> {
      const prediction = await call({
        method: 'GET',
        url: `/v1/predictions/${encodeURIComponent(String(handle.predictionId))}`,
        signal: context.signal,
        headers: headers(),
        parse: ({ body }) => objectOf(body),
      });
      switch (stringOf(prediction.status)) {
        case 'starting':
          return { state: 'queued', progress: 0 };
        case 'processing':
          return { state: 'running', progress: 50 };
        case 'canceled':
          return { state: 'cancelled' };
        case 'aborted':
          // Ended by Replicate before it ran (a deadline): its fault, and nothing runs.
          return {
            state: 'failed',
            code: 'PROVIDER_UNAVAILABLE',
            message: stringOf(prediction.error) ?? 'Replicate aborted the prediction before it ran.',
            providerCode: 'aborted',
          };
        case 'failed':
          return { state: 'failed', code: 'GENERATION_FAILED', message: stringOf(prediction.error) ?? 'The prediction failed.', providerCode: 'failed' };
        case 'succeeded': {
          const url = outputLinks(prediction.output)[0];
          if (!url) throw new Error('a succeeded prediction without an output link');
          return { state: 'succeeded', outputs: [linkOutput(url, contentType, plannedMetadata(entry, request))] };
        }
        default:
          throw new Error(`unknown Replicate status ${JSON.stringify(prediction.status)}`);
      }
    },
    async cancel(handle, _request, context) {
      const prediction = await call({
        method: 'POST',
        url: `/v1/predictions/${encodeURIComponent(String(handle.predictionId))}/cancel`,
        signal: context.signal,
        headers: headers(),
        parse: ({ body }) => objectOf(body),
      });
      return stringOf(prediction.status) === 'canceled';
    },
    parseCallback(callback) {
      const secret = settings.credentials?.webhookSecret;
      return { verified: secret ? verifyStandardWebhook(secret, callback) : true, checkStatus: true };
    },
  };
}

/** The catalog's `flux-optimized`: Replicate's go_fast FLUX deployments with quality levels. */
export function fluxOptimizedInput(entry: CatalogEntry): InputMapper {
  return (request) => {
    const plan = entry.plan(request);
    const quality = stringOption(request, 'quality') ?? 'standard';
    const input: JsonObject = {
      prompt: request.input.text ?? '',
      aspect_ratio: stringOption(request, 'aspectRatio') ?? '1:1',
      go_fast: true,
      num_outputs: 1,
      megapixels: quality === 'draft' ? '0.25' : '1',
      output_format: quality === 'high' ? 'png' : 'webp',
      output_quality: quality === 'high' ? 100 : 80,
    };
    if (plan.wireModel.endsWith('flux-dev')) input.num_inference_steps = quality === 'draft' ? 12 : quality === 'high' ? 50 : 28;
    const seed = numberOption(request, 'seed');
    if (seed !== undefined) input.seed = seed;
    return input;
  };
}

/** The default input of a gateway model: prompt, image, negative prompt, then the options as given. */
export function defaultGatewayInput(imageField: string): InputMapper {
  return (request) => {
    const input: JsonObject = {};
    if (request.input.text) input.prompt = request.input.text;
    if (request.input.image) input[imageField] = request.input.image;
    if (request.input.negativePrompt) input.negative_prompt = request.input.negativePrompt;
    if (request.input.audio) input.audio_url = request.input.audio;
    if (request.input.video) input.video_url = request.input.video;
    for (const [name, value] of Object.entries(request.options)) if (name !== 'model') input[name] = value as JsonValue;
    return input;
  };
}

/**
 * Any Replicate model as a Doitong provider, by id: `replicateGateway({ id: 'wan-video',
 * model: 'wan-video/wan-2.2-t2v-fast', type: 'VIDEO', price: { creditCost: 30, estimatedTime: 60 } })`.
 * The token comes from `token` or `REPLICATE_API_TOKEN`.
 */
export function replicateGateway(options: GatewayModelOptions): GatewayAdapter {
  const entry = gatewayEntry(options, 'Replicate');
  const token = options.token ?? process.env.REPLICATE_API_TOKEN;
  const transport = replicateTransport(
    entry,
    {
      providerId: entry.id,
      baseUrl: options.baseUrl ?? 'https://api.replicate.com',
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      credentials: token
        ? { apiToken: token, ...(process.env.REPLICATE_WEBHOOK_SECRET ? { webhookSecret: process.env.REPLICATE_WEBHOOK_SECRET } : {}) }
        : undefined,
      credentialHint: 'REPLICATE_API_TOKEN',
    },
    options.input ?? defaultGatewayInput('image'),
    contentKinds[options.type].contentType,
  );
  return { ...entry, ...transport };
}
