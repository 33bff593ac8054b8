import { createHmac, timingSafeEqual } from 'node:crypto';
import { DoitongError } from '../errors';
import type { WebhookEvent } from './event';
import { webhookSecretKey } from './secret';

/** Standard Webhooks' tolerance, also the official libraries' fixed window. */
const defaultToleranceSeconds = 5 * 60;

/**
 * The `webhook-signature` value for one message: a `v1,<base64 HMAC-SHA256>` of
 * `id.timestamp.body` per secret, separated by spaces (several while a rotated secret overlaps).
 */
export function signWebhook(secrets: readonly string[], webhookId: string, timestampSeconds: number, body: string | Uint8Array): string {
  return secrets.map((secret) => `v1,${hmac(webhookSecretKey(secret), webhookId, timestampSeconds, body).toString('base64')}`).join(' ');
}

function hmac(key: Buffer, webhookId: string, timestampSeconds: number, body: string | Uint8Array): Buffer {
  return createHmac('sha256', key).update(`${webhookId}.${timestampSeconds}.`).update(body).digest();
}

/**
 * Which check refused a delivery. RAW_BODY_UNAVAILABLE is the receiver's own fault (a JSON parser
 * ran before it and kept no raw copy), so it answers 500 and the sender retries once it is fixed.
 */
export type WebhookVerificationReason =
  'MISSING_HEADERS' | 'INVALID_HEADERS' | 'TIMESTAMP_TOO_OLD' | 'TIMESTAMP_TOO_NEW' | 'NO_MATCHING_SIGNATURE' | 'INVALID_BODY' | 'RAW_BODY_UNAVAILABLE';

/** A delivery that must not be trusted; `reason` says which check refused it. */
export class WebhookVerificationError extends DoitongError {
  readonly reason: WebhookVerificationReason;

  constructor(reason: WebhookVerificationReason, message: string) {
    super('WEBHOOK_VERIFICATION_FAILED', message, { details: { reason }, ...(reason === 'RAW_BODY_UNAVAILABLE' ? { status: 500 } : {}) });
    this.name = 'WebhookVerificationError';
    this.reason = reason;
  }
}

export interface VerifyWebhookOptions {
  /** Seconds a timestamp may be away from now, either way (default 300, as Standard Webhooks' libraries). */
  toleranceSeconds?: number;
  /** The current time in milliseconds, for tests (default `Date.now()`). */
  now?: number;
}

/** Header bags as Node (`IncomingHttpHeaders`), Fetch (`Headers`) and plain objects carry them. */
export type WebhookHeaders = Headers | Record<string, string | readonly string[] | undefined>;

export interface VerifiedWebhook {
  /** The `webhook-id`: the same on every attempt of a message, so receivers deduplicate on it. */
  webhookId: string;
  /** The `webhook-timestamp` of this attempt, in Unix seconds. */
  timestamp: number;
  event: WebhookEvent;
}

/**
 * Verifies a delivery as Standard Webhooks defines it and returns the event. `rawBody` must be
 * the exact bytes received: JSON parsed and serialised again no longer matches its signature.
 * `secret` is the endpoint's `whsec_…` secret, or several while a rotation is in progress.
 * Throws `WebhookVerificationError` (code WEBHOOK_VERIFICATION_FAILED) with a `reason`.
 */
export function verifyWebhook(
  secret: string | readonly string[],
  rawBody: string | Uint8Array,
  headers: WebhookHeaders,
  options: VerifyWebhookOptions = {},
): VerifiedWebhook {
  const { webhookId, timestamp } = verifyWebhookSignature(secret, rawBody, headers, options);
  let event: WebhookEvent;
  try {
    event = JSON.parse(
      typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength).toString('utf8'),
    ) as WebhookEvent;
  } catch {
    throw new WebhookVerificationError('INVALID_BODY', 'The body is not JSON.');
  }
  return { webhookId, timestamp, event };
}

/** The checks of `verifyWebhook` without parsing the body, for payloads that are not JSON. */
export function verifyWebhookSignature(
  secret: string | readonly string[],
  rawBody: string | Uint8Array,
  headers: WebhookHeaders,
  options: VerifyWebhookOptions = {},
): { webhookId: string; timestamp: number } {
  const webhookId = header(headers, 'webhook-id');
  const timestampText = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!webhookId || !timestampText || !signatures)
    throw new WebhookVerificationError('MISSING_HEADERS', 'The webhook-id, webhook-timestamp and webhook-signature headers are required.');
  if (!/^\d{1,12}$/.test(timestampText) || webhookId.includes('.'))
    throw new WebhookVerificationError('INVALID_HEADERS', 'The webhook-timestamp must be Unix seconds.');
  const timestamp = Number(timestampText);
  const tolerance = options.toleranceSeconds ?? defaultToleranceSeconds;
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (timestamp < now - tolerance) throw new WebhookVerificationError('TIMESTAMP_TOO_OLD', `The message timestamp is more than ${tolerance} s old.`);
  if (timestamp > now + tolerance) throw new WebhookVerificationError('TIMESTAMP_TOO_NEW', `The message timestamp is more than ${tolerance} s in the future.`);
  const offered = signatures
    .split(' ')
    .map((item) => item.split(','))
    // Other versions (v1a, asymmetric) are skipped as the specification asks.
    .filter((parts) => parts.length === 2 && parts[0] === 'v1')
    .map((parts) => Buffer.from(parts[1]!, 'base64'));
  const secrets = typeof secret === 'string' ? [secret] : secret;
  for (const candidate of secrets) {
    const expected = hmac(webhookSecretKey(candidate), webhookId, timestamp, rawBody);
    if (offered.some((signature) => signature.length === expected.length && timingSafeEqual(signature, expected))) return { webhookId, timestamp };
  }
  throw new WebhookVerificationError('NO_MATCHING_SIGNATURE', 'No signature matches the body and the secret.');
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const bag = headers as Record<string, string | readonly string[] | undefined>;
  let value = bag[name];
  if (value === undefined) {
    const key = Object.keys(bag).find((candidate) => candidate.toLowerCase() === name);
    value = key === undefined ? undefined : bag[key];
  }
  if (Array.isArray(value)) return value.join(' ');
  return typeof value === 'string' ? value : undefined;
}
