import type { Logger } from '../logger';
import { analyseRequest, type AnalysisRequest } from './analyse-request';
import { isIntent, type Need, type RequestNeeds } from './needs';

/**
 * A host's own reading of a request (a call to its own language model, rules of its own): given
 * the request and the built-in analysis, it returns the needs to route by, or null to keep the
 * built-in ones. It may be slow or fail: the engine waits at most `analyseBudgetMilliseconds`.
 */
export type RequestAnalyser = (request: AnalysisRequest, builtIn: RequestNeeds) => RequestNeeds | null | undefined | Promise<RequestNeeds | null | undefined>;

export interface RoutingOptions {
  /** Replaces or refines the built-in analysis of each automatically routed request. */
  analyse?: RequestAnalyser;
  /**
   * How long a generation waits for `analyse` before it is routed on the built-in analysis
   * (default 50 ms). A hook that throws, rejects or answers something unusable is treated the same.
   */
  analyseBudgetMilliseconds?: number;
}

const defaultBudget = 50;

/**
 * Runs the host's analyser with a time budget, falling back to the built-in one, so a slow or
 * failing hook never blocks a generation. Without a hook there is nothing to do here: the router
 * reads the request itself, synchronously.
 */
export class RequestAnalysis {
  readonly #hook: RequestAnalyser;
  readonly #budget: number;
  readonly #logger: Logger;

  constructor(hook: RequestAnalyser, budgetMilliseconds: number | undefined, logger: Logger) {
    this.#hook = hook;
    this.#budget = Math.max(0, budgetMilliseconds ?? defaultBudget);
    this.#logger = logger;
  }

  async analyse(request: AnalysisRequest): Promise<RequestNeeds> {
    const builtIn = analyseRequest(request);
    let answer: RequestNeeds | null | undefined | Promise<RequestNeeds | null | undefined>;
    try {
      answer = this.#hook(request, builtIn);
    } catch (error) {
      return this.#fallBack(builtIn, 'threw', error);
    }
    if (!isPromise(answer)) return this.#accept(answer, builtIn);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = Symbol('late');
    const budget = new Promise<typeof late>((resolve) => {
      timer = setTimeout(() => resolve(late), this.#budget);
      timer.unref?.();
    });
    try {
      const settled = await Promise.race([answer, budget]);
      if (settled === late) {
        // The hook keeps running; its answer, when it comes, is dropped (and a rejection is not left unhandled).
        answer.catch(() => undefined);
        return this.#fallBack(builtIn, `took longer than ${this.#budget} ms`);
      }
      return this.#accept(settled, builtIn);
    } catch (error) {
      return this.#fallBack(builtIn, 'failed', error);
    } finally {
      clearTimeout(timer);
    }
  }

  #accept(answer: RequestNeeds | null | undefined, builtIn: RequestNeeds): RequestNeeds {
    if (answer === null || answer === undefined) return { ...builtIn, analyser: 'built-in (the hook kept it)' };
    const problem = needsProblem(answer);
    if (problem) return this.#fallBack(builtIn, `answered something unusable (${problem})`);
    return { ...answer, needs: answer.needs.map((need) => ({ intent: need.intent, evidence: [...need.evidence] })), analyser: 'hook' };
  }

  #fallBack(builtIn: RequestNeeds, what: string, error?: unknown): RequestNeeds {
    this.#logger.warn({ err: error }, `the routing.analyse hook ${what}; routing on the built-in analysis`);
    return { ...builtIn, analyser: `built-in (the hook ${what})` };
  }
}

function isPromise<Value>(value: Value | Promise<Value>): value is Promise<Value> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** What is wrong with a hook's answer, or undefined when the router can use it. */
function needsProblem(answer: RequestNeeds): string | undefined {
  if (typeof answer !== 'object' || !Array.isArray(answer.needs)) return 'needs must be an array';
  for (const need of answer.needs as Need[]) {
    if (!need || !isIntent(need.intent)) return `unknown intent ${JSON.stringify(need?.intent)}`;
    if (!Array.isArray(need.evidence) || need.evidence.some((word) => typeof word !== 'string')) return `evidence of ${need.intent} must be strings`;
  }
  for (const field of ['seconds', 'resolution'] as const) {
    const value = answer[field];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)) return `${field} must be a positive number`;
  }
  for (const field of ['textLanguage', 'voiceLanguage', 'promptLanguage'] as const) {
    const value = answer[field];
    if (value !== undefined && (typeof value !== 'string' || !/^[a-z]{2,3}$/.test(value))) return `${field} must be an ISO 639-1 code`;
  }
  return undefined;
}
