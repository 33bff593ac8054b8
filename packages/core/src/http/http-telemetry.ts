/**
 * What the request handler reports to telemetry: a span around each request and the count of
 * requests the reads limit refused. The handler states what it needs here and the host's
 * `Telemetry` (in `telemetry/`, which observes requests and imports their types) provides it,
 * so the dependency points one way.
 */
import type { RatePolicyName } from '../policies/rate-limits';
import type { DoitongRequest, DoitongResponse } from './types';

export interface HttpTelemetry {
  /** Runs one request to the handler inside its span. */
  request(request: DoitongRequest, handle: () => Promise<DoitongResponse>): Promise<DoitongResponse>;
  /** A request was refused by a rate limit or the concurrency limit. */
  rateLimitRefused(policy: RatePolicyName, plan: string): void;
}
