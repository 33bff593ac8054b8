import type { GenerationRequest, ProviderModel } from '@doitong/core';
import type { CatalogEntry, OutputPlan } from './entry';
import { credits } from './shared/credits';
import { videoSize } from './shared/dimensions';
import { choiceOption, modelOption } from './shared/options';
import { modelOf, numberOption, stringOption } from './shared/request-options';
import { styleOption } from './shared/style';

/** MiniMax Hailuo video (REFERENCE.md §2): Hailuo-02 / 2.3 and the 01 series ("Hailuo I2V"). */
interface HailuoModel {
  model: ProviderModel;
  textToVideo: boolean;
  imageToVideo: boolean;
  /** 01-series models make 6 s at 720P whatever is asked. */
  fixed: boolean;
  /** USD per clip by resolution and duration (UNCONFIRMED: MiniMax's price page is not in REFERENCE.md). */
  usd: Record<'512p' | '768p' | '1080p', { 6: number; 10: number }>;
}

const hailuoPrices = { '512p': { 6: 0.1, 10: 0.15 }, '768p': { 6: 0.28, 10: 0.56 }, '1080p': { 6: 0.49, 10: 0.49 } };
const fastPrices = { '512p': { 6: 0.1, 10: 0.15 }, '768p': { 6: 0.19, 10: 0.32 }, '1080p': { 6: 0.33, 10: 0.33 } };
const seriesPrices = { '512p': { 6: 0.43, 10: 0.43 }, '768p': { 6: 0.43, 10: 0.43 }, '1080p': { 6: 0.43, 10: 0.43 } };

const hailuoModels: HailuoModel[] = [
  entry('MiniMax-Hailuo-02', 'Hailuo 02', 'Text- and image-to-video, 6 or 10 s, up to 1080P.', true, true, false, hailuoPrices),
  entry('MiniMax-Hailuo-2.3', 'Hailuo 2.3', 'Newest Hailuo: better motion and physics.', true, true, false, hailuoPrices),
  entry('MiniMax-Hailuo-2.3-Fast', 'Hailuo 2.3 Fast', 'Image-to-video only, faster and cheaper.', false, true, false, fastPrices),
  entry('I2V-01', 'Hailuo I2V-01', 'The original Hailuo image-to-video: 6 s at 720P.', false, true, true, seriesPrices),
  entry('I2V-01-live', 'Hailuo I2V-01 Live', 'Image-to-video tuned for illustrations and anime: 6 s at 720P.', false, true, true, seriesPrices),
  entry('T2V-01-Director', 'Hailuo T2V-01 Director', 'Text-to-video with precise camera commands: 6 s at 720P.', true, false, true, seriesPrices),
];

const models = hailuoModels.map((item) => item.model);
const defaultModel = 'MiniMax-Hailuo-02';

/** Camera commands: the adapter appends `[Push in]` etc. to the prompt, where Hailuo-02/2.3 and Director read them. */
export const cameraCommands: Record<string, string> = {
  truck_left: 'Truck left',
  truck_right: 'Truck right',
  pan_left: 'Pan left',
  pan_right: 'Pan right',
  push_in: 'Push in',
  pull_out: 'Pull out',
  pedestal_up: 'Pedestal up',
  pedestal_down: 'Pedestal down',
  tilt_up: 'Tilt up',
  tilt_down: 'Tilt down',
  zoom_in: 'Zoom in',
  zoom_out: 'Zoom out',
  shake: 'Shake',
  tracking_shot: 'Tracking shot',
  static_shot: 'Static shot',
};

export const minimax: CatalogEntry = {
  id: 'minimax',
  name: 'MiniMax Hailuo',
  description:
    'MiniMax Hailuo video generation with strong scene understanding and natural motion: Hailuo-02, Hailuo 2.3 and the Hailuo I2V models, from text or from an image.',
  types: ['VIDEO'],
  models,
  defaultModel,
  features: [
    'Hailuo-02 and Hailuo 2.3: 6 or 10 second clips at 768P, 6 seconds at 1080P',
    'Hailuo I2V models animate a still image (input.image)',
    'Camera commands (push in, pan, tracking shot…) and style presets',
    'Prompt optimiser on by default',
  ],
  limitations: [
    '10 second clips are not available at 1080P: a 10 s request at 1080p is rendered at 768P (the true resolution is in the output metadata)',
    'The 01-series models (I2V-01, I2V-01-live, T2V-01-Director) always make 6 s at 720P',
    '512P exists only for image-to-video with Hailuo-02; text-to-video at 512p is rendered at 768P',
    'MiniMax-Hailuo-2.3-Fast and the I2V models need input.image; T2V-01-Director takes no image',
    'Text-to-video output is 16:9; image-to-video follows the image',
    'No cancel endpoint: an accepted task runs and is billed',
  ],
  inputs: {
    VIDEO: { text: 'optional', image: 'optional' },
  },
  options: [
    modelOption(models, defaultModel, 'Hailuo model. Default MiniMax-Hailuo-02.'),
    choiceOption('duration', [6, 10], 6, 'Clip length in seconds: 6 or 10 (10 s renders at up to 768P).'),
    choiceOption(
      'resolution',
      ['512p', '720p', '768p', '1080p'],
      '768p',
      'Output resolution. Hailuo models: 768p or 1080p (512p for image-to-video); 01-series: 720p.',
    ),
    styleOption(),
    choiceOption('cameraMovement', Object.keys(cameraCommands), undefined, 'A camera command added to the prompt (Hailuo-02, 2.3 and Director models).'),
    { name: 'promptOptimizer', type: 'boolean', description: 'Let MiniMax rewrite the prompt for better results.', default: true },
  ],
  traits: { quality: 8, speed: 4, cost: 4 },
  strengths: {
    intents: { dance: 2, 'several-people': 1, 'camera-motion': 3, photorealism: 2, illustration: 2, 'long-clip': 2, 'high-resolution': 1 },
    maxSeconds: 10,
    maxResolution: 1080,
  },
  // The official MiniMax MCP server waits up to 20 minutes for Hailuo-02 (REFERENCE.md §2.5).
  maxJobTime: 1200,
  cancellation: {
    refundAfterAcceptance: false,
    note: 'MiniMax has no cancel endpoint: an accepted task runs and is billed.',
  },
  synchronous: false,
  check(request) {
    const item = modelInfo(request);
    if (!item.textToVideo && !request.input.image) return `${item.model.id} is image-to-video only: add input.image.`;
    if (!item.imageToVideo && request.input.image) return `${item.model.id} is text-to-video only: remove input.image or choose MiniMax-Hailuo-02.`;
    if (!request.input.text && !request.input.image) return 'MiniMax needs input.text or input.image.';
    return undefined;
  },
  price(request) {
    const { resolution, duration } = delivered(request);
    const item = modelInfo(request);
    const usd = item.usd[resolution === '720p' ? '768p' : resolution][duration];
    const estimatedTime = item.fixed ? 180 : resolution === '1080p' ? 420 : duration === 10 ? 360 : 240;
    return { creditCost: credits(usd), estimatedTime };
  },
  plan(request): OutputPlan {
    const { resolution, duration, adjustments } = delivered(request);
    return {
      kind: 'video',
      wireModel: modelInfo(request).model.id,
      ...videoSize(resolution, '16:9'),
      duration,
      fps: 24,
      hasAudio: false,
      adjustments,
    };
  },
};

/** The resolution and length MiniMax will really deliver for what was asked. */
function delivered(request: GenerationRequest): {
  resolution: '512p' | '720p' | '768p' | '1080p';
  duration: 6 | 10;
  adjustments: string[];
} {
  const item = modelInfo(request);
  const askedResolution = stringOption(request, 'resolution') ?? '768p';
  const askedDuration = numberOption(request, 'duration') === 10 ? 10 : 6;
  const adjustments: string[] = [];
  if (item.fixed) {
    if (askedDuration !== 6 || askedResolution !== '720p') {
      adjustments.push(`${item.model.id} always makes 6 s at 720P.`);
    }
    return { resolution: '720p', duration: 6, adjustments };
  }
  let resolution: '512p' | '768p' | '1080p' = askedResolution === '1080p' ? '1080p' : askedResolution === '512p' ? '512p' : '768p';
  if (askedResolution === '720p') adjustments.push('Hailuo models have no 720P: rendered at 768P.');
  if (resolution === '512p' && !(request.input.image && item.model.id === 'MiniMax-Hailuo-02')) {
    adjustments.push('512P exists only for Hailuo-02 image-to-video: rendered at 768P.');
    resolution = '768p';
  }
  if (resolution === '1080p' && askedDuration === 10) {
    adjustments.push('10 s is not available at 1080P: rendered at 768P.');
    resolution = '768p';
  }
  return { resolution, duration: askedDuration, adjustments };
}

function modelInfo(request: GenerationRequest): HailuoModel {
  const id = modelOf(request, defaultModel);
  return hailuoModels.find((item) => item.model.id === id) ?? (hailuoModels[0] as HailuoModel);
}

function entry(
  id: string,
  name: string,
  description: string,
  textToVideo: boolean,
  imageToVideo: boolean,
  fixed: boolean,
  usd: HailuoModel['usd'],
): HailuoModel {
  return { model: { id, name, description }, textToVideo, imageToVideo, fixed, usd };
}
