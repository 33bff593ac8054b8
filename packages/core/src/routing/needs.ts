/**
 * What a request needs from a provider, as the analyser reads it. Providers say what they are good
 * at in the same words (`Intent`, in the provider contract's `provider-strengths.ts`), so routing
 * is a match between the two.
 */
import { intents, type Intent } from '../providers/provider-strengths';

export { intents, type Intent, type ProviderStrengths, type StrengthLevel } from '../providers/provider-strengths';

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
