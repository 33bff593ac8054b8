import type { CatalogEntry, OutputPlan } from './entry';
import { credits } from './shared/credits';
import { aspectRatioOption, choiceOption, modelOption } from './shared/options';
import { modelOf, stringOption } from './shared/request-options';

/** Google Imagen through the Gemini API's synchronous predict (REFERENCE.md §8). */
const models = [
  { id: 'imagen-4.0-generate-001', name: 'Imagen 4', description: 'Photorealism and strong prompt adherence, 1K or 2K.' },
  { id: 'imagen-4.0-ultra-generate-001', name: 'Imagen 4 Ultra', description: 'Highest detail and text rendering.' },
  { id: 'imagen-4.0-fast-generate-001', name: 'Imagen 4 Fast', description: 'Lower latency and price, 1K.' },
  { id: 'imagen-3.0-generate-002', name: 'Imagen 3', description: 'Previous generation, 1K.' },
];
const defaultModel = 'imagen-4.0-generate-001';

/** Imagen's output sizes at 1K; 2K doubles both sides. */
const sizes1k: Record<string, [number, number]> = {
  '1:1': [1024, 1024],
  '3:4': [896, 1280],
  '4:3': [1280, 896],
  '9:16': [768, 1408],
  '16:9': [1408, 768],
};

// USD per image (Google's price list; UNCONFIRMED in REFERENCE.md §8, as are the Ultra/Fast model names).
const usdPerImage: Record<string, number> = {
  'imagen-4.0-generate-001': 0.04,
  'imagen-4.0-ultra-generate-001': 0.06,
  'imagen-4.0-fast-generate-001': 0.02,
  'imagen-3.0-generate-002': 0.03,
};

export const imagen: CatalogEntry = {
  id: 'imagen',
  name: 'Google Imagen',
  description:
    "Google's most advanced image model, with photorealistic quality and exceptional prompt adherence. Several sub-models: Imagen 4, 4 Ultra, 4 Fast and Imagen 3.",
  types: ['IMAGE'],
  models,
  defaultModel,
  features: [
    'Photorealistic images with accurate text rendering',
    'Sub-models for quality (Ultra), speed (Fast) and balance (Imagen 4)',
    'Five aspect ratios; 2K output on Imagen 4 and 4 Ultra',
    'Synchronous: the image comes back in the create call',
    'SynthID watermark and safety filtering built in',
  ],
  limitations: [
    'No seed, negative prompt or input image on the Gemini API (Vertex only)',
    '2K applies to Imagen 4 and Imagen 4 Ultra; the others render 1K',
    'Prompts that trip the safety filter fail with no image and are not billed',
    'People may be restricted by region (personGeneration)',
  ],
  inputs: {
    IMAGE: { text: 'required', image: 'unsupported', negativePrompt: 'unsupported' },
  },
  options: [
    modelOption(models, defaultModel, 'Imagen sub-model. Default imagen-4.0-generate-001.'),
    aspectRatioOption(Object.keys(sizes1k), '1:1'),
    choiceOption('imageSize', ['1K', '2K'], '1K', 'Output size: 1K (about 1 megapixel) or 2K (about 4).'),
    choiceOption('personGeneration', ['dont_allow', 'allow_adult', 'allow_all'], undefined, 'Whether people may appear.'),
  ],
  traits: { quality: 9, speed: 7, cost: 4 },
  strengths: {
    intents: { photorealism: 3, 'text-in-image': 2, portrait: 2, product: 2, 'high-resolution': 2 },
    textLanguages: ['en'],
    maxResolution: 2048,
  },
  maxJobTime: 120,
  cancellation: {
    refundAfterAcceptance: false,
    note: 'Imagen answers within the create call: there is nothing to cancel once it is sent.',
  },
  synchronous: true,
  price(request) {
    const model = modelOf(request, defaultModel);
    const estimatedTime = model.includes('fast') ? 4 : model.includes('ultra') ? 15 : 8;
    return { creditCost: credits(usdPerImage[model] ?? 0.04), estimatedTime };
  },
  plan(request): OutputPlan {
    const model = modelOf(request, defaultModel);
    const twoK = stringOption(request, 'imageSize') === '2K';
    const supports2k = model === 'imagen-4.0-generate-001' || model === 'imagen-4.0-ultra-generate-001';
    const [width, height] = sizes1k[stringOption(request, 'aspectRatio') ?? '1:1'] ?? [1024, 1024];
    const scale = twoK && supports2k ? 2 : 1;
    return {
      kind: 'image',
      wireModel: model,
      width: width * scale,
      height: height * scale,
      adjustments: twoK && !supports2k ? [`${model} renders 1K only.`] : [],
    };
  },
};
