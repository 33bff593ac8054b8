import type { GenerationMetadata, GenerationRequest, ProviderOutput } from '@doitong/core';
import type { CatalogEntry } from '../catalog/entry';
import { resolutionLabel } from '../catalog/shared/dimensions';
import { numberOption } from '../catalog/shared/request-options';
import { encodeMp4 } from './media/mp4';
import { renderPng } from './media/png';
import { ambienceAudio, speechAudio } from './media/synth';
import { encodeWav, wavDuration } from './media/wav';
import { hashSeed } from './random';

export interface RenderSettings {
  /** Path of an ffmpeg binary to use instead of the bundled one. */
  ffmpegPath?: string;
  /** Caps the short side of sandbox videos (for speed); metadata reports the size really rendered. */
  maxVideoResolution?: number;
}

const sampleRate = 24_000;

/**
 * Makes the file the provider would have made, as far as size, length and format go, and
 * describes it truthfully: every metadata field is a fact about these bytes.
 */
export async function renderOutput(
  entry: CatalogEntry,
  request: GenerationRequest,
  settings: RenderSettings,
  signal?: AbortSignal,
): Promise<ProviderOutput> {
  const plan = entry.plan(request);
  // Like the real providers: the caller's seed when given, otherwise one picked for this generation.
  const seed = numberOption(request, 'seed') ?? hashSeed(request.generationId) % 2147483647;
  const contentSeed = hashSeed(entry.id, plan.wireModel, request.input.text ?? '', seed);
  const common: GenerationMetadata = { model: plan.wireModel, seed };

  if (plan.kind === 'image') {
    const width = plan.width ?? 1024;
    const height = plan.height ?? 1024;
    const data = renderPng({ width, height, seed: contentSeed });
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
    const audio = speechAudio(request.input.text ?? '', plan.duration ?? 1, sampleRate, contentSeed);
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
  const duration = plan.duration ?? 5;
  const fps = plan.fps ?? 24;
  const audio = plan.hasAudio
    ? plan.speech
      ? speechAudio(request.input.text ?? '', duration, sampleRate, contentSeed)
      : ambienceAudio(duration, sampleRate, contentSeed)
    : undefined;
  const video = await encodeMp4(
    { width, height, duration, fps, seed: contentSeed, scene: plan.speech ? 'presenter' : 'shapes', ...(audio ? { audio } : {}) },
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
