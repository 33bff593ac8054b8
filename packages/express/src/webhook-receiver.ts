import { receiveWebhook, writeNodeResponse, type VerifiedWebhook, type WebhookEvent, type WebhookReceiverOptions } from '@doitong/core';
import type { Request, RequestHandler, Response } from 'express';

export interface DoitongWebhookReceiverOptions extends WebhookReceiverOptions {
  /**
   * Runs for each verified event. Return (or resolve) to answer 204; throw to pass the error to
   * Express (a 5xx, so Doitong retries). Deduplicate on `webhookId`: a retry repeats it.
   */
  onEvent(event: WebhookEvent, delivery: Omit<VerifiedWebhook, 'event'> & { request: Request; response: Response }): unknown;
}

/**
 * Receives Doitong's webhooks in an Express app: verifies the signature over the RAW body with
 * `verifyWebhook`, answers 400 WEBHOOK_VERIFICATION_FAILED (with `reason`) to a bad one, and
 * hands a good one to `onEvent`.
 *
 * ```ts
 * app.post('/webhooks/doitong', doitongWebhookReceiver({ secret: process.env.DOITONG_WEBHOOK_SECRET, onEvent }));
 * ```
 *
 * Mount it before any JSON parser (a parser installed later never sees the body), or keep the raw
 * body in the parser: `express.json({ verify: (request, _response, raw) => { request.rawBody = raw } })`.
 */
export function doitongWebhookReceiver(options: DoitongWebhookReceiverOptions): RequestHandler {
  return (request, response, next) => {
    receiveWebhook(request, options, { rawBody: (request as { rawBody?: unknown }).rawBody, parsedBody: request.body })
      .then(async (receipt) => {
        if (!receipt.ok) return writeNodeResponse(response, receipt.response);
        const { event, ...delivery } = receipt.webhook;
        await options.onEvent(event, { ...delivery, request, response });
        if (!response.headersSent) response.status(204).end();
      })
      .catch(next);
  };
}
