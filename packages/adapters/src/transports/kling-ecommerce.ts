import type { JsonObject, ProviderStatus } from '@doitong/core';
import type { CatalogEntry } from '../catalog/entry';
import { booleanOption, numberOption, stringOption } from '../catalog/shared/request-options';
import { callbackJson, httpClient, numberOf, objectOf, requiredId, stringOf, UpstreamFailure, verifyStandardWebhook } from '@doitong/core/provider-utils';
import { missingCredentials, requireCredentials, type FamilySettings, type LiveTransport } from './credentials';
import { linkOutput } from './media';
import { plannedMetadata } from './metadata';
import { refuseInvalid } from './request-checks';
import { klingClassifier, klingImage, klingState, type KlingCredentials } from './kling';

/**
 * Kling's e-commerce "talking agent" (REFERENCE.md §1D), a new-design API: the plain API key
 * (`KLING_API_KEY`; the JWT is for legacy-design APIs only), `POST /solutions/talking_agent`,
 * `GET /solutions?task_ids=`. Statuses: submitted, processing, succeeded, failed. No cancel.
 */
export function klingEcommerceTransport(entry: CatalogEntry, settings: FamilySettings<KlingCredentials>): LiveTransport {
  const call = httpClient(settings, klingClassifier);
  const apiKey = settings.credentials?.apiKey;
  const configured = { ...settings, credentials: apiKey ? settings.credentials : undefined, credentialHint: 'KLING_API_KEY' };

  return {
    livemode: true,
    unavailableReason: missingCredentials(configured),
    async start(request, context) {
      refuseInvalid(entry, request);
      const credentials = requireCredentials(entry, configured);
      const contents: JsonObject[] = [
        { type: 'avatar_id', text: stringOption(request, 'presenter') ?? 'avatar_anna_female' },
        { type: 'speech_script', text: request.input.text ?? '' },
      ];
      const title = stringOption(request, 'productTitle');
      if (title) contents.push({ type: 'goods_title', text: title });
      const price = stringOption(request, 'productPrice');
      if (price) contents.push({ type: 'goods_price', text: price });
      if (request.input.image) contents.push({ type: 'ref_image', url: klingImage(request.input.image) });
      const productMode = title !== undefined || price !== undefined;
      const settingsBody: JsonObject = {
        resolution: stringOption(request, 'resolution') ?? '720p',
        aspect_ratio: stringOption(request, 'aspectRatio') ?? '9:16',
        allow_polish: booleanOption(request, 'polish') ?? false,
        bgm_enabled: booleanOption(request, 'backgroundMusic') ?? false,
      };
      // speech_rate is refused in product-ad mode (§1D), so it is sent in presenter mode only.
      if (!productMode) settingsBody.speech_rate = numberOption(request, 'speechRate') ?? 1;
      const action = stringOption(request, 'actionPrompt');
      if (action) settingsBody.action_prompt = action;
      const options: JsonObject = { external_task_id: request.generationId };
      if (context.callbackUrl) options.callback_url = context.callbackUrl;
      const id = await call({
        method: 'POST',
        url: '/solutions/talking_agent',
        json: { contents, settings: settingsBody, options },
        create: true,
        signal: context.signal,
        headers: { authorization: `Bearer ${credentials.apiKey}` },
        parse: ({ status, body }) => {
          const envelope = objectOf(body);
          if (numberOf(envelope.code) !== 0) throw new UpstreamFailure(status, body);
          return requiredId(objectOf(envelope.data).id, 'data.id');
        },
      });
      return { handle: { taskId: id } };
    },
    async status(handle, request, context): Promise<ProviderStatus> {
      const credentials = requireCredentials(entry, configured);
      const task = await call({
        method: 'GET',
        url: '/solutions',
        query: { task_ids: String(handle.taskId) },
        signal: context.signal,
        headers: { authorization: `Bearer ${credentials.apiKey}` },
        parse: ({ status, body }) => {
          const envelope = objectOf(body);
          if (numberOf(envelope.code) !== 0) throw new UpstreamFailure(status, body);
          const list = Array.isArray(envelope.data) ? envelope.data : [];
          return objectOf(list.find((item) => stringOf(objectOf(item).id) === String(handle.taskId)) ?? list[0]);
        },
      });
      const state = klingState(stringOf(task.status));
      if (state === 'queued') return { state: 'queued', progress: 5 };
      if (state === 'running') return { state: 'running', progress: 50 };
      if (state === 'failed')
        return { state: 'failed', code: 'GENERATION_FAILED', message: stringOf(task.message) || 'Kling reported the task as failed.', providerCode: 'failed' };
      if (state !== 'succeeded') throw new Error(`unknown talking-agent status ${JSON.stringify(task.status)}`);
      const outputs = Array.isArray(task.outputs) ? task.outputs.map(objectOf) : [];
      const video = outputs.find((output) => output.type === 'video') ?? outputs[0] ?? {};
      const url = stringOf(video.url);
      if (!url) throw new Error('a succeeded talking-agent task without outputs[].url');
      const duration = numberOf(video.duration);
      return {
        state: 'succeeded',
        outputs: [linkOutput(url, 'video/mp4', { ...plannedMetadata(entry, request), ...(duration !== undefined ? { duration } : {}) })],
      };
    },
    parseCallback(callback) {
      const secret = settings.credentials?.webhookSecret;
      if (secret) return { verified: verifyStandardWebhook(secret, callback), checkStatus: true };
      return { verified: callbackJson(callback) !== undefined, checkStatus: true };
    },
  };
}
