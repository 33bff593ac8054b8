import type { GenerationRequest } from './generation-request';
import type { JsonObject } from './generation-type';
import type { ProviderCallContext } from './provider-call-context';
import type { ProviderCallbackRequest } from './provider-callback-request';
import type { ProviderCallbackResult } from './provider-callback-result';
import type { ProviderJob } from './provider-job';
import type { ProviderStatus } from './provider-status';

/**
 * The moving part of a provider: start, status, cancel. The engine owns polling,
 * timeouts and retries; no transport sleeps in a loop or keeps a timer.
 * Part of the provider contract (`providerContractVersion`).
 */
export interface ProviderTransport {
  /** True when calls spend real money; test-mode accounts are never routed to such a transport. */
  livemode: boolean;
  /** Why the transport cannot serve now (missing credentials), or undefined when it can. */
  unavailableReason?(): string | undefined;
  /**
   * Submits the job. Must throw a ProviderError whose `acceptance` says whether the provider
   * may have accepted it: the engine resubmits (or falls back) only after a proven rejection.
   */
  start(request: GenerationRequest, context: ProviderCallContext): Promise<ProviderJob>;
  /**
   * Reads the job's state. Required unless `start` always returns a final status. An error thrown
   * here is taken as a failure to read the state and the engine asks again (five times), except a
   * ProviderError with `acceptance: 'failed'`: the provider answered that the job has ended, and
   * the generation ends at once with that error's classification.
   */
  status?(handle: JsonObject, request: GenerationRequest, context: ProviderCallContext): Promise<ProviderStatus>;
  /**
   * Looks up the job created for this generation by the reference sent with the create call
   * (the generation id), or resolves null when the provider has none. When a submit was cut
   * short (a crashed instance), the engine adopts the job found instead of paying for a second
   * one; without `find`, such a generation fails and is refunded, never resubmitted.
   */
  find?(request: GenerationRequest, context: ProviderCallContext): Promise<ProviderJob | null>;
  /** Cancels at the provider; resolves true when the provider confirmed it. */
  cancel?(handle: JsonObject, request: GenerationRequest, context: ProviderCallContext): Promise<boolean>;
  /**
   * Reads a callback the provider sent to `context.callbackUrl`. It exists so a provider that can
   * call back is not polled for minutes after it finished, and so a signed callback (Standard
   * Webhooks: Kling, Replicate) is verified by the one party that knows the secret. The body is
   * never trusted for the outcome or for billing: a verified callback only makes the engine ask
   * `status` at once. Without this method, callbacks for the provider are refused (404) and the
   * engine polls.
   */
  parseCallback?(callback: ProviderCallbackRequest): ProviderCallbackResult;
}
