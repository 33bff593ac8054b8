import type { GenerationRequest } from '@doitong/core';
import type { CatalogEntry, OutputPlan } from './entry';
import { credits } from './shared/credits';
import { resolutionHeight, videoSize } from './shared/dimensions';
import { aspectRatioOption, choiceOption, modelOption } from './shared/options';
import { modelOf, numberOption, stringOption } from './shared/request-options';
import { styleOption } from './shared/style';

/** Luma Dream Machine (REFERENCE.md §5): Ray 2, Ray Flash 2 and the older Ray 1.6. */
const models = [
  { id: 'ray-2', name: 'Ray 2', description: 'Luma’s flagship: coherent, artistic motion; 5 or 9 s up to 4K.' },
  { id: 'ray-flash-2', name: 'Ray Flash 2', description: 'Ray 2 at a third of the price and about twice the speed.' },
  { id: 'ray-1-6', name: 'Ray 1.6', description: 'The original Dream Machine model: 5 s at 720p.' },
];
const defaultModel = 'ray-2';

// USD per second at 720p, scaled by pixel count for other resolutions (Luma's API price list;
// UNCONFIRMED in REFERENCE.md §5, which has no prices).
const usdPerSecondAt720p: Record<string, number> = { 'ray-2': 0.142, 'ray-flash-2': 0.048, 'ray-1-6': 0.064 };

export const luma: CatalogEntry = {
  id: 'luma',
  name: 'Luma Dream Machine',
  description: 'Luma Dream Machine: artistic, surreal and creative video with a distinctive look, from text or from a keyframe image.',
  types: ['VIDEO'],
  models,
  defaultModel,
  features: [
    'Ray 2: 5 or 9 second clips from 540p to 4K',
    'Seven frame shapes from 21:9 to 9:21',
    'Seamless loops',
    'Image-to-video: input.image becomes the first keyframe',
    'Style presets',
  ],
  limitations: [
    'Clip length is 5 or 9 seconds only',
    'Ray 1.6 makes 5 s at 720p whatever is asked',
    '4K is expensive (nine times 720p) and slow',
    'Deleting a running generation is possible, but a refund is not documented',
  ],
  inputs: {
    VIDEO: { text: 'optional', image: 'optional' },
  },
  options: [
    modelOption(models, defaultModel, 'Luma model. Default ray-2.'),
    choiceOption('duration', [5, 9], 5, 'Clip length in seconds: 5 or 9.'),
    choiceOption('resolution', ['540p', '720p', '1080p', '4k'], '720p', 'Output resolution.'),
    aspectRatioOption(['16:9', '9:16', '1:1', '4:3', '3:4', '21:9', '9:21'], '16:9'),
    { name: 'loop', type: 'boolean', description: 'Make the last frame flow back into the first.', default: false },
    styleOption(),
  ],
  traits: { quality: 8, speed: 6, cost: 6 },
  strengths: {
    intents: { illustration: 2, 'camera-motion': 2, 'high-resolution': 3, 'long-clip': 1, photorealism: 1 },
    maxSeconds: 9,
    maxResolution: 2160,
  },
  maxJobTime: 900,
  cancellation: {
    refundAfterAcceptance: false,
    note: 'DELETE /generations/{id} removes a generation; Luma documents no refund for it.',
  },
  synchronous: false,
  check(request) {
    return request.input.text || request.input.image ? undefined : 'Luma needs input.text or input.image.';
  },
  price(request) {
    const model = modelOf(request, defaultModel);
    const { duration, resolution } = delivered(request);
    const pixels = (resolutionHeight(resolution) / 720) ** 2;
    const estimatedTime = Math.round((model === 'ray-flash-2' ? 45 : 90) * Math.max(1, pixels) * (duration / 5));
    return { creditCost: credits((usdPerSecondAt720p[model] ?? 0.142) * pixels * duration), estimatedTime };
  },
  plan(request): OutputPlan {
    const { duration, resolution, adjustments } = delivered(request);
    return {
      kind: 'video',
      wireModel: modelOf(request, defaultModel),
      ...videoSize(resolution, stringOption(request, 'aspectRatio') ?? '16:9'),
      duration,
      fps: 24,
      hasAudio: false,
      adjustments,
    };
  },
};

function delivered(request: GenerationRequest): { duration: number; resolution: string; adjustments: string[] } {
  const duration = numberOption(request, 'duration') ?? 5;
  const resolution = stringOption(request, 'resolution') ?? '720p';
  if (modelOf(request, defaultModel) !== 'ray-1-6') return { duration, resolution, adjustments: [] };
  const adjustments = duration !== 5 || resolution !== '720p' ? ['Ray 1.6 makes 5 s at 720p.'] : [];
  return { duration: 5, resolution: '720p', adjustments };
}
