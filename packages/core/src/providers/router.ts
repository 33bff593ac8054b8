import { DoitongError, isDoitongError } from '../errors';
import type { RoutingDecision } from '../engine/generation';
import type { GenerationInput, GenerationRequest } from './generation-request';
import type { GenerationType, JsonValue, Priority } from './generation-type';
import { inputProblem } from './input-support';
import type { ProviderAdapter } from './provider-adapter';
import type { PriceQuote } from './provider-description';
import type { AccountModeName, ProviderRegistry } from './registry';
import { validateOptions } from './validate-options';
import { analyseRequest } from '../routing/analyse-request';
import { describeNeeds, explainChoice, fitOf, hasNeeds, languageName, limitProblem, type ExplainedCandidate } from '../routing/match';
import { intentLabels, type RequestNeeds } from '../routing/needs';

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

/**
 * The key a provider's health is kept under: its id for live traffic, `<id>@test` for the sandbox
 * twin, so simulated failures of test-mode keys never open a live provider's circuit.
 */
export function healthKey(adapter: Pick<ProviderAdapter, 'id' | 'livemode'>): string {
  return adapter.livemode ? adapter.id : `${adapter.id}@test`;
}

/** Moving averages the engine keeps per provider (see ProviderHealth). */
export interface ProviderMeasurement {
  /** Share of recent attempts that did not fail for the provider's fault, 0 to 1. */
  successRate: number;
  /** Recent seconds from submission to completion, or null before any completed job. */
  latencySeconds: number | null;
  /** Recent measured latency over the provider's own estimate (1 = as estimated), or null. */
  latencyRatio: number | null;
  samples: number;
}

/** What the engine has measured about a provider; absent until it has seen traffic. */
export interface ProviderHealthView {
  /** False while the circuit is open: the provider is not chosen. */
  isSelectable(providerId: string): boolean;
  /** Measured success and latency, so selection prefers providers that are fast and reliable now. */
  measured?(providerId: string): ProviderMeasurement | undefined;
  /** Told when a provider is chosen, so a half-open circuit lets exactly one probe through. */
  selected?(providerId: string): void;
}

interface Candidate {
  adapter: ProviderAdapter;
  request?: GenerationRequest;
  quote?: PriceQuote;
  problem?: string;
}

/**
 * How much the fit to the request's needs counts against the priority's score when needs were
 * found: enough that a provider made for the request wins over one that is merely cheaper or
 * faster, while the priority still orders providers that fit alike.
 */
const fitShare = 0.65;

/**
 * Picks the provider for a request: the one named, or the best of those that can serve it
 * by the caller's priority (BALANCED when none is given).
 */
export class ProviderRouter {
  readonly #registry: ProviderRegistry;
  readonly #health: ProviderHealthView | undefined;
  /**
   * The last routing decision and fallback list per kind of request (mode, type, priority), handed
   * to the next request of that kind when nothing in them changed (the usual case: scores move only
   * as health measurements do). Every generation keeps its decision, so a shared frozen one saves
   * allocating, storing and collecting a dozen objects per request.
   */
  readonly #decisions = new Map<string, RoutingDecision>();
  readonly #fallbackLists = new Map<string, string[]>();

  constructor(registry: ProviderRegistry, health?: ProviderHealthView) {
    this.#registry = registry;
    this.#health = health;
  }

  route(route: RouteRequest): Route {
    if (route.provider) {
      const fallbacks = this.#checkFallbacks(route, route.provider);
      const chosen = this.#explicit(route, route.provider);
      this.#health?.selected?.(healthKey(chosen.adapter));
      return { ...chosen, fallbacks };
    }
    if (route.fallback?.length) this.#checkFallbacks(route, undefined);
    const candidates = this.#registry.list(route.mode, route.type).map((adapter) => this.#evaluate(adapter, route));
    let eligible = candidates.filter((candidate) => !candidate.problem);
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
    const analysed = route.needs ?? analyseRequest({ type: route.type, input: route.input, options: route.options, priority: route.priority });
    const needs = hasNeeds(analysed) ? analysed : null;
    const excluded: Array<{ id: string; problem: string }> = [];
    let unmet: string | undefined;
    eligible = this.#withoutIdleSpecialists(eligible, needs);
    if (needs) {
      // A provider that cannot meet a need (its voices lack the language, it cannot render the
      // length) is left out, as long as one that can is left: the needs come from reading the
      // words, so when none can meet them the request still goes to the best of the others.
      const problems = eligible.map((candidate) => limitProblem(candidate.adapter.strengths, needs, route.type));
      if (problems.some((problem) => problem !== undefined)) {
        if (problems.every((problem) => problem !== undefined)) {
          const each = eligible.map((candidate, index) => `${candidate.adapter.id}: ${problems[index]}`).join('; ');
          unmet = `No ${route.type.toLowerCase()} provider can meet every need (${each}), so the choice is made among all of them.`;
        } else {
          eligible.forEach((candidate, index) => {
            const problem = problems[index];
            if (problem === undefined) return;
            candidate.problem = `cannot serve this request: ${problem}`;
            excluded.push({ id: candidate.adapter.id, problem });
          });
          eligible = eligible.filter((candidate) => !candidate.problem);
        }
      }
    }
    const priorityScores = score(eligible, priority, this.#health);
    const fits = needs ? eligible.map((candidate) => fitOf(candidate.adapter.strengths, needs)) : null;
    const scores = fits ? priorityScores.map((value, index) => fitShare * fits[index]! + (1 - fitShare) * value) : priorityScores;
    let best = 0;
    for (let index = 1; index < eligible.length; index++) if (scores[index]! > scores[best]!) best = index;
    let chosen = eligible[best]!;
    this.#health?.selected?.(healthKey(chosen.adapter));
    const applied = needs ? this.#speakTheLanguage(chosen, route, needs) : undefined;
    if (applied) chosen = applied.candidate;
    const kind = `${route.mode} ${route.type} ${priority}`;
    // Eligible candidates keep their order among all candidates, so their scores are taken in turn.
    let next = 0;
    const rounded = candidates.map((candidate) => (candidate.problem ? null : Math.round(scores[next++]! * 1000) / 1000));
    const ranked = eligible.map((candidate, index) => ({ id: candidate.adapter.id, score: scores[index]! })).filter((entry) => entry.id !== chosen.adapter.id);
    // A stable sort keeps registration order on equal scores, as the choice itself does.
    ranked.sort((left, right) => right.score - left.score);
    let decision: RoutingDecision;
    if (needs) {
      // Needs carry the request's own words, so such a decision is the request's own.
      const explained = (index: number): ExplainedCandidate => ({
        id: eligible[index]!.adapter.id,
        strengths: eligible[index]!.adapter.strengths,
        fit: fits![index]!,
        score: scores[index]!,
        quote: eligible[index]!.quote!,
        quality: eligible[index]!.adapter.traits.quality,
      });
      const runnerUp = ranked.length ? eligible.findIndex((candidate) => candidate.adapter.id === ranked[0]!.id) : -1;
      let fitIndex = 0;
      decision = {
        provider: chosen.adapter.id,
        reason: `best fit to the request's needs (${describeNeeds(needs)}), then ${priority.toLowerCase()} score, among ${eligible.length} eligible provider${eligible.length === 1 ? '' : 's'}`,
        priority,
        candidates: candidates.map((candidate, index) => ({
          provider: candidate.adapter.id,
          score: rounded[index]!,
          eligible: rounded[index] !== null,
          reason: candidate.problem ?? null,
          fit: candidate.problem ? null : Math.round(fits![fitIndex++]! * 1000) / 1000,
        })),
        needs: needs.needs.map((need) => ({ intent: need.intent, evidence: need.evidence })),
        explanation: explainChoice(needs, priority, { ...explained(best), quote: chosen.quote! }, runnerUp >= 0 ? explained(runnerUp) : undefined, excluded, unmet, applied?.sentence),
        analyser: needs.analyser ?? 'built-in',
      };
    } else {
      const sameDecision = (previous: RoutingDecision) =>
        previous.provider === chosen.adapter.id &&
        previous.candidates.length === candidates.length &&
        previous.candidates.every((entry, index) => entry.provider === candidates[index]!.adapter.id && entry.score === rounded[index] && entry.reason === (candidates[index]!.problem ?? null));
      decision = shared(this.#decisions, kind, sameDecision, () =>
        Object.freeze({
          provider: chosen.adapter.id,
          reason: `highest ${priority.toLowerCase()} score among ${eligible.length} eligible provider${eligible.length === 1 ? '' : 's'}`,
          priority,
          candidates: Object.freeze(
            candidates.map((candidate, index) => Object.freeze({ provider: candidate.adapter.id, score: rounded[index]!, eligible: rounded[index] !== null, reason: candidate.problem ?? null })),
          ) as RoutingDecision['candidates'],
        }),
      );
    }
    const sameList = (previous: string[]) => previous.length === ranked.length && previous.every((id, index) => id === ranked[index]!.id);
    const fallbacks = route.fallback?.length
      ? route.fallback.filter((id) => id !== chosen.adapter.id)
      : needs
        ? ranked.map((entry) => entry.id)
        : shared(this.#fallbackLists, kind, sameList, () => Object.freeze(ranked.map((entry) => entry.id)) as string[]);
    return { fallbacks, adapter: chosen.adapter, request: chosen.request!, quote: chosen.quote!, decision };
  }

  /** Leaves out specialists whose speciality the request does not need, unless nothing else is left. */
  #withoutIdleSpecialists(eligible: Candidate[], needs: RequestNeeds | null): Candidate[] {
    let idle = 0;
    for (const candidate of eligible) if (isIdleSpecialist(candidate.adapter, needs)) idle++;
    if (idle === 0 || idle === eligible.length) return eligible;
    return eligible.filter((candidate) => {
      if (!isIdleSpecialist(candidate.adapter, needs)) return true;
      candidate.problem = `kept for requests that need ${candidate.adapter.strengths!.reservedFor!.map((intent) => intentLabels[intent]).join(' or ')}`;
      return false;
    });
  }

  /**
   * A provider chosen for a voice language says so through one of its options (Google's
   * `languageCode`): set it when the caller did not, so the voice speaks the language it was chosen for.
   */
  #speakTheLanguage(chosen: Candidate, route: RouteRequest, needs: RequestNeeds): { candidate: Candidate; sentence: string } | undefined {
    const language = needs.voiceLanguage;
    const setting = chosen.adapter.strengths?.languageOption;
    if (language === undefined || !setting) return undefined;
    const value = setting.values[language];
    const given = route.options[setting.option];
    if (value === undefined || (given !== undefined && given !== null)) return undefined;
    let options: Record<string, JsonValue>;
    try {
      options = validateOptions(chosen.adapter, route.type, { ...route.options, [setting.option]: value });
    } catch (error) {
      if (isDoitongError(error)) return undefined;
      throw error;
    }
    const request = buildRequest(chosen.adapter, route, options);
    return {
      candidate: { adapter: chosen.adapter, request, quote: chosen.adapter.price(request) },
      sentence: `Set options.${setting.option} to "${value}" so the voice speaks ${languageName(language)}.`,
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
    const request = buildRequest(adapter, route, options);
    const refused = adapter.check?.(request);
    if (refused !== undefined) throw new DoitongError('INVALID_INPUT', refused, { details: { provider: providerId } });
    const unavailable = adapter.unavailableReason?.();
    if (unavailable) throw new DoitongError('PROVIDER_UNAVAILABLE', `Provider "${providerId}" is unavailable: ${unavailable}`, { details: { provider: providerId } });
    return {
      adapter,
      request,
      quote: adapter.price(request),
      decision: { provider: providerId, reason: 'requested by the caller', priority: route.priority, candidates: [] },
      fallbacks: [],
    };
  }

  /**
   * The route to one named provider for a fallback attempt, or the reason it cannot take the
   * request now (it cannot serve this input or these options, it is unavailable, or its circuit is open).
   */
  routeTo(route: RouteRequest, providerId: string): Route | { problem: string } {
    const adapter = this.#registry.resolve(providerId, route.mode);
    if (!adapter || !adapter.types.includes(route.type)) return { problem: `no ${route.type} provider "${providerId}"` };
    const candidate = this.#evaluate(adapter, route);
    if (candidate.problem) return { problem: candidate.problem };
    this.#health?.selected?.(healthKey(adapter));
    return {
      adapter,
      request: candidate.request!,
      quote: candidate.quote!,
      decision: { provider: providerId, reason: 'fallback', priority: route.priority, candidates: [] },
      fallbacks: [],
    };
  }

  /** A fallback list names providers of the requested type, other than the one chosen. */
  #checkFallbacks(route: RouteRequest, chosen: string | undefined): string[] {
    const fallbacks = [...new Set(route.fallback ?? [])].filter((id) => id !== chosen);
    const known = this.#registry.ids(route.mode, route.type);
    for (const id of fallbacks) {
      if (!known.includes(id))
        throw new DoitongError('INVALID_INPUT', `Unknown ${route.type} provider "${id}" in fallback. Allowed values: ${known.join(', ')}.`, {
          details: { option: 'fallback', value: id, allowedValues: known },
        });
    }
    return fallbacks;
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
    if (this.#health && !this.#health.isSelectable(healthKey(adapter))) return { adapter, problem: 'unavailable: circuit open after recent failures' };
    const request = buildRequest(adapter, route, options);
    const refused = adapter.check?.(request);
    if (refused !== undefined) return { adapter, problem: refused };
    return { adapter, request, quote: adapter.price(request) };
  }
}

function isIdleSpecialist(adapter: ProviderAdapter, needs: RequestNeeds | null): boolean {
  const reserved = adapter.strengths?.reservedFor;
  if (!reserved?.length) return false;
  return !needs?.needs.some((need) => reserved.includes(need.intent));
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

/**
 * Scores in [0, 1] per candidate; the highest wins, the earliest registered on a tie. Declared
 * traits and quotes decide until the engine has measured a provider: then its expected time is
 * the quote scaled by how late it has recently been, and the score is weighed by its recent
 * success rate, so a provider that fails or slows down loses ground before its circuit opens.
 */
function score(candidates: Candidate[], priority: Priority, health?: ProviderHealthView): number[] {
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

/** The value kept under `key` while `same` says it still holds, else a new one from `make`, kept for the next caller. */
function shared<Value>(kept: Map<string, Value>, key: string, same: (previous: Value) => boolean, make: () => Value): Value {
  const previous = kept.get(key);
  if (previous !== undefined && same(previous)) return previous;
  const value = make();
  kept.set(key, value);
  return value;
}
