import { receiveWebhook, type VerifiedWebhook, type WebhookEvent, type WebhookReceiverOptions } from '@doitong/core';
import type { Context, Middleware } from 'koa';

export interface DoitongKoaWebhookReceiverOptions extends WebhookReceiverOptions {
  /** Where webhooks arrive; other paths go on to the next middleware. Without it, every request that reaches it. */
  path?: string;
  /**
   * Runs for each verified event. Return (or resolve) to answer 204; throw to let Koa answer 500,
   * so Doitong retries. Deduplicate on `webhookId`: a retry repeats it.
   */
  onEvent(event: WebhookEvent, delivery: Omit<VerifiedWebhook, 'event'> & { context: Context }): unknown;
}

/**
 * Receives Doitong's webhooks in a Koa app: verifies the signature over the RAW body with
 * `verifyWebhook`, answers 400 WEBHOOK_VERIFICATION_FAILED (with `reason`) to a bad one, and
 * hands a good one to `onEvent`.
 *
 * ```ts
 * app.use(doitongWebhookReceiver({ path: '/webhooks/doitong', secret: process.env.DOITONG_WEBHOOK_SECRET, onEvent }));
 * ```
 *
 * Mount it before a body parser, or after `@koa/bodyparser`, which keeps `ctx.request.rawBody`.
 */
export function doitongWebhookReceiver(options: DoitongKoaWebhookReceiverOptions): Middleware {
  const path = options.path?.replace(/\/+$/, '');
  return async (context, next) => {
    if (path !== undefined && context.path.replace(/\/+$/, '') !== path) return next();
    const request = context.request as { rawBody?: unknown; body?: unknown };
    const receipt = await receiveWebhook(context.req, options, { rawBody: request.rawBody, parsedBody: request.body });
    if (!receipt.ok) {
      context.status = receipt.response.status;
      context.set(receipt.response.headers);
      context.body = receipt.response.body as string;
      return;
    }
    const { event, ...delivery } = receipt.webhook;
    await options.onEvent(event, { ...delivery, context });
    // Koa's status stays 404 until something answers.
    if (context.body === undefined && context.status === 404) context.status = 204;
  };
}
