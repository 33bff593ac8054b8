import type { GenerationType, Priority } from '../providers/generation-type';
import type { PriceQuote } from '../providers/price-quote';
import { intentLabels, type Intent, type ProviderStrengths, type RequestNeeds } from './needs';

/**
 * How much each intent weighs in the fit. Specific intents, that few providers are made for,
 * weigh most; intents that qualify another (several people, a long clip) or that most providers
 * meet reasonably (photorealism) weigh less, so they settle ties rather than lead.
 */
const weights: Readonly<Record<Intent, number>> = {
  dance: 1.5,
  'several-people': 0.75,
  product: 1.5,
  'text-in-image': 1.5,
  'talking-head': 1.5,
  portrait: 0.75,
  'camera-motion': 1,
  illustration: 1,
  photorealism: 0.75,
  'long-clip': 0.75,
  'short-clip': 0.5,
  'high-resolution': 1,
  sound: 1,
  'image-editing': 1.5,
  'expressive-voice': 1,
};
const textLanguageWeight = 1;

/** True when the analysis found something a provider can be better or worse at. */
export function hasNeeds(needs: RequestNeeds | null | undefined): needs is RequestNeeds {
  return !!needs && (needs.needs.length > 0 || needs.seconds !== undefined || needs.resolution !== undefined || needs.voiceLanguage !== undefined);
}

/** How well a provider's strengths meet the needs, 0 (not at all) to 1 (made for every one). */
export function fitOf(strengths: ProviderStrengths | undefined, needs: RequestNeeds): number {
  let total = 0;
  let met = 0;
  for (const need of needs.needs) {
    const weight = weights[need.intent];
    total += weight;
    met += (weight * (strengths?.intents[need.intent] ?? 0)) / 3;
  }
  if (needs.textLanguage !== undefined && needs.needs.some((need) => need.intent === 'text-in-image')) {
    total += textLanguageWeight;
    if (strengths?.textLanguages?.includes(needs.textLanguage)) met += textLanguageWeight;
  }
  return total === 0 ? 1 : met / total;
}

/**
 * Why a provider cannot serve the needs at all (a language its voices lack, a clip longer or a
 * picture larger than it renders), or undefined when it can.
 */
export function limitProblem(strengths: ProviderStrengths | undefined, needs: RequestNeeds, type: GenerationType): string | undefined {
  if (!strengths) return undefined;
  const speaks = type === 'AUDIO' || type === 'AVATAR' || needs.needs.some((need) => need.intent === 'talking-head' || need.intent === 'sound');
  if (needs.voiceLanguage !== undefined && speaks && strengths.voiceLanguages && !strengths.voiceLanguages.includes(needs.voiceLanguage)) {
    const spoken = strengths.voiceLanguages.map(languageName);
    const listed = spoken.length > 6 ? `${spoken.slice(0, 6).join(', ')} and ${spoken.length - 6} more` : spoken.join(', ');
    return `its voices do not speak ${languageName(needs.voiceLanguage)} (they speak ${listed})`;
  }
  if (needs.seconds !== undefined && strengths.maxSeconds !== undefined && needs.seconds > strengths.maxSeconds) {
    return `it renders at most ${strengths.maxSeconds} s, and ${needs.seconds} s were asked for`;
  }
  if (needs.resolution !== undefined && strengths.maxResolution !== undefined && needs.resolution > strengths.maxResolution) {
    return `it renders at most ${resolutionName(strengths.maxResolution)}, and ${resolutionName(needs.resolution)} was asked for`;
  }
  return undefined;
}

const languageNames: Readonly<Record<string, string>> = {
  vi: 'Vietnamese',
  en: 'English',
  fr: 'French',
  es: 'Spanish',
  de: 'German',
  ja: 'Japanese',
  ko: 'Korean',
  zh: 'Chinese',
  th: 'Thai',
  hi: 'Hindi',
  pt: 'Portuguese',
  it: 'Italian',
  ru: 'Russian',
  id: 'Indonesian',
  ar: 'Arabic',
  nl: 'Dutch',
  tr: 'Turkish',
  pl: 'Polish',
  sv: 'Swedish',
  uk: 'Ukrainian',
};
export function languageName(code: string): string {
  return languageNames[code] ?? code;
}
function resolutionName(pixels: number): string {
  return pixels >= 2160 ? '4K' : pixels >= 1440 && pixels < 1500 ? '1440p' : `${pixels}p`;
}

/** The needs in words: "dance or choreography ("dancers", "choreography"), a 10 s clip". */
export function describeNeeds(needs: RequestNeeds): string {
  const parts = needs.needs.map((need) => {
    const evidence = need.evidence.filter((word) => word !== '').slice(0, 3);
    return evidence.length
      ? `${intentLabels[need.intent]} (${evidence.map((word) => (word.startsWith('input.') ? word : `"${word}"`)).join(', ')})`
      : intentLabels[need.intent];
  });
  if (needs.seconds !== undefined) parts.push(`a ${needs.seconds} s clip`);
  if (needs.resolution !== undefined) parts.push(`at least ${resolutionName(needs.resolution)}`);
  if (needs.textLanguage !== undefined && needs.needs.some((need) => need.intent === 'text-in-image'))
    parts.push(`text in ${languageName(needs.textLanguage)}`);
  if (needs.voiceLanguage !== undefined) parts.push(`a voice speaking ${languageName(needs.voiceLanguage)}`);
  return parts.join(', ');
}

export interface ExplainedCandidate {
  id: string;
  strengths: ProviderStrengths | undefined;
  fit: number;
  score: number;
  quote: PriceQuote;
  quality: number;
}

/**
 * The choice in words a person reads: the needs found, why the winner fits them, and why the
 * runner-up lost (a weaker fit, or the same fit and a lower score for the priority).
 */
export function explainChoice(
  needs: RequestNeeds,
  priority: Priority,
  winner: ExplainedCandidate,
  runnerUp: ExplainedCandidate | undefined,
  excluded: ReadonlyArray<{ id: string; problem: string }>,
  unmet: string | undefined,
  applied: string | undefined,
): string {
  const sentences: string[] = [];
  const found = describeNeeds(needs);
  sentences.push(found ? `Needs found: ${found}.` : 'No particular needs found in the request.');
  const fits = strengthsFor(winner.strengths, needs);
  const priorityWord = priority.toLowerCase();
  sentences.push(
    fits.length
      ? `${winner.id} fits: ${fits.join(', ')}; fit ${percent(winner.fit)}, ${priorityWord} score ${winner.score.toFixed(3)}.`
      : `${winner.id} has no declared strength for these needs, and none of the others fit better; it has the best ${priorityWord} score (${winner.score.toFixed(3)}).`,
  );
  if (applied) sentences.push(applied);
  if (runnerUp) sentences.push(`Runner-up ${runnerUp.id}: ${whyLost(winner, runnerUp, needs, priority)}.`);
  if (excluded.length) sentences.push(`Left out: ${excluded.map((entry) => `${entry.id} (${entry.problem})`).join('; ')}.`);
  if (unmet) sentences.push(unmet);
  return sentences.join(' ');
}

function strengthsFor(strengths: ProviderStrengths | undefined, needs: RequestNeeds): string[] {
  const parts: string[] = [];
  for (const need of needs.needs) {
    const level = strengths?.intents[need.intent];
    if (level) parts.push(`${level === 3 ? 'made for' : level === 2 ? 'strong at' : 'serves'} ${intentLabels[need.intent]}`);
  }
  if (
    needs.textLanguage !== undefined &&
    strengths?.textLanguages?.includes(needs.textLanguage) &&
    needs.needs.some((need) => need.intent === 'text-in-image')
  ) {
    parts.push(`renders ${languageName(needs.textLanguage)} text`);
  }
  if (needs.voiceLanguage !== undefined && strengths?.voiceLanguages?.includes(needs.voiceLanguage)) parts.push(`speaks ${languageName(needs.voiceLanguage)}`);
  if (needs.seconds !== undefined && strengths?.maxSeconds !== undefined) parts.push(`renders up to ${strengths.maxSeconds} s`);
  return parts;
}

function whyLost(winner: ExplainedCandidate, runnerUp: ExplainedCandidate, needs: RequestNeeds, priority: Priority): string {
  if (runnerUp.fit + 1e-9 < winner.fit) {
    const weaker = needs.needs
      .filter((need) => (runnerUp.strengths?.intents[need.intent] ?? 0) < (winner.strengths?.intents[need.intent] ?? 0))
      .map((need) => intentLabels[need.intent]);
    const language =
      needs.textLanguage !== undefined &&
      !runnerUp.strengths?.textLanguages?.includes(needs.textLanguage) &&
      winner.strengths?.textLanguages?.includes(needs.textLanguage)
        ? [`${languageName(needs.textLanguage)} text`]
        : [];
    const reasons = [...weaker, ...language];
    return `fits less (${percent(runnerUp.fit)} against ${percent(winner.fit)})${reasons.length ? `: weaker at ${reasons.join(', ')}` : ''}`;
  }
  const differences: string[] = [];
  if (runnerUp.quote.creditCost > winner.quote.creditCost) differences.push(`costs ${runnerUp.quote.creditCost} credits against ${winner.quote.creditCost}`);
  if (runnerUp.quote.estimatedTime > winner.quote.estimatedTime)
    differences.push(`takes about ${Math.round(runnerUp.quote.estimatedTime)} s against ${Math.round(winner.quote.estimatedTime)} s`);
  if (runnerUp.quality < winner.quality) differences.push(`declares lower quality (${runnerUp.quality} against ${winner.quality})`);
  const detail = differences.length ? `: ${differences.join(', ')}` : '';
  return `fits as well, but scores lower for ${priority.toLowerCase()} (${runnerUp.score.toFixed(3)} against ${winner.score.toFixed(3)})${detail}`;
}

function percent(fit: number): string {
  return `${Math.round(fit * 100)} %`;
}
