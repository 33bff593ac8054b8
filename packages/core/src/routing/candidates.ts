/**
 * Whether one provider can take a request now, and if so with what request and at what price:
 * the input it accepts, the options it validates, its availability and circuit, its own check.
 * Also the adjustments made to candidates before scoring (specialists kept for the requests
 * they are for, a voice's language set through the option that selects it).
 */
import { isDoitongError } from '../errors';
import type { GenerationRequest } from '../providers/generation-request';
import type { JsonValue } from '../providers/generation-type';
import { healthKey, type ProviderHealthView } from '../providers/health-view';
import { inputProblem } from '../providers/input-support';
import type { ProviderAdapter } from '../providers/provider-adapter';
import type { PriceQuote } from '../providers/price-quote';
import type { RouteRequest } from './route';
import { validateOptions } from '../providers/validate-options';
import { languageName } from './match';
import { intentLabels, type RequestNeeds } from './needs';

/** A provider looked at for a request: its request and price when it can take it, else why not. */
export interface Candidate {
  adapter: ProviderAdapter;
  request?: GenerationRequest;
  quote?: PriceQuote;
  problem?: string;
}

export function evaluateCandidate(adapter: ProviderAdapter, route: RouteRequest, health: ProviderHealthView | undefined): Candidate {
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
  if (health && !health.isSelectable(healthKey(adapter))) return { adapter, problem: 'unavailable: circuit open after recent failures' };
  const request = buildRequest(adapter, route, options);
  const refused = adapter.check?.(request);
  if (refused !== undefined) return { adapter, problem: refused };
  return { adapter, request, quote: adapter.price(request) };
}

export function buildRequest(adapter: ProviderAdapter, route: RouteRequest, options: Record<string, JsonValue>): GenerationRequest {
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

/** Leaves out specialists whose speciality the request does not need, unless nothing else is left. */
export function withoutIdleSpecialists(eligible: Candidate[], needs: RequestNeeds | null): Candidate[] {
  let idle = 0;
  for (const candidate of eligible) if (isIdleSpecialist(candidate.adapter, needs)) idle++;
  if (idle === 0 || idle === eligible.length) return eligible;
  return eligible.filter((candidate) => {
    if (!isIdleSpecialist(candidate.adapter, needs)) return true;
    candidate.problem = `kept for requests that need ${candidate.adapter.strengths!.reservedFor!.map((intent) => intentLabels[intent]).join(' or ')}`;
    return false;
  });
}

function isIdleSpecialist(adapter: ProviderAdapter, needs: RequestNeeds | null): boolean {
  const reserved = adapter.strengths?.reservedFor;
  if (!reserved?.length) return false;
  return !needs?.needs.some((need) => reserved.includes(need.intent));
}

/**
 * A provider chosen for a voice language says so through one of its options (Google's
 * `languageCode`): set it when the caller did not, so the voice speaks the language it was chosen for.
 */
export function speakTheLanguage(chosen: Candidate, route: RouteRequest, needs: RequestNeeds): { candidate: Candidate; sentence: string } | undefined {
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
