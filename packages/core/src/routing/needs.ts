/**
 * What a request needs from a provider, as the analyser reads it, and what a provider says it is
 * good at. Both speak the same words (`Intent`), so routing is a match between the two.
 */
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

/** How each intent reads in an explanation. */
export const intentLabels: Readonly<Record<Intent, string>> = {
  dance: 'dance or choreography',
  'several-people': 'several people',
  product: 'a product or e-commerce showcase',
  'text-in-image': 'text rendered in the picture',
  'talking-head': 'a talking head (a person speaking)',
  portrait: 'a portrait',
  'camera-motion': 'camera motion',
  illustration: 'anime or illustration style',
  photorealism: 'photorealism',
  'long-clip': 'a long clip',
  'short-clip': 'a short clip',
  'high-resolution': 'high resolution',
  sound: 'sound with the picture',
  'image-editing': 'editing the given image',
  'expressive-voice': 'an expressive, emotional voice',
};

const intentSet: ReadonlySet<string> = new Set(intents);
export function isIntent(value: unknown): value is Intent {
  return typeof value === 'string' && intentSet.has(value);
}

/** One need found in a request, with the words (or inputs) that showed it. */
export interface Need {
  intent: Intent;
  /** What showed the need: words of the prompt as written, or `input.image` and the like. */
  evidence: string[];
}

/**
 * Everything the analysis found. Intents are matched against providers' strengths; the other
 * fields are limits a provider must be able to meet (a clip length, a resolution, a language).
 */
export interface RequestNeeds {
  needs: Need[];
  /** Seconds of video asked for. */
  seconds?: number;
  /** Short side of the output asked for, in pixels (720 for 720p, 2160 for 4K). */
  resolution?: number;
  /** Language (ISO 639-1) of the words to render inside the picture. */
  textLanguage?: string;
  /** Language (ISO 639-1) the output must speak. */
  voiceLanguage?: string;
  /** Language (ISO 639-1) the prompt is written in. */
  promptLanguage?: string;
  /** Who produced this analysis: `built-in`, `hook`, or `built-in (hook …)` when the hook failed. */
  analyser?: string;
}

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
