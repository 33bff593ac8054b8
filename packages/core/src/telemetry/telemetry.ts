import type { Generation } from '../engine/generation';
import type { QueueCounts } from '../engine/queue';
import type { DoitongRequest, DoitongResponse } from '../http/types';
import type { RatePolicyName } from '../policies/rate-limits';

/** One call the engine makes to a provider. */
export interface ProviderCall {
  /** `start` is the paid create call; `find` adopts a job after an interrupted start. */
  operation: 'start' | 'status' | 'cancel' | 'find';
  provider: string;
  model: string | null;
  type: string;
  generationId: string;
  /** Which provider of the generation this is: 1 for the first, 2 after one fallback… */
  attempt: number;
}

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
 */
export interface Telemetry {
  /** Runs one request to the handler inside its span. */
  request(request: DoitongRequest, handle: () => Promise<DoitongResponse>): Promise<DoitongResponse>;
  /** Runs one GraphQL operation (graphql-js or the graphql-jit compiled function) inside its span. */
  operation<Result extends { errors?: readonly unknown[] }>(
    operation: { type: string; name: string | null; compiled: boolean },
    execute: () => Promise<Result> | Result,
  ): Promise<Result> | Result;
  /** Runs one provider call inside its span; `outcome` names what its result means. */
  providerCall<Result>(call: ProviderCall, run: () => Promise<Result>, outcome: (result: Result) => string): Promise<Result>;
  /** Runs one webhook attempt inside its span. */
  webhookAttempt<Result extends WebhookAttemptOutcome>(attempt: WebhookAttempt, run: () => Promise<Result>): Promise<Result>;
  /** A webhook delivery was settled, or is to be tried again. */
  webhookDelivery(event: string, outcome: 'delivered' | 'retrying' | 'failed'): void;
  /** A generation reached its final state (counted by the instance that settled it). */
  generationEnded(generation: Generation): void;
  /** A request was refused by a rate limit or the concurrency limit. */
  rateLimitRefused(policy: RatePolicyName, plan: string): void;
  /** Gives the meter the job queue's depth to read when it collects. */
  observeQueue(counts: () => Promise<QueueCounts>): void;
  /** Stops observing (the queue-depth callback); called by `doitong.close()`. */
  close(): void;
}
