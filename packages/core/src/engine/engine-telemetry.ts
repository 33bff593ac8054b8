/**
 * What the engine reports to telemetry: spans of its provider calls and the count of rate-limit
 * refusals. The engine states what it needs here and the host's `Telemetry` (in `telemetry/`,
 * which observes the engine and imports its types) provides it, so the dependency points one way.
 */
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

export interface EngineTelemetry {
  /** Runs one provider call inside its span; `outcome` names what its result means. */
  providerCall<Result>(call: ProviderCall, run: () => Promise<Result>, outcome: (result: Result) => string): Promise<Result>;
  /** A request was refused by a rate limit or the concurrency limit. */
  rateLimitRefused(policy: RatePolicyName, plan: string): void;
}
