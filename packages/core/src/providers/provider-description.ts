import type { GenerationRequest } from './generation-request';
import type { GenerationType } from './generation-type';
import type { InputSupport } from './input-use';
import type { OptionSpec } from './option-spec';
import type { PriceQuote } from './price-quote';
import type { ProviderModel } from './provider-model';
import type { ProviderStrengths } from './provider-strengths';
import type { ProviderTraits } from './provider-traits';

/**
 * Everything a provider says about itself. `providers(type)` is generated from this,
 * and the engine validates and routes with it: nothing is written down twice.
 * Part of the provider contract (`providerContractVersion`).
 */
export interface ProviderDescription {
  /**
   * Stable id used in `GenerateInput.provider`, for example `kling` or `flux-ultra`. Stored with
   * every generation and in callback URLs, so it never changes once callers use it; a live
   * transport and its sandbox twin share it.
   */
  id: string;
  /**
   * The provider contract version the adapter was written against (`'1.0'`). The registry refuses
   * an adapter this core cannot honour (another major, or a newer minor) when it is registered,
   * instead of letting it misbehave on a paid job. Absent: the adapter predates the declaration and
   * is taken as 1.0. See `providerContractVersion` for what a version change means.
   */
  contractVersion?: string;
  /** The name a person reads in `providers(type)` and in the console. */
  name: string;
  /** One or two sentences on what it makes, so a caller can choose without the provider's docs. */
  description: string;
  /** The generation types it serves: the router only considers it for these, and the registry lists it under them. */
  types: readonly GenerationType[];
  /** The models it offers, listed in `providers(type)` (the `model` option spec validates the choice). */
  models: readonly ProviderModel[];
  /** The model used when the caller does not pick one; reported as the request's `model` and passed to the transport. */
  defaultModel?: string;
  /** What it does well, in words, for callers choosing by hand (`providers(type)`); automatic selection reads `strengths`. */
  features: readonly string[];
  /** What it cannot do, in words, so a caller is not surprised by a refusal or a result. */
  limitations: readonly string[];
  /**
   * What each input field means to this provider, per type. The engine refuses a missing required
   * field or an unsupported one before charging; a type missing here is a type it does not serve.
   */
  inputs: Partial<Record<GenerationType, InputSupport>>;
  /**
   * The options it accepts. Every request is validated against them (unknown options are refused,
   * defaults applied) before pricing and before any call, and `providers(type)` lists them so a
   * caller can build a form: a bad value costs the caller nothing.
   */
  options: readonly OptionSpec[];
  /** Declared quality, speed and price level: automatic selection scores with them until it has measured the provider. */
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
  /**
   * Price of a validated request; pure and synchronous so it can run on every request (the router
   * quotes every candidate, and the quote is reserved before submission and billed once).
   */
  price(request: GenerationRequest): PriceQuote;
  /**
   * Longest a job may run before the engine cancels it at the provider and ends it as
   * GENERATION_FAILED, refunded (seconds; default 900). Bounds how long credits and a concurrency
   * slot stay held by a job the provider forgot.
   */
  maxJobTime?: number;
  /**
   * What a cancel costs once the provider accepted the job: documented per provider, shown in
   * `providers(type)`. `refundAfterAcceptance: false` keeps the charge when the provider does not
   * confirm the cancel (it may still bill the work); before acceptance a cancel is always refunded.
   */
  cancellation?: { refundAfterAcceptance: boolean; note: string };
}
