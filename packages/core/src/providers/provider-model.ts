import type { GenerationType } from './generation-type';

/**
 * A model or version a provider offers, selectable through the `model` option. Listed in
 * `providers(type)` so a caller can choose one without reading the provider's own docs; the
 * `model` option spec is what validates the choice.
 */
export interface ProviderModel {
  /** The value of the `model` option that selects it, for example `kling-v2-master`. */
  id: string;
  /** What a person reads in a form or a table. */
  name: string;
  /** How it differs from the provider's other models (speed, quality, price). */
  description?: string;
  /** Types this model serves; absent means all of the provider's types. `providers(type)` lists only the type's models. */
  types?: readonly GenerationType[];
}
