import type { WebhookEventType } from './event';

/** Why an endpoint stopped receiving events. */
export type EndpointDisabledReason = 'DISABLED_BY_USER' | 'GONE';

export interface EndpointSecret {
  secret: string;
  /** When a rotated-out secret stops signing (ISO 8601); null for the current one. */
  expiresAt: string | null;
}

/** An account-level receiver of webhook events, as stored. */
export interface WebhookEndpoint {
  id: string;
  accountId: string;
  url: string;
  events: WebhookEventType[];
  description: string | null;
  enabled: boolean;
  disabledReason: EndpointDisabledReason | null;
  /** The current secret first; older ones sign too until their `expiresAt` (the rotation overlap). */
  secrets: EndpointSecret[];
  createdAt: string;
  updatedAt: string;
  disabledAt: string | null;
}

/** The secrets that sign a message sent at `now`. */
export function signingSecrets(endpoint: WebhookEndpoint, now: number): string[] {
  return endpoint.secrets.filter((entry) => entry.expiresAt === null || Date.parse(entry.expiresAt) > now).map((entry) => entry.secret);
}
