/**
 * Whole credits for a USD amount (1 credit = 0.01 USD), rounded up: a quote is what we reserve,
 * and reserving less than the provider charges would let a balance go negative. Never below 1,
 * so no request is free by rounding.
 */
export function credits(usd: number): number {
  return Math.max(1, Math.ceil(Math.round(usd * 100 * 1000) / 1000));
}
