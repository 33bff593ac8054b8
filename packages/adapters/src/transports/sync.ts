import type { JsonObject, JsonValue, ProviderStatus } from '@doitong/core';
import type { CatalogEntry } from '../catalog/entry';
import { booleanOption, numberOption, stringOption } from '../catalog/shared/request-options';
import { defaultClassifier, httpClient, numberOf, objectOf, requiredId, stringOf, unsignedCallback } from '@doitong/core/provider-utils';
import { missingCredentials, requireCredentials, type FamilySettings, type LiveTransport } from './credentials';
import { linkOutput } from './media';
import { plannedMetadata } from './metadata';
import { refuseInvalid } from './request-checks';

/**
 * sync.so lip-sync (REFERENCE.md §16): `POST /v2/generate` with `x-api-key`, `GET /v2/generate/{id}`.
 * Statuses PENDING, PROCESSING, COMPLETED, FAILED, REJECTED. No cancel is documented. The shape
 * of a text (TTS) input is UNCONFIRMED: it is sent as `{type: "text", text, voiceId}`.
 */
export interface SyncCredentials {
  apiKey: string;
}

export function syncTransport(entry: CatalogEntry, settings: FamilySettings<SyncCredentials>): LiveTransport {
  const call = httpClient(settings, defaultClassifier);
  const headers = () => ({ 'x-api-key': requireCredentials(entry, settings).apiKey });
  return {
    livemode: true,
    unavailableReason: missingCredentials(settings),
    async start(request, context) {
      refuseInvalid(entry, request);
      const input: JsonValue[] = [{ type: 'video', url: request.input.video ?? '' }];
      if (request.input.audio) input.push({ type: 'audio', url: request.input.audio });
      else input.push({ type: 'text', text: request.input.text ?? '', ...(request.input.voice ? { voiceId: request.input.voice } : {}) });
      const options: JsonObject = {
        sync_mode: stringOption(request, 'syncMode') ?? 'cut_off',
        output_format: 'mp4',
        active_speaker: booleanOption(request, 'activeSpeaker') ?? false,
      };
      const temperature = numberOption(request, 'temperature');
      if (temperature !== undefined) options.temperature = temperature;
      const json: JsonObject = { model: entry.plan(request).wireModel, input, options };
      if (context.callbackUrl) json.webhookUrl = context.callbackUrl;
      const id = await call({
        method: 'POST',
        url: '/v2/generate',
        json,
        create: true,
        signal: context.signal,
        headers: headers(),
        parse: ({ body }) => requiredId(objectOf(body).id, 'id'),
      });
      return { handle: { jobId: id } };
    },
    async status(handle, request, context): Promise<ProviderStatus> {
      const job = await call({
        method: 'GET',
        url: `/v2/generate/${encodeURIComponent(String(handle.jobId))}`,
        signal: context.signal,
        headers: headers(),
        parse: ({ body }) => objectOf(body),
      });
      switch (stringOf(job.status)) {
        case 'PENDING':
          return { state: 'queued', progress: 0 };
        case 'PROCESSING':
          return { state: 'running', progress: 50 };
        case 'FAILED':
        case 'REJECTED':
          return {
            state: 'failed',
            code: 'GENERATION_FAILED',
            message: stringOf(job.error) ?? `sync.so reported ${String(job.status)}.`,
            providerCode: stringOf(job.errorCode) ?? String(job.status),
          };
        case 'COMPLETED': {
          const url = stringOf(job.outputUrl);
          if (!url) throw new Error('a COMPLETED sync.so job without outputUrl');
          const duration = numberOf(job.outputDuration);
          return {
            state: 'succeeded',
            outputs: [linkOutput(url, 'video/mp4', { ...plannedMetadata(entry, request), ...(duration !== undefined ? { duration } : {}) })],
          };
        }
        default:
          throw new Error(`unknown sync.so status ${JSON.stringify(job.status)}`);
      }
    },
    parseCallback: unsignedCallback,
  };
}
