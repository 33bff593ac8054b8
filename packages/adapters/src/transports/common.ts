import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  ProviderError,
  type GenerationMetadata,
  type GenerationRequest,
  type ProviderCallbackRequest,
  type ProviderCallbackResult,
  type ProviderOutput,
  type ProviderTransport,
} from '@doitong/core';
import type { CatalogEntry } from '../catalog/entry';
import type { HttpSettings } from './http';

/** A live transport: the catalog entry's moving part, with the reason it cannot serve (no key). */
export type LiveTransport = ProviderTransport & { livemode: true; unavailableReason(): string | undefined };

/** What each family's transport factory receives. */
export interface FamilySettings<Credentials> extends HttpSettings {
  /** Undefined when no credentials were given or found in the environment. */
  credentials: Credentials | undefined;
  /** The environment variables that would have provided them, for the unavailable reason. */
  credentialHint: string;
}

/** The reason a transport without credentials gives, shown as `available: false`. */
export function missingCredentials(settings: FamilySettings<unknown>): () => string | undefined {
  return () => (settings.credentials ? undefined : `no credentials: set ${settings.credentialHint} or pass them to liveProviders({ credentials })`);
}

/** Refuses, before any call, a request the provider cannot serve (the catalog's cross-field rules). */
export function refuseInvalid(entry: CatalogEntry, request: GenerationRequest, extra?: string): void {
  const problem = extra ?? entry.check?.(request);
  if (problem !== undefined) throw new ProviderError('INVALID_INPUT', problem, { providerId: entry.id, acceptance: 'rejected' });
}

/** Credentials are checked again at call time: a request must never go out unauthenticated. */
export function requireCredentials<Credentials>(entry: CatalogEntry, settings: FamilySettings<Credentials>): Credentials {
  if (!settings.credentials) throw new ProviderError('PROVIDER_UNAVAILABLE', missingCredentials(settings)()!, { providerId: entry.id, acceptance: 'rejected' });
  return settings.credentials;
}

const extensionTypes: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
};

/** The content type a provider's file URL implies by its extension (providers rarely say). */
export function contentTypeOfUrl(url: string, fallback: string): string {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // not a URL: use the text as it is
  }
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return (extension && extensionTypes[extension]) || fallback;
}

export function formatOf(contentType: string): string | undefined {
  return { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/webp': 'webp', 'video/mp4': 'mp4', 'audio/wav': 'wav', 'audio/mpeg': 'mp3' }[contentType];
}

/**
 * A provider file link as an output. Every provider link in the catalog expires (BFL in minutes,
 * Runway in two days, Kling in 30), so all are copied into the asset store before COMPLETED.
 */
export function linkOutput(url: string, fallbackType: string, metadata: GenerationMetadata, headers?: Record<string, string>): ProviderOutput {
  const contentType = contentTypeOfUrl(url, fallbackType);
  const format = formatOf(contentType);
  return { kind: 'url', url, contentType, expires: true, metadata: { ...(format ? { format } : {}), ...metadata }, ...(headers ? { headers } : {}) };
}

/** A `data:` URL split into its bytes and type, or undefined for other strings. */
export function parseDataUrl(value: string): { mimeType: string; base64: string } | undefined {
  const match = /^data:([^;,]+)?(;base64)?,(.*)$/s.exec(value);
  if (!match) return undefined;
  const base64 = match[2] ? match[3]! : Buffer.from(decodeURIComponent(match[3]!)).toString('base64');
  return { mimeType: match[1] ?? 'application/octet-stream', base64 };
}

/** Input images for APIs that take bytes only (Gemini, Stability): a data: URL, or INVALID_INPUT. */
export function inlineImage(entry: CatalogEntry, image: string): { mimeType: string; base64: string } {
  const parsed = parseDataUrl(image);
  if (!parsed) {
    throw new ProviderError('INVALID_INPUT', `${entry.name} takes input.image as a data: URL (base64); it does not fetch links.`, {
      providerId: entry.id,
      acceptance: 'rejected',
      details: { option: 'input.image' },
    });
  }
  return parsed;
}

/** What the catalog plan says about the output, as metadata the provider does not return itself. */
export function plannedMetadata(entry: CatalogEntry, request: GenerationRequest): GenerationMetadata {
  const plan = entry.plan(request);
  const metadata: GenerationMetadata = { model: plan.wireModel };
  if (plan.width !== undefined && plan.height !== undefined) {
    metadata.width = plan.width;
    metadata.height = plan.height;
    metadata.resolution = plan.kind === 'image' ? `${plan.width}x${plan.height}` : `${Math.min(plan.width, plan.height)}p`;
  }
  if (plan.kind === 'video') {
    if (plan.duration !== undefined) metadata.duration = plan.duration;
    if (plan.fps !== undefined) metadata.fps = plan.fps;
    if (plan.hasAudio !== undefined) metadata.hasAudio = plan.hasAudio;
  }
  return metadata;
}

export function headerOf(headers: ProviderCallbackRequest['headers'], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Verifies a Standard Webhooks signature (Kling with a webhook secret, Replicate: REFERENCE.md
 * Appendix B): HMAC-SHA256 over `id.timestamp.body` with the base64 secret after `whsec_`, any
 * of the space-separated `v1,` signatures may match, and the timestamp must be within 5 minutes.
 */
export function verifyStandardWebhook(secret: string, callback: ProviderCallbackRequest, toleranceSeconds = 300): boolean {
  const id = headerOf(callback.headers, 'webhook-id');
  const timestamp = headerOf(callback.headers, 'webhook-timestamp');
  const signatures = headerOf(callback.headers, 'webhook-signature');
  if (!id || !timestamp || !signatures || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(callback.now() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(callback.body).digest();
  return signatures.split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    if (version !== 'v1' || !signature) return false;
    const given = Buffer.from(signature, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/** Unsigned callbacks (Luma, sync.so, HeyGen, Seedance, BFL, fal): believed enough to trigger a status check. */
export function unsignedCallback(): ProviderCallbackResult {
  return { verified: true, checkStatus: true };
}

/** The JSON of a callback body, or undefined. */
export function callbackJson(callback: ProviderCallbackRequest): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(callback.body));
  } catch {
    return undefined;
  }
}

/** A JSON object read defensively: providers add and drop fields, schemas must not break on it. */
export function objectOf(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

export function numberOf(value: unknown): number | undefined {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

/** Throws the ProviderError for a response that lacks what the provider documents. */
export function unexpected(entry: CatalogEntry, what: string): never {
  throw new Error(`${entry.name}: ${what}`);
}

/** Facts of a WAV file read from its header (ElevenLabs `wav_24000`, Google LINEAR16). */
export function wavMetadata(bytes: Uint8Array): GenerationMetadata {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < 44 || buffer.toString('ascii', 0, 4) !== 'RIFF' || buffer.toString('ascii', 8, 12) !== 'WAVE') return { format: 'wav' };
  let offset = 12;
  let channels = 1;
  let sampleRate = 0;
  let bitsPerSample = 16;
  let dataSize = 0;
  while (offset + 8 <= buffer.length) {
    const id = buffer.toString('ascii', offset, offset + 4);
    const size = buffer.readUInt32LE(offset + 4);
    if (id === 'fmt ' && offset + 24 <= buffer.length) {
      channels = buffer.readUInt16LE(offset + 10);
      sampleRate = buffer.readUInt32LE(offset + 12);
      bitsPerSample = buffer.readUInt16LE(offset + 22);
    } else if (id === 'data') {
      // Streaming encoders write 0 or 0xFFFFFFFF: then the data runs to the end of the file.
      dataSize = size === 0 || size === 0xffffffff ? buffer.length - offset - 8 : Math.min(size, buffer.length - offset - 8);
      break;
    }
    offset += 8 + size + (size % 2);
  }
  const bytesPerSecond = sampleRate * channels * (bitsPerSample / 8);
  return {
    format: 'wav',
    sampleRate,
    channels,
    ...(bytesPerSecond > 0 ? { duration: Math.round((dataSize / bytesPerSecond) * 1000) / 1000 } : {}),
  };
}

/** The job id in a create call's answer; an answer without one is the provider's fault, not ours. */
export function requiredId(value: unknown, field: string): string {
  const id = stringOf(value);
  if (!id) throw new Error(`no ${field} in the create answer`);
  return id;
}
