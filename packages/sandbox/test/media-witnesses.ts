import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Independent witnesses of what a media file is: ffmpeg (Debian's `ffmpeg`, on the PATH) decodes
 * frames and sound, Tesseract reads the text in a picture, PocketSphinx (Debian's `pocketsphinx`
 * and `pocketsphinx-en-us`) transcribes speech; .ci/run installs the Debian packages. None of them
 * is the code that made the file.
 */

const ffmpeg = 'ffmpeg';

async function withFile<T>(data: Uint8Array, extension: string, use: (file: string) => Promise<T>): Promise<T> {
  const folder = await mkdtemp(join(tmpdir(), 'doitong-witness-'));
  try {
    const file = join(folder, `media.${extension}`);
    await writeFile(file, data);
    return await use(file);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function ffmpegOutput(binary: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['-hide_banner', '-loglevel', 'error', '-nostdin', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`ffmpeg failed: ${stderr}`))));
  });
}

/** Every frame of a video as 8-bit grey pixels, at the video's own size. */
export async function greyFrames(data: Uint8Array, width: number, height: number): Promise<Uint8Array[]> {
  const binary = ffmpeg;
  const raw = await withFile(data, 'mp4', (file) => ffmpegOutput(binary, ['-i', file, '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1']));
  const size = width * height;
  const frames: Uint8Array[] = [];
  for (let offset = 0; offset + size <= raw.length; offset += size) frames.push(new Uint8Array(raw.buffer, raw.byteOffset + offset, size));
  return frames;
}

/** The first frame of a video as RGB, at the video's own size. */
export async function firstFrameRgb(data: Uint8Array): Promise<Buffer> {
  const binary = ffmpeg;
  return withFile(data, 'mp4', (file) => ffmpegOutput(binary, ['-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']));
}

/** The sound of a file as 16 kHz mono 16-bit samples (what PocketSphinx listens to). */
export async function pcm16k(data: Uint8Array, extension: string): Promise<Int16Array> {
  const binary = ffmpeg;
  const raw = await withFile(data, extension, (file) => ffmpegOutput(binary, ['-i', file, '-vn', '-ac', '1', '-ar', '16000', '-f', 's16le', 'pipe:1']));
  return new Int16Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length - (raw.length % 2)));
}

/** What PocketSphinx (CMU's offline recogniser, US English model) hears in a file's sound. */
export async function transcribe(data: Uint8Array, extension: string): Promise<string> {
  const samples = await pcm16k(data, extension);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + samples.byteLength, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(16000, 24);
  header.writeUInt32LE(32000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(samples.byteLength, 40);
  const wav = Buffer.concat([header, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength)]);
  return withFile(wav, 'wav', async (file) => {
    try {
      const { stdout } = await promisify(execFile)('pocketsphinx_continuous', ['-infile', file, '-logfn', '/dev/null']);
      return stdout.trim().toLowerCase();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new Error('pocketsphinx_continuous is missing: install Debian’s pocketsphinx and pocketsphinx-en-us (.ci/run does)');
      throw error;
    }
  });
}

/** The text Tesseract (the tesseract.js npm package, its English model from @tesseract.js-data/eng) reads in a picture. */
export async function readText(png: Uint8Array): Promise<string> {
  const { createWorker } = await import('tesseract.js');
  const require = createRequire(import.meta.url);
  const langPath = join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
  const worker = await createWorker('eng', 1, { langPath, cacheMethod: 'none', gzip: true });
  try {
    const { data } = await worker.recognize(Buffer.from(png));
    return data.text.replace(/\s+/g, ' ').trim();
  } finally {
    await worker.terminate();
  }
}

/** Pearson's correlation of two equally long series. */
export function correlation(first: readonly number[], second: readonly number[]): number {
  const length = Math.min(first.length, second.length);
  const mean = (values: readonly number[]) => values.slice(0, length).reduce((sum, value) => sum + value, 0) / length;
  const firstMean = mean(first);
  const secondMean = mean(second);
  let product = 0;
  let firstSquares = 0;
  let secondSquares = 0;
  for (let index = 0; index < length; index += 1) {
    const a = first[index]! - firstMean;
    const b = second[index]! - secondMean;
    product += a * b;
    firstSquares += a * a;
    secondSquares += b * b;
  }
  return product / Math.sqrt(firstSquares * secondSquares);
}

/** The share of a script's words that a transcript contains (a recogniser's word recall). */
export function wordRecall(script: string, transcript: string): number {
  const words = script.toLowerCase().match(/[a-z']+/g) ?? [];
  const heard = new Set(transcript.toLowerCase().match(/[a-z']+/g) ?? []);
  return words.filter((word) => heard.has(word)).length / Math.max(1, words.length);
}
