import type { EngineTelemetry, ProviderCall } from '../engine/engine-telemetry';
import type { Generation } from '../engine/generation';
import type { QueueCounts } from '../engine/queue';
import type { GraphQLTelemetry } from '../graphql/graphql-telemetry';
import type { HttpTelemetry } from '../http/http-telemetry';

export type { ProviderCall };

/** One POST of a webhook delivery to its receiver. */
export interface WebhookAttempt {
  deliveryId: string;
  event: string;
  url: string;
  /** 1 for the first attempt, then one more per retry. */
  attempt: number;
}

/** What one webhook attempt came to, as its receiver answered. */
export interface WebhookAttemptOutcome {
  ok: boolean;
  responseStatus: number | null;
  error: string | null;
}

/**
 * What Doitong reports about its own work: spans around requests, GraphQL operations, provider
 * calls and webhook attempts, and the measures of generations, credits, queue depth, webhooks
 * and rate-limit refusals. Off unless a host passes one (`createDoitong({ telemetry })`): each
 * place checks for it first, so a host without telemetry pays a property read.
 * `openTelemetry()` from `@doitong/core/opentelemetry` implements it on OpenTelemetry's API.
 * The engine's part (provider-call spans, rate-limit refusals) is `EngineTelemetry`, the request
 * handler's (request spans, reads refused) `HttpTelemetry`, and the executor's (operation spans)
 * `GraphQLTelemetry`: each defines its own so that it does not import this module.
 */
export interface Telemetry extends EngineTelemetry, HttpTelemetry, GraphQLTelemetry {
  /** Runs one webhook attempt inside its span. */
  webhookAttempt<Result extends WebhookAttemptOutcome>(attempt: WebhookAttempt, run: () => Promise<Result>): Promise<Result>;
  /** A webhook delivery was settled, or is to be tried again. */
  webhookDelivery(event: string, outcome: 'delivered' | 'retrying' | 'failed'): void;
  /** A generation reached its final state (counted by the instance that settled it). */
  generationEnded(generation: Generation): void;
  /** Gives the meter the job queue's depth to read when it collects. */
  observeQueue(counts: () => Promise<QueueCounts>): void;
  /** Stops observing (the queue-depth callback); called by `doitong.close()`. */
  close(): void;
}
