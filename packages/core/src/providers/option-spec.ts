import type { GenerationType, JsonValue } from './generation-type';

/**
 * One option a provider accepts in `GenerateInput.options`.
 * The engine validates every request against these before any provider is called, so a
 * caller learns about a bad value from INVALID_INPUT (naming the option and its allowed
 * values) instead of from a paid, failed job.
 */
export interface OptionSpec {
  /** The key in `options`, for example `duration` or `aspectRatio`. */
  name: string;
  /** The JSON type the value must have. `integer` refuses 5.5; `number` accepts it. */
  type: 'string' | 'integer' | 'number' | 'boolean';
  /** A missing required option is INVALID_INPUT; optional ones fall back to `default`. */
  required?: boolean;
  /** Shown in `providers(type)`, so a caller can build a form from it. */
  description: string;
  /** When present, the value must be one of these (compared with ===). */
  allowedValues?: readonly JsonValue[];
  /** Applied when the caller leaves the option out; pricing sees the defaulted request. */
  default?: JsonValue;
  /** Inclusive bounds for `integer` and `number`. */
  minimum?: number;
  maximum?: number;
  /** Upper bound on string length. */
  maxLength?: number;
  /** Generation types the option applies to; absent means every type the provider serves. */
  types?: readonly GenerationType[];
}
