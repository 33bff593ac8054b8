/**
 * The languages a request asks for: the one to render as text in the picture and the one the
 * output must speak, from the options, the voice, the words that name a language and quoted text.
 * Providers that cannot speak or write the language are then left out by the router.
 */
import type { GenerationInput } from '../providers/generation-input';
import type { GenerationType, JsonValue } from '../providers/generation-type';
import { languageNames } from './lexicon';
import type { Intent, RequestNeeds } from './needs';
import { readPrompt, type Prompt } from './prompt';

/** The parts of a request (`AnalysisRequest`) the languages are read from. */
interface LanguageSources {
  type: GenerationType;
  input: GenerationInput;
  options: Record<string, JsonValue>;
}

const voiceNouns =
  'voice|voices|voice over|voiceover|narration|narrator|accent|speaker|speakers|dub|dubbed|dubbing|audio|speech|dialogue|dialog|script|song|lyrics|spoken';
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
export function languagesAsked(result: RequestNeeds, request: LanguageSources, prompt: Prompt | null, found: Map<Intent, string[]>): void {
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
