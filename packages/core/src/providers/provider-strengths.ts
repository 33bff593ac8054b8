/**
 * What a provider says it is good at, and the limits it cannot pass, in the words automatic
 * selection reads requests in (`Intent`). Part of the provider contract: a description declares
 * it, and routing (in `routing/`) matches a request's needs against it.
 */

/** The things a request can need and a provider can be good at. */
export const intents = [
  'dance',
  'several-people',
  'product',
  'text-in-image',
  'talking-head',
  'portrait',
  'camera-motion',
  'illustration',
  'photorealism',
  'long-clip',
  'short-clip',
  'high-resolution',
  'sound',
  'image-editing',
  'expressive-voice',
] as const;
export type Intent = (typeof intents)[number];

/** Level of a strength: 1 serves it, 2 is good at it, 3 is made for it. */
export type StrengthLevel = 1 | 2 | 3;

/**
 * What a provider is good at and the limits it cannot pass, declared in its description and shown
 * by the `providers` query. Automatic selection matches a request's needs against these.
 */
export interface ProviderStrengths {
  /** The intents the provider serves well, with how well. An intent left out is one it has no edge at. */
  intents: Partial<Record<Intent, StrengthLevel>>;
  /**
   * A specialist's intents: automatic selection sends it only requests that need one of them (a
   * presenter-and-product video maker is no choice for "a city at night"), unless nothing else can
   * take the request. Naming the provider still reaches it for anything.
   */
  reservedFor?: readonly Intent[];
  /**
   * Languages (ISO 639-1) its voices speak with the default model, for providers whose output speaks.
   * A request that needs another language is not sent to it.
   */
  voiceLanguages?: readonly string[];
  /** Languages it renders legibly as text inside pictures. */
  textLanguages?: readonly string[];
  /** Longest clip it renders, in seconds: a request for more is not sent to it. */
  maxSeconds?: number;
  /** Largest short side it renders, in pixels: a request for more is not sent to it. */
  maxResolution?: number;
  /**
   * The option that sets the spoken language and its value per language, so a request routed here
   * for its language is spoken in it when the caller did not set the option.
   */
  languageOption?: { option: string; values: Readonly<Record<string, string>> };
}
