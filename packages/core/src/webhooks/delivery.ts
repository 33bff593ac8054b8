import type { WebhookEventType } from './event';

export type DeliveryStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';

/** One POST of a delivery. */
export interface DeliveryAttempt {
  /** 1 for the first attempt; keeps counting across redeliveries. */
  number: number;
  /** When it was sent (ISO 8601). */
  at: string;
  status: 'SUCCEEDED' | 'FAILED';
  /** The receiver's HTTP status, or null when there was no answer (timeout, refused, blocked). */
  responseStatus: number | null;
  error: string | null;
  /** How long the attempt took. */
  durationMilliseconds: number;
  /**
   * @deprecated Attempts stored before `durationMilliseconds` existed carry only this (the same
   * figure); the API reads either. Nothing writes it any more.
   */
  durationMs?: number;
  url: string;
}

/**
 * One event for one receiver: the same `webhookId` and body on every attempt, as Standard
 * Webhooks asks, so receivers can deduplicate. Stored before its first job is queued. The body
 * is stored once per message (see `DeliveryStore.payload`), not on each receiver's record.
 */
export interface WebhookDelivery {
  id: string;
  /** The `webhook-id` header. */
  webhookId: string;
  accountId: string;
  /** The account endpoint, or null for the generation's own `webhookUrl`. */
  endpointId: string | null;
  generationId: string;
  event: WebhookEventType;
  /** Where the last attempt went (an endpoint's URL may change between attempts). */
  url: string;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  /** Failed attempts since the delivery (or its redelivery) began: the position in the retry schedule. */
  failures: number;
  nextAttemptAt: string | null;
  /**
   * The token of the one queued job that may make the next attempt; a job with another token is
   * stale (superseded by a redelivery or already recorded) and does nothing.
   */
  jobToken: string | null;
  /**
   * While an attempt runs: until when it holds the delivery (ISO 8601). A duplicate of the job
   * (a distributed queue may run one twice) waits it out; a job that died with its instance is
   * run again by its queue once the lease has passed.
   */
  claimedUntil: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

/** Attempts kept on a record; older ones are dropped so a long-failing delivery stays small. */
export const maxStoredAttempts = 50;
