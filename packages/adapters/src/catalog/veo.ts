import type { GenerationRequest } from '@doitong/core';
import type { CatalogEntry, OutputPlan } from './entry';
import { credits } from './shared/credits';
import { videoSize } from './shared/dimensions';
import { aspectRatioOption, choiceOption, modelOption } from './shared/options';
import { modelOf, numberOption, stringOption } from './shared/request-options';
import { styleOption } from './shared/style';
import { linkedImageProblem } from './shared/inline-image';

/** Google Veo through the Gemini API's long-running predict (REFERENCE.md §3). */
const models = [
  { id: 'veo-3.0-generate-001', name: 'Veo 3', description: 'Realistic video with native sound: 4, 6 or 8 s at 720p or 1080p.' },
  { id: 'veo-3.0-fast-generate-001', name: 'Veo 3 Fast', description: 'Veo 3 at lower latency and price.' },
  { id: 'veo-3.1-generate-preview', name: 'Veo 3.1 (preview)', description: 'Newest Veo with richer sound and image conditioning.' },
  { id: 'veo-3.1-fast-generate-preview', name: 'Veo 3.1 Fast (preview)', description: 'Veo 3.1 at lower latency and price.' },
  { id: 'veo-2.0-generate-001', name: 'Veo 2', description: 'Silent video, 5 to 8 s at 720p.' },
] as const;
const defaultModel = 'veo-3.0-generate-001';

// USD per second of video (Google's Gemini API price list; UNCONFIRMED in REFERENCE.md §3.3).
const usdPerSecond: Record<string, number> = {
  'veo-3.0-generate-001': 0.4,
  'veo-3.0-fast-generate-001': 0.15,
  'veo-3.1-generate-preview': 0.4,
  'veo-3.1-fast-generate-preview': 0.15,
  'veo-2.0-generate-001': 0.35,
};

export const veo: CatalogEntry = {
  id: 'veo',
  name: 'Google Veo',
  description:
    "Google's newest video model: high realism and physical accuracy, with native sound from Veo 3. Premium output from text or from a starting image.",
  types: ['VIDEO'],
  models: [...models],
  defaultModel,
  features: [
    'Veo 3 and 3.1 generate sound (dialogue, effects, ambience) with the picture',
    'Realistic physics and lighting; strong prompt adherence',
    '720p or 1080p (8 s), 16:9 or 9:16',
    'Image-to-video from input.image; negative prompts',
    'Automatic prompt enhancement',
  ],
  limitations: [
    'Clips are short: Veo 3.x makes 4, 6 or 8 s (5 and 7 are rounded up), Veo 2 makes 5 to 8 s',
    'Veo 2 is silent and 720p only; Veo 3.x makes 1080p at 8 s only',
    'input.image must be a data: URL (the Gemini API takes image bytes)',
    'Person generation may be restricted by region; Veo 3.x takes personGeneration allow_all from text and allow_adult from an image',
    'No cancel: an accepted operation runs to the end and is billed',
    'Generated files must be downloaded with the API key; Google keeps them for a limited time',
  ],
  inputs: {
    VIDEO: { text: 'required', image: 'optional', negativePrompt: 'optional' },
  },
  options: [
    modelOption(models, defaultModel, 'Veo version. Default veo-3.0-generate-001.'),
    choiceOption('duration', [4, 5, 6, 7, 8], 8, 'Clip length in seconds: 4, 6 or 8 on Veo 3.x; 5 to 8 on Veo 2.'),
    choiceOption('resolution', ['720p', '1080p'], '720p', 'Output resolution (Veo 2: 720p only).'),
    aspectRatioOption(['16:9', '9:16'], '16:9'),
    choiceOption('personGeneration', ['allow_all', 'allow_adult', 'dont_allow'], undefined, 'Whether people may appear (availability varies by region).'),
    { name: 'enhancePrompt', type: 'boolean', description: 'Let Google rewrite the prompt for detail.', default: true },
    styleOption(),
  ],
  traits: { quality: 10, speed: 5, cost: 9 },
  strengths: {
    intents: {
      photorealism: 3,
      sound: 3,
      'talking-head': 2,
      portrait: 2,
      'camera-motion': 2,
      'high-resolution': 2,
      'short-clip': 2,
      'several-people': 1,
      product: 1,
    },
    // Veo 3 speaks dialogue best in English; other languages are UNCONFIRMED (REFERENCE.md §9).
    voiceLanguages: ['en'],
    maxSeconds: 8,
    maxResolution: 1080,
  },
  maxJobTime: 1200,
  cancellation: {
    refundAfterAcceptance: false,
    note: 'The Gemini API documents no cancel for Veo operations: an accepted operation is billed.',
  },
  synchronous: false,
  check(request) {
    const linked = linkedImageProblem(request, 'Veo (Gemini API)');
    if (linked) return linked;
    // Gemini API video docs: 1080p is made at 8 s only (Veo 3.x; Veo 2 renders 720p regardless).
    const { duration, resolution } = delivered(request);
    const model = modelOf(request, defaultModel);
    if (!model.startsWith('veo-2') && resolution === '1080p' && duration !== 8) return `Veo makes 1080p at 8 s only, not ${duration} s.`;
    // personGeneration per route (Gemini API video docs): Veo 3.x takes allow_all from text and
    // allow_adult from an image; Veo 2 takes allow_all, allow_adult or dont_allow from text, and
    // allow_adult or dont_allow from an image.
    const person = stringOption(request, 'personGeneration');
    if (person !== undefined) {
      const allowed = model.startsWith('veo-2')
        ? request.input.image
          ? ['allow_adult', 'dont_allow']
          : ['allow_all', 'allow_adult', 'dont_allow']
        : [request.input.image ? 'allow_adult' : 'allow_all'];
      if (!allowed.includes(person))
        return `${model} ${request.input.image ? 'from an image' : 'from text'} takes personGeneration ${allowed.join(' or ')}, not ${person}.`;
    }
    return undefined;
  },
  price(request) {
    const model = modelOf(request, defaultModel);
    const { duration } = delivered(request);
    return { creditCost: credits((usdPerSecond[model] ?? 0.4) * duration), estimatedTime: model.includes('fast') ? 60 : 120 };
  },
  plan(request): OutputPlan {
    const { duration, resolution, adjustments } = delivered(request);
    const model = modelOf(request, defaultModel);
    return {
      kind: 'video',
      wireModel: model,
      ...videoSize(resolution, stringOption(request, 'aspectRatio') ?? '16:9'),
      duration,
      fps: 24,
      hasAudio: !model.startsWith('veo-2'),
      adjustments,
    };
  },
};

function delivered(request: GenerationRequest): { duration: number; resolution: string; adjustments: string[] } {
  const model = modelOf(request, defaultModel);
  const asked = numberOption(request, 'duration') ?? 8;
  const adjustments: string[] = [];
  let resolution = stringOption(request, 'resolution') ?? '720p';
  let duration = asked;
  if (model.startsWith('veo-2')) {
    duration = Math.max(5, asked);
    if (resolution !== '720p') adjustments.push('Veo 2 renders 720p only.');
    resolution = '720p';
  } else if (asked === 5 || asked === 7) {
    duration = asked + 1;
  }
  if (duration !== asked) adjustments.push(`${model} makes ${duration} s clips, not ${asked} s.`);
  return { duration, resolution, adjustments };
}
