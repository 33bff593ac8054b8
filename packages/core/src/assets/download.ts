import type { AssetBody } from './asset-store';

/** Largest provider output Doitong copies into the asset store (2 GiB). */
export const maxOutputBytes = 2 * 1024 * 1024 * 1024;

/** A provider's output on its way into the asset store: its chunks, read as the store takes them. */
export interface DownloadedOutput {
  data: AssetBody;
  contentType: string | undefined;
}

/**
 * Downloads a provider's output so it can be kept in the asset store: provider links expire
 * (BFL after minutes, Runway within two days), and `url` must keep working after that. Redirects
 * are followed (Google's file links redirect to storage). The body is handed on as a stream, never
 * held whole: a video of hundreds of megabytes costs one chunk of memory at a time. It is capped
 * at 2 GiB whether or not the provider declares a length. The URL comes from the provider, not
 * from a caller, so it does not go through the SSRF guard.
 */
export async function downloadOutput(
  url: string,
  options: { headers?: Record<string, string>; signal: AbortSignal; maxBytes?: number },
): Promise<DownloadedOutput> {
  const maxBytes = options.maxBytes ?? maxOutputBytes;
  const response = await fetch(url, { headers: options.headers ?? {}, signal: options.signal, redirect: 'follow' });
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    throw new Error(`downloading the provider's output failed with HTTP ${response.status}`);
  }
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > maxBytes) {
    await response.body.cancel().catch(() => undefined);
    throw new Error(`the provider's output is larger than ${maxBytes} bytes`);
  }
  // Node's web streams are async iterable; the DOM library's type, which some programs load, does not say so.
  return {
    data: capped(response.body as unknown as AsyncIterable<Uint8Array>, maxBytes),
    contentType: response.headers.get('content-type')?.split(';')[0]?.trim() || undefined,
  };
}

/** Passes chunks on until more than `limit` bytes went by, then throws (and so cancels the source). */
async function* capped(source: AsyncIterable<Uint8Array>, limit: number): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.byteLength;
    if (total > limit) throw new Error(`the provider's output is larger than ${limit} bytes`);
    yield chunk;
  }
}
