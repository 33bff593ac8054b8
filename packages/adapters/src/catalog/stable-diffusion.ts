import { linkedImageProblem } from './shared/inline-image';
import type { CatalogEntry } from './entry';
import { credits } from './shared/credits';
import { aspectRatioOption, choiceOption, modelOption, seedOption } from './shared/options';
import { modelOf, numberOption, stringOption } from './shared/request-options';

/** Stability AI Stable Diffusion 3.5 through the v2beta Stable Image API (REFERENCE.md §10). */
const models = [
  { id: 'sd3.5-large', name: 'Stable Diffusion 3.5 Large', description: 'Best quality and prompt adherence.' },
  { id: 'sd3.5-large-turbo', name: 'Stable Diffusion 3.5 Large Turbo', description: 'Large in a few steps: fast, no negative prompt.' },
  { id: 'sd3.5-medium', name: 'Stable Diffusion 3.5 Medium', description: 'Smaller and cheaper.' },
];
const defaultModel = 'sd3.5-large';

/** About one megapixel at each aspect ratio the API takes. */
const sizes: Record<string, [number, number]> = {
  '1:1': [1024, 1024],
  '16:9': [1344, 768],
  '21:9': [1536, 640],
  '2:3': [832, 1216],
  '3:2': [1216, 832],
  '4:5': [896, 1088],
  '5:4': [1088, 896],
  '9:16': [768, 1344],
  '9:21': [640, 1536],
};

const stylePresets = [
  '3d-model',
  'analog-film',
  'anime',
  'cinematic',
  'comic-book',
  'digital-art',
  'enhance',
  'fantasy-art',
  'isometric',
  'line-art',
  'low-poly',
  'modeling-compound',
  'neon-punk',
  'origami',
  'photographic',
  'pixel-art',
  'tile-texture',
];

// Credits per image: 6.5 / 4 / 3.5 Stability credits (USD 0.01 each), rounded up to whole credits
// (third-party guide, UNCONFIRMED in REFERENCE.md §10).
const usdPerImage: Record<string, number> = { 'sd3.5-large': 0.065, 'sd3.5-large-turbo': 0.04, 'sd3.5-medium': 0.035 };

export const stableDiffusion: CatalogEntry = {
  id: 'stable-diffusion',
  name: 'Stable Diffusion',
  description:
    'The industry-standard open model family, Stable Diffusion 3.5, with deep customisation: negative prompts, guidance, style presets and image-to-image.',
  types: ['IMAGE'],
  models,
  defaultModel,
  features: [
    'Negative prompts and guidance scale',
    'Seventeen style presets',
    'Image-to-image from input.image with adjustable strength',
    'Nine aspect ratios, reproducible seeds',
    'Synchronous: the image comes back in the create call',
  ],
  limitations: [
    'About one megapixel (1024x1024 at 1:1)',
    'Large Turbo ignores negative prompts',
    'Image-to-image keeps the input image’s shape: aspectRatio applies to text-to-image only',
    'input.image must be a data: URL (the API takes the file itself)',
    'Style preset support on SD 3.5 is not documented',
  ],
  inputs: { IMAGE: { text: 'required', image: 'optional', negativePrompt: 'optional' } },
  options: [
    modelOption(models, defaultModel, 'Stable Diffusion 3.5 variant. Default sd3.5-large.'),
    aspectRatioOption(Object.keys(sizes), '1:1', 'Output shape for text-to-image.'),
    seedOption(4294967294, 'Seed for reproducible output, 0 to 4294967294 (0 = random).'),
    { name: 'cfgScale', type: 'number', description: 'How strictly to follow the prompt, 1 to 10.', minimum: 1, maximum: 10 },
    choiceOption('stylePreset', stylePresets, undefined, 'A look preset sent to Stability as style_preset.'),
    {
      name: 'strength',
      type: 'number',
      description: 'Image-to-image only: how much to change input.image, 0 (keep) to 1 (replace).',
      minimum: 0,
      maximum: 1,
    },
  ],
  traits: { quality: 7, speed: 7, cost: 3 },
  strengths: {
    intents: { illustration: 3, 'image-editing': 2, photorealism: 1 },
    maxResolution: 1536,
  },
  maxJobTime: 120,
  cancellation: {
    refundAfterAcceptance: false,
    note: 'Stability answers within the create call: there is nothing to cancel once it is sent.',
  },
  synchronous: true,
  check(request) {
    const linked = linkedImageProblem(request, 'Stable Diffusion');
    if (linked) return linked;
    if (request.input.image && numberOption(request, 'strength') === undefined) {
      return 'Image-to-image (input.image) needs options.strength, 0 to 1.';
    }
    return undefined;
  },
  price(request) {
    const model = modelOf(request, defaultModel);
    const estimatedTime = model === 'sd3.5-large-turbo' ? 3 : model === 'sd3.5-medium' ? 5 : 8;
    return { creditCost: credits(usdPerImage[model] ?? 0.065), estimatedTime };
  },
  plan(request) {
    const [width, height] = sizes[stringOption(request, 'aspectRatio') ?? '1:1'] ?? [1024, 1024];
    return { kind: 'image', wireModel: modelOf(request, defaultModel), width, height, adjustments: [] };
  },
};
