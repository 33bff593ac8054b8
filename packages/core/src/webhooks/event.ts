/** The events a webhook can carry, as they appear in the payload's `type`. */
export const webhookEventTypes = ['generation.completed', 'generation.failed', 'generation.cancelled', 'generation.progress'] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** What an endpoint created without an event filter receives, and all a generation's own `webhookUrl` receives: the ends. */
export const terminalEventTypes: readonly WebhookEventType[] = ['generation.completed', 'generation.failed', 'generation.cancelled'];

export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return typeof value === 'string' && (webhookEventTypes as readonly string[]).includes(value);
}

/**
 * The body of every delivery (Standard Webhooks' recommended shape). `data.generation` is
 * exactly what the `generation` query returns for the event's state of the generation, with
 * an absolute signed `url`.
 */
export interface WebhookEvent {
  type: WebhookEventType;
  /** ISO 8601: when the event happened (each attempt's own time is in `webhook-timestamp`). */
  timestamp: string;
  data: { generation: Record<string, unknown> & { id: string; status: string } };
}
