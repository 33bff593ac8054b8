// Random ids and secrets for every part of the instance (accounts, generations, ledger entries,
// webhook deliveries): one leaf module, so none of them depends on another for it.
import { randomFillSync } from 'node:crypto';

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
