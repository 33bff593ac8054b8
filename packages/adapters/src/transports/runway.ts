import type { JsonObject, ProviderStatus } from '@doitong/core';
import type { CatalogEntry } from '../catalog/entry';
import { runwayMotionWords, runwayRoute } from '../catalog/runway';
import { numberOption, stringOption } from '../catalog/shared/request-options';
import { httpClient, messageOf, numberOf, objectOf, requiredId, statusCode, stringOf, type Classifier } from '@doitong/core/provider-utils';
import { missingCredentials, requireCredentials, type FamilySettings, type LiveTransport } from './credentials';
import { linkOutput } from './media';
import { plannedMetadata } from './metadata';
import { refuseInvalid } from './request-checks';

/**
 * Runway's developer API (REFERENCE.md §4; runwayml/sdk-node 4.12.0). Every request carries `X-Runway-Version: 2024-11-06`
 * (Runway refuses requests without it). Tasks: PENDING, THROTTLED (accepted, waiting for a
 * concurrency slot), RUNNING (progress 0..1), SUCCEEDED, FAILED, CANCELLED; DELETE cancels.
 * Runway documents no callbacks: polled.
 */
export interface RunwayCredentials {
  apiKey: string;
}

export const runwayVersion = '2024-11-06';

/**
 * Runway answers most refusals with 400 and a human `error` (docs.dev.runwayml.com/api-details/
 * errors). One 400 is not the caller's input: "You do not have enough credits…" is our Runway
 * account's state, so it is PROVIDER_UNAVAILABLE, which fallback and the health circuit see.
 * Runway gives that answer no code, so its words are all there is to read.
 */
export const runwayClassifier: Classifier = ({ status, body }) => {
  const message = messageOf(body, status);
  if (status === 400 && /not have enough credits|insufficient credits/i.test(message))
    return { code: 'PROVIDER_UNAVAILABLE', message, providerCode: 'INSUFFICIENT_CREDITS' };
  return { code: statusCode(status), message };
};

/**
 * A FAILED task's `failureCode` (docs.dev.runwayml.com/api-details/task-failures): SAFETY.* and
 * INPUT_PREPROCESSING.SAFETY.* are the content's, INTERNAL.BAD_OUTPUT.* a rejected output (not
 * likely to pass on retry), ASSET.* an input Runway could not use; INPUT_PREPROCESSING.INTERNAL
 * (moderation could not run) and other INTERNAL.* are Runway's own fault.
 */
export function runwayFailureCode(failureCode: string | undefined): 'GENERATION_FAILED' | 'PROVIDER_UNAVAILABLE' {
  if (!failureCode) return 'GENERATION_FAILED';
  if (failureCode === 'INPUT_PREPROCESSING.INTERNAL') return 'PROVIDER_UNAVAILABLE';
  return failureCode.startsWith('INTERNAL') && !failureCode.startsWith('INTERNAL.BAD_OUTPUT') ? 'PROVIDER_UNAVAILABLE' : 'GENERATION_FAILED';
}

export function runwayTransport(entry: CatalogEntry, settings: FamilySettings<RunwayCredentials>): LiveTransport {
  const call = httpClient(settings, runwayClassifier);
  const headers = () => ({ authorization: `Bearer ${requireCredentials(entry, settings).apiKey}`, 'x-runway-version': runwayVersion });
  return {
    livemode: true,
    unavailableReason: missingCredentials(settings),
    async start(request, context) {
      refuseInvalid(entry, request);
      const plan = entry.plan(request);
      const route = runwayRoute(request);
      const motion = runwayMotionWords(stringOption(request, 'motionIntensity'));
      const text = [request.input.text?.trim(), motion].filter(Boolean).join(', ');
      const json: JsonObject = { model: plan.wireModel, ratio: `${plan.width}:${plan.height}`, duration: plan.duration ?? 5 };
      if (text) json.promptText = text;
      const seed = numberOption(request, 'seed');
      if (seed !== undefined) json.seed = seed;
      if (request.input.image) json.promptImage = request.input.image;
      const id = await call({
        method: 'POST',
        url: route.endpoint,
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
        url: `/v1/tasks/${encodeURIComponent(String(handle.taskId))}`,
        signal: context.signal,
        headers: headers(),
        parse: ({ body }) => objectOf(body),
      });
      switch (stringOf(task.status)) {
        case 'PENDING':
        case 'THROTTLED':
          return { state: 'queued', progress: 0 };
        case 'RUNNING':
          return { state: 'running', progress: Math.round((numberOf(task.progress) ?? 0) * 100) };
        case 'CANCELLED':
          return { state: 'cancelled' };
        case 'FAILED': {
          const failureCode = stringOf(task.failureCode);
          return {
            state: 'failed',
            code: runwayFailureCode(failureCode),
            message: stringOf(task.failure) ?? 'Runway reported the task as failed.',
            ...(failureCode ? { providerCode: failureCode } : {}),
          };
        }
        case 'SUCCEEDED': {
          const url = stringOf((task.output as unknown[] | undefined)?.[0]);
          if (!url) throw new Error('a SUCCEEDED Runway task without output[0]');
          return { state: 'succeeded', outputs: [linkOutput(url, 'video/mp4', plannedMetadata(entry, request))] };
        }
        default:
          throw new Error(`unknown Runway status ${JSON.stringify(task.status)}`);
      }
    },
    async cancel(handle, _request, context) {
      return call({
        method: 'DELETE',
        url: `/v1/tasks/${encodeURIComponent(String(handle.taskId))}`,
        signal: context.signal,
        headers: headers(),
        parse: ({ status }) => status >= 200 && status < 300,
      });
    },
  };
}
