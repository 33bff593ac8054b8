import type { CatalogEntry } from './entry';
import { credits } from './shared/credits';
import { aspectRatioOption, choiceOption, modelOption, seedOption } from './shared/options';
import { modelOf, stringOption } from './shared/request-options';

/** ByteDance Seedream on BytePlus ModelArk, synchronous images (REFERENCE.md §11). */
const models = [
  { id: 'seedream-4-0-250828', name: 'Seedream 4.0', description: 'Generation and editing up to 4K, with reference images.' },
  { id: 'seedream-4-5-251128', name: 'Seedream 4.5', description: 'Newest: better typography and consistency.' },
  { id: 'seedream-3-0-t2i-250415', name: 'Seedream 3.0', description: 'Text-to-image at 1K with guidance control.' },
];
const defaultModel = 'seedream-4-0-250828';

/** Seedream's recommended 1K sizes per aspect ratio; 2K and 4K scale both sides (4.x only). */
const sizes1k: Record<string, [number, number]> = {
  '1:1': [1024, 1024],
  '4:3': [1152, 864],
  '3:4': [864, 1152],
  '16:9': [1280, 720],
  '9:16': [720, 1280],
  '3:2': [1248, 832],
  '2:3': [832, 1248],
  '21:9': [1512, 648],
};

// USD per image (BytePlus price list; UNCONFIRMED in REFERENCE.md §11, which has no prices).
const usdPerImage: Record<string, number> = {
  'seedream-3-0-t2i-250415': 0.03,
  'seedream-4-0-250828': 0.03,
  'seedream-4-5-251128': 0.04,
};

export const seedream: CatalogEntry = {
  id: 'seedream',
  name: 'Seedream',
  description:
    'An advanced Chinese image model from ByteDance with excellent artistic understanding and style control, strong at Chinese and English text in images.',
  types: ['IMAGE'],
  models,
  defaultModel,
  features: [
    'Strong style control and artistic understanding',
    'Bilingual (Chinese and English) text rendering',
    'Up to 4K with Seedream 4.x; reference images (input.image) for editing',
    'Synchronous: the image comes back in the create call',
  ],
  limitations: [
    'Seedream 3.0 renders 1K only and takes no input image',
    'guidanceScale applies to Seedream 3.0 only',
    'Output links expire after 24 hours (Doitong copies the image)',
  ],
  inputs: { IMAGE: { text: 'required', image: 'optional', negativePrompt: 'unsupported' } },
  options: [
    modelOption(models, defaultModel, 'Seedream version. Default seedream-4-0-250828.'),
    aspectRatioOption(Object.keys(sizes1k), '1:1'),
    choiceOption('imageSize', ['1K', '2K', '4K'], '1K', 'Output size (2K and 4K on Seedream 4.x).'),
    seedOption(2147483647),
    { name: 'guidanceScale', type: 'number', description: 'Prompt adherence, 1 to 10 (Seedream 3.0 only).', minimum: 1, maximum: 10 },
    { name: 'watermark', type: 'boolean', description: 'Add the "AI generated" watermark (the API’s own default is on).', default: false },
  ],
  traits: { quality: 8, speed: 7, cost: 3 },
  strengths: {
    intents: { 'text-in-image': 3, illustration: 2, 'high-resolution': 3, 'image-editing': 2, product: 2, photorealism: 1 },
    textLanguages: ['zh', 'en'],
    maxResolution: 4096,
  },
  maxJobTime: 120,
  cancellation: {
    refundAfterAcceptance: false,
    note: 'Seedream answers within the create call: there is nothing to cancel once it is sent.',
  },
  synchronous: true,
  check(request) {
    if (modelOf(request, defaultModel).startsWith('seedream-3') && request.input.image) {
      return 'Seedream 3.0 takes no input image: use seedream-4-0-250828.';
    }
    return undefined;
  },
  price: (request) => ({ creditCost: credits(usdPerImage[modelOf(request, defaultModel)] ?? 0.03), estimatedTime: 10 }),
  plan(request) {
    const model = modelOf(request, defaultModel);
    const asked = stringOption(request, 'imageSize') ?? '1K';
    const scale = model.startsWith('seedream-3') ? 1 : asked === '4K' ? 4 : asked === '2K' ? 2 : 1;
    const [width, height] = sizes1k[stringOption(request, 'aspectRatio') ?? '1:1'] ?? [1024, 1024];
    return {
      kind: 'image',
      wireModel: model,
      width: width * scale,
      height: height * scale,
      adjustments: scale === 1 && asked !== '1K' ? ['Seedream 3.0 renders 1K only.'] : [],
    };
  },
};
