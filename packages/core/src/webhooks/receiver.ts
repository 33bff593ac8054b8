import type { IncomingMessage } from 'node:http';
import { DoitongError } from '../errors';
import { failureResponse } from '../http/node';
import type { DoitongResponse } from '../http/types';
import { verifyWebhook, WebhookVerificationError, type VerifiedWebhook } from './signature';

export interface WebhookReceiverOptions {
  /**
   * The endpoint's `whsec_…` secret (several while a rotation overlaps). For a generation's own
   * `webhookUrl`, the instance's secret: `doitong.webhooks.secret` / `webhooks.secret`.
   */
  secret: string | readonly string[];
  /** Seconds a delivery's timestamp may be away from now (default 300). */
  toleranceSeconds?: number;
  /** Largest body read (default 1 MiB; Doitong's payloads are a few kB). */
  maxBodyBytes?: number;
}

/** What a receiver does next: hand the verified event on, or answer with `response`. */
export type WebhookReceipt = { ok: true; webhook: VerifiedWebhook } | { ok: false; error: DoitongError; response: DoitongResponse };

/** What a framework's body parser may already have made of the request. */
export interface KeptBody {
  /** A raw copy a parser kept: `ctx.request.rawBody` (@koa/bodyparser), `req.rawBody` set in express.json's `verify`. */
  rawBody?: unknown;
  /** The parsed body (`req.body`, `ctx.request.body`): usable only when it is still the bytes or the text. */
  parsedBody?: unknown;
}

/**
 * The whole of a webhook receiver for a Node server, which the Express and Koa receivers only
 * translate: takes the RAW body (from the stream, or a raw copy a parser kept; a re-serialised
 * JSON object would not match its signature), verifies it with `verifyWebhook`, and returns the
 * event, or the error response to send (400 WEBHOOK_VERIFICATION_FAILED with `reason`). Never rejects.
 */
export async function receiveWebhook(request: IncomingMessage, options: WebhookReceiverOptions, kept: KeptBody = {}): Promise<WebhookReceipt> {
  try {
    if (request.method !== 'POST') throw new DoitongError('METHOD_NOT_ALLOWED', 'Webhooks are delivered with POST.', { headers: { allow: 'POST' } });
    const body = await rawBody(request, kept, options.maxBodyBytes ?? 1024 * 1024);
    const webhook = verifyWebhook(
      options.secret,
      body,
      request.headers,
      options.toleranceSeconds === undefined ? {} : { toleranceSeconds: options.toleranceSeconds },
    );
    return { ok: true, webhook };
  } catch (error) {
    const failure = error instanceof DoitongError ? error : new DoitongError('INTERNAL_SERVER_ERROR', undefined, { cause: error });
    const response = failureResponse(failure);
    Object.assign(response.headers, failure.headers);
    return { ok: false, error: failure, response };
  }
}

async function rawBody(request: IncomingMessage, kept: KeptBody, limit: number): Promise<string | Uint8Array> {
  for (const candidate of [kept.rawBody, kept.parsedBody]) if (typeof candidate === 'string' || candidate instanceof Uint8Array) return candidate;
  const consumed = request.readableEnded || (request as { _body?: boolean })._body === true;
  if (consumed)
    throw new WebhookVerificationError(
      'RAW_BODY_UNAVAILABLE',
      'A body parser read this request before the webhook receiver and kept no raw copy; mount the receiver before it (or keep the raw body).',
    );
  if (Number(request.headers['content-length']) > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      request.resume();
      throw tooLarge(limit);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number): DoitongError {
  return new DoitongError('PAYLOAD_TOO_LARGE', `The webhook body is larger than ${limit} bytes.`, { details: { limit } });
}
