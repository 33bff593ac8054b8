import { ProviderError, type GenerationMetadata, type ProviderOutput } from '@doitong/core';
import type { CatalogEntry } from '../catalog/entry';

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
