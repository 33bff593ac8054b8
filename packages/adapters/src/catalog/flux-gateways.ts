import type { CatalogEntry } from './entry';
import { credits } from './shared/credits';
import { imageSize } from './shared/dimensions';
import { aspectRatioOption, choiceOption, modelOption, seedOption } from './shared/options';
import { modelOf, stringOption } from './shared/request-options';

/**
 * Flux served by gateways rather than by BFL: FLUX.1 [schnell] on fal for fast iteration
 * (REFERENCE.md §12.1, §18) and Replicate's optimised `go_fast` deployments with quality levels
 * (§12.2, §17).
 */

/** fal's `image_size` presets, by the aspect ratio each one has. */
const falImageSizes: Record<string, { preset: string; width: number; height: number }> = {
  '1:1': { preset: 'square_hd', width: 1024, height: 1024 },
  '4:3': { preset: 'landscape_4_3', width: 1024, height: 768 },
  '16:9': { preset: 'landscape_16_9', width: 1024, height: 576 },
  '3:4': { preset: 'portrait_4_3', width: 768, height: 1024 },
  '9:16': { preset: 'portrait_16_9', width: 576, height: 1024 },
};

export const fluxSchnell: CatalogEntry = {
  id: 'flux-schnell',
  name: 'FLUX.1 Schnell',
  description: 'A fast model for iterating on ideas: the perfect balance of speed and quality for prototyping, in about a second per image.',
  types: ['IMAGE'],
  models: [{ id: 'fal-ai/flux/schnell', name: 'FLUX.1 [schnell] on fal', description: '1 to 12 steps; 4 by default.' }],
  defaultModel: 'fal-ai/flux/schnell',
  features: ['About one second per image', 'The cheapest image model in the catalog', 'Five aspect ratios', 'Reproducible seeds'],
  limitations: [
    'Less detail and weaker text rendering than the Pro models',
    'Sizes are fal presets (1024x576 at 16:9, 1024x768 at 4:3)',
    'A job can be cancelled only while it waits in fal’s queue',
  ],
  inputs: { IMAGE: { text: 'required', image: 'unsupported', negativePrompt: 'unsupported' } },
  options: [
    aspectRatioOption(Object.keys(falImageSizes), '4:3', 'Sent as fal’s image_size preset. Default 4:3 (landscape_4_3).'),
    { name: 'steps', type: 'integer', description: 'Inference steps, 1 to 12.', minimum: 1, maximum: 12, default: 4 },
    seedOption(4294967295),
  ],
  traits: { quality: 5, speed: 10, cost: 1 },
  strengths: {
    intents: {},
    maxResolution: 1024,
  },
  maxJobTime: 120,
  cancellation: {
    refundAfterAcceptance: true,
    note: 'fal cancels a request still in its queue, and bills only inference it ran; a running request finishes (UNCONFIRMED).',
  },
  synchronous: false,
  // USD 0.003 per megapixel (fal's flux-1/schnell page, §12.1): under a credit, so the minimum 1.
  price: () => ({ creditCost: credits(0.003), estimatedTime: 2 }),
  plan(request) {
    const size = falImageSizes[stringOption(request, 'aspectRatio') ?? '4:3'] ?? falImageSizes['4:3'];
    return { kind: 'image', wireModel: 'fal-ai/flux/schnell', width: size?.width ?? 1024, height: size?.height ?? 768, adjustments: [] };
  },
};

const optimizedModels = [
  { id: 'flux-schnell', name: 'FLUX.1 [schnell], optimised', description: 'Replicate black-forest-labs/flux-schnell with go_fast.' },
  { id: 'flux-dev', name: 'FLUX.1 [dev], optimised', description: 'Replicate black-forest-labs/flux-dev with go_fast.' },
];

/** What each quality level sends: megapixels, output quality and (for dev) steps. */
const qualityLevels: Record<string, { megapixels: number; description: string }> = {
  draft: { megapixels: 0.25, description: '0.25 megapixel, fewest steps' },
  standard: { megapixels: 1, description: '1 megapixel, default steps, output quality 80' },
  high: { megapixels: 1, description: '1 megapixel, most steps, lossless PNG' },
};

// USD per image: flux-schnell 0.003 and flux-dev 0.025 on Replicate (UNCONFIRMED in REFERENCE.md §12.2).
const usdPerImage: Record<string, number> = { 'flux-schnell': 0.003, 'flux-dev': 0.025 };

export const fluxOptimized: CatalogEntry = {
  id: 'flux-optimized',
  name: 'FLUX Optimised',
  description: 'An optimised FLUX deployment with several quality levels, for fast content production at scale.',
  types: ['IMAGE'],
  models: optimizedModels,
  defaultModel: 'flux-schnell',
  features: [
    'Three quality levels: draft (0.25 MP), standard and high',
    'Optimised go_fast inference',
    'Eleven aspect ratios',
    'FLUX.1 [schnell] or [dev] weights',
  ],
  limitations: [
    'The draft level is a quarter megapixel (512x512 at 1:1)',
    'Cancelling a running prediction still bills the compute it used',
    'Output links are temporary; Doitong copies the image before completing',
  ],
  inputs: { IMAGE: { text: 'required', image: 'unsupported', negativePrompt: 'unsupported' } },
  options: [
    modelOption(optimizedModels, 'flux-schnell', 'flux-schnell (fastest) or flux-dev (more detail). Default flux-schnell.'),
    choiceOption(
      'quality',
      Object.keys(qualityLevels),
      'standard',
      `Quality level: ${Object.entries(qualityLevels)
        .map(([name, level]) => `${name} (${level.description})`)
        .join('; ')}.`,
    ),
    aspectRatioOption(['1:1', '16:9', '21:9', '3:2', '2:3', '4:5', '5:4', '3:4', '4:3', '9:16', '9:21'], '1:1'),
    seedOption(4294967295),
  ],
  traits: { quality: 6, speed: 9, cost: 2 },
  strengths: {
    intents: { photorealism: 1 },
    maxResolution: 1024,
  },
  maxJobTime: 180,
  cancellation: {
    refundAfterAcceptance: false,
    note: 'Replicate cancels a prediction but bills the compute time it already used.',
  },
  synchronous: false,
  price(request) {
    const model = modelOf(request, 'flux-schnell');
    return { creditCost: credits(usdPerImage[model] ?? 0.003), estimatedTime: model === 'flux-dev' ? 6 : 2 };
  },
  plan(request) {
    const level = qualityLevels[stringOption(request, 'quality') ?? 'standard'] ?? { megapixels: 1 };
    return {
      kind: 'image',
      wireModel: `black-forest-labs/${modelOf(request, 'flux-schnell')}`,
      ...imageSize(stringOption(request, 'aspectRatio') ?? '1:1', level.megapixels, 64),
      adjustments: [],
    };
  },
};
