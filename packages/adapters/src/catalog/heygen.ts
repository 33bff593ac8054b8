import type { GenerationRequest } from '@doitong/core';
import type { CatalogEntry, OutputPlan } from './entry';
import { credits } from './shared/credits';
import { videoSize } from './shared/dimensions';
import { aspectRatioOption, choiceOption, modelOption } from './shared/options';
import { modelOf, numberOption, stringOption } from './shared/request-options';
import { speechSeconds } from './shared/speech';

/**
 * HeyGen talking-avatar video (REFERENCE.md §15). Each engine has its own API route: Avatar III
 * is the legacy `POST /v2/video/generate`; Avatar IV is `POST /v3/videos`
 * (https://developers.heygen.com/reference/create-video: "Avatar III video generation requires the
 * legacy API (v1 or v2)"), which takes a motion prompt and 16:9 or 9:16 only.
 */
const models = [
  { id: 'avatar-iv', name: 'Avatar IV', description: 'Most lifelike: natural head motion and prompted gestures.' },
  { id: 'avatar-iii', name: 'Avatar III', description: 'Classic studio avatars replaying recorded gestures; cheaper.' },
];
const defaultModel = 'avatar-iv';

/**
 * Friendly names for voices (input.voice) and avatars (options.avatarId). The adapter maps them to
 * HeyGen public ids; any other string is sent as a HeyGen id of the caller's own account.
 */
export const heygenVoicePresets = ['professional_female', 'professional_male', 'friendly_female', 'friendly_male', 'narrator'];
export const heygenAvatarPresets = ['kate', 'josh', 'anna', 'daniel', 'monica', 'tyler'];

/** Background presets: each becomes a HeyGen background object (colour or stock image). */
const backgrounds = ['modern_office', 'studio', 'living_room', 'classroom', 'green_screen', 'white'];

/** One route per engine: what each API accepts (the option tables the router checks). */
export interface HeyGenRoute {
  endpoint: '/v2/video/generate' | '/v3/videos';
  aspectRatios: readonly string[];
  /** Options this route has no field for, refused when given a value other than their default. */
  unsupported: readonly string[];
}
export const heygenRoutes: Record<string, HeyGenRoute> = {
  // v2 takes any even width and height: every shape the catalog offers.
  'avatar-iii': { endpoint: '/v2/video/generate', aspectRatios: ['16:9', '9:16', '1:1'], unsupported: [] },
  // v3 takes aspect_ratio 16:9 or 9:16, and has no framing style, voice emotion or burned-in captions.
  'avatar-iv': { endpoint: '/v3/videos', aspectRatios: ['16:9', '9:16'], unsupported: ['avatarStyle', 'emotion', 'caption'] },
};

/** When the voice is an audio file, nobody knows its length before the job: quotes assume this. */
const assumedAudioSeconds = 30;

// USD per second of video: about 1 USD a minute for Avatar III and 6 for Avatar IV (HeyGen API
// plans; UNCONFIRMED in REFERENCE.md §15, which has no prices).
const usdPerSecond: Record<string, number> = { 'avatar-iii': 1 / 60, 'avatar-iv': 6 / 60 };

export const heygen: CatalogEntry = {
  id: 'heygen',
  name: 'HeyGen',
  description:
    'Talking avatars: a presenter speaks your script in sync, with natural expressions and movement. Choose an avatar, a voice, a background and a gesture style.',
  types: ['AVATAR'],
  models,
  defaultModel,
  features: [
    'Preset avatars (kate, josh, anna…) or your own HeyGen avatar ids',
    'Preset voices in input.voice (professional_female…) or any HeyGen voice id',
    'Speak a script (input.text) or lip-sync to an audio file (input.audio)',
    'Background presets, framing styles, captions',
    '720p or 1080p at 16:9, 9:16 or 1:1',
  ],
  limitations: [
    'gesture is a Doitong preset: Avatar IV sends it as a motion prompt; Avatar III avatars replay their recorded gestures',
    'Avatar IV (HeyGen’s v3 API) makes 16:9 or 9:16 only, and has no avatarStyle, emotion or caption: use avatar-iii for those',
    'Backgrounds are presets (colours and stock images), not arbitrary URLs',
    'Videos longer than an hour fail; output links expire after 7 days (Doitong copies the file)',
    'With input.audio the length is that of the audio; quotes assume 30 s',
    'No cancel endpoint: an accepted video renders and is billed',
  ],
  inputs: { AVATAR: { text: 'optional', image: 'unsupported', voice: 'optional', audio: 'optional', video: 'unsupported' } },
  options: [
    modelOption(models, defaultModel, 'Avatar engine. Default avatar-iv.'),
    {
      name: 'avatarId',
      type: 'string',
      description: `Avatar: a preset (${heygenAvatarPresets.join(', ')}) or a HeyGen avatar id.`,
      default: 'kate',
      maxLength: 128,
    },
    choiceOption('background', backgrounds, 'studio', 'Background preset.'),
    choiceOption('gesture', ['neutral', 'friendly', 'energetic', 'calm', 'professional'], 'neutral', 'Body-language style (Avatar IV).'),
    choiceOption('avatarStyle', ['normal', 'closeUp', 'circle'], 'normal', 'Framing of the avatar.'),
    choiceOption('emotion', ['Excited', 'Friendly', 'Serious', 'Soothing', 'Broadcaster'], undefined, 'Voice emotion, for voices that support it.'),
    { name: 'speed', type: 'number', description: 'Voice speed, 0.5 to 1.5.', minimum: 0.5, maximum: 1.5, default: 1 },
    choiceOption('resolution', ['720p', '1080p'], '1080p', 'Output resolution.'),
    aspectRatioOption(['16:9', '9:16', '1:1'], '16:9'),
    { name: 'caption', type: 'boolean', description: 'Burn captions of the script into the video.', default: false },
  ],
  traits: { quality: 9, speed: 4, cost: 7 },
  strengths: {
    intents: { 'talking-head': 3, portrait: 2, product: 2, 'high-resolution': 2, 'long-clip': 3, 'expressive-voice': 1 },
    // HeyGen's multilingual voices (UNCONFIRMED in REFERENCE.md: HeyGen lists 40+ languages).
    voiceLanguages: ['en', 'vi', 'zh', 'ja', 'ko', 'fr', 'de', 'es', 'pt', 'it', 'hi', 'id', 'th', 'ar', 'ru', 'nl', 'tr', 'pl'],
    maxResolution: 1080,
  },
  maxJobTime: 3600,
  cancellation: {
    refundAfterAcceptance: false,
    note: 'HeyGen documents no cancel: an accepted video renders and is billed.',
  },
  synchronous: false,
  check(request) {
    if (!request.input.text && !request.input.audio) return 'HeyGen needs a script (input.text) or an audio file (input.audio).';
    const model = modelOf(request, defaultModel);
    const route = heygenRoutes[model]!;
    const aspectRatio = stringOption(request, 'aspectRatio') ?? '16:9';
    if (!route.aspectRatios.includes(aspectRatio)) return `HeyGen ${model} makes ${route.aspectRatios.join(' or ')} only, not ${aspectRatio}.`;
    const defaults: Record<string, unknown> = { avatarStyle: 'normal', caption: false };
    for (const option of route.unsupported) {
      const value = request.options[option];
      if (value !== undefined && value !== defaults[option]) return `HeyGen ${model} has no ${option}; use avatar-iii for it.`;
    }
    return undefined;
  },
  price(request) {
    const seconds = spokenSeconds(request);
    const model = modelOf(request, defaultModel);
    const estimatedTime = Math.round((model === 'avatar-iv' ? 120 : 60) + seconds * (model === 'avatar-iv' ? 6 : 3));
    return { creditCost: credits((usdPerSecond[model] ?? 0.1) * Math.max(5, seconds)), estimatedTime };
  },
  plan(request): OutputPlan {
    const adjustments = request.input.audio && !request.input.text ? ['The video is as long as input.audio: planned as 30 s.'] : [];
    return {
      kind: 'video',
      wireModel: modelOf(request, defaultModel),
      ...videoSize(stringOption(request, 'resolution') ?? '1080p', stringOption(request, 'aspectRatio') ?? '16:9'),
      duration: Math.round(spokenSeconds(request) * 100) / 100,
      fps: 25,
      hasAudio: true,
      speech: true,
      adjustments,
    };
  },
};

function spokenSeconds(request: GenerationRequest): number {
  if (request.input.audio && !request.input.text) return assumedAudioSeconds;
  // Half a second of lead-in and of tail around the speech, as HeyGen renders it.
  return speechSeconds(request.input.text, numberOption(request, 'speed') ?? 1) + 1;
}
