// Random ids and secrets for every part of the instance (accounts, generations, ledger entries,
// webhook deliveries): one leaf module, so none of them depends on another for it.
import { hash, randomFillSync } from 'node:crypto';

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

/**
 * Base62 text derived from `seed`, the same for the same seed: the id of something a retry must
 * find again (a generation created under an Idempotency-Key), as long and as spread as a random one
 * when the seed is a random token.
 */
export function derivedToken(seed: string, length = 32): string {
  let token = '';
  for (let round = 0; token.length < length; round++)
    for (const byte of hash('sha256', `${round}:${seed}`, 'buffer')) if (byte < 248 && token.length < length) token += alphabet[byte % 62];
  return token;
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
