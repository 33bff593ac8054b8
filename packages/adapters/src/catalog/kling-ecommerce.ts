import type { CatalogEntry } from './entry';
import { credits } from './shared/credits';
import { videoSize } from './shared/dimensions';
import { aspectRatioOption, choiceOption } from './shared/options';
import { numberOption, stringOption } from './shared/request-options';
import { speechSeconds } from './shared/speech';

/**
 * Kling's e-commerce "talking agent" (REFERENCE.md §1D): a presenter speaks a script, and with
 * product fields it becomes a product ad. The script decides the length; there is no duration field.
 */

// Price per second of output: Kling publishes no per-second rate for this solution (UNCONFIRMED in
// REFERENCE.md); we quote its video units at about USD 0.03/s at 720p and 0.05/s at 1080p.
const usdPerSecond = { '720p': 0.03, '1080p': 0.05 } as const;

export const klingEcommerce: CatalogEntry = {
  id: 'kling-ecommerce',
  name: 'Kling E-commerce Video',
  description:
    'Product showcase and marketing videos: a presenter speaks your script, optionally showing your product images, title and price. Built on Kling’s talking-agent solution.',
  types: ['VIDEO'],
  models: [{ id: 'talking-agent', name: 'Kling Talking Agent', description: 'Presenter and product-ad videos with speech.' }],
  defaultModel: 'talking-agent',
  features: [
    'Presenter mode: a preset avatar speaks the script',
    'Product-ad mode: product images (input.image), title, price and selling points on screen',
    'Vertical 9:16 for social commerce, or 16:9',
    '720p or 1080p, with speech and optional background music',
  ],
  limitations: [
    'The script (input.text, up to 2000 characters) decides the length: there is no duration option',
    'A product image needs productTitle: product fields switch the video to product-ad mode',
    'speechRate applies to presenter mode only (the API refuses it in product-ad mode)',
    'One product image per request through Doitong (the API takes up to 5)',
    'No cancel endpoint: an accepted task runs to the end',
  ],
  inputs: {
    VIDEO: { text: 'required', image: 'optional' },
  },
  options: [
    choiceOption('resolution', ['720p', '1080p'], '720p', 'Output resolution.'),
    aspectRatioOption(['9:16', '16:9'], '9:16', 'Vertical 9:16 (default, social commerce) or landscape 16:9.'),
    {
      name: 'presenter',
      type: 'string',
      description: 'Preset presenter avatar id, for example avatar_anna_female.',
      default: 'avatar_anna_female',
      maxLength: 128,
    },
    choiceOption('speechRate', [0.8, 1, 1.2], 1, 'Speaking speed in presenter mode: 0.8, 1.0 or 1.2.'),
    { name: 'productTitle', type: 'string', description: 'Product name shown and spoken about; turns on product-ad mode.', maxLength: 500 },
    { name: 'productPrice', type: 'string', description: 'Price text, for example "$19.99".', maxLength: 256 },
    { name: 'polish', type: 'boolean', description: 'Let Kling polish the script wording.', default: false },
    { name: 'backgroundMusic', type: 'boolean', description: 'Add background music.', default: false },
    { name: 'actionPrompt', type: 'string', description: 'What the presenter does while speaking.', maxLength: 2500 },
  ],
  traits: { quality: 6, speed: 4, cost: 4 },
  strengths: {
    intents: { product: 3, 'talking-head': 2, sound: 2, 'high-resolution': 1 },
    reservedFor: ['product', 'talking-head'],
    // Kling's presenters speak Chinese and English (UNCONFIRMED in REFERENCE.md §1D).
    voiceLanguages: ['zh', 'en'],
    maxResolution: 1080,
  },
  maxJobTime: 1800,
  cancellation: {
    refundAfterAcceptance: false,
    note: 'The talking-agent API has no cancel call: an accepted task runs and is billed.',
  },
  synchronous: false,
  check(request) {
    const productMode = stringOption(request, 'productTitle') !== undefined || stringOption(request, 'productPrice') !== undefined;
    if (request.input.image && stringOption(request, 'productTitle') === undefined) {
      return 'A product image (input.image) needs options.productTitle: product fields switch to product-ad mode.';
    }
    if (productMode && (numberOption(request, 'speechRate') ?? 1) !== 1) {
      return 'speechRate applies to presenter mode only; leave it at 1.0 in product-ad mode.';
    }
    if ((request.input.text ?? '').length > 2000) return 'The script (input.text) is limited to 2000 characters.';
    return undefined;
  },
  price(request) {
    const resolution = stringOption(request, 'resolution') === '1080p' ? '1080p' : '720p';
    const seconds = scriptSeconds(request.input.text, numberOption(request, 'speechRate'));
    return { creditCost: credits(usdPerSecond[resolution] * Math.max(5, seconds)), estimatedTime: 180 };
  },
  plan(request) {
    return {
      kind: 'video',
      wireModel: 'talking-agent',
      ...videoSize(stringOption(request, 'resolution') ?? '720p', stringOption(request, 'aspectRatio') ?? '9:16'),
      duration: Math.round(scriptSeconds(request.input.text, numberOption(request, 'speechRate')) * 100) / 100,
      fps: 25,
      hasAudio: true,
      speech: true,
      adjustments: [],
    };
  },
};

function scriptSeconds(text: string | undefined, speechRate: number | undefined): number {
  // A presenter pauses between sentences, so allow a second on top of the spoken text.
  return speechSeconds(text, speechRate ?? 1) + 1;
}
