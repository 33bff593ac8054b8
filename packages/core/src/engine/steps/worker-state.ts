/**
 * What the worker's steps share: the engine's dependencies and what this process keeps about the
 * generations it is working on. Each step is a function of this state, so the steps live in their
 * own modules while the worker holds one state for all of them.
 */
import { isoTime } from '../../policies/clock';
import type { EngineDependencies } from '../dependencies';

export interface WorkerState {
  readonly dependencies: EngineDependencies;
  /** Status calls failing without a break: how many, and since when. */
  readonly statusErrors: Map<string, { count: number; since: number }>;
  /** Status calls queued so far per generation, which the poll schedule backs off by. */
  readonly polls: Map<string, number>;
  /** Generations whose status call is running in this process, so a callback's extra poll cannot apply a result twice. */
  readonly inFlight: Set<string>;
  /** Generations whose ending this process is completing, so a concurrent job does not repeat it. */
  readonly ending: Set<string>;
  /**
   * Generations this process submitted and saved as PROCESSING, whose first poll has not run here
   * yet: that poll may start from the copy of the record just written (see `poll.ts`).
   */
  readonly submitted: Set<string>;
}

/** How many submissions are remembered for their first poll; the oldest are forgotten first (their polls read the record). */
const submittedLimit = 10_000;

export function workerState(dependencies: EngineDependencies): WorkerState {
  return { dependencies, statusErrors: new Map(), polls: new Map(), inFlight: new Set(), ending: new Set(), submitted: new Set() };
}

export function rememberSubmitted(state: WorkerState, id: string): void {
  state.submitted.add(id);
  if (state.submitted.size > submittedLimit) state.submitted.delete(state.submitted.values().next().value!);
}

/** Whether this process submitted the generation and this is its first poll here (and forgets it). */
export function firstPollHere(state: WorkerState, id: string): boolean {
  return state.submitted.delete(id);
}

/** Drops what this process kept about a generation's polls once they stop. */
export function forget(state: WorkerState, id: string): void {
  state.polls.delete(id);
  state.statusErrors.delete(id);
  state.submitted.delete(id);
}

export function now(state: WorkerState): number {
  return state.dependencies.clock.now();
}

export function isoNow(state: WorkerState): string {
  return isoTime(now(state));
}
