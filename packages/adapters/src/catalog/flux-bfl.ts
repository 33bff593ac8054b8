import type { OptionSpec } from '@doitong/core';
import type { CatalogEntry, OutputPlan } from './entry';
import { credits } from './shared/credits';
import { imageSize } from './shared/dimensions';
import { linkedImageProblem } from './shared/inline-image';
import { aspectRatioOption, choiceOption, modelOption, seedOption } from './shared/options';
import { modelOf, stringOption } from './shared/request-options';

/**
 * The Flux models served by Black Forest Labs' own API (REFERENCE.md §9): FLUX.1 [pro]/[dev],
 * FLUX1.1 [pro], FLUX1.1 [pro] Ultra and FLUX.1 Kontext. Prices are the official ones in §9.4
 * (1 BFL credit = USD 0.01, like ours) except where marked UNCONFIRMED.
 */

const bflOptions: OptionSpec[] = [
  seedOption(4294967295),
  { name: 'promptUpsampling', type: 'boolean', description: 'Let BFL expand the prompt for more detail.', default: false },
  {
    name: 'safetyTolerance',
    type: 'integer',
    description: 'Moderation strictness from 0 (strictest) to 6 (most permissive).',
    minimum: 0,
    maximum: 6,
    default: 2,
  },
];

const bflCancellation = {
  refundAfterAcceptance: false,
  note: 'BFL has no cancel endpoint: an accepted task runs and is billed.',
};

const bflLimitations = [
  'Result links expire after about 10 minutes (Doitong copies the image before completing)',
  'No cancel once submitted',
  'Prompts or images flagged by moderation fail without an image',
];

/** Ratios that FLUX.1 and 1.1 [pro] make from width/height (multiples of 32, at most 1440). */
const widthHeightRatios = ['1:1', '4:3', '3:4', '16:9', '9:16', '3:2', '2:3', '21:9', '9:21'];
/** Ratios of the aspect_ratio field (Ultra, Kontext): anything from 21:9 to 9:21; these are the common ones. */
const aspectRatios = ['21:9', '16:9', '3:2', '4:3', '1:1', '3:4', '2:3', '9:16', '9:21'];

/** About one megapixel, sides multiples of 32, no side over 1440 (the API's limits). */
function megapixelSize(aspectRatio: string): { width: number; height: number } {
  const size = imageSize(aspectRatio, 1, 32);
  const scale = Math.min(1, 1440 / Math.max(size.width, size.height));
  return { width: Math.floor((size.width * scale) / 32) * 32, height: Math.floor((size.height * scale) / 32) * 32 };
}

function imagePlan(wireModel: string, size: { width: number; height: number }): OutputPlan {
  return { kind: 'image', wireModel, ...size, adjustments: [] };
}

const proModels = [
  { id: 'flux-pro', name: 'FLUX.1 [pro]', description: 'Professional quality with fine control of steps and guidance.' },
  { id: 'flux-dev', name: 'FLUX.1 [dev]', description: 'Open-weight sibling of [pro]: cheaper, slightly less detail.' },
];

export const fluxPro: CatalogEntry = {
  id: 'flux-pro',
  name: 'FLUX.1 Pro',
  description:
    'Professional image generation with enhanced detail and artistic control: FLUX.1 [pro] and [dev] with adjustable steps and guidance. Excellent stability.',
  types: ['IMAGE'],
  models: proModels,
  defaultModel: 'flux-pro',
  features: ['Adjustable inference steps and guidance', 'Nine aspect ratios up to 1440 px', 'Reproducible seeds', 'Prompt upsampling'],
  limitations: ['About one megapixel; no side over 1440 px', ...bflLimitations],
  inputs: { IMAGE: { text: 'required', image: 'unsupported', negativePrompt: 'unsupported' } },
  options: [
    modelOption(proModels, 'flux-pro', 'flux-pro (FLUX.1 [pro]) or flux-dev (FLUX.1 [dev]). Default flux-pro.'),
    aspectRatioOption(widthHeightRatios, '4:3', 'Sent as width and height, about one megapixel in multiples of 32 (4:3 is 1152x864).'),
    { name: 'steps', type: 'integer', description: 'Inference steps, 1 to 50 (API default: 40 for pro, 28 for dev).', minimum: 1, maximum: 50 },
    { name: 'guidance', type: 'number', description: 'Prompt guidance, 1.5 to 5 (API default: 2.5 for pro, 3 for dev).', minimum: 1.5, maximum: 5 },
    ...bflOptions,
  ],
  traits: { quality: 8, speed: 7, cost: 4 },
  strengths: {
    intents: { photorealism: 2, illustration: 1, portrait: 1 },
    maxResolution: 1440,
  },
  maxJobTime: 300,
  cancellation: bflCancellation,
  synchronous: false,
  // FLUX.1 [pro] USD 0.05 and [dev] USD 0.025: BFL's price page, UNCONFIRMED in REFERENCE.md §9.4.
  price: (request) => ({ creditCost: credits(modelOf(request, 'flux-pro') === 'flux-dev' ? 0.025 : 0.05), estimatedTime: 8 }),
  plan: (request) => imagePlan(modelOf(request, 'flux-pro'), megapixelSize(stringOption(request, 'aspectRatio') ?? '4:3')),
};

export const flux11Pro: CatalogEntry = {
  id: 'flux-1.1-pro',
  name: 'FLUX1.1 Pro',
  description: 'Enhanced FLUX with improved prompt understanding, better composition and faster generation than FLUX.1 [pro].',
  types: ['IMAGE'],
  models: [{ id: 'flux-pro-1.1', name: 'FLUX1.1 [pro]', description: 'Fast, high-quality text-to-image.' }],
  defaultModel: 'flux-pro-1.1',
  features: [
    'Better prompt following and composition',
    'About 5 seconds per image',
    'Image prompt (input.image) for Redux-style variation',
    'Reproducible seeds',
  ],
  limitations: ['About one megapixel; no side over 1440 px', ...bflLimitations],
  inputs: { IMAGE: { text: 'required', image: 'optional', negativePrompt: 'unsupported' } },
  options: [aspectRatioOption(widthHeightRatios, '4:3', 'Sent as width and height, about one megapixel in multiples of 32 (4:3 is 1152x864).'), ...bflOptions],
  traits: { quality: 8, speed: 9, cost: 3 },
  strengths: {
    intents: { photorealism: 2, portrait: 2, product: 1, 'image-editing': 1 },
    maxResolution: 1440,
  },
  maxJobTime: 300,
  cancellation: bflCancellation,
  synchronous: false,
  // image_prompt takes base64 only (docs.bfl.ai, flux-pro-1.1 reference): a link is refused up front.
  check: (request) => linkedImageProblem(request, 'FLUX1.1 [pro]'),
  price: () => ({ creditCost: credits(0.04), estimatedTime: 5 }),
  plan: (request) => imagePlan('flux-pro-1.1', megapixelSize(stringOption(request, 'aspectRatio') ?? '4:3')),
};

/**
 * FLUX1.1 [pro] Ultra output sizes (about 4 megapixels). 1:1 and 16:9 are BFL's published sizes;
 * the others keep the same pixel count and are UNCONFIRMED.
 */
const ultraSizes: Record<string, [number, number]> = {
  '21:9': [3136, 1344],
  '16:9': [2752, 1536],
  '3:2': [2496, 1664],
  '4:3': [2368, 1792],
  '1:1': [2048, 2048],
  '3:4': [1792, 2368],
  '2:3': [1664, 2496],
  '9:16': [1536, 2752],
  '9:21': [1344, 3136],
};

export const fluxUltra: CatalogEntry = {
  id: 'flux-ultra',
  name: 'FLUX1.1 Pro Ultra',
  description: 'Maximum-quality image generation: ultra-high detail at about 4 megapixels, for the most demanding projects.',
  types: ['IMAGE'],
  models: [{ id: 'flux-pro-1.1-ultra', name: 'FLUX1.1 [pro] Ultra', description: 'Four-megapixel images with a raw mode.' }],
  defaultModel: 'flux-pro-1.1-ultra',
  features: [
    'About 4 megapixels (2752x1536 at 16:9)',
    'quality "raw" for a less processed, more natural photographic look',
    'Image prompt (input.image, a data: URL) with adjustable strength',
    'Aspect ratios from 21:9 to 9:21',
  ],
  limitations: ['Slower than FLUX1.1 [pro] (about 10 s)', ...bflLimitations],
  inputs: { IMAGE: { text: 'required', image: 'optional', negativePrompt: 'unsupported' } },
  options: [
    aspectRatioOption(Object.keys(ultraSizes), '16:9'),
    choiceOption('quality', ['ultra', 'raw'], 'ultra', 'ultra: polished maximum detail; raw: natural, less processed look (the API’s raw mode).'),
    {
      name: 'imagePromptStrength',
      type: 'number',
      description: 'How strongly input.image steers the result, 0 to 1.',
      minimum: 0,
      maximum: 1,
      default: 0.1,
    },
    ...bflOptions,
  ],
  traits: { quality: 10, speed: 6, cost: 5 },
  strengths: {
    intents: { photorealism: 3, portrait: 3, 'high-resolution': 3, product: 2, 'image-editing': 1 },
    maxResolution: 1536,
  },
  maxJobTime: 300,
  cancellation: bflCancellation,
  synchronous: false,
  check: (request) => linkedImageProblem(request, 'FLUX1.1 [pro] Ultra'),
  price: () => ({ creditCost: credits(0.06), estimatedTime: 10 }),
  plan(request) {
    const [width, height] = ultraSizes[stringOption(request, 'aspectRatio') ?? '16:9'] ?? [2752, 1536];
    return imagePlan('flux-pro-1.1-ultra', { width, height });
  },
};

const kontextModels = [
  { id: 'flux-kontext-pro', name: 'FLUX.1 Kontext [pro]', description: 'Context-aware generation and editing.' },
  { id: 'flux-kontext-max', name: 'FLUX.1 Kontext [max]', description: 'Highest prompt adherence and typography.' },
];

export const fluxKontext: CatalogEntry = {
  id: 'flux-kontext',
  name: 'FLUX.1 Kontext',
  description:
    'Context-aware generation with Pro and Max modes: edit or restyle an input image with a prompt, or generate from text, keeping characters and styles consistent.',
  types: ['IMAGE'],
  models: kontextModels,
  defaultModel: 'flux-kontext-pro',
  features: [
    'Edits input.image by instruction ("make it night", "change the text")',
    'Keeps characters and style consistent across edits',
    'Pro and Max modes (model flux-kontext-pro or flux-kontext-max)',
    'Aspect ratios from 21:9 to 9:21',
  ],
  limitations: ['About one megapixel', 'Kontext [max] runs at most 6 jobs at once per account', ...bflLimitations],
  inputs: { IMAGE: { text: 'required', image: 'optional', negativePrompt: 'unsupported' } },
  options: [
    modelOption(kontextModels, 'flux-kontext-pro', 'flux-kontext-pro (Pro mode) or flux-kontext-max (Max mode). Default flux-kontext-pro.'),
    aspectRatioOption(aspectRatios, '1:1', 'Output shape; with input.image, defaults to the image’s shape at the provider.'),
    ...bflOptions,
  ],
  traits: { quality: 9, speed: 7, cost: 5 },
  strengths: {
    intents: { 'image-editing': 3, 'text-in-image': 2, portrait: 1, product: 1 },
    textLanguages: ['en'],
    maxResolution: 1440,
  },
  maxJobTime: 300,
  cancellation: bflCancellation,
  synchronous: false,
  price: (request) => {
    const max = modelOf(request, 'flux-kontext-pro') === 'flux-kontext-max';
    return { creditCost: credits(max ? 0.08 : 0.04), estimatedTime: max ? 10 : 6 };
  },
  plan: (request) => imagePlan(modelOf(request, 'flux-kontext-pro'), imageSize(stringOption(request, 'aspectRatio') ?? '1:1', 1.05, 64)),
};
