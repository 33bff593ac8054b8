/**
 * How candidates are ordered: a score in [0, 1] per candidate from its traits, its price and time
 * (scaled by measured lateness), weighed by its recent success, by the caller's priority. The
 * highest wins; the others, in order, are the fallbacks.
 */
import type { Priority } from '../providers/generation-type';
import type { Candidate } from './candidates';
import { healthKey, type ProviderHealthView } from '../providers/health-view';

/**
 * How much the fit to the request's needs counts against the priority's score when needs were
 * found: enough that a provider made for the request wins over one that is merely cheaper or
 * faster, while the priority still orders providers that fit alike.
 */
const fitShare = 0.65;

/** The priority's scores, blended with each candidate's fit to the request's needs when needs were found. */
export function withFit(priorityScores: number[], fits: number[] | null): number[] {
  return fits ? priorityScores.map((value, index) => fitShare * fits[index]! + (1 - fitShare) * value) : priorityScores;
}

/**
 * Scores in [0, 1] per candidate; the highest wins, the earliest registered on a tie. Declared
 * traits and quotes decide until the engine has measured a provider: then its expected time is
 * the quote scaled by how late it has recently been, and the score is weighed by its recent
 * success rate, so a provider that fails or slows down loses ground before its circuit opens.
 */
export function score(candidates: Candidate[], priority: Priority, health?: ProviderHealthView): number[] {
  const count = candidates.length;
  const successRates = new Array<number>(count);
  const costs = new Array<number>(count);
  const times = new Array<number>(count);
  let minCost = Infinity;
  let maxCost = -Infinity;
  let minTime = Infinity;
  let maxTime = -Infinity;
  for (let index = 0; index < count; index++) {
    const candidate = candidates[index]!;
    const measurement = health?.measured?.(healthKey(candidate.adapter));
    successRates[index] = measurement?.successRate ?? 1;
    const cost = candidate.quote!.creditCost;
    const time = candidate.quote!.estimatedTime * (measurement?.latencyRatio ?? 1);
    costs[index] = cost;
    times[index] = time;
    if (cost < minCost) minCost = cost;
    if (cost > maxCost) maxCost = cost;
    if (time < minTime) minTime = time;
    if (time > maxTime) maxTime = time;
  }
  // 1 for the lowest value among the candidates, 0 for the highest.
  const normal = (value: number, min: number, max: number) => (max === min ? 1 : 1 - (value - min) / (max - min));
  const scores = new Array<number>(count);
  for (let index = 0; index < count; index++) {
    const traits = candidates[index]!.adapter.traits;
    const quality = traits.quality / 10;
    const speed = 0.5 * (traits.speed / 10) + 0.5 * normal(times[index]!, minTime, maxTime);
    const cheapness = normal(costs[index]!, minCost, maxCost);
    const reliability = 0.5 + 0.5 * successRates[index]!;
    switch (priority) {
      case 'QUALITY':
        scores[index] = reliability * (0.8 * quality + 0.1 * speed + 0.1 * cheapness);
        break;
      case 'SPEED':
        scores[index] = reliability * (0.8 * speed + 0.15 * quality + 0.05 * cheapness);
        break;
      case 'COST':
        scores[index] = reliability * (0.8 * cheapness + 0.15 * quality + 0.05 * speed);
        break;
      default:
        scores[index] = reliability * (0.4 * quality + 0.3 * speed + 0.3 * cheapness);
    }
  }
  return scores;
}
