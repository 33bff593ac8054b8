import { createHmac, timingSafeEqual } from 'node:crypto';

/** `assets/<key>?expires=<unix seconds>&signature=<hmac>`: a link that stops working at `expires`. */
export function signAssetPath(key: string, expiresAt: number, secret: string): string {
  const expires = Math.floor(expiresAt / 1000);
  return `/assets/${key}?expires=${expires}&signature=${sign(key, expires, secret)}`;
}

export function verifyAssetSignature(key: string, expires: string | null, signature: string | null, secret: string, now: number): boolean {
  if (!expires || !signature || !/^\d+$/.test(expires)) return false;
  if (Number(expires) * 1000 < now) return false;
  const expected = Buffer.from(sign(key, Number(expires), secret));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function sign(key: string, expires: number, secret: string): string {
  return createHmac('sha256', secret).update(`${key}\n${expires}`).digest('base64url');
}
