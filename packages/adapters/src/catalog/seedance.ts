import type { GenerationRequest } from '@doitong/core';
import type { CatalogEntry, OutputPlan } from './entry';
import { credits } from './shared/credits';
import { videoSize } from './shared/dimensions';
import { aspectRatioOption, choiceOption, modelOption, seedOption } from './shared/options';
import { modelOf, numberOption, stringOption } from './shared/request-options';
import { styleOption } from './shared/style';

/** ByteDance Seedance 1.0 on BytePlus ModelArk (REFERENCE.md §7): stable 5 s clips, 480p to 1080p. */
const models = [
  { id: 'seedance-1-0-pro-250528', name: 'Seedance 1.0 Pro', description: 'Text- and image-to-video, best quality.' },
  { id: 'seedance-1-0-pro-fast-251015', name: 'Seedance 1.0 Pro Fast', description: 'Pro quality at lower price and latency.' },
  { id: 'seedance-1-0-lite-t2v-250428', name: 'Seedance 1.0 Lite (text-to-video)', description: 'Cheaper text-to-video.' },
  { id: 'seedance-1-0-lite-i2v-250428', name: 'Seedance 1.0 Lite (image-to-video)', description: 'Cheaper image-to-video.' },
];
const defaultModel = 'seedance-1-0-pro-250528';

/**
 * Frame sizes Seedance 1.0 renders for 16:9 (9:16 is the transpose). They match the token counts
 * the API reports: 1920x1088 x 121 frames / 1024 = 246,840 tokens for a 5 s 1080p clip (§7 example).
 * Sizes for other ratios are UNCONFIRMED: we use the short side at the requested shape.
 */
const landscapeSizes: Record<string, [number, number]> = {
  '480p': [864, 480],
  '720p': [1248, 704],
  '1080p': [1920, 1088],
};

// USD per million tokens (BytePlus price list, UNCONFIRMED in REFERENCE.md §7: "rates UNCONFIRMED").
const usdPerMillionTokens: Record<string, number> = {
  'seedance-1-0-pro-250528': 2.5,
  'seedance-1-0-pro-fast-251015': 1.0,
  'seedance-1-0-lite-t2v-250428': 1.8,
  'seedance-1-0-lite-i2v-250428': 1.8,
};

export const seedance: CatalogEntry = {
  id: 'seedance',
  name: 'Seedance',
  description: 'ByteDance Seedance 1.0: stable, reliable short clips (5 or 10 seconds) at 480p, 720p or 1080p, from text or from an image.',
  types: ['VIDEO'],
  models,
  defaultModel,
  features: [
    'Stable 5 second clips (10 s available) at 480p, 720p or 1080p',
    'Six frame shapes from 21:9 to 9:16',
    'Fixed-camera mode and reproducible seeds',
    'Image-to-video with input.image as the first frame',
    'Priced by output tokens: 480p costs about a fifth of 1080p',
  ],
  limitations: [
    'The Lite models are split: seedance-1-0-lite-t2v takes no image, seedance-1-0-lite-i2v needs one',
    'Only a queued task can be cancelled; a running task finishes and is billed',
    'Output links expire after 24 hours',
  ],
  inputs: {
    VIDEO: { text: 'optional', image: 'optional' },
  },
  options: [
    modelOption(models, defaultModel, 'Seedance model. Default seedance-1-0-pro-250528.'),
    choiceOption('resolution', ['480p', '720p', '1080p'], '1080p', 'Output resolution.'),
    choiceOption('duration', [5, 10], 5, 'Clip length in seconds: 5 or 10.'),
    aspectRatioOption(['16:9', '4:3', '1:1', '3:4', '9:16', '21:9'], '16:9'),
    seedOption(2147483647),
    { name: 'cameraFixed', type: 'boolean', description: 'Keep the camera still.', default: false },
    styleOption(),
  ],
  traits: { quality: 7, speed: 8, cost: 4 },
  strengths: {
    intents: { dance: 2, 'several-people': 2, 'short-clip': 2, photorealism: 2, 'high-resolution': 2, 'long-clip': 1, 'camera-motion': 1 },
    maxSeconds: 10,
    maxResolution: 1080,
  },
  maxJobTime: 900,
  cancellation: {
    refundAfterAcceptance: true,
    note: 'A queued task can be cancelled (DELETE) and, billed by completion tokens, costs nothing; a running task cannot be cancelled.',
  },
  synchronous: false,
  check(request) {
    const model = modelOf(request, defaultModel);
    if (model.includes('lite-i2v') && !request.input.image) return `${model} needs input.image.`;
    if (model.includes('lite-t2v') && request.input.image) return `${model} takes no image: use seedance-1-0-lite-i2v-250428.`;
    if (!request.input.text && !request.input.image) return 'Seedance needs input.text or input.image.';
    return undefined;
  },
  price(request) {
    const model = modelOf(request, defaultModel);
    const size = frameSize(request);
    const duration = numberOption(request, 'duration') ?? 5;
    // Seedance renders 24 frames a second plus one, and counts width x height x frames / 1024 tokens.
    const tokens = (size.width * size.height * (24 * duration + 1)) / 1024;
    const base = { '480p': 30, '720p': 50, '1080p': 90 }[stringOption(request, 'resolution') ?? '1080p'] ?? 90;
    const estimatedTime = Math.round(base * (duration / 5) * (model.includes('fast') ? 0.5 : 1));
    return { creditCost: credits((tokens / 1_000_000) * (usdPerMillionTokens[model] ?? 2.5)), estimatedTime };
  },
  plan(request): OutputPlan {
    return {
      kind: 'video',
      wireModel: modelOf(request, defaultModel),
      ...frameSize(request),
      duration: numberOption(request, 'duration') ?? 5,
      fps: 24,
      hasAudio: false,
      adjustments: [],
    };
  },
};

function frameSize(request: GenerationRequest): { width: number; height: number } {
  const resolution = stringOption(request, 'resolution') ?? '1080p';
  const aspectRatio = stringOption(request, 'aspectRatio') ?? '16:9';
  const landscape = landscapeSizes[resolution];
  if (landscape && aspectRatio === '16:9') return { width: landscape[0], height: landscape[1] };
  if (landscape && aspectRatio === '9:16') return { width: landscape[1], height: landscape[0] };
  return videoSize(resolution, aspectRatio);
}
