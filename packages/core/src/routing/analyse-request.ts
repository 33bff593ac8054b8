import type { GenerationInput } from '../providers/generation-request';
import type { GenerationType, JsonValue, Priority } from '../providers/generation-type';
import { languageNames, lexicon, negationsFolded, type IntentWords } from './lexicon';
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

const negationFolded = new RegExp(`(?:^|[^\\w'])(?:${negationsFolded.join('|')})(?: [\\w']+){0,2} ?$`);
const negationSpelled = new RegExp(`(?:^|[^\\w'])(?:${['no', 'not', 'without', 'không', 'chẳng', 'chả', 'đừng', 'tránh', 'chưa', 'không cần', 'ko'].map(spellPattern).join('|')})(?: [\\w']+){0,2} ?$`);

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

  languages(result, request, prompt, found);
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

function negated(folded: string, start: number): boolean {
  if (start === 0) return false;
  return negationFolded.test(folded.slice(Math.max(0, start - 24), start));
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

const numberWords: ReadonlyMap<string, number> = new Map(Object.entries({
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  fifteen: 15, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, ninety: 90,
  mot: 1, hai: 2, ba: 3, bon: 4, nam: 5, sau: 6, bay: 7, tam: 8, chin: 9, muoi: 10, 'muoi lam': 15, 'hai muoi': 20, 'ba muoi': 30,
}));
const secondsPattern =
  /\b(\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|ninety|mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi lam|hai muoi|ba muoi|muoi) ?(s|secs?|seconds?|giay|minutes?|mins?|phut)\b(?: (\w+))?/g;
const halfMinute = /\bhalf a minute\b|\bnua phut\b/;
const clipWords = new Set(['clip', 'video', 'ad', 'spot', 'long', 'duration', 'loop', 'teaser', 'film', 'shot', 'reel', 'animation', 'commercial', 'intro', 'sequence']);

/** Whether a word can start a length ("10", "ten", "muoi", "half"): the patterns run only then. */
function mayCount(word: string): boolean {
  const code = word.charCodeAt(0);
  return (code >= 48 && code <= 57) || numberWords.has(word) || word === 'half' || word === 'nua';
}

function secondsAsked(options: Record<string, JsonValue>, prompt: Prompt | null): number | undefined {
  if (typeof options.duration === 'number' && options.duration > 0) return options.duration;
  if (!prompt) return undefined;
  if (!prompt.words.some(mayCount)) return undefined;
  if (halfMinute.test(prompt.folded)) return 30;
  secondsPattern.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = secondsPattern.exec(prompt.folded)) !== null) {
    const amount = numberWords.get(match[1]!) ?? Number(match[1]!.replace(',', '.'));
    const unit = match[2]!;
    if (!Number.isFinite(amount) || amount <= 0) continue;
    // "the 80s" and "1990s" are decades, not clip lengths, unless a clip word follows.
    if (unit === 's' && (amount >= 1000 || (amount >= 20 && amount % 10 === 0 && !clipWords.has(match[3] ?? '')))) continue;
    if (negated(prompt.folded, match.index)) continue;
    const seconds = /^(?:m|phut)/.test(unit) ? amount * 60 : amount;
    if (seconds > 3600) continue;
    return seconds;
  }
  return undefined;
}

function formatSeconds(seconds: number): string {
  return seconds % 60 === 0 && seconds >= 60 ? `${seconds / 60} min` : `${seconds} s`;
}

const resolutionPattern = /\b(?:(\d{3,4}) ?p|(8) ?k|(4) ?k|(2) ?k|(uhd|ultra hd)|(qhd)|(full hd|fhd)|(hd))\b/;
const sizeWords = new Set(['hd', 'uhd', 'fhd', 'qhd', 'full', 'ultra', 'high', 'hi', 'print', 'large', 'for', 'billboard', 'poster', 'phan']);
/** Whether a word can say a size ("1080p", "4k", "hd", "high"): the patterns run only then. */
function maySize(word: string): boolean {
  const code = word.charCodeAt(0);
  return (code >= 48 && code <= 57) || sizeWords.has(word);
}

function resolutionAsked(options: Record<string, JsonValue>, prompt: Prompt | null, type: GenerationType): number | undefined {
  for (const name of ['resolution', 'imageSize', 'quality']) {
    const value = options[name];
    if (typeof value === 'string') {
      const parsed = resolutionOf(value.toLowerCase());
      if (parsed !== undefined) return parsed;
    }
  }
  if (!prompt || !prompt.words.some(maySize)) return undefined;
  const parsed = resolutionOf(prompt.folded);
  if (parsed !== undefined) return parsed;
  if (type === 'IMAGE' && /\b(?:high ?res(?:olution)?|hi ?res|print (?:quality|ready|resolution)|large ?format|for print|do phan giai cao|billboard size|poster size)\b/.test(prompt.folded)) return 2048;
  return undefined;
}

function resolutionOf(text: string): number | undefined {
  const match = resolutionPattern.exec(text);
  if (!match) return undefined;
  if (match[1]) {
    const pixels = Number(match[1]);
    return pixels >= 240 && pixels <= 4320 ? pixels : undefined;
  }
  if (match[2]) return 4320;
  if (match[3] || match[5]) return 2160;
  if (match[4] || match[6]) return 1440;
  if (match[7]) return 1080;
  return 720;
}

const voiceNouns = 'voice|voices|voice over|voiceover|narration|narrator|accent|speaker|speakers|dub|dubbed|dubbing|audio|speech|dialogue|dialog|script|song|lyrics|spoken';
const textNouns = 'text|texts|caption|captions|lettering|letters|words|subtitles|typography|calligraphy|sign|signage|headline|title|slogan|menu|chu';
const languageAlternatives = languageNames.map(([name]) => name).join('|');
const languageCodes = new Map(languageNames);
/** The first words of language names and of "giong" (accent): the mention pattern runs only when one is present. */
const languageWords = new Set([...languageNames.map(([name]) => name.split(' ')[0]!), 'giong']);
const textNounSet = new Set(textNouns.split('|'));
const quoteCharacters = /["“”„«»]/;
const languageMention = new RegExp(
  `\\b(?:(in|into|speaks?|speaking|spoken in|sung in|read in|narrated in|bang|giong|long tieng|thuyet minh|doc bang|noi)\\s+)?(${languageAlternatives})(?:\\s+(${voiceNouns}|${textNouns}))?\\b`,
  'g',
);
const vietnameseAccent = /\bgiong (?:bac|nam|mien \w+|hue|sai gon|ha noi|viet)\b/;
const quoted = /["“”„«»]([^"“”„«»]{2,200})["“”„«»]/g;
const voiceLanguagePattern = /^([a-z]{2,3})(?:[-_][a-z]{2,4})?(?:[-_]|$)/i;

/** The languages the text in the picture and the voice must be in, and who said so. */
function languages(result: RequestNeeds, request: AnalysisRequest, prompt: Prompt | null, found: Map<Intent, string[]>): void {
  const { type, input } = request;
  const options = request.options ?? {};
  const speaks = type === 'AUDIO' || type === 'AVATAR';
  // Options and voices name a language outright ("vi-VN", "vi-VN-Wavenet-A").
  const optionLanguage = typeof options.languageCode === 'string' ? languageCodeOf(options.languageCode) : undefined;
  if (speaks) {
    if (optionLanguage) result.voiceLanguage = optionLanguage;
    else if (typeof input.voice === 'string' && /^[a-z]{2,3}-[a-z]{2}\b/i.test(input.voice)) result.voiceLanguage = languageCodeOf(input.voice);
    // The script is what is spoken: its own language is the voice's.
    else if (prompt?.language) result.voiceLanguage = prompt.language;
    return;
  }
  if (!prompt) return;
  let voice: string | undefined;
  let textLanguage: string | undefined;
  let match: RegExpExecArray | null;
  if (prompt.words.some((word) => languageWords.has(word))) {
    languageMention.lastIndex = 0;
    while ((match = languageMention.exec(prompt.folded)) !== null) {
      const [, lead, name, noun] = match;
      const code = languageCodes.get(name!);
      if (!code) continue;
      if (name === 'viet' && !lead) continue;
      if (noun && textNounSet.has(noun)) textLanguage ??= code;
      else if (noun || (lead && lead !== 'in' && lead !== 'into')) voice ??= code;
      else if (lead === 'in' || lead === 'into') {
        if (found.has('text-in-image') && !found.has('talking-head') && !found.has('sound')) textLanguage ??= code;
        else if (type === 'VIDEO') voice ??= code;
        else textLanguage ??= code;
      }
    }
    if (vietnameseAccent.test(prompt.folded)) voice ??= 'vi';
  }
  // Quoted words to render or to say are in their own language.
  if (quoteCharacters.test(prompt.original)) {
    quoted.lastIndex = 0;
    while ((match = quoted.exec(prompt.original)) !== null) {
      const language = readPrompt(match[1]!).language;
      if (!language) continue;
      if (found.has('text-in-image') && textLanguage === undefined) textLanguage = language;
      else if ((found.has('talking-head') || found.has('sound')) && voice === undefined) voice = language;
    }
  }
  if (found.has('text-in-image') && textLanguage === undefined) textLanguage = prompt.language;
  if (voice && (type === 'VIDEO' || type === 'IMAGE')) result.voiceLanguage = voice;
  if (textLanguage && found.has('text-in-image')) result.textLanguage = textLanguage;
}

function languageCodeOf(value: string): string | undefined {
  const match = voiceLanguagePattern.exec(value);
  if (!match) return undefined;
  const code = match[1]!.toLowerCase();
  return code === 'cmn' || code === 'yue' ? 'zh' : code;
}

export type { Need, RequestNeeds };
