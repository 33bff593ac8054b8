import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCanvas, type Context2D } from './canvas';
import { ffmpegPath, runFfmpegWithInput } from './ffmpeg';
import { mp4Duration } from './mp4-info';
import { encodeWav, type WavAudio } from './wav';

/** Draws frame `index` (at `time` seconds) of a clip onto a canvas the size of the video. */
export type FrameDrawer = (context: Context2D, index: number, time: number) => void;

export interface Clip {
  width: number;
  height: number;
  fps: number;
  /** Seconds. */
  duration: number;
  draw: FrameDrawer;
  /** A sound track, muxed as AAC. */
  audio?: WavAudio;
}

export interface EncodeOptions {
  ffmpegPath?: string;
  signal?: AbortSignal;
}

/**
 * An H.264 MP4 of frames drawn with Skia and piped raw to ffmpeg (x264 `ultrafast`; the binary
 * `ffmpegPath` finds). Every frame is drawn, so motion, text and a mouth that follows the speech
 * are all possible; nothing is fetched.
 */
export async function encodeClip(clip: Clip, options: EncodeOptions = {}): Promise<{ data: Uint8Array; duration: number }> {
  const binary = await ffmpegPath(options.ffmpegPath);
  const { createCanvas } = await loadCanvas();
  const folder = await mkdtemp(join(tmpdir(), 'doitong-sandbox-'));
  try {
    const args = ['-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${clip.width}x${clip.height}`, '-r', String(clip.fps), '-i', 'pipe:0'];
    if (clip.audio) {
      const audioPath = join(folder, 'audio.wav');
      await writeFile(audioPath, encodeWav(clip.audio));
      args.push('-i', audioPath, '-map', '0:v', '-map', '1:a', '-c:a', 'aac', '-b:a', '64k');
    }
    const output = join(folder, 'video.mp4');
    args.push(
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '28', '-pix_fmt', 'yuv420p'],
      ...['-r', String(clip.fps), '-t', String(clip.duration), '-movflags', '+faststart', output],
    );
    const canvas = createCanvas(clip.width, clip.height);
    const context = canvas.getContext('2d');
    const frameCount = Math.max(1, Math.round(clip.duration * clip.fps));
    async function* frames(): AsyncGenerator<Uint8Array> {
      for (let index = 0; index < frameCount; index += 1) {
        if (options.signal?.aborted) return;
        context.save();
        clip.draw(context, index, index / clip.fps);
        context.restore();
        yield canvas.data();
        // Drawing is synchronous: give the host's event loop a turn between frames.
        if (index % 4 === 3) await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await runFfmpegWithInput(binary, args, frames(), options.signal);
    const data = new Uint8Array(await readFile(output));
    return { data, duration: mp4Duration(data) ?? clip.duration };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
