import { receiveWebhook, type VerifiedWebhook, type WebhookEvent, type WebhookReceiverOptions } from '@doitong/core';
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';

export interface DoitongFastifyWebhookReceiverOptions extends WebhookReceiverOptions {
  /**
   * Runs for each verified event. Return (or resolve) to answer 204; throw to let Fastify answer
   * 500, so Doitong retries. Deduplicate on `webhookId`: a retry repeats it.
   */
  onEvent(event: WebhookEvent, delivery: Omit<VerifiedWebhook, 'event'> & { request: FastifyRequest; reply: FastifyReply }): unknown;
}

/**
 * Receives Doitong's webhooks in a Fastify app, as an encapsulated plugin that answers `POST` at
 * its prefix: verifies the signature over the RAW body with `verifyWebhook`, answers 400
 * WEBHOOK_VERIFICATION_FAILED (with `reason`) to a bad one, and hands a good one to `onEvent`.
 *
 * ```ts
 * await app.register(doitongWebhookReceiver({ secret: process.env.DOITONG_WEBHOOK_SECRET!, onEvent }), { prefix: '/webhooks/doitong' });
 * ```
 *
 * Its own scope leaves the body unread, whatever parsers the host registered, so the receiver
 * always verifies the bytes that were signed.
 */
export function doitongWebhookReceiver(options: DoitongFastifyWebhookReceiverOptions): FastifyPluginCallback {
  const plugin: FastifyPluginCallback = (instance, _pluginOptions, done) => {
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', (_request: unknown, _payload: unknown, parsed: (error: Error | null, body?: unknown) => void) => parsed(null));
    instance.route({
      method: ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      url: '/',
      handler: async (request, reply) => {
        const receipt = await receiveWebhook(request.raw, options);
        if (!receipt.ok) return reply.code(receipt.response.status).headers(receipt.response.headers).send(receipt.response.body);
        const { event, ...delivery } = receipt.webhook;
        await options.onEvent(event, { ...delivery, request, reply });
        if (!reply.sent) return reply.code(204).send();
        return reply;
      },
    });
    done();
  };
  Object.defineProperty(plugin, Symbol.for('fastify.display-name'), { value: '@doitong/fastify webhook receiver' });
  return plugin;
}
