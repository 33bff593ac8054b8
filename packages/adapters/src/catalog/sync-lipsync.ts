import type { GenerationRequest } from '@doitong/core';
import type { CatalogEntry, OutputPlan } from './entry';
import { credits } from './shared/credits';
import { choiceOption, modelOption } from './shared/options';
import { modelOf } from './shared/request-options';
import { elevenLabsVoiceLanguages } from './elevenlabs';
import { speechSeconds } from './shared/speech';

/** sync.so lip-sync and talking portraits (REFERENCE.md §16). */
const models = [
  { id: 'lipsync-2', name: 'lipsync-2', description: 'Zero-shot lip-sync that keeps the speaker’s style.' },
  { id: 'lipsync-2-pro', name: 'lipsync-2-pro', description: 'Higher fidelity for close-ups, teeth and beards.' },
  { id: 'lipsync-1.9.0-beta', name: 'lipsync-1.9', description: 'Previous generation, cheapest.' },
  { id: 'sync-3', name: 'sync-3', description: 'Newest model: the most natural mouth and face motion.' },
];
const defaultModel = 'lipsync-2';

/** Length of the output when it follows an audio file nobody has measured yet. */
const assumedAudioSeconds = 10;

// USD per second of output (sync.so price list; UNCONFIRMED in REFERENCE.md §16, which has no prices).
const usdPerSecond: Record<string, number> = { 'lipsync-2': 0.05, 'lipsync-2-pro': 0.083, 'lipsync-1.9.0-beta': 0.04, 'sync-3': 0.1 };

export const syncLipsync: CatalogEntry = {
  id: 'sync-lipsync',
  name: 'Sync Lip Sync',
  description: 'Lip-sync for talking-head video: make the face in a video speak a new audio track or a script, with natural expression.',
  types: ['AVATAR'],
  models,
  defaultModel,
  features: [
    'Re-voice any face video (input.video) with new speech (input.audio, or input.text spoken by a TTS voice)',
    'Four models from the economical lipsync-1.9 to sync-3',
    'Active-speaker detection for videos with several faces',
    'Sync modes for when audio and video lengths differ (cut off, bounce, loop, silence, remap)',
  ],
  limitations: [
    'Needs a face video (input.video) and speech (input.audio or input.text)',
    'Still portraits are not taken through Doitong yet (sync-3 can animate one; routing cannot yet tell a portrait job from a video job)',
    'Files up to 20 MB; the output follows the video’s size and the audio’s length (quotes assume 10 s of audio)',
    'No cancel endpoint: an accepted job runs and is billed',
  ],
  // A face video is required, so automatic selection never sends a text-only avatar request here.
  inputs: { AVATAR: { text: 'optional', image: 'unsupported', voice: 'optional', audio: 'optional', video: 'required' } },
  options: [
    modelOption(models, defaultModel, 'Lip-sync model. Default lipsync-2.'),
    choiceOption('syncMode', ['cut_off', 'bounce', 'loop', 'silence', 'remap'], 'cut_off', 'What to do when the audio and the video differ in length.'),
    { name: 'activeSpeaker', type: 'boolean', description: 'Detect and sync only the person speaking.', default: false },
    { name: 'temperature', type: 'number', description: 'Expressiveness of the mouth movement, 0 to 1.', minimum: 0, maximum: 1 },
  ],
  traits: { quality: 8, speed: 5, cost: 5 },
  strengths: {
    intents: { 'talking-head': 3, portrait: 2, 'long-clip': 2 },
    // A script (input.text) is spoken by an ElevenLabs voice: its languages.
    voiceLanguages: elevenLabsVoiceLanguages,
  },
  maxJobTime: 1800,
  cancellation: {
    refundAfterAcceptance: false,
    note: 'sync.so documents no cancel: an accepted job runs and is billed.',
  },
  synchronous: false,
  check(request) {
    if (!request.input.video) return 'Lip-sync needs a face video: input.video.';
    if (!request.input.audio && !request.input.text) return 'Lip-sync needs speech: input.audio or input.text.';
    return undefined;
  },
  price(request) {
    const seconds = outputSeconds(request);
    return {
      creditCost: credits((usdPerSecond[modelOf(request, defaultModel)] ?? 0.05) * seconds),
      estimatedTime: Math.round(60 + seconds * 4),
    };
  },
  plan(request): OutputPlan {
    return {
      kind: 'video',
      wireModel: modelOf(request, defaultModel),
      width: 1280,
      height: 720,
      duration: Math.round(outputSeconds(request) * 100) / 100,
      fps: 25,
      hasAudio: true,
      speech: true,
      adjustments: ['The output keeps the input video’s size: planned as 1280x720.'],
    };
  },
};

function outputSeconds(request: GenerationRequest): number {
  return request.input.audio ? assumedAudioSeconds : speechSeconds(request.input.text);
}
