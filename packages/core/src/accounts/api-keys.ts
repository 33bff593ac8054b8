import { hash, randomFillSync, timingSafeEqual } from 'node:crypto';

export type AccountMode = 'test' | 'live';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Random bytes are drawn from one pre-filled pool (as `crypto.randomUUID` does) because ids are
 * made on every request and a `randomBytes` call each costs a trip into the CSPRNG; every byte is
 * used once.
 */
const pool = Buffer.alloc(8_192);
let poolOffset = pool.length;

function nextRandomByte(): number {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  return pool[poolOffset++]!;
}

/** Random base62 text; 32 characters carry about 190 bits. */
export function randomToken(length = 32): string {
  let token = '';
  while (token.length < length) {
    const byte = nextRandomByte();
    // Rejection sampling keeps every character equally likely.
    if (byte < 248) token += alphabet[byte % 62];
  }
  return token;
}

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
