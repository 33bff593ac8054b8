import type { Plan } from '../policies/plans';
import type { RatePolicyState } from '../policies/rate-limits';

/**
 * The rate-limit fields of a response. `X-RateLimit-*` describe the bucket the request used
 * (Reset in seconds until the window resets, as the product page's Python client reads it);
 * `RateLimit-Policy` and `RateLimit` follow draft-ietf-httpapi-ratelimit-headers-10.
 */
export function rateLimitHeaders(plan: Plan, states: Iterable<RatePolicyState>, used: RatePolicyState | undefined): Record<string, string> {
  const headers: Record<string, string> = { 'ratelimit-policy': policyField(plan) };
  const items: string[] = [];
  for (const state of states) items.push(`"${state.policy}";r=${state.remaining};t=${state.resetSeconds}`);
  if (items.length) headers.ratelimit = items.join(', ');
  if (used) {
    headers['x-ratelimit-limit'] = String(used.limit);
    headers['x-ratelimit-remaining'] = String(used.remaining);
    headers['x-ratelimit-reset'] = String(used.resetSeconds);
  }
  return headers;
}

const policyCache = new WeakMap<Plan, string>();

function policyField(plan: Plan): string {
  let field = policyCache.get(plan);
  if (!field) {
    const parts = [`"minute";q=${plan.generationsPerMinute};w=60`];
    if (plan.generationsPerDay !== null) parts.push(`"day";q=${plan.generationsPerDay};w=86400`);
    parts.push(`"concurrent";q=${plan.concurrent};qu="concurrent-requests"`, `"reads";q=${plan.readsPerMinute};w=60`);
    field = parts.join(', ');
    policyCache.set(plan, field);
  }
  return field;
}
