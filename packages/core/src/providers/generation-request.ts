import type { GenerationInput } from './generation-input';
import type { GenerationType, JsonValue } from './generation-type';

/**
 * What a provider receives: input plus options already validated against the provider's
 * option specs, with defaults applied. A transport never sees unvalidated input.
 */
export interface GenerationRequest {
  /**
   * The generation's id. Sent to providers that take a client reference, so `find` can adopt a
   * job whose create call was cut short instead of paying for a second one.
   */
  generationId: string;
  /** The account it is billed to, for a transport that keys anything per account (a host's own quotas); the catalog sends it nowhere. */
  accountId: string;
  /** The type asked for: one of the provider's `types`, with its `inputs` already checked. */
  type: GenerationType;
  /** The model the request resolved to (the `model` option, or the provider's default). */
  model: string | undefined;
  /** The caller's input, checked against the provider's `inputs` (and media limits) for this type. */
  input: GenerationInput;
  /** The options, validated against the provider's option specs with defaults applied: read them without re-checking. */
  options: Record<string, JsonValue>;
  /** False for test-mode accounts: such a request must never reach a paid API. */
  livemode: boolean;
}
