// Reads (queries, and mutations that start no generation) are counted against the plan's reads
// per minute before they run; generation fields count against their own windows as they execute.
// The policy states seen here and during execution become the response's rate-limit headers.
import type { OperationDefinitionNode } from 'graphql';
import type { Account } from '../../accounts/account';
import { DoitongError } from '../../errors';
import type { Plan } from '../../policies/plans';
import type { RateLimits, RatePolicyState } from '../../policies/rate-limits';
import type { HttpTelemetry } from '../http-telemetry';
import type { ResponseMediaType } from '../graphql-params';
import { rateLimitHeaders } from '../rate-limit-headers';
import { Answered, errorResponse } from '../responses';

export interface ReadLimitDependencies {
  limits: RateLimits;
  planFor(account: Account): Plan;
  telemetry?: HttpTelemetry;
}

/** The rate-limit side of one request: its plan and every policy state it met, latest per policy. */
export interface RequestLimits {
  plan: Plan;
  /** A mutation with a generation field: its limits are the generation windows, not reads. */
  isGeneration: boolean;
  states: Map<string, RatePolicyState>;
}

const generationFields = new Set(['generate', 'videoCreate']);

/** The request's limits after its read was counted, or the 429 refusal once the read limit is reached. */
export async function consumeReadLimit(
  account: Account,
  operation: OperationDefinitionNode,
  mediaType: ResponseMediaType,
  dependencies: ReadLimitDependencies,
): Promise<RequestLimits | Answered> {
  const plan = dependencies.planFor(account);
  const isGeneration =
    operation.operation === 'mutation' &&
    operation.selectionSet.selections.some((selection) => selection.kind === 'Field' && generationFields.has(selection.name.value));
  const states = new Map<string, RatePolicyState>();
  if (!isGeneration) {
    const read = await dependencies.limits.consumeRead(account.id, plan);
    states.set(read.policy, read);
    if (!read.allowed) {
      dependencies.telemetry?.rateLimitRefused('reads', plan.id);
      const response = errorResponse(readLimitReached(read), mediaType);
      Object.assign(response.headers, rateLimitHeaders(plan, states.values(), read));
      return new Answered(response);
    }
  }
  return { plan, isGeneration, states };
}

/** The 429 of a request over its plan's reads per minute. */
export function readLimitReached(read: RatePolicyState): DoitongError {
  return new DoitongError('RATE_LIMIT', `The read limit of ${read.limit} requests per minute is reached; retry in ${read.resetSeconds} s.`, {
    details: { policy: 'reads', limit: read.limit, retryAfterSeconds: read.resetSeconds },
    headers: { 'retry-after': String(read.resetSeconds) },
  });
}
