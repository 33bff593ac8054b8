import type { GenerationRequest } from './generation-request';
import type { GenerationType } from './generation-type';
import type { ProviderStrengths } from '../routing/needs';
import type { OptionSpec } from './option-spec';

/** A model or version a provider offers, selectable through the `model` option. */
export interface ProviderModel {
  id: string;
  name: string;
  description?: string;
  /** Types this model serves; absent means all of the provider's types. */
  types?: readonly GenerationType[];
}

/** How a provider treats each part of `GenerationInput`, per generation type. */
export type InputUse = 'required' | 'optional' | 'unsupported';
export interface InputSupport {
  text: InputUse;
  image: InputUse;
  voice?: InputUse;
  audio?: InputUse;
  video?: InputUse;
  negativePrompt?: InputUse;
}

/**
 * Declared strengths, used by automatic selection before the engine has measured anything.
 * Each is a score from 1 to 10; `cost` is the price level (10 = most expensive).
 */
export interface ProviderTraits {
  quality: number;
  speed: number;
  cost: number;
}

/** The credit cost and the expected duration of one request, known before it runs. */
export interface PriceQuote {
  /** Whole credits (1 credit = 0.01 USD). Reserved before submission, settled once. */
  creditCost: number;
  /** Seconds from submission to completion, typical; drives polling and `estimatedTime`. */
  estimatedTime: number;
}

/**
 * Everything a provider says about itself. `providers(type)` is generated from this,
 * and the engine validates and routes with it: nothing is written down twice.
 */
export interface ProviderDescription {
  /** Stable id used in `GenerateInput.provider`, for example `kling` or `flux-ultra`. */
  id: string;
  name: string;
  description: string;
  /** The generation types it serves. */
  types: readonly GenerationType[];
  models: readonly ProviderModel[];
  /** The model used when the caller does not pick one. */
  defaultModel?: string;
  features: readonly string[];
  limitations: readonly string[];
  /** What each input field means to this provider, per type. */
  inputs: Partial<Record<GenerationType, InputSupport>>;
  options: readonly OptionSpec[];
  traits: ProviderTraits;
  /**
   * What the provider is good at (dance, product showcases, text in pictures…) and the limits it
   * cannot pass (voice languages, longest clip, largest picture): automatic selection matches the
   * needs it reads in a request against these. Absent: no particular strength, no declared limit.
   */
  strengths?: ProviderStrengths;
  /**
   * Rules across options and inputs that option specs cannot express (a route of the provider
   * that takes fewer frame shapes, a model that needs a prompt): the problem, or undefined when
   * the request is fine. The router asks before choosing the provider, so a request is only
   * routed where it is valid; pure and synchronous, like `price`.
   */
  check?(request: GenerationRequest): string | undefined;
  /** Price of a validated request; pure and synchronous so it can run on every request. */
  price(request: GenerationRequest): PriceQuote;
  /** Longest a job may run before the engine ends it as GENERATION_FAILED (seconds). */
  maxJobTime?: number;
  /** What a cancel costs once the provider accepted the job: documented per provider. */
  cancellation?: { refundAfterAcceptance: boolean; note: string };
}
