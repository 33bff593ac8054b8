import { DoitongError, isDoitongError } from '../errors';
import type { RoutingDecision } from '../engine/generation';
import type { GenerationInput, GenerationRequest } from './generation-request';
import type { GenerationType, JsonValue, Priority } from './generation-type';
import { inputProblem } from './input-support';
import type { ProviderAdapter } from './provider-adapter';
import type { PriceQuote } from './provider-description';
import type { AccountModeName, ProviderRegistry } from './registry';
import { validateOptions } from './validate-options';

export interface RouteRequest {
  type: GenerationType;
  provider?: string | null;
  input: GenerationInput;
  options: Record<string, JsonValue>;
  priority: Priority | null;
  mode: AccountModeName;
  generationId: string;
  accountId: string;
}

export interface Route {
  adapter: ProviderAdapter;
  request: GenerationRequest;
  quote: PriceQuote;
  decision: RoutingDecision;
}

/** What the engine has measured about a provider; absent until it has seen traffic. */
export interface ProviderHealthView {
  /** False while the circuit is open: the provider is not chosen. */
  isSelectable(providerId: string): boolean;
}

interface Candidate {
  adapter: ProviderAdapter;
  request?: GenerationRequest;
  quote?: PriceQuote;
  problem?: string;
}

/**
 * Picks the provider for a request: the one named, or the best of those that can serve it
 * by the caller's priority (BALANCED when none is given).
 */
export class ProviderRouter {
  readonly #registry: ProviderRegistry;
  readonly #health: ProviderHealthView | undefined;

  constructor(registry: ProviderRegistry, health?: ProviderHealthView) {
    this.#registry = registry;
    this.#health = health;
  }

  route(route: RouteRequest): Route {
    if (route.provider) return this.#explicit(route, route.provider);
    const candidates = this.#registry.list(route.mode, route.type).map((adapter) => this.#evaluate(adapter, route));
    const eligible = candidates.filter((candidate) => !candidate.problem);
    if (eligible.length === 0) {
      const reasons = candidates.map((candidate) => ({ provider: candidate.adapter.id, reason: candidate.problem ?? '' }));
      const unavailableOnly = candidates.length > 0 && candidates.every((candidate) => candidate.problem?.startsWith('unavailable'));
      throw new DoitongError(
        unavailableOnly ? 'PROVIDER_UNAVAILABLE' : 'INVALID_INPUT',
        candidates.length
          ? `No ${route.type} provider can serve this request: ${reasons.map((entry) => `${entry.provider}: ${entry.reason}`).join('; ')}`
          : `No provider is registered for ${route.type}.`,
        { details: { type: route.type, candidates: reasons } },
      );
    }
    const priority = route.priority ?? 'BALANCED';
    const scores = score(eligible, priority);
    let best = 0;
    for (let index = 1; index < eligible.length; index++) if (scores[index]! > scores[best]!) best = index;
    const chosen = eligible[best]!;
    return {
      adapter: chosen.adapter,
      request: chosen.request!,
      quote: chosen.quote!,
      decision: {
        provider: chosen.adapter.id,
        reason: `highest ${priority.toLowerCase()} score among ${eligible.length} eligible provider${eligible.length === 1 ? '' : 's'}`,
        priority,
        candidates: candidates.map((candidate) => {
          const index = eligible.indexOf(candidate);
          return {
            provider: candidate.adapter.id,
            score: index === -1 ? null : Math.round(scores[index]! * 1000) / 1000,
            eligible: index !== -1,
            reason: candidate.problem ?? null,
          };
        }),
      },
    };
  }

  #explicit(route: RouteRequest, providerId: string): Route {
    const adapter = this.#registry.resolve(providerId, route.mode);
    if (!adapter || !adapter.types.includes(route.type)) {
      const allowedValues = this.#registry.ids(route.mode, route.type);
      throw new DoitongError('INVALID_INPUT', `Unknown ${route.type} provider "${providerId}". Allowed values: ${allowedValues.join(', ')}.`, {
        details: { option: 'provider', value: providerId, allowedValues },
      });
    }
    const problem = inputProblem(adapter, route.type, route.input);
    if (problem) throw new DoitongError('INVALID_INPUT', problem, { details: { option: 'input', provider: providerId } });
    const options = validateOptions(adapter, route.type, route.options);
    const unavailable = adapter.unavailableReason?.();
    if (unavailable) throw new DoitongError('PROVIDER_UNAVAILABLE', `Provider "${providerId}" is unavailable: ${unavailable}`, { details: { provider: providerId } });
    const request = buildRequest(adapter, route, options);
    return {
      adapter,
      request,
      quote: adapter.price(request),
      decision: { provider: providerId, reason: 'requested by the caller', priority: route.priority, candidates: [] },
    };
  }

  #evaluate(adapter: ProviderAdapter, route: RouteRequest): Candidate {
    const problem = inputProblem(adapter, route.type, route.input);
    if (problem) return { adapter, problem };
    let options: Record<string, JsonValue>;
    try {
      options = validateOptions(adapter, route.type, route.options);
    } catch (error) {
      if (isDoitongError(error)) return { adapter, problem: error.message };
      throw error;
    }
    const unavailable = adapter.unavailableReason?.();
    if (unavailable) return { adapter, problem: `unavailable: ${unavailable}` };
    if (this.#health && !this.#health.isSelectable(adapter.id)) return { adapter, problem: 'unavailable: circuit open after recent failures' };
    const request = buildRequest(adapter, route, options);
    return { adapter, request, quote: adapter.price(request) };
  }
}

function buildRequest(adapter: ProviderAdapter, route: RouteRequest, options: Record<string, JsonValue>): GenerationRequest {
  const model = typeof options.model === 'string' ? options.model : adapter.defaultModel;
  return {
    generationId: route.generationId,
    accountId: route.accountId,
    type: route.type,
    model,
    input: route.input,
    options,
    livemode: adapter.livemode,
  };
}

/** Scores in [0, 1] per candidate; the highest wins, the earliest registered on a tie. */
function score(candidates: Candidate[], priority: Priority): number[] {
  const costs = candidates.map((candidate) => candidate.quote!.creditCost);
  const times = candidates.map((candidate) => candidate.quote!.estimatedTime);
  const normal = (values: number[], value: number) => {
    const min = Math.min(...values);
    const max = Math.max(...values);
    return max === min ? 1 : 1 - (value - min) / (max - min);
  };
  return candidates.map((candidate, index) => {
    const quality = candidate.adapter.traits.quality / 10;
    const speed = 0.5 * (candidate.adapter.traits.speed / 10) + 0.5 * normal(times, times[index]!);
    const cheapness = normal(costs, costs[index]!);
    switch (priority) {
      case 'QUALITY':
        return 0.8 * quality + 0.1 * speed + 0.1 * cheapness;
      case 'SPEED':
        return 0.8 * speed + 0.15 * quality + 0.05 * cheapness;
      case 'COST':
        return 0.8 * cheapness + 0.15 * quality + 0.05 * speed;
      default:
        return 0.4 * quality + 0.3 * speed + 0.3 * cheapness;
    }
  });
}
