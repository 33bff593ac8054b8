/**
 * Why the router chose the provider it chose. The router writes it and every generation keeps it,
 * so it is a type of the router's (the engine stores it, and imports it from here).
 */
import type { Priority } from '../providers/generation-type';

/** Why the engine chose the provider it chose; shown on the generation. */
export interface RoutingDecision {
  provider: string;
  reason: string;
  priority: Priority | null;
  candidates: Array<{ provider: string; score: number | null; eligible: boolean; reason: string | null; fit?: number | null }>;
  /** What automatic selection read in the request (absent when the caller named the provider or nothing was found). */
  needs?: Array<{ intent: string; evidence: string[] }>;
  /** The choice in words: the needs found, why the winner fits them, why the runner-up lost. */
  explanation?: string;
  /** Who analysed the request: `built-in`, `hook`, or `built-in` with why the hook was not used. */
  analyser?: string;
}
