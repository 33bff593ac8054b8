import { DoitongError } from '../errors';
import { buildRequest, evaluateCandidate, speakTheLanguage, withoutIdleSpecialists } from './candidates';
import { healthKey, type ProviderHealthView } from '../providers/health-view';
import { inputProblem } from '../providers/input-support';
import type { ProviderRegistry } from '../providers/registry';
import type { Route, RouteRequest } from './route';
import type { RoutingDecision } from './routing-decision';
import { score, withFit } from './scores';
import { validateOptions } from '../providers/validate-options';
import { analyseRequest } from './analyse-request';
import { describeNeeds, explainChoice, fitOf, hasNeeds, limitProblem, type ExplainedCandidate } from './match';

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
    const candidates = this.#registry.list(route.mode, route.type).map((adapter) => evaluateCandidate(adapter, route, this.#health));
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
    eligible = withoutIdleSpecialists(eligible, needs);
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
    const scores = withFit(priorityScores, fits);
    let best = 0;
    for (let index = 1; index < eligible.length; index++) if (scores[index]! > scores[best]!) best = index;
    let chosen = eligible[best]!;
    this.#health?.selected?.(healthKey(chosen.adapter));
    const applied = needs ? speakTheLanguage(chosen, route, needs) : undefined;
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
        explanation: explainChoice(
          needs,
          priority,
          { ...explained(best), quote: chosen.quote! },
          runnerUp >= 0 ? explained(runnerUp) : undefined,
          excluded,
          unmet,
          applied?.sentence,
        ),
        analyser: needs.analyser ?? 'built-in',
      };
    } else {
      const sameDecision = (previous: RoutingDecision) =>
        previous.provider === chosen.adapter.id &&
        previous.candidates.length === candidates.length &&
        previous.candidates.every(
          (entry, index) =>
            entry.provider === candidates[index]!.adapter.id && entry.score === rounded[index] && entry.reason === (candidates[index]!.problem ?? null),
        );
      decision = shared(this.#decisions, kind, sameDecision, () =>
        Object.freeze({
          provider: chosen.adapter.id,
          reason: `highest ${priority.toLowerCase()} score among ${eligible.length} eligible provider${eligible.length === 1 ? '' : 's'}`,
          priority,
          candidates: Object.freeze(
            candidates.map((candidate, index) =>
              Object.freeze({ provider: candidate.adapter.id, score: rounded[index]!, eligible: rounded[index] !== null, reason: candidate.problem ?? null }),
            ),
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
    if (unavailable)
      throw new DoitongError('PROVIDER_UNAVAILABLE', `Provider "${providerId}" is unavailable: ${unavailable}`, { details: { provider: providerId } });
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
    const candidate = evaluateCandidate(adapter, route, this.#health);
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
}

/** The value kept under `key` while `same` says it still holds, else a new one from `make`, kept for the next caller. */
function shared<Value>(kept: Map<string, Value>, key: string, same: (previous: Value) => boolean, make: () => Value): Value {
  const previous = kept.get(key);
  if (previous !== undefined && same(previous)) return previous;
  const value = make();
  kept.set(key, value);
  return value;
}
