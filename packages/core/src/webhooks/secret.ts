import { randomBytes } from 'node:crypto';
import { DoitongError } from '../errors';

const prefix = 'whsec_';
const base64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** A new Standard Webhooks symmetric secret: `whsec_` and 32 random bytes in base64. */
export function generateWebhookSecret(): string {
  return `${prefix}${randomBytes(32).toString('base64')}`;
}

/**
 * The HMAC key of a secret: the base64-decoded bytes after `whsec_` (not the text itself),
 * as the Standard Webhooks libraries read it. A secret without the prefix is accepted too,
 * as they accept it.
 */
export function webhookSecretKey(secret: string, field = 'secret'): Buffer {
  const encoded = secret.startsWith(prefix) ? secret.slice(prefix.length) : secret;
  // Node's base64 decoder skips characters it does not know; a typo must not silently become another key.
  if (!encoded || encoded.length % 4 === 1 || !base64.test(encoded))
    throw new DoitongError('INVALID_INPUT', `${field} must be "whsec_" followed by base64.`, { details: { option: field } });
  const key = Buffer.from(encoded, 'base64');
  if (key.length === 0) throw new DoitongError('INVALID_INPUT', `${field} must not be empty.`, { details: { option: field } });
  return key;
}
