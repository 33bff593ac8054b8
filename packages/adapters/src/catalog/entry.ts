import type { GenerationRequest, ProviderDescription } from '@doitong/core';

/**
 * What a provider delivers for one validated request. Several APIs (Kling, Veo, Runway, BFL)
 * return a URL and nothing else, so these are the facts we know about their output; the sandbox
 * renders exactly this, so test-mode files look like the live ones.
 */
export interface OutputPlan {
  kind: 'image' | 'video' | 'audio';
  /** The provider's own model id sent on the wire, for example `gen3a_turbo` for the seed's `gen-3`. */
  wireModel: string;
  width?: number;
  height?: number;
  /** Seconds. For speech this is an estimate from the script length; the file has the truth. */
  duration?: number;
  fps?: number;
  /** Video with a sound track (Veo 3, avatars, product videos). */
  hasAudio?: boolean;
  /** The sound track is the script spoken (avatars, presenters) rather than ambience. */
  speech?: boolean;
  /** Where the provider will not give what was asked (10 s Hailuo at 1080P): the honest substitute. */
  adjustments: string[];
}

/**
 * The provider contract version the catalog's adapters are written against (see core's
 * `providerContractVersion`): a literal, raised only after the catalog was checked against a change.
 */
export const catalogContractVersion = '1.0';

/** A catalog entry: the provider's description plus the knowledge the transports share. */
export interface CatalogEntry extends ProviderDescription {
  /** True when the provider answers within the create call (TTS, Imagen, Stable Diffusion, Seedream). */
  synchronous: boolean;
  /**
   * Checks across options and inputs that option specs cannot express (a model that needs an
   * image, a lip-sync without a face). Returns the problem, or undefined when the request is fine.
   */
  check?(request: GenerationRequest): string | undefined;
  /** What the provider will deliver for this request. */
  plan(request: GenerationRequest): OutputPlan;
}
