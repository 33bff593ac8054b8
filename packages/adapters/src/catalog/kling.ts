import type { GenerationRequest, ProviderModel } from '@doitong/core';
import type { CatalogEntry, OutputPlan } from './entry';
import { credits } from './shared/credits';
import { videoSize } from './shared/dimensions';
import { aspectRatioOption, choiceOption, durationOption, modelOption } from './shared/options';
import { modelOf, numberOption, stringOption } from './shared/request-options';
import { styleOption } from './shared/style';

/**
 * Kling's classic (legacy-design) video API, versions 1.0 to 2.1: REFERENCE.md §1.
 * Per-version facts the API never returns (size, fps) come from Kling's capability map.
 */
interface KlingVersion {
  model: ProviderModel;
  textToVideo: boolean;
  /** Short side of the output in `pro` mode (std is 720p everywhere). */
  proHeight: number;
  /** Master models have one tier: `mode` changes neither price nor output. */
  master: boolean;
  /** Resource-pack units for a 5 s clip in std / pro. */
  units: { std: number; pro: number };
  fps: number;
}

const versions: KlingVersion[] = [
  version('kling-v1', 'Kling 1.0', 'The first release: 720p in both modes.', true, 720, false, 1, 3.5, 30),
  version('kling-v1-5', 'Kling 1.5', 'Image-to-video only; 1080p in pro mode.', false, 1080, false, 2, 3.5, 30),
  version('kling-v1-6', 'Kling 1.6', 'Text- and image-to-video; 1080p in pro mode.', true, 1080, false, 2, 3.5, 24),
  version('kling-v2-master', 'Kling 2.0 Master', 'Premium tier with stronger motion and prompt adherence.', true, 1080, true, 10, 10, 24),
  version('kling-v2-1', 'Kling 2.1', 'Image-to-video only; 1080p in pro mode.', false, 1080, false, 2, 3.5, 24),
  version('kling-v2-1-master', 'Kling 2.1 Master', 'The top tier: text- and image-to-video, 1080p.', true, 1080, true, 10, 10, 24),
];

const models = versions.map((entry) => entry.model);
const defaultModel = 'kling-v1-6';

// A Kling unit is about USD 0.14 (third-party summary, UNCONFIRMED in REFERENCE.md §1.7); the unit
// counts per version and mode are Kling's published resource-pack table, also UNCONFIRMED there.
const usdPerUnit = 0.14;

export const kling: CatalogEntry = {
  id: 'kling',
  name: 'Kling AI',
  description:
    'Kuaishou Kling video generation, versions 1.0 to 2.1 in Standard and Pro modes: 5 or 10 second clips with smooth, natural motion, from text or from an image.',
  types: ['VIDEO'],
  models,
  defaultModel,
  features: [
    'Six versions from Kling 1.0 to Kling 2.1 Master',
    'Standard mode (720p) and Pro mode (1080p from version 1.5)',
    '5 or 10 second clips',
    'Text-to-video and image-to-video (input.image animates a still)',
    'Camera movement presets and negative prompts',
  ],
  limitations: [
    'Kling 1.5 and Kling 2.1 (non-master) are image-to-video only: they need input.image',
    'Image-to-video takes its aspect ratio from the image; aspectRatio applies to text-to-video',
    'Kling 1.0 stays at 720p in Pro mode',
    'Master versions have a single quality tier: mode does not change their price or output',
    'cfgScale is ignored by the 2.x versions',
    'No cancel endpoint: a job runs to the end once accepted, and is billed',
    'Output links expire after 30 days',
  ],
  inputs: {
    VIDEO: { text: 'optional', image: 'optional', negativePrompt: 'optional' },
  },
  options: [
    modelOption(models, defaultModel, 'Kling version: kling-v1 (1.0) to kling-v2-1-master (2.1 Master). Default kling-v1-6.'),
    choiceOption('mode', ['std', 'pro'], 'std', 'std: Standard, 720p, cheaper and faster. pro: Professional, 1080p from version 1.5.'),
    durationOption([5, 10], 5, 'Clip length in seconds: 5 or 10.'),
    aspectRatioOption(['16:9', '9:16', '1:1'], '16:9', 'Frame shape for text-to-video; image-to-video follows the image.'),
    {
      name: 'cfgScale',
      type: 'number',
      description: 'How closely to follow the prompt, 0 to 1 (Kling 1.x only).',
      minimum: 0,
      maximum: 1,
      default: 0.5,
    },
    choiceOption(
      'cameraMovement',
      ['down_back', 'forward_up', 'right_turn_forward', 'left_turn_forward'],
      undefined,
      "A preset camera move (Kling's camera_control types).",
    ),
    styleOption(),
  ],
  traits: { quality: 8, speed: 4, cost: 5 },
  strengths: {
    intents: { dance: 2, 'several-people': 2, 'camera-motion': 3, photorealism: 2, 'long-clip': 2, 'high-resolution': 2, product: 1, illustration: 1 },
    maxSeconds: 10,
    maxResolution: 1080,
  },
  maxJobTime: 1800,
  cancellation: {
    refundAfterAcceptance: false,
    note: 'Kling has no cancel endpoint: an accepted task runs and its units are deducted.',
  },
  synchronous: false,
  check(request) {
    const entry = versionOf(request);
    if (!entry.textToVideo && !request.input.image) {
      return `${entry.model.name} (${entry.model.id}) is image-to-video only: add input.image or choose kling-v1-6 or kling-v2-1-master.`;
    }
    if (!request.input.text && !request.input.image) return 'Kling needs input.text, input.image, or both.';
    return undefined;
  },
  price(request) {
    const entry = versionOf(request);
    const mode = stringOption(request, 'mode') === 'pro' ? 'pro' : 'std';
    const duration = numberOption(request, 'duration') ?? 5;
    const units = entry.units[mode] * (duration / 5);
    const base = entry.master ? 300 : mode === 'pro' ? 240 : 120;
    return { creditCost: credits(units * usdPerUnit), estimatedTime: Math.round(base * (duration === 10 ? 1.6 : 1)) };
  },
  plan(request): OutputPlan {
    const entry = versionOf(request);
    const mode = stringOption(request, 'mode') ?? 'std';
    const height = entry.master || mode === 'pro' ? entry.proHeight : 720;
    const aspectRatio = stringOption(request, 'aspectRatio') ?? '16:9';
    const adjustments: string[] = [];
    if (entry.model.id === 'kling-v1' && mode === 'pro') adjustments.push('Kling 1.0 renders 720p in pro mode.');
    return {
      kind: 'video',
      wireModel: entry.model.id,
      ...videoSize(`${height}p`, aspectRatio),
      duration: numberOption(request, 'duration') ?? 5,
      fps: entry.fps,
      hasAudio: false,
      adjustments,
    };
  },
};

function versionOf(request: GenerationRequest): KlingVersion {
  const id = modelOf(request, defaultModel);
  return versions.find((entry) => entry.model.id === id) ?? (versions[2] as KlingVersion);
}

function version(
  id: string,
  name: string,
  description: string,
  textToVideo: boolean,
  proHeight: number,
  master: boolean,
  std: number,
  pro: number,
  fps: number,
): KlingVersion {
  return { model: { id, name, description }, textToVideo, proHeight, master, units: { std, pro }, fps };
}
