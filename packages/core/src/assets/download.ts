/** Largest provider output Doitong copies into the asset store (2 GiB). */
const maxBytes = 2 * 1024 * 1024 * 1024;

/**
 * Downloads a provider's output so it can be kept in the asset store: provider links expire
 * (BFL after minutes, Runway within two days), and `url` must keep working after that. Redirects
 * are followed (Google's file links redirect to storage). The URL comes from the provider, not
 * from a caller, so it does not go through the SSRF guard.
 */
export async function downloadOutput(
  url: string,
  options: { headers?: Record<string, string>; signal: AbortSignal },
): Promise<{ data: Uint8Array; contentType: string | undefined }> {
  const response = await fetch(url, { headers: options.headers ?? {}, signal: options.signal, redirect: 'follow' });
  if (!response.ok) throw new Error(`downloading the provider's output failed with HTTP ${response.status}`);
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > maxBytes) throw new Error(`the provider's output is larger than ${maxBytes} bytes`);
  const data = new Uint8Array(await response.arrayBuffer());
  return { data, contentType: response.headers.get('content-type')?.split(';')[0]?.trim() || undefined };
}
