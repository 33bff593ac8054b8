/**
 * What the router is asked (a request to place) and what it answers (the provider, the request
 * as that provider takes it, its price, the decision and the fallbacks). Apart from the router so
 * the modules it is built from can share them without importing it.
 */
import type { GenerationInput } from '../providers/generation-input';
import type { GenerationRequest } from '../providers/generation-request';
import type { GenerationType, JsonValue, Priority } from '../providers/generation-type';
import type { ProviderAdapter } from '../providers/provider-adapter';
import type { PriceQuote } from '../providers/price-quote';
import type { AccountModeName } from '../providers/registry';
import type { RoutingDecision } from './routing-decision';
import type { RequestNeeds } from './needs';

export interface RouteRequest {
  type: GenerationType;
  provider?: string | null;
  input: GenerationInput;
  options: Record<string, JsonValue>;
  priority: Priority | null;
  mode: AccountModeName;
  generationId: string;
  accountId: string;
  /** Providers the caller allows as fallbacks, in order (explicit provider only). */
  fallback?: readonly string[] | null;
  /**
   * What the request needs, when already analysed (by the host's hook); automatic selection runs
   * the built-in analyser when this is absent. Ignored when the caller names the provider.
   */
  needs?: RequestNeeds | null;
}

export interface Route {
  adapter: ProviderAdapter;
  request: GenerationRequest;
  quote: PriceQuote;
  decision: RoutingDecision;
  /**
   * Providers to fall back to, in order, after a proven pre-acceptance failure or a verified
   * terminal provider failure: the other eligible candidates by score when Doitong chose, the
   * caller's `fallback` list when one was given, none otherwise.
   */
  fallbacks: string[];
}
