import type { CatalogEntry, OutputPlan } from './entry';
import { credits } from './shared/credits';
import { choiceOption, modelOption } from './shared/options';
import { booleanOption, modelOf } from './shared/request-options';

/**
 * Viggle motion transfer (REFERENCE.md §6): a character image dances the moves of a driving video.
 * The output is as long as the driving video, which nobody knows before the job runs, so quotes
 * and the sandbox assume a 10 second clip.
 */
const models = [
  { id: 'V4_Preview', name: 'Viggle V4 (preview)', description: 'Current model: better identity keeping and multi-person scenes.' },
  { id: 'V3_Preview', name: 'Viggle V3 (preview)', description: 'Previous model.' },
];
const defaultModel = 'V4_Preview';
const assumedSeconds = 10;

// Viggle bills 1 credit per second of output (REFERENCE.md §6), twice that in fast mode; the USD
// value of a Viggle credit is UNCONFIRMED: we quote USD 0.02.
const usdPerViggleCredit = 0.02;

export const viggle: CatalogEntry = {
  id: 'viggle',
  name: 'Viggle Dance',
  description: 'Dance and motion synthesis: a character from a reference image performs the choreography of a driving video, including multi-person dances.',
  types: ['VIDEO'],
  models,
  defaultModel,
  features: [
    'Motion transfer from a reference dance video (input.video) to a character image (input.image)',
    'Multi-person choreography with V4',
    'Keep the original background or replace it with a solid colour',
    'Fast mode at twice the speed',
  ],
  limitations: [
    'Needs both input.image (the character) and input.video (the driving dance, up to 5 minutes)',
    'No text prompt: the motion comes from the video',
    'The output is as long as the driving video; quotes assume a 10 s clip',
    'Fast mode costs twice as much',
  ],
  inputs: {
    VIDEO: { text: 'unsupported', image: 'required', video: 'required' },
  },
  options: [
    modelOption(models, defaultModel, 'Viggle model. Default V4_Preview.'),
    choiceOption('backgroundMode', ['original', 'solid'], 'original', 'Keep the driving video’s background, or use a solid colour.'),
    { name: 'backgroundColor', type: 'string', description: 'Solid background as "r,g,b", for backgroundMode solid.', maxLength: 11 },
    { name: 'fast', type: 'boolean', description: 'Render at twice the speed for twice the credits.', default: false },
  ],
  traits: { quality: 6, speed: 5, cost: 3 },
  strengths: {
    intents: { dance: 3, 'several-people': 3 },
  },
  maxJobTime: 1800,
  cancellation: {
    refundAfterAcceptance: true,
    note: 'DELETE /api/render/{job_id} cancels the render and Viggle refunds its credits.',
  },
  synchronous: false,
  check(request) {
    if (!request.input.image || !request.input.video) {
      return 'Viggle needs input.image (the character) and input.video (the driving dance).';
    }
    return undefined;
  },
  price(request) {
    const fast = booleanOption(request, 'fast') === true;
    return {
      creditCost: credits(assumedSeconds * (fast ? 2 : 1) * usdPerViggleCredit),
      estimatedTime: fast ? 60 : 120,
    };
  },
  plan(request): OutputPlan {
    return {
      kind: 'video',
      wireModel: modelOf(request, defaultModel),
      width: 720,
      height: 1280,
      duration: assumedSeconds,
      fps: 24,
      hasAudio: false,
      adjustments: ['The output follows the driving video’s length, unknown before the job: planned as 10 s.'],
    };
  },
};
