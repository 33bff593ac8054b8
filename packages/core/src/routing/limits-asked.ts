/**
 * The limits a request asks for that a provider must be able to meet: a clip's length and the
 * output's resolution, from the options or the prompt's words ("a 15 second clip", "in 4K").
 * Apart from the intent scan because they are numbers read by their own patterns, not intents.
 */
import type { GenerationType, JsonValue } from '../providers/generation-type';
import { negated } from './negation';
import type { Prompt } from './prompt';

const numberWords: ReadonlyMap<string, number> = new Map(
  Object.entries({
    one: 1,
    two: 2,
    three: 3,
    four: 4,
    five: 5,
    six: 6,
    seven: 7,
    eight: 8,
    nine: 9,
    ten: 10,
    eleven: 11,
    twelve: 12,
    fifteen: 15,
    twenty: 20,
    thirty: 30,
    forty: 40,
    fifty: 50,
    sixty: 60,
    ninety: 90,
    mot: 1,
    hai: 2,
    ba: 3,
    bon: 4,
    nam: 5,
    sau: 6,
    bay: 7,
    tam: 8,
    chin: 9,
    muoi: 10,
    'muoi lam': 15,
    'hai muoi': 20,
    'ba muoi': 30,
  }),
);
const secondsPattern =
  /\b(\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|ninety|mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi lam|hai muoi|ba muoi|muoi) ?(s|secs?|seconds?|giay|minutes?|mins?|phut)\b(?: (\w+))?/g;
const halfMinute = /\bhalf a minute\b|\bnua phut\b/;
const clipWords = new Set([
  'clip',
  'video',
  'ad',
  'spot',
  'long',
  'duration',
  'loop',
  'teaser',
  'film',
  'shot',
  'reel',
  'animation',
  'commercial',
  'intro',
  'sequence',
]);

/** Whether a word can start a length ("10", "ten", "muoi", "half"): the patterns run only then. */
function mayCount(word: string): boolean {
  const code = word.charCodeAt(0);
  return (code >= 48 && code <= 57) || numberWords.has(word) || word === 'half' || word === 'nua';
}

export function secondsAsked(options: Record<string, JsonValue>, prompt: Prompt | null): number | undefined {
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

export function formatSeconds(seconds: number): string {
  return seconds % 60 === 0 && seconds >= 60 ? `${seconds / 60} min` : `${seconds} s`;
}

const resolutionPattern = /\b(?:(\d{3,4}) ?p|(8) ?k|(4) ?k|(2) ?k|(uhd|ultra hd)|(qhd)|(full hd|fhd)|(hd))\b/;
const sizeWords = new Set(['hd', 'uhd', 'fhd', 'qhd', 'full', 'ultra', 'high', 'hi', 'print', 'large', 'for', 'billboard', 'poster', 'phan']);
/** Whether a word can say a size ("1080p", "4k", "hd", "high"): the patterns run only then. */
function maySize(word: string): boolean {
  const code = word.charCodeAt(0);
  return (code >= 48 && code <= 57) || sizeWords.has(word);
}

export function resolutionAsked(options: Record<string, JsonValue>, prompt: Prompt | null, type: GenerationType): number | undefined {
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
  if (
    type === 'IMAGE' &&
    /\b(?:high ?res(?:olution)?|hi ?res|print (?:quality|ready|resolution)|large ?format|for print|do phan giai cao|billboard size|poster size)\b/.test(
      prompt.folded,
    )
  )
    return 2048;
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
