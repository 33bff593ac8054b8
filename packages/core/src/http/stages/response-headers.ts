// Every executed GraphQL response says where the caller stands against its plan: the
// rate-limit fields of the bucket the request used, and every policy state it met.
import { rateLimitHeaders } from '../rate-limit-headers';
import type { DoitongResponse } from '../types';
import type { RequestLimits } from './read-limit';

/** Adds the rate-limit headers to an executed request's response. */
export function addRateLimitHeaders(response: DoitongResponse, limits: RequestLimits): void {
  const { plan, states, isGeneration } = limits;
  // The refused policy if one was; else the bucket the request counted against.
  const used = [...states.values()].find((state) => !state.allowed) ?? states.get(isGeneration ? 'minute' : 'reads') ?? states.get('reads');
  Object.assign(response.headers, rateLimitHeaders(plan, states.values(), used));
}
