import {
  checkImageBytes,
  defaultInputMediaLimits,
  type GenerationMetadata,
  type GenerationRequest,
  type InputMediaLimits,
  type ProviderOutput,
} from '@doitong/core';
import { numberOption, resolutionLabel, stringOption, type CatalogEntry } from '@doitong/adapters';
import { loadCanvas, type Picture } from './media/canvas';
import { imageScene, presenterScene, promptScene, speechEnvelope } from './media/clips';
import { renderPicture } from './media/picture';
import { ambienceAudio } from './media/synth';
import { fliteVoiceFor, speak } from './media/tts';
import { encodeClip } from './media/video';
import { encodeWav, wavDuration, type WavAudio } from './media/wav';
import { hashSeed } from './random';

export interface RenderSettings {
  /** Path of an ffmpeg binary; otherwise DOITONG_FFMPEG_PATH, otherwise `ffmpeg` on the PATH. */
  ffmpegPath?: string;
  /** Caps the short side of sandbox videos (for speed); metadata reports the size really rendered. */
  maxVideoResolution?: number;
  /**
   * Reads an input image given by URL (image-to-video). The sandbox fetches nothing itself: without
   * this, only `data:` URLs are read and any other image is drawn from the prompt instead.
   */
  loadInput?: (url: string, signal?: AbortSignal) => Promise<Uint8Array | undefined>;
  /** Bounds on input images, checked from their header before any decoding (default: core's `defaultInputMediaLimits`). */
  inputMedia?: InputMediaLimits;
}

const sampleRate = 24_000;
/** What an avatar says when its script is an audio file the sandbox does not fetch. */
const standInScript = 'This is the Doitong sandbox, speaking in place of your audio file.';

/**
 * Makes the file the provider would have made, as far as size, length and format go, and
 * describes it truthfully: every metadata field is a fact about these bytes.
 */
export async function renderOutput(entry: CatalogEntry, request: GenerationRequest, settings: RenderSettings, signal?: AbortSignal): Promise<ProviderOutput> {
  const plan = entry.plan(request);
  // Like the real providers: the caller's seed when given, otherwise one picked for this generation.
  const seed = numberOption(request, 'seed') ?? hashSeed(request.generationId) % 2147483647;
  const text = request.input.text ?? '';
  const contentSeed = hashSeed(entry.id, plan.wireModel, text, seed);
  const common: GenerationMetadata = { model: plan.wireModel, seed };
  const label = `Doitong sandbox · ${entry.id} · seed ${seed}`;

  if (plan.kind === 'image') {
    const width = plan.width ?? 1024;
    const height = plan.height ?? 1024;
    const data = await renderPicture({ width, height, prompt: text, seed: contentSeed, label, muted: stringOption(request, 'quality') === 'raw' });
    return bytes(data, 'image/png', {
      ...common,
      width,
      height,
      format: 'png',
      resolution: `${width}x${height}`,
      aspectRatio: aspectRatioOf(width, height),
    });
  }

  if (plan.kind === 'audio') {
    const audio = await speak({ text, voice: voiceOf(request), speed: speedOf(request), sampleRate });
    const data = encodeWav(audio);
    return bytes(data, 'audio/wav', {
      ...common,
      duration: round(wavDuration(audio)),
      format: 'wav',
      sampleRate,
      channels: 1,
    });
  }

  const { width, height } = capped(plan.width ?? 1280, plan.height ?? 720, settings.maxVideoResolution);
  const fps = plan.fps ?? 24;
  let duration = plan.duration ?? 5;
  let audio: WavAudio | undefined;
  let envelope: number[] | undefined;
  if (plan.speech) {
    // A presenter's video is as long as what they say, with half a second before and after.
    const script = text.trim() === '' ? standInScript : text;
    const speech = await speak({ text: script, voice: voiceOf(request), speed: speedOf(request), sampleRate });
    audio = padded(speech, 0.5, 0.5);
    duration = round(Math.ceil(wavDuration(audio) * fps) / fps);
    envelope = speechEnvelope(audio, fps, Math.round(duration * fps));
  } else if (plan.hasAudio) {
    audio = ambienceAudio(duration, sampleRate, contentSeed);
  }
  const scene = { width, height, fps, duration, prompt: text, seed: contentSeed, label };
  const image = plan.speech ? undefined : await inputImage(request.input.image, settings, signal);
  const draw = envelope ? await presenterScene(scene, envelope) : image ? await imageScene(scene, image) : await promptScene(scene);
  const video = await encodeClip(
    { width, height, fps, duration, draw, ...(audio ? { audio } : {}) },
    { ...(settings.ffmpegPath ? { ffmpegPath: settings.ffmpegPath } : {}), ...(signal ? { signal } : {}) },
  );
  return bytes(video.data, 'video/mp4', {
    ...common,
    width,
    height,
    duration: round(video.duration),
    format: 'mp4',
    resolution: resolutionLabel(width, height),
    aspectRatio: aspectRatioOf(width, height),
    fps,
    codec: 'h264',
    hasAudio: audio !== undefined,
    ...(audio ? { sampleRate, channels: 1 } : {}),
  });
}

/** The caller's image for image-to-video, decoded; undefined when it cannot be read here. */
async function inputImage(url: string | null | undefined, settings: RenderSettings, signal?: AbortSignal): Promise<Picture | undefined> {
  if (!url) return undefined;
  let data: Uint8Array | undefined;
  const inline = /^data:image\/[\w+.-]+;base64,(.*)$/s.exec(url);
  if (inline) data = Buffer.from(inline[1]!, 'base64');
  else if (settings.loadInput) data = await settings.loadInput(url, signal).catch(() => undefined);
  if (!data || data.byteLength === 0) return undefined;
  // Before decoding: its bytes, and the pixels its header declares (throws INVALID_INPUT).
  checkImageBytes(data, settings.inputMedia ?? defaultInputMediaLimits);
  const { loadImage } = await loadCanvas();
  try {
    return await loadImage(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  } catch {
    return undefined;
  }
}

function voiceOf(request: GenerationRequest) {
  const named = request.input.voice ?? stringOption(request, 'voice') ?? stringOption(request, 'avatarId');
  return fliteVoiceFor(named ?? undefined);
}

function speedOf(request: GenerationRequest): number {
  return numberOption(request, 'speed') ?? numberOption(request, 'speechRate') ?? 1;
}

function padded(audio: WavAudio, before: number, after: number): WavAudio {
  const lead = Math.round(before * audio.sampleRate);
  const samples = new Int16Array(lead + audio.samples.length + Math.round(after * audio.sampleRate));
  samples.set(audio.samples, lead);
  return { samples, sampleRate: audio.sampleRate };
}

function bytes(data: Uint8Array, contentType: string, metadata: GenerationMetadata): ProviderOutput {
  return { kind: 'bytes', data, contentType, metadata: { ...metadata, fileSize: data.byteLength, contentType } };
}

/** Shrinks to a short side of at most `limit`, keeping the shape and even sides (H.264 4:2:0). */
function capped(width: number, height: number, limit: number | undefined): { width: number; height: number } {
  const short = Math.min(width, height);
  if (limit === undefined || short <= limit) return { width, height };
  const scale = limit / short;
  return { width: Math.round((width * scale) / 2) * 2, height: Math.round((height * scale) / 2) * 2 };
}

const namedRatios = ['1:1', '16:9', '9:16', '4:3', '3:4', '3:2', '2:3', '21:9', '9:21', '4:5', '5:4'];

/** The common name of a frame shape (1366x768 is 16:9), or the reduced fraction when it has none. */
function aspectRatioOf(width: number, height: number): string {
  for (const name of namedRatios) {
    const [across, down] = name.split(':').map(Number) as [number, number];
    if (Math.abs(width / height - across / down) / (across / down) < 0.02) return name;
  }
  const divisor = gcd(width, height);
  return `${width / divisor}:${height / divisor}`;
}

function gcd(first: number, second: number): number {
  return second === 0 ? first : gcd(second, first % second);
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
