import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ProviderCallbackRequest, ProviderCallbackResult } from '@doitong/core';

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
