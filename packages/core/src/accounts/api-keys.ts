import { hash, timingSafeEqual } from 'node:crypto';
import { randomToken } from '../random-token';

export type AccountMode = 'test' | 'live';

/** `dk_test_…` or `dk_live_…`: the mode is visible in the key, as with Stripe's keys. */
export function generateApiKey(mode: AccountMode): string {
  return `dk_${mode}_${randomToken(32)}`;
}

/** Keys are stored only as this hash; a leaked store reveals no usable key. */
export function hashApiKey(apiKey: string): string {
  // The one-shot hash: no Hash object per call.
  return hash('sha256', apiKey, 'hex');
}

export function hashesEqual(left: string, right: string): boolean {
  const a = Buffer.from(left, 'hex');
  const b = Buffer.from(right, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function apiKeyMode(apiKey: string): AccountMode | undefined {
  if (apiKey.startsWith('dk_test_')) return 'test';
  if (apiKey.startsWith('dk_live_')) return 'live';
  return undefined;
}
