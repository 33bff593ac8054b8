/**
 * Declared strengths, used by automatic selection before the engine has measured anything: the
 * router scores candidates by the request's priority (QUALITY, SPEED, COST, BALANCED) from these,
 * then corrects them with the success rate and latency it observes. Each is a score from 1 to 10.
 */
export interface ProviderTraits {
  /** How good the output is, against the other providers of the same types (10 = best). */
  quality: number;
  /** How fast a job finishes (10 = fastest); blended with the quoted `estimatedTime`. */
  speed: number;
  /** The price level (10 = most expensive); shown to callers, the quoted `creditCost` decides COST routing. */
  cost: number;
}
