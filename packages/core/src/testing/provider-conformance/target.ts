// What a provider's test sets up for the conformance suite: its adapter, its mock, and what the mock can act out.
import type { GenerationInput, GenerationType, JsonValue, ProviderAdapter } from '@doitong/core';

/**
 * What a provider's mock acts out for the jobs created after `behave` is called:
 * - `succeed`: the provider's documented status sequence (queued, running words) ending in an output;
 * - `fail`: accepted, then the provider's own terminal failure for the content (moderation);
 * - `unavailable`: the create call is refused (429, 5xx, out of credits): nothing was accepted;
 * - `never-finish`: accepted and running forever (until cancelled);
 * - `no-answer`: the create call is received and the connection dropped without an answer, so
 *   whether the job exists is unknown.
 */
export type MockBehaviour = 'succeed' | 'fail' | 'unavailable' | 'never-finish' | 'no-answer';
export const mockBehaviours: readonly MockBehaviour[] = ['succeed', 'fail', 'unavailable', 'never-finish', 'no-answer'];

/** One adapter pointed at its mock, as a conformance suite needs it. */
export interface ConformanceTarget {
  /** The adapter under test (live or not), configured to call the mock. */
  adapter: ProviderAdapter;
  /** A request the provider serves, sent with `provider: adapter.id`. */
  request: { type: GenerationType; input: GenerationInput; options?: Record<string, JsonValue> };
  /** True when the provider answers within the create call (no status polling). */
  synchronous: boolean;
  /**
   * The code the provider's own failure (`behave('fail')`) becomes: GENERATION_FAILED where the
   * provider refuses content (the default); INVALID_INPUT for APIs whose only failures are the
   * request's (text-to-speech has no content refusal).
   */
  failureCode?: 'GENERATION_FAILED' | 'INVALID_INPUT';
  behave(behaviour: MockBehaviour): void;
  /** Create calls the mock has received since the target was set up. */
  createCalls(): number;
  /** Cancel calls the mock has received (for providers with a cancel endpoint). */
  cancelCalls?(): number;
  close(): Promise<void>;
}

export interface ProviderConformanceOptions {
  /** Shown in the suite's name. */
  name: string;
  /** Starts the mock and builds the adapter; called once for the suite. */
  setup(): Promise<ConformanceTarget>;
  /**
   * The behaviours the target can act out, when not all of them (the offline sandbox cannot drop a
   * connection unanswered, so it has no `no-answer`). A test that needs a behaviour left out here
   * is not registered, and the suite's name lists what was left out, so a report shows what went
   * unchecked. The cancel and maximum-job-time tests need `never-finish` from an asynchronous
   * target, and `succeed` and `no-answer` from a synchronous one; such a test fails, rather than
   * passes, when its target cannot act out what it needs.
   */
  behaviours?: readonly MockBehaviour[];
}
