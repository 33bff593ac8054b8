import type { CatalogEntry } from './entry';
import { credits } from './shared/credits';
import { choiceOption, modelOption, seedOption } from './shared/options';
import { modelOf, numberOption } from './shared/request-options';
import { speechSeconds } from './shared/speech';

/** ElevenLabs text-to-speech (REFERENCE.md §13), synchronous, asked for `wav_24000`. */
const models = [
  { id: 'eleven_multilingual_v2', name: 'Multilingual v2', description: 'Most natural and stable voice in 29 languages.' },
  { id: 'eleven_v3', name: 'Eleven v3', description: 'Most expressive: emotions through audio tags.' },
  { id: 'eleven_flash_v2_5', name: 'Flash v2.5', description: 'Lowest latency, half price, 32 languages.' },
  { id: 'eleven_turbo_v2_5', name: 'Turbo v2.5', description: 'Balance of quality and latency, half price.' },
];
const defaultModel = 'eleven_multilingual_v2';

/**
 * Premade voices by name. Their ids (ElevenLabs' public voice library, not in REFERENCE.md) are
 * what goes on the wire: Rachel is 21m00Tcm4TlvDq8ikWAM. A raw voice id in input.voice wins.
 */
/** Multilingual v2, the default model: its 29 languages (Flash/Turbo v2.5 add Vietnamese, Hungarian and Norwegian). */
export const elevenLabsVoiceLanguages: readonly string[] = [
  'en',
  'ja',
  'zh',
  'de',
  'hi',
  'fr',
  'ko',
  'pt',
  'it',
  'es',
  'id',
  'nl',
  'tr',
  'fil',
  'pl',
  'sv',
  'bg',
  'ro',
  'ar',
  'cs',
  'el',
  'fi',
  'hr',
  'ms',
  'sk',
  'da',
  'ta',
  'uk',
  'ru',
];

export const elevenLabsVoices: Record<string, string> = {
  rachel: '21m00Tcm4TlvDq8ikWAM',
  adam: 'pNInz6obpgDQGcFmaJgB',
  bella: 'EXAVITQu4vr4xnSDxMaL',
  antoni: 'ErXwobaYiN019PkySvjV',
  domi: 'AZnzlk1XvdvUeBnXmlld',
  elli: 'MF3mGyEYCl7XYWbV9V6O',
  josh: 'TxGEqnHWrfWFTfGW9XjX',
  arnold: 'VR6AewLTigWG4xSOukaG',
  sam: 'yoZ06aMxZJJ28mfd3POQ',
};

/** Per-request character limits (REFERENCE.md §13); v3's is UNCONFIRMED and taken as 10,000. */
const characterLimits: Record<string, number> = {
  eleven_multilingual_v2: 10_000,
  eleven_v3: 10_000,
  eleven_flash_v2_5: 40_000,
  eleven_turbo_v2_5: 40_000,
};

// USD per 1,000 characters: 0.30 for Multilingual v2 and v3, 0.15 for Flash/Turbo (half the credits
// per character). ElevenLabs' API price list; UNCONFIRMED in REFERENCE.md §13.
const usdPerThousandCharacters: Record<string, number> = {
  eleven_multilingual_v2: 0.3,
  eleven_v3: 0.3,
  eleven_flash_v2_5: 0.15,
  eleven_turbo_v2_5: 0.15,
};

export const elevenlabs: CatalogEntry = {
  id: 'elevenlabs',
  name: 'ElevenLabs',
  description: 'The most natural AI voices, with emotion control and support for many languages.',
  types: ['AUDIO'],
  models,
  defaultModel,
  features: [
    'Lifelike premade voices (rachel, adam, bella…) or any voice id of your account in input.voice',
    'Emotion control: audio tags on Eleven v3, voice settings on the other models',
    'Speed, stability and similarity controls',
    'Up to 29-32 languages; 24 kHz 16-bit WAV output',
    'Synchronous: the audio comes back in the create call',
  ],
  limitations: [
    'emotion is not an API field: Eleven v3 reads it as an audio tag ([excited]); other models approximate it with stability and style settings',
    'Up to 10,000 characters per request (40,000 on Flash/Turbo v2.5)',
    'speed ranges from 0.7 to 1.2',
  ],
  inputs: { AUDIO: { text: 'required', image: 'unsupported', voice: 'optional' } },
  options: [
    modelOption(models, defaultModel, 'ElevenLabs model. Default eleven_multilingual_v2.'),
    choiceOption('voice', Object.keys(elevenLabsVoices), 'rachel', 'Premade voice by name; input.voice may carry any voice id instead.'),
    choiceOption(
      'emotion',
      ['neutral', 'calm', 'happy', 'excited', 'sad', 'angry', 'whispering'],
      undefined,
      'Delivery emotion (audio tag on Eleven v3, voice settings elsewhere).',
    ),
    { name: 'speed', type: 'number', description: 'Speaking speed: 1.0 is normal, 0.7 to 1.2.', minimum: 0.7, maximum: 1.2, default: 1 },
    { name: 'stability', type: 'number', description: 'Voice consistency, 0 (expressive) to 1 (steady).', minimum: 0, maximum: 1, default: 0.5 },
    { name: 'similarityBoost', type: 'number', description: 'Closeness to the original voice, 0 to 1.', minimum: 0, maximum: 1, default: 0.75 },
    { name: 'languageCode', type: 'string', description: 'ISO 639-1 language, for example "en" or "vi" (ignored by Multilingual v2).', maxLength: 3 },
    seedOption(4294967295),
  ],
  traits: { quality: 10, speed: 8, cost: 6 },
  strengths: {
    intents: { 'expressive-voice': 3 },
    voiceLanguages: elevenLabsVoiceLanguages,
  },
  maxJobTime: 120,
  cancellation: {
    refundAfterAcceptance: false,
    note: 'ElevenLabs answers within the create call: there is nothing to cancel once it is sent.',
  },
  synchronous: true,
  check(request) {
    const model = modelOf(request, defaultModel);
    const limit = characterLimits[model] ?? 10_000;
    const length = (request.input.text ?? '').length;
    return length > limit ? `${model} takes at most ${limit} characters per request (got ${length}).` : undefined;
  },
  price(request) {
    const characters = (request.input.text ?? '').length;
    const usd = (characters / 1000) * (usdPerThousandCharacters[modelOf(request, defaultModel)] ?? 0.3);
    return { creditCost: credits(usd), estimatedTime: Math.ceil(2 + characters / 500) };
  },
  plan(request) {
    return {
      kind: 'audio',
      wireModel: modelOf(request, defaultModel),
      duration: speechSeconds(request.input.text, numberOption(request, 'speed') ?? 1),
      adjustments: [],
    };
  },
};
