import type { JsonObject, ProviderStatus } from '@doitong/core';
import type { CatalogEntry } from '../catalog/entry';
import { cameraCommands } from '../catalog/minimax';
import { booleanOption, stringOption } from '../catalog/shared/request-options';
import { styledPrompt } from '../catalog/shared/style';
import { callbackJson, httpClient, numberOf, objectOf, requiredId, stringOf, UpstreamFailure, type Classifier } from '@doitong/core/provider-utils';
import { missingCredentials, requireCredentials, type FamilySettings, type LiveTransport } from './credentials';
import { linkOutput } from './media';
import { plannedMetadata } from './metadata';
import { refuseInvalid } from './request-checks';

/**
 * MiniMax Hailuo video (REFERENCE.md §2): create, poll the query endpoint, then exchange the
 * `file_id` for a download link. Most errors come as HTTP 200 with a non-zero
 * `base_resp.status_code`, so every answer's `base_resp` is checked. No cancel endpoint.
 */
export interface MinimaxCredentials {
  apiKey: string;
}

/** §2.5's codes: 1026/1027 are the content's fault; 2013 the request's; the rest the provider's or our account's. */
export const minimaxClassifier: Classifier = ({ status, body }) => {
  const base = objectOf(objectOf(body).base_resp);
  const code = numberOf(base.status_code);
  const message = stringOf(base.status_msg) ?? `HTTP ${status}`;
  const providerCode = code !== undefined ? String(code) : undefined;
  if (code === 1026 || code === 1027) return { code: 'GENERATION_FAILED', message: `content refused: ${message}`, providerCode };
  if (code === 2013 || code === 1042 || code === 1039) return { code: 'INVALID_INPUT', message, providerCode };
  if (code === undefined && status >= 400 && status < 500 && status !== 401 && status !== 403 && status !== 429)
    return { code: 'INVALID_INPUT', message, providerCode };
  return { code: 'PROVIDER_UNAVAILABLE', message, providerCode };
};

/**
 * A task that ended `Fail`: its base_resp says why. A refused input or output (1026, 1027) and
 * an input the task could not use are the generation's failure; MiniMax's own errors (1000
 * unknown, 1024 internal, 1033 system) are its fault, which another provider may not repeat.
 */
function failedTask(task: Record<string, unknown>): ProviderStatus {
  const base = objectOf(task.base_resp);
  const code = numberOf(base.status_code);
  if (code === undefined || code === 0)
    return { state: 'failed', code: 'GENERATION_FAILED', message: stringOf(base.status_msg) || 'MiniMax reported the task as failed.', providerCode: 'Fail' };
  const classification = minimaxClassifier({ status: 200, body: task, headers: {} });
  return {
    state: 'failed',
    code: classification.code === 'PROVIDER_UNAVAILABLE' ? 'PROVIDER_UNAVAILABLE' : 'GENERATION_FAILED',
    message: classification.message,
    providerCode: String(code),
  };
}

function checked(status: number, body: unknown): Record<string, unknown> {
  const value = objectOf(body);
  if (numberOf(objectOf(value.base_resp).status_code) !== 0) throw new UpstreamFailure(status, body);
  return value;
}

export function minimaxTransport(entry: CatalogEntry, settings: FamilySettings<MinimaxCredentials>): LiveTransport {
  const call = httpClient(settings, minimaxClassifier);
  const auth = () => ({ authorization: `Bearer ${requireCredentials(entry, settings).apiKey}` });

  return {
    livemode: true,
    unavailableReason: missingCredentials(settings),
    async start(request, context) {
      refuseInvalid(entry, request);
      const plan = entry.plan(request);
      let prompt = styledPrompt(request.input.text, stringOption(request, 'style'));
      const camera = stringOption(request, 'cameraMovement');
      if (camera && cameraCommands[camera]) prompt = `${prompt} [${cameraCommands[camera]}]`.trim();
      const json: JsonObject = {
        model: plan.wireModel,
        prompt,
        prompt_optimizer: booleanOption(request, 'promptOptimizer') ?? true,
        duration: plan.duration ?? 6,
        // MiniMax spells resolutions in capitals: 768P, 1080P.
        resolution: `${Math.min(plan.width ?? 768, plan.height ?? 768)}P`,
      };
      // MiniMax takes a public URL or a full data: URL, as the caller gives it.
      if (request.input.image) json.first_frame_image = request.input.image;
      if (context.callbackUrl) json.callback_url = context.callbackUrl;
      const taskId = await call({
        method: 'POST',
        url: '/v1/video_generation',
        json,
        create: true,
        signal: context.signal,
        headers: auth(),
        parse: ({ status, body }) => requiredId(checked(status, body).task_id, 'task_id'),
      });
      return { handle: { taskId } };
    },
    async status(handle, request, context): Promise<ProviderStatus> {
      const task = await call({
        method: 'GET',
        url: '/v1/query/video_generation',
        query: { task_id: String(handle.taskId) },
        signal: context.signal,
        headers: auth(),
        // A failed task carries its reason in base_resp (1027: the output was refused as
        // sensitive): read it as the task's end, not as a failure to read the task.
        parse: ({ status, body }) => (stringOf(objectOf(body).status) === 'Fail' ? objectOf(body) : checked(status, body)),
      });
      const word = stringOf(task.status);
      switch (word) {
        case 'Preparing':
        case 'Queueing':
          return { state: 'queued', progress: 5 };
        case 'Processing':
          return { state: 'running', progress: 50 };
        case 'Fail':
          return failedTask(task);
        case 'Success':
          break;
        default:
          throw new Error(`unknown MiniMax status ${JSON.stringify(word)}`);
      }
      const fileId = stringOf(task.file_id);
      if (!fileId) throw new Error('a successful MiniMax task without file_id');
      const file = await call({
        method: 'GET',
        url: '/v1/files/retrieve',
        query: { file_id: fileId },
        signal: context.signal,
        headers: auth(),
        parse: ({ status, body }) => objectOf(checked(status, body).file),
      });
      const url = stringOf(file.download_url);
      if (!url) throw new Error('files/retrieve without file.download_url');
      const metadata = plannedMetadata(entry, request);
      const width = numberOf(task.video_width);
      const height = numberOf(task.video_height);
      if (width && height) Object.assign(metadata, { width, height, resolution: `${Math.min(width, height)}p` });
      return { state: 'succeeded', outputs: [linkOutput(url, 'video/mp4', metadata)] };
    },
    parseCallback(callback) {
      const body = objectOf(callbackJson(callback));
      // The handshake: echo the challenge within 3 s; it says nothing about the job.
      if (typeof body.challenge === 'string') return { verified: true, checkStatus: false, reply: { challenge: body.challenge } };
      return { verified: Object.keys(body).length > 0, checkStatus: true };
    },
  };
}
