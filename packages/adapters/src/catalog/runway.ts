import type { GenerationRequest } from '@doitong/core';
import type { CatalogEntry, OutputPlan } from './entry';
import { credits } from './shared/credits';
import { aspectRatioOption, choiceOption, modelOption, seedOption } from './shared/options';
import { modelOf, numberOption, stringOption } from './shared/request-options';

/**
 * Runway's developer API (REFERENCE.md §4; runwayml/sdk-node 4.12.0, src/resources/
 * image-to-video.ts and text-to-video.ts). Callers use the names people know (`gen-2`, `gen-3`,
 * `gen-4`, `gen-4.5`); the API's ids are `gen4_turbo` and `gen4.5`. The current API has no Gen-2
 * and no longer Gen-3 Alpha Turbo (`gen3a_turbo` left the SDK's model union in 2026), so `gen-2`
 * and `gen-3` are served by Gen-4 Turbo, the oldest model it still offers, priced as such, and
 * they say so.
 */
const wireModels: Record<string, string> = {
  'gen-2': 'gen4_turbo',
  'gen-3': 'gen4_turbo',
  'gen-4': 'gen4_turbo',
  'gen-4.5': 'gen4.5',
};

/**
 * One API route: an endpoint and model, with the `ratio` values and rules that route accepts
 * (the SDK's per-model unions). A request is valid for Runway only if its route takes it, so
 * `check` refuses, and the router passes over Runway, rather than the API answering 400.
 */
export interface RunwayRoute {
  endpoint: '/v1/image_to_video' | '/v1/text_to_video';
  wireModel: string;
  /** Our aspect ratios → the API's `ratio` in pixels. */
  ratios: Record<string, [number, number]>;
  /** True where the API requires `promptText`. */
  promptRequired: boolean;
  /** The durations the route takes, in seconds (gen4.5: an integer from 2 to 10). */
  durations: readonly number[];
}

const sixShapes: Record<string, [number, number]> = {
  '16:9': [1280, 720],
  '9:16': [720, 1280],
  '4:3': [1104, 832],
  '3:4': [832, 1104],
  '1:1': [960, 960],
  '21:9': [1584, 672],
};
const twoToTen = [2, 3, 4, 5, 6, 7, 8, 9, 10];

export const runwayRoutes: Record<string, RunwayRoute> = {
  'gen4_turbo image_to_video': { endpoint: '/v1/image_to_video', wireModel: 'gen4_turbo', ratios: sixShapes, promptRequired: false, durations: twoToTen },
  'gen4.5 image_to_video': { endpoint: '/v1/image_to_video', wireModel: 'gen4.5', ratios: sixShapes, promptRequired: true, durations: twoToTen },
  // Gen-4.5 text-to-video makes landscape or portrait only: ratio is '1280:720' | '720:1280'.
  'gen4.5 text_to_video': {
    endpoint: '/v1/text_to_video',
    wireModel: 'gen4.5',
    ratios: { '16:9': [1280, 720], '9:16': [720, 1280] },
    promptRequired: true,
    durations: twoToTen,
  },
};

const models = [
  { id: 'gen-2', name: 'Gen-2 (served by Gen-4 Turbo)', description: 'Runway’s API has no Gen-2; requests run on gen4_turbo.' },
  { id: 'gen-3', name: 'Gen-3 (served by Gen-4 Turbo)', description: 'Runway’s API no longer offers Gen-3 Alpha Turbo; requests run on gen4_turbo.' },
  { id: 'gen-4', name: 'Gen-4 Turbo', description: 'Consistent characters and scenes from a reference image (API id gen4_turbo).' },
  { id: 'gen-4.5', name: 'Gen-4.5', description: 'Runway’s newest model; also serves text-only requests (API id gen4.5).' },
];
const defaultModel = 'gen-4';

// Credits per second of video: 5 for Gen-4 Turbo, 12 for Gen-4.5 (Runway credits are USD 0.01,
// like ours; third-party figures, UNCONFIRMED in REFERENCE.md §4.5).
const usdPerSecond: Record<string, number> = { gen4_turbo: 0.05, 'gen4.5': 0.12 };

const motionWords: Record<string, string> = {
  low: 'subtle, slow, gentle motion',
  medium: 'natural motion',
  high: 'dynamic, fast, energetic motion',
};

export const runway: CatalogEntry = {
  id: 'runway',
  name: 'Runway',
  description: 'Runway Gen-2, Gen-3 and Gen-4: professional image animation and text-to-video with cinema-quality results.',
  types: ['VIDEO'],
  models,
  defaultModel,
  features: [
    'Image-to-video: input.image becomes the first frame',
    'Text-to-video with Gen-4.5',
    '5 or 10 second clips; six frame shapes from an image (16:9, 9:16, 4:3, 3:4, 1:1, 21:9)',
    'Motion intensity control and reproducible seeds',
    'Cancel while queued or running',
  ],
  limitations: [
    'Runway’s API has no Gen-2 and no longer Gen-3 Alpha Turbo: models gen-2 and gen-3 run on Gen-4 Turbo (gen4_turbo)',
    'gen-2, gen-3 and gen-4 (Turbo) animate an image; a request without input.image runs on Gen-4.5 through text-to-video',
    'Text-to-video (Gen-4.5) makes 16:9 or 9:16 only; Gen-4.5 needs a prompt',
    'motionIntensity is not an API field: it adds motion words to the prompt',
    'Output links expire within 24-48 hours',
  ],
  inputs: {
    VIDEO: { text: 'optional', image: 'optional' },
  },
  options: [
    modelOption(models, defaultModel, 'gen-2, gen-3, gen-4 or gen-4.5 (API ids gen4_turbo, gen4_turbo, gen4_turbo, gen4.5). Default gen-4.'),
    choiceOption('duration', [5, 10], 5, 'Clip length in seconds: 5 or 10.'),
    aspectRatioOption(Object.keys(sixShapes), '16:9', 'Frame shape (text-to-video: 16:9 or 9:16 only).'),
    choiceOption('motionIntensity', ['low', 'medium', 'high'], 'medium', 'How much things move: adds motion words to the prompt.'),
    seedOption(4294967295),
  ],
  traits: { quality: 9, speed: 7, cost: 6 },
  strengths: {
    intents: { photorealism: 2, 'camera-motion': 2, portrait: 2, 'several-people': 1, 'long-clip': 1, illustration: 1 },
    maxSeconds: 10,
    maxResolution: 768,
  },
  maxJobTime: 900,
  cancellation: {
    refundAfterAcceptance: false,
    note: 'DELETE /v1/tasks/{id} cancels a pending or running task; whether its credits come back is not documented (UNCONFIRMED).',
  },
  synchronous: false,
  check(request) {
    if (!request.input.text && !request.input.image) return 'Runway needs input.text, input.image, or both.';
    const route = runwayRoute(request);
    const asked = stringOption(request, 'aspectRatio') ?? '16:9';
    const how = route.endpoint === '/v1/text_to_video' ? `${route.wireModel} text-to-video` : route.wireModel;
    if (!route.ratios[asked]) return `Runway ${how} makes ${Object.keys(route.ratios).join(', ')} only, not ${asked}.`;
    if (route.promptRequired && !request.input.text?.trim()) return `Runway ${how} needs a prompt (input.text).`;
    const duration = numberOption(request, 'duration') ?? 5;
    if (!route.durations.includes(duration)) return `Runway ${how} makes ${route.durations.join(', ')} second clips, not ${duration}.`;
    return undefined;
  },
  price(request) {
    const wire = runwayRoute(request).wireModel;
    const duration = numberOption(request, 'duration') ?? 5;
    const estimatedTime = wire === 'gen4.5' ? 120 : duration === 10 ? 90 : 45;
    return { creditCost: credits((usdPerSecond[wire] ?? 0.05) * duration), estimatedTime };
  },
  plan(request): OutputPlan {
    const route = runwayRoute(request);
    const asked = stringOption(request, 'aspectRatio') ?? '16:9';
    const adjustments: string[] = [];
    const chosen = modelOf(request, defaultModel);
    if (chosen === 'gen-2' || chosen === 'gen-3')
      adjustments.push(`Runway’s API has no ${chosen === 'gen-2' ? 'Gen-2' : 'Gen-3 Alpha Turbo'} now: served by gen4_turbo.`);
    if (route.endpoint === '/v1/text_to_video' && wireModels[chosen] !== route.wireModel)
      adjustments.push(`No input.image: served by ${route.wireModel} through text-to-video.`);
    const size = route.ratios[asked] ?? route.ratios['16:9']!;
    return {
      kind: 'video',
      wireModel: route.wireModel,
      width: size[0],
      height: size[1],
      duration: numberOption(request, 'duration') ?? 5,
      fps: 24,
      hasAudio: false,
      adjustments,
    };
  },
};

/** The route that serves the request: an image goes to the model's image-to-video, text alone to Gen-4.5's text-to-video. */
export function runwayRoute(request: GenerationRequest): RunwayRoute {
  if (!request.input.image) return runwayRoutes['gen4.5 text_to_video']!;
  const wire = wireModels[modelOf(request, defaultModel)] ?? 'gen4_turbo';
  return runwayRoutes[`${wire} image_to_video`]!;
}

/** Motion words the adapter appends to the prompt for `motionIntensity`. */
export function runwayMotionWords(intensity: string | undefined): string | undefined {
  return intensity !== undefined ? motionWords[intensity] : undefined;
}
