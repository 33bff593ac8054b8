import type { GenerationRequest } from '@doitong/core';
import type { CatalogEntry, OutputPlan } from './entry';
import { credits } from './shared/credits';
import { aspectRatioOption, choiceOption, modelOption, seedOption } from './shared/options';
import { modelOf, numberOption, stringOption } from './shared/request-options';

/**
 * Runway's developer API (REFERENCE.md §4). Callers use the names people know (`gen-2`, `gen-3`,
 * `gen-4`); the API's ids are `gen3a_turbo`, `gen4_turbo`, `gen4.5`. The API never offered Gen-2,
 * so `gen-2` is served by Gen-3 Alpha Turbo, the oldest model it has, and says so.
 */
const wireModels: Record<string, string> = {
  'gen-2': 'gen3a_turbo',
  'gen-3': 'gen3a_turbo',
  'gen-4': 'gen4_turbo',
  'gen-4.5': 'gen4.5',
};

/** Frame sizes per model: the API's `ratio` values, in pixels. */
const gen4Ratios: Record<string, [number, number]> = {
  '16:9': [1280, 720],
  '9:16': [720, 1280],
  '4:3': [1104, 832],
  '3:4': [832, 1104],
  '1:1': [960, 960],
  '21:9': [1584, 672],
};
const gen3Ratios: Record<string, [number, number]> = { '16:9': [1280, 768], '9:16': [768, 1280] };

const models = [
  { id: 'gen-2', name: 'Gen-2 (served by Gen-3 Alpha Turbo)', description: 'Runway’s API has no Gen-2; requests run on gen3a_turbo.' },
  { id: 'gen-3', name: 'Gen-3 Alpha Turbo', description: 'Fast image animation (API id gen3a_turbo), 1280x768.' },
  { id: 'gen-4', name: 'Gen-4 Turbo', description: 'Consistent characters and scenes from a reference image (API id gen4_turbo).' },
  { id: 'gen-4.5', name: 'Gen-4.5', description: 'Runway’s newest model; also serves text-only requests (API id gen4.5).' },
];
const defaultModel = 'gen-4';

// Credits per second of video: 5 for the Turbo models, 12 for Gen-4.5 (Runway credits are USD 0.01,
// like ours; third-party figures, UNCONFIRMED in REFERENCE.md §4.5).
const usdPerSecond: Record<string, number> = { gen3a_turbo: 0.05, gen4_turbo: 0.05, 'gen4.5': 0.12 };

const motionWords: Record<string, string> = {
  low: 'subtle, slow, gentle motion',
  medium: 'natural motion',
  high: 'dynamic, fast, energetic motion',
};

export const runway: CatalogEntry = {
  id: 'runway',
  name: 'Runway',
  description:
    'Runway Gen-2, Gen-3 and Gen-4: professional image animation and text-to-video with cinema-quality results.',
  types: ['VIDEO'],
  models,
  defaultModel,
  features: [
    'Image-to-video: input.image becomes the first frame',
    'Text-to-video with Gen-4.5',
    '5 or 10 second clips; six frame shapes on Gen-4 (16:9, 9:16, 4:3, 3:4, 1:1, 21:9)',
    'Motion intensity control and reproducible seeds',
    'Cancel while queued or running',
  ],
  limitations: [
    'Runway’s API never offered Gen-2: model gen-2 runs on Gen-3 Alpha Turbo (gen3a_turbo)',
    'gen-3 and gen-4 (Turbo) animate an image; a request without input.image runs on Gen-4.5 through text-to-video',
    'Gen-3 Alpha Turbo makes 1280x768 (16:9) or 768x1280 (9:16) only, and needs a prompt',
    'motionIntensity is not an API field: it adds motion words to the prompt',
    'Output links expire within 24-48 hours',
  ],
  inputs: {
    VIDEO: { text: 'optional', image: 'optional' },
  },
  options: [
    modelOption(models, defaultModel, 'gen-2, gen-3, gen-4 or gen-4.5 (API ids gen3a_turbo, gen3a_turbo, gen4_turbo, gen4.5). Default gen-4.'),
    choiceOption('duration', [5, 10], 5, 'Clip length in seconds: 5 or 10.'),
    aspectRatioOption(Object.keys(gen4Ratios), '16:9', 'Frame shape (Gen-3: 16:9 or 9:16 only).'),
    choiceOption('motionIntensity', ['low', 'medium', 'high'], 'medium', 'How much things move: adds motion words to the prompt.'),
    seedOption(4294967295),
  ],
  traits: { quality: 9, speed: 7, cost: 6 },
  maxJobTime: 900,
  cancellation: {
    refundAfterAcceptance: false,
    note: 'DELETE /v1/tasks/{id} cancels a pending or running task; whether its credits come back is not documented (UNCONFIRMED).',
  },
  synchronous: false,
  check(request) {
    const wire = wireModel(request);
    if (!request.input.text && !request.input.image) return 'Runway needs input.text, input.image, or both.';
    if (wire === 'gen3a_turbo' && !request.input.text) return 'Gen-3 Alpha Turbo needs a prompt (input.text).';
    return undefined;
  },
  price(request) {
    const wire = wireModel(request);
    const duration = numberOption(request, 'duration') ?? 5;
    const estimatedTime = wire === 'gen4.5' ? 120 : duration === 10 ? 90 : 45;
    return { creditCost: credits((usdPerSecond[wire] ?? 0.05) * duration), estimatedTime };
  },
  plan(request): OutputPlan {
    const wire = wireModel(request);
    const asked = stringOption(request, 'aspectRatio') ?? '16:9';
    const adjustments: string[] = [];
    const chosen = modelOf(request, defaultModel);
    if (chosen === 'gen-2') adjustments.push('Runway’s API has no Gen-2: served by gen3a_turbo.');
    if (wire !== wireModels[chosen]) adjustments.push(`No input.image: served by ${wire} through text-to-video.`);
    const ratios = wire === 'gen3a_turbo' ? gen3Ratios : gen4Ratios;
    let size = ratios[asked];
    if (size === undefined) {
      adjustments.push(`${wire} has no ${asked}: rendered at 16:9.`);
      size = ratios['16:9'] as [number, number];
    }
    return {
      kind: 'video',
      wireModel: wire,
      width: size[0],
      height: size[1],
      duration: numberOption(request, 'duration') ?? 5,
      fps: 24,
      hasAudio: false,
      adjustments,
    };
  },
};

/** The API model that serves the request: text-only requests need Gen-4.5's text-to-video. */
function wireModel(request: GenerationRequest): string {
  const wire = wireModels[modelOf(request, defaultModel)] ?? 'gen4_turbo';
  return request.input.image ? wire : 'gen4.5';
}

/** Motion words the adapter appends to the prompt for `motionIntensity`. */
export function runwayMotionWords(intensity: string | undefined): string | undefined {
  return intensity !== undefined ? motionWords[intensity] : undefined;
}
