import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomColor, randomFrom } from '../random';
import { ffmpegPath, runFfmpeg } from './ffmpeg';
import { mp4Duration } from './mp4-info';
import { encodeWav, type WavAudio } from './wav';

export interface Mp4Video {
  width: number;
  height: number;
  /** Seconds. */
  duration: number;
  fps: number;
  /** Decides colours and motion. */
  seed: number;
  /** `presenter`: a head whose mouth moves, for avatars; `shapes`: moving shapes and shifting colour. */
  scene: 'shapes' | 'presenter';
  /** A sound track, muxed as AAC. */
  audio?: WavAudio;
}

export interface Mp4Options {
  ffmpegPath?: string;
  signal?: AbortSignal;
}

/**
 * An H.264 MP4 drawn by ffmpeg from lavfi colour sources: only ffmpeg's built-in generators, so no
 * fonts and no downloads. ultrafast keeps a 10 s 1080p clip to a few seconds on two cores.
 */
export async function encodeMp4(video: Mp4Video, options: Mp4Options = {}): Promise<{ data: Uint8Array; duration: number }> {
  const binary = await ffmpegPath(options.ffmpegPath);
  const folder = await mkdtemp(join(tmpdir(), 'doitong-sandbox-'));
  try {
    const graph = video.scene === 'presenter' ? presenterScene(video) : shapesScene(video);
    const args = graph.sources.flatMap((source) => ['-f', 'lavfi', '-i', source]);
    if (video.audio) {
      const audioPath = join(folder, 'audio.wav');
      await writeFile(audioPath, encodeWav(video.audio));
      args.push('-i', audioPath);
    }
    args.push('-filter_complex', graph.filter, '-map', '[video]');
    if (video.audio) args.push('-map', `${graph.sources.length}:a`, '-c:a', 'aac', '-b:a', '64k');
    const output = join(folder, 'video.mp4');
    args.push(
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '28', '-pix_fmt', 'yuv420p'],
      ...['-r', String(video.fps), '-t', String(video.duration), '-movflags', '+faststart', output],
    );
    await runFfmpeg(binary, args, options.signal);
    const data = new Uint8Array(await readFile(output));
    return { data, duration: mp4Duration(data) ?? video.duration };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Faces in human colours, light to dark, so an avatar reads as a person at a glance. */
const skinTones: [number, number, number][] = [
  [241, 214, 190],
  [224, 183, 150],
  [198, 148, 110],
  [160, 110, 75],
  [105, 70, 50],
];

interface Scene {
  sources: string[];
  filter: string;
}

function color(rgb: [number, number, number]): string {
  return `0x${rgb.map((channel) => channel.toString(16).padStart(2, '0')).join('')}`;
}

function source(video: Mp4Video, rgb: [number, number, number], width: number, height: number): string {
  return `color=c=${color(rgb)}:size=${Math.max(2, Math.round(width))}x${Math.max(2, Math.round(height))}:rate=${video.fps}:duration=${video.duration}`;
}

/** Two shapes on a coloured ground: one orbits, one crosses; the hue drifts so every frame differs. */
function shapesScene(video: Mp4Video): Scene {
  const random = randomFrom(video.seed);
  const short = Math.min(video.width, video.height);
  const orbit = (0.6 + random() * 1.2).toFixed(3);
  const sway = (0.5 + random() * 1).toFixed(3);
  const speed = Math.round(video.width * (0.15 + random() * 0.25));
  return {
    sources: [
      source(video, randomColor(random), video.width, video.height),
      source(video, randomColor(random), short * 0.25, short * 0.25),
      source(video, randomColor(random), short * 0.15, short * 0.15),
    ],
    filter: [
      `[0][1]overlay=x='(W-w)*(0.5+0.45*sin(t*${orbit}))':y='(H-h)*(0.5+0.4*cos(t*${sway}))':eval=frame[orbiting]`,
      `[orbiting][2]overlay=x='mod(t*${speed},W+w)-w':y='H*0.7':eval=frame,hue=h='t*20',format=yuv420p[video]`,
    ].join(';'),
  };
}

/** A presenter: a head with eyes and a mouth that opens and closes, over a body, gently moving. */
function presenterScene(video: Mp4Video): Scene {
  const random = randomFrom(video.seed);
  const { width, height } = video;
  const headWidth = Math.round(Math.min(width, height) * 0.32);
  const headHeight = Math.round(headWidth * 1.3);
  const eye = Math.round(headWidth * 0.12);
  const mouthWidth = Math.round(headWidth * 0.4);
  const mouthHeight = Math.round(headHeight * 0.12);
  const mouthX = Math.round((headWidth - mouthWidth) / 2);
  const mouthY = Math.round(headHeight * 0.66);
  const skin = skinTones[Math.floor(random() * skinTones.length)] ?? skinTones[0]!;
  const bodyTop = Math.round(height * 0.62);
  const headY = bodyTop - Math.round(headHeight * 0.9);
  return {
    sources: [
      source(video, randomColor(random), width, height),
      source(video, skin, headWidth, headHeight),
      source(video, [30, 30, 40], eye, eye),
      source(video, [90, 20, 30], mouthWidth, mouthHeight),
      source(video, skin, mouthWidth + 4, mouthHeight),
      source(video, randomColor(random), headWidth * 2.2, height - bodyTop),
    ],
    filter: [
      '[2]split[leftEye][rightEye]',
      `[1][leftEye]overlay=x=${Math.round(headWidth * 0.25)}:y=${Math.round(headHeight * 0.35)}[head1]`,
      `[head1][rightEye]overlay=x=${Math.round(headWidth * 0.63)}:y=${Math.round(headHeight * 0.35)}[head2]`,
      `[head2][3]overlay=x=${mouthX}:y=${mouthY}[head3]`,
      // The jaw covers the mouth and slides down and up: the visible opening is the speech.
      `[head3][4]overlay=x=${mouthX - 2}:y='${mouthY}+${mouthHeight}*(0.15+0.75*abs(sin(t*9)))':eval=frame[head]`,
      `[0][5]overlay=x=(W-w)/2:y=${bodyTop}[scene]`,
      `[scene][head]overlay=x='(W-w)/2+W*0.01*sin(t*1.3)':y='${headY}+H*0.005*sin(t*2.1)':eval=frame,format=yuv420p[video]`,
    ].join(';'),
  };
}
