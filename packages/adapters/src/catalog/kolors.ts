import type { CatalogEntry } from './entry';
import { credits } from './shared/credits';
import { imageSize } from './shared/dimensions';
import { aspectRatioOption, choiceOption, modelOption } from './shared/options';
import { modelOf, stringOption } from './shared/request-options';

/** Kling's image generation, Kolors (REFERENCE.md §1A): same task API, auth and statuses as Kling video. */
const models = [
  { id: 'kling-v2-1', name: 'Kolors 2.1', description: 'Newest Kolors: 1k or 2k, strong style control.' },
  { id: 'kling-v2', name: 'Kolors 2.0', description: 'Richer styles and composition.' },
  { id: 'kling-v1-5', name: 'Kolors 1.5', description: 'Subject or face reference from input.image.' },
  { id: 'kling-v1', name: 'Kolors 1.0', description: 'The first Kolors model.' },
];
const defaultModel = 'kling-v2-1';

// Kling image units per image: 0.25 for 1.x, 0.5 for 2.x, doubled at 2k, at about USD 0.14 a unit
// (both UNCONFIRMED in REFERENCE.md §1.7 and §1A).
const unitsPerImage: Record<string, number> = { 'kling-v1': 0.25, 'kling-v1-5': 0.25, 'kling-v2': 0.5, 'kling-v2-1': 0.5 };

export const kolors: CatalogEntry = {
  id: 'kolors',
  name: 'Kolors',
  description: "Kuaishou's Kolors, an advanced Chinese image model with excellent artistic understanding, style control and Chinese text rendering.",
  types: ['IMAGE'],
  models,
  defaultModel,
  features: [
    'Strong artistic style control',
    'Eight aspect ratios from 21:9 to 9:16',
    'Reference images (input.image) with adjustable fidelity; face or subject reference on Kolors 1.5',
    '2k output on the 2.x models',
  ],
  limitations: [
    'imageReference (subject/face) works with kling-v1-5 only',
    '2k applies to the 2.x models; 1.x renders 1k',
    'No cancel endpoint; exact output sizes are not documented (about 1 or 4 megapixels)',
  ],
  inputs: { IMAGE: { text: 'required', image: 'optional', negativePrompt: 'optional' } },
  options: [
    modelOption(models, defaultModel, 'Kolors version (Kling model_name). Default kling-v2-1.'),
    aspectRatioOption(['16:9', '9:16', '1:1', '4:3', '3:4', '3:2', '2:3', '21:9'], '16:9'),
    choiceOption('resolution', ['1k', '2k'], '1k', 'Output size: 1k (about 1 megapixel) or 2k (about 4), 2.x models.'),
    {
      name: 'imageFidelity',
      type: 'number',
      description: 'How closely to follow input.image, 0 to 1.',
      minimum: 0,
      maximum: 1,
      default: 0.5,
    },
    choiceOption('imageReference', ['subject', 'face'], undefined, 'What input.image is a reference for (kling-v1-5 only).'),
  ],
  traits: { quality: 7, speed: 6, cost: 3 },
  strengths: {
    intents: { illustration: 2, portrait: 2, 'text-in-image': 1, 'image-editing': 1, photorealism: 1 },
    textLanguages: ['zh'],
    maxResolution: 2048,
  },
  maxJobTime: 600,
  cancellation: {
    refundAfterAcceptance: false,
    note: 'Kling has no cancel endpoint: an accepted image task runs and its units are deducted.',
  },
  synchronous: false,
  check(request) {
    if (stringOption(request, 'imageReference') !== undefined && modelOf(request, defaultModel) !== 'kling-v1-5') {
      return 'imageReference works with kling-v1-5 only.';
    }
    return undefined;
  },
  price(request) {
    const model = modelOf(request, defaultModel);
    const twoK = stringOption(request, 'resolution') === '2k' && model.startsWith('kling-v2');
    return { creditCost: credits((unitsPerImage[model] ?? 0.5) * (twoK ? 2 : 1) * 0.14), estimatedTime: 20 };
  },
  plan(request) {
    const model = modelOf(request, defaultModel);
    const asked = stringOption(request, 'resolution') ?? '1k';
    const twoK = asked === '2k' && model.startsWith('kling-v2');
    return {
      kind: 'image',
      wireModel: model,
      ...imageSize(stringOption(request, 'aspectRatio') ?? '16:9', twoK ? 4 : 1, 64),
      adjustments: asked === '2k' && !twoK ? [`${model} renders 1k only.`] : [],
    };
  },
};
