import type { CatalogEntry } from './entry';
import { credits } from './shared/credits';
import { choiceOption, modelOption } from './shared/options';
import { modelOf, numberOption } from './shared/request-options';
import { speechSeconds } from './shared/speech';

/**
 * Google Cloud Text-to-Speech (REFERENCE.md §14), synchronous, asked for LINEAR16 at 24 kHz (a WAV).
 * Models are Google's voice families; input.voice may name one exact voice (en-US-Neural2-C).
 */
const models = [
  { id: 'wavenet', name: 'WaveNet', description: 'Natural neural voices, the widest language coverage.' },
  { id: 'neural2', name: 'Neural2', description: 'Newer neural voices, more natural prosody.' },
  { id: 'standard', name: 'Standard', description: 'Basic parametric voices, the cheapest.' },
  { id: 'studio', name: 'Studio', description: 'Professional narration voices.' },
  { id: 'chirp3-hd', name: 'Chirp 3 HD', description: 'Conversational, most expressive voices.' },
];
const defaultModel = 'wavenet';

const languages = ['en-US', 'en-GB', 'en-AU', 'en-IN', 'vi-VN', 'fr-FR', 'de-DE', 'es-ES', 'es-US', 'it-IT', 'ja-JP', 'ko-KR', 'cmn-CN', 'pt-BR', 'hi-IN'];

// USD per million characters by voice family (Google's price list; UNCONFIRMED in REFERENCE.md §14).
const usdPerMillionCharacters: Record<string, number> = { standard: 4, wavenet: 16, neural2: 16, studio: 160, 'chirp3-hd': 30 };

export const googleTts: CatalogEntry = {
  id: 'google-tts',
  name: 'Google Text-to-Speech',
  description: "Google's neural text-to-speech with WaveNet voices: over 380 voices in more than 50 languages, with SSML support.",
  types: ['AUDIO'],
  models,
  defaultModel,
  features: [
    '380+ voices in 50+ languages and variants',
    'SSML: send input.text starting with <speak> for pauses, emphasis and pronunciation',
    'Speaking rate, pitch and volume control',
    'Voice families from Standard to Studio and Chirp 3 HD',
    'Synchronous, 24 kHz 16-bit WAV output',
  ],
  limitations: [
    'At most 5,000 bytes of text or SSML per request',
    'No emotion control beyond SSML and voice choice',
    'Not every family has every language; input.voice names an exact voice when it matters',
  ],
  inputs: { AUDIO: { text: 'required', image: 'unsupported', voice: 'optional' } },
  options: [
    modelOption(models, defaultModel, 'Voice family. Default wavenet.'),
    choiceOption('languageCode', languages, 'en-US', 'BCP-47 language of the voice.'),
    choiceOption('gender', ['FEMALE', 'MALE', 'NEUTRAL'], 'FEMALE', 'Voice gender (the API’s ssmlGender).'),
    { name: 'speed', type: 'number', description: 'Speaking rate: 1.0 is normal, 0.25 to 4.0.', minimum: 0.25, maximum: 4, default: 1 },
    { name: 'pitch', type: 'number', description: 'Pitch shift in semitones, -20 to 20.', minimum: -20, maximum: 20, default: 0 },
    { name: 'volumeGainDb', type: 'number', description: 'Volume change in dB, -96 to 16.', minimum: -96, maximum: 16, default: 0 },
  ],
  traits: { quality: 7, speed: 9, cost: 1 },
  strengths: {
    intents: { 'expressive-voice': 1 },
    voiceLanguages: ['en', 'vi', 'fr', 'de', 'es', 'it', 'ja', 'ko', 'zh', 'pt', 'hi'],
    languageOption: {
      option: 'languageCode',
      values: {
        en: 'en-US',
        vi: 'vi-VN',
        fr: 'fr-FR',
        de: 'de-DE',
        es: 'es-ES',
        it: 'it-IT',
        ja: 'ja-JP',
        ko: 'ko-KR',
        zh: 'cmn-CN',
        pt: 'pt-BR',
        hi: 'hi-IN',
      },
    },
  },
  maxJobTime: 60,
  cancellation: {
    refundAfterAcceptance: false,
    note: 'Google TTS answers within the create call: there is nothing to cancel once it is sent.',
  },
  synchronous: true,
  check(request) {
    const bytes = Buffer.byteLength(request.input.text ?? '', 'utf8');
    return bytes > 5000 ? `Google TTS takes at most 5,000 bytes per request (got ${bytes}).` : undefined;
  },
  price(request) {
    const characters = (request.input.text ?? '').length;
    const usd = (characters / 1_000_000) * (usdPerMillionCharacters[modelOf(request, defaultModel)] ?? 16);
    return { creditCost: credits(usd), estimatedTime: 2 };
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
