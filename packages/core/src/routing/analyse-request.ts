import type { GenerationInput } from '../providers/generation-input';
import type { GenerationType, JsonValue, Priority } from '../providers/generation-type';
import { languagesAsked } from './languages-asked';
import { lexicon, type IntentWords } from './lexicon';
import { formatSeconds, resolutionAsked, secondsAsked } from './limits-asked';
import { negated, negationSpelled } from './negation';
import { readPrompt, spellPattern, type Prompt } from './prompt';
import { Triggers } from './triggers';
import { intents, type Intent, type Need, type RequestNeeds } from './needs';

/** What the analyser reads: the whole request as the caller sent it. */
export interface AnalysisRequest {
  type: GenerationType;
  input: GenerationInput;
  options: Record<string, JsonValue>;
  priority: Priority | null;
}

/**
 * Which intents can matter for each type: a dance in a still image or camera motion in speech
 * has no provider strength to meet, so it is not reported as a need.
 */
const intentsByType: Readonly<Record<GenerationType, ReadonlySet<Intent>>> = {
  VIDEO: new Set(intents.filter((intent) => intent !== 'image-editing' && intent !== 'expressive-voice')),
  IMAGE: new Set<Intent>(['product', 'text-in-image', 'portrait', 'illustration', 'photorealism', 'high-resolution', 'image-editing']),
  AUDIO: new Set<Intent>(['expressive-voice']),
  AVATAR: new Set<Intent>(['talking-head', 'portrait', 'product', 'high-resolution', 'long-clip', 'short-clip', 'expressive-voice']),
};

interface CompiledWords {
  intent: Intent;
  /** Bit of this intent in the trigger sets. */
  bit: number;
  en: RegExp | null;
  vi: RegExp | null;
  viPlain: RegExp | null;
  vetoEn: RegExp | null;
  vetoVi: RegExp | null;
  vetoViPlain: RegExp | null;
}

function compile(fragments: readonly string[] | undefined, spelled = false): RegExp | null {
  if (!fragments?.length) return null;
  const alternatives = spelled ? fragments.map(spellPattern) : fragments;
  return new RegExp(`\\b(?:${alternatives.join('|')})(?!\\w)`, 'g');
}

const englishTriggers = new Triggers();
const vietnameseTriggers = new Triggers();
const accentlessTriggers = new Triggers();
const compiled: CompiledWords[] = intents.map((intent, index) => {
  const words: IntentWords = lexicon[intent];
  const bit = 1 << index;
  englishTriggers.add(bit, words.en);
  vietnameseTriggers.add(bit, words.vi?.map(spellPattern));
  accentlessTriggers.add(bit, words.viPlain);
  return {
    intent,
    bit,
    en: compile(words.en),
    vi: compile(words.vi, true),
    viPlain: compile(words.viPlain),
    vetoEn: compile(words.vetoEn),
    vetoVi: compile(words.vetoVi, true),
    vetoViPlain: compile(words.vetoViPlain),
  };
});
const relevantBits: Readonly<Record<GenerationType, number>> = {
  VIDEO: bitsOf(intentsByType.VIDEO),
  IMAGE: bitsOf(intentsByType.IMAGE),
  AUDIO: bitsOf(intentsByType.AUDIO),
  AVATAR: bitsOf(intentsByType.AVATAR),
};
function bitsOf(set: ReadonlySet<Intent>): number {
  let bits = 0;
  intents.forEach((intent, index) => {
    if (set.has(intent)) bits |= 1 << index;
  });
  return bits;
}

/**
 * Reads a request and says what it needs: intents (dance, a product showcase, text in the picture,
 * a talking head…), the clip length and resolution asked for, and the languages of the text and
 * of the voice. English and Vietnamese, with or without accents. Offline and deterministic: word
 * lists compiled once, a few passes of regular expressions over the prompt, microseconds a request.
 * Every need carries the words that showed it, so the choice can be explained.
 */
export function analyseRequest(request: AnalysisRequest): RequestNeeds {
  const { type, input } = request;
  const options = request.options ?? {};
  const relevant = intentsByType[type];
  const found = new Map<Intent, string[]>();
  let vetoed: Intent[] | undefined;
  const add = (intent: Intent, evidence: string) => {
    if (!relevant.has(intent)) return;
    const list = found.get(intent);
    if (!list) found.set(intent, [evidence]);
    else if (list.length < 4 && !list.some((known) => known.includes(evidence))) list.push(evidence);
  };

  const text = typeof input.text === 'string' ? input.text : '';
  const result: RequestNeeds = { needs: [], promptLanguage: undefined };
  let prompt: Prompt | null = null;
  if (text.trim() !== '') {
    prompt = readPrompt(text);
    result.promptLanguage = prompt.language;
    const relevantHere = relevantBits[type];
    const englishBits = englishTriggers.candidates(prompt.words) & relevantHere;
    const spelledBits = prompt.vietnameseLetters > 0 ? vietnameseTriggers.candidates(prompt.spelledWords) & relevantHere : 0;
    const accentlessBits = prompt.vietnameseLetters === 0 && prompt.language === 'vi' ? accentlessTriggers.candidates(prompt.words) & relevantHere : 0;
    if (englishBits | spelledBits | accentlessBits) {
      for (const words of compiled) {
        if (!((englishBits | spelledBits | accentlessBits) & words.bit)) continue;
        if (englishBits & words.bit) scan(words.en, prompt.folded, prompt, words.intent, add);
        if (spelledBits & words.bit) scan(words.vi, prompt.spelled, prompt, words.intent, add, true);
        if (accentlessBits & words.bit) scan(words.viPlain, prompt.folded, prompt, words.intent, add);
        // A veto matters only for an intent the words showed ("static camera" after "camera").
        if (found.has(words.intent) && isVetoed(words, prompt)) (vetoed ??= []).push(words.intent);
      }
    }
  }

  // What the inputs and options say, whatever the words.
  if (type === 'IMAGE' && present(input.image)) add('image-editing', 'input.image');
  if (type === 'VIDEO') {
    // In a video a face is just the subject, unless the portrait is the input to animate or it speaks.
    if (present(input.image) && found.has('talking-head')) add('portrait', 'input.image');
    else if (!present(input.image) && !found.has('talking-head')) found.delete('portrait');
  }

  const seconds = secondsAsked(options, prompt);
  if (seconds !== undefined && (type === 'VIDEO' || type === 'AVATAR')) {
    result.seconds = seconds;
    if (seconds >= 9) add('long-clip', `${formatSeconds(seconds)}`);
    else if (seconds <= 5) add('short-clip', `${formatSeconds(seconds)}`);
  }
  const resolution = resolutionAsked(options, prompt, type);
  if (resolution !== undefined && type !== 'AUDIO') {
    // An image of 1080 pixels is an ordinary image; only 2K and more ask for a large one.
    const large = type === 'IMAGE' ? resolution >= 1440 : resolution >= 1080;
    if (large) {
      result.resolution = resolution;
      add('high-resolution', resolution >= 2160 ? '4K' : `${resolution}p`);
    }
  }
  if (vetoed) for (const intent of vetoed) found.delete(intent);
  if (found.has('long-clip') && found.has('short-clip')) {
    // A prompt that asks for both ("a short teaser of the long version") says nothing sure.
    if (seconds === undefined) {
      found.delete('long-clip');
      found.delete('short-clip');
    } else found.delete(seconds >= 9 ? 'short-clip' : 'long-clip');
  }

  languagesAsked(result, request, prompt, found);
  if (found.size > 0) {
    for (const intent of intents) {
      const evidence = found.get(intent);
      if (evidence) result.needs.push({ intent, evidence });
    }
  }
  result.analyser = 'built-in';
  return result;
}

function scan(
  pattern: RegExp | null,
  haystack: string,
  prompt: Prompt,
  intent: Intent,
  add: (intent: Intent, evidence: string) => void,
  spelled = false,
): void {
  if (!pattern) return;
  pattern.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(haystack)) !== null) {
    const start = match.index;
    // A pattern that looks ahead ("two" before "dancers") quotes what it looked at too.
    const end = start + match[0].length + (match[1]?.length ?? 0);
    if (spelled ? negationSpelled.test(haystack.slice(Math.max(0, start - 40), start)) : negated(prompt.folded, start)) continue;
    if (spelled) add(intent, quote(prompt, prompt.origin[start]!, prompt.origin[end - 1]! + 1));
    else add(intent, quote(prompt, start, end));
  }
}

function isVetoed(words: CompiledWords, prompt: Prompt): boolean {
  if (words.vetoEn && test(words.vetoEn, prompt.folded)) return true;
  if (prompt.vietnameseLetters > 0) return words.vetoVi !== null && test(words.vetoVi, prompt.spelled);
  return prompt.language === 'vi' && words.vetoViPlain !== null && test(words.vetoViPlain, prompt.folded);
}

function test(pattern: RegExp, haystack: string): boolean {
  pattern.lastIndex = 0;
  return pattern.test(haystack);
}

function quote(prompt: Prompt, start: number, end: number): string {
  const source = prompt.original.length === prompt.lower.length ? prompt.original : prompt.lower;
  return source.slice(start, end).trim();
}

function present(value: unknown): boolean {
  return typeof value === 'string' && value !== '';
}

export type { Need, RequestNeeds };
