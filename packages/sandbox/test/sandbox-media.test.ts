import type { JsonValue } from '@doitong/core';
import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { sandboxProviders, type SandboxAdapter } from '@doitong/sandbox';
import { presenterLayout } from '../src/media/clips';
import { outputOf, probe, requestFor, runJob } from './helpers';
import { correlation, firstFrameRgb, greyFrames, pcm16k, readText } from './media-witnesses';

const adapters = sandboxProviders({ latencyMilliseconds: 0 });
const adapter = (id: string, from: readonly SandboxAdapter[] = adapters): SandboxAdapter => {
  const found = from.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no sandbox adapter ${id}`);
  return found;
};

/** Reads the fmt and data chunks of a WAV file: sample rate, channels, bits and duration. */
function readWav(data: Uint8Array) {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  expect(buffer.toString('ascii', 0, 4)).toBe('RIFF');
  expect(buffer.toString('ascii', 8, 12)).toBe('WAVE');
  const sampleRate = buffer.readUInt32LE(24);
  const channels = buffer.readUInt16LE(22);
  const bits = buffer.readUInt16LE(34);
  const dataSize = buffer.readUInt32LE(40);
  expect(buffer.readUInt16LE(20)).toBe(1); // PCM
  expect(44 + dataSize).toBe(buffer.byteLength);
  return { sampleRate, channels, bits, duration: dataSize / (sampleRate * channels * (bits / 8)) };
}

describe('sandbox images', () => {
  it('makes a PNG at the requested aspect ratio whose metadata is true', async () => {
    const request = requestFor(adapter('flux-schnell'), 'IMAGE', { text: 'A red fox in snow' }, { aspectRatio: '16:9', seed: 7 });
    const output = outputOf(await runJob(adapter('flux-schnell'), request));
    const png = PNG.sync.read(Buffer.from(output.data));
    expect([png.width, png.height]).toEqual([1024, 576]);
    expect(output.contentType).toBe('image/png');
    expect(output.metadata).toMatchObject({ width: 1024, height: 576, format: 'png', aspectRatio: '16:9', seed: 7, fileSize: output.data.byteLength });
  });

  it('is deterministic for the same prompt and seed, and differs for another seed or prompt', async () => {
    const provider = adapter('stable-diffusion');
    const render = async (seed: number, text = 'Lighthouse') =>
      outputOf(await runJob(provider, requestFor(provider, 'IMAGE', { text }, { aspectRatio: '9:16', seed }))).data;
    const first = await render(42);
    expect(Buffer.from(await render(42)).equals(Buffer.from(first))).toBe(true);
    expect(Buffer.from(await render(43)).equals(Buffer.from(first))).toBe(false);
    expect(Buffer.from(await render(42, 'Lighthouse at night')).equals(Buffer.from(first))).toBe(false);
    const png = PNG.sync.read(Buffer.from(first));
    expect([png.width, png.height]).toEqual([768, 1344]);
  });

  it('writes the prompt on the picture, legibly: Tesseract reads it back', async () => {
    const provider = adapter('flux-schnell');
    const output = outputOf(await runJob(provider, requestFor(provider, 'IMAGE', { text: 'A red fox in the snow' }, { aspectRatio: '16:9', seed: 42 })));
    const text = await readText(output.data);
    expect(text.toLowerCase()).toContain('a red fox in the snow');
  });

  it('renders the requested quality: flux-optimized draft is smaller than high, flux-ultra raw differs from ultra', async () => {
    const optimized = adapter('flux-optimized');
    const size = async (quality: string) =>
      outputOf(await runJob(optimized, requestFor(optimized, 'IMAGE', { text: 'A bowl of fruit' }, { quality, aspectRatio: '1:1', seed: 3 }))).metadata;
    const draft = await size('draft');
    const high = await size('high');
    expect((draft.width ?? 0) * (draft.height ?? 0)).toBeLessThan((high.width ?? 0) * (high.height ?? 0));

    const ultra = adapter('flux-ultra');
    const render = async (quality: string) =>
      outputOf(
        await runJob(ultra, requestFor(ultra, 'IMAGE', { text: 'Photorealistic portrait in Rembrandt style' }, { aspectRatio: '16:9', quality, seed: 42 })),
      );
    const polished = await render('ultra');
    const png = PNG.sync.read(Buffer.from(polished.data));
    expect([png.width, png.height]).toEqual([2752, 1536]);
    expect(polished.metadata.model).toBe('flux-pro-1.1-ultra');
    expect(Buffer.from((await render('raw')).data).equals(Buffer.from(polished.data))).toBe(false);
  });
});

describe('sandbox audio', () => {
  it('makes a 24 kHz 16-bit mono WAV with its true duration, and honours speed', async () => {
    const provider = adapter('elevenlabs');
    const text = 'Welcome to the future of artificial intelligence';
    const normal = outputOf(await runJob(provider, requestFor(provider, 'AUDIO', { text }, { voice: 'rachel', emotion: 'excited', speed: 1.0 })));
    const wav = readWav(normal.data);
    expect(wav).toMatchObject({ sampleRate: 24000, channels: 1, bits: 16 });
    expect(wav.duration).toBeGreaterThan(1.5);
    expect(normal.metadata).toMatchObject({ format: 'wav', sampleRate: 24000, channels: 1, contentType: 'audio/wav' });
    expect(normal.metadata.duration).toBeCloseTo(wav.duration, 3);

    const fast = readWav(outputOf(await runJob(provider, requestFor(provider, 'AUDIO', { text }, { speed: 1.2 }))).data);
    expect(wav.duration / fast.duration).toBeGreaterThan(1.1);
    expect(wav.duration / fast.duration).toBeLessThan(1.3);
    const longer = outputOf(await runJob(provider, requestFor(provider, 'AUDIO', { text: `${text}. ${text}.` })));
    expect(readWav(longer.data).duration).toBeGreaterThan(wav.duration * 1.8);
  });

  it('is a WAV ffprobe reads with the same duration, for any script', async () => {
    const provider = adapter('google-tts');
    const output = outputOf(await runJob(provider, requestFor(provider, 'AUDIO', { text: 'Xin chào, đây là Doitong.' }, { speed: 2 })));
    const info = await probe(output.data, 'wav');
    expect(info.streams[0]).toMatchObject({ codec_type: 'audio', codec_name: 'pcm_s16le', sample_rate: '24000', channels: 1 });
    expect(Number(info.format.duration)).toBeCloseTo(output.metadata.duration ?? 0, 2);
    expect(output.metadata.duration).toBeGreaterThan(0.3);
  });
});

/** Mean absolute difference of two grey frames, 0 to 255. */
function difference(first: Uint8Array, second: Uint8Array): number {
  let total = 0;
  for (let index = 0; index < first.length; index += 1) total += Math.abs(first[index]! - second[index]!);
  return total / first.length;
}

describe('sandbox video', () => {
  it('makes an H.264 MP4 of the requested size and length, with visible motion', async () => {
    const provider = adapter('seedance');
    const request = requestFor(provider, 'VIDEO', { text: 'A paper boat on a stream' }, { resolution: '480p', duration: 5 });
    const output = outputOf(await runJob(provider, request));
    const info = await probe(output.data, 'mp4');
    const video = info.streams.find((stream) => stream.codec_type === 'video');
    expect(video).toMatchObject({ codec_name: 'h264', width: 864, height: 480, r_frame_rate: '24/1' });
    expect(info.streams.some((stream) => stream.codec_type === 'audio')).toBe(false);
    expect(Number(info.format.duration)).toBeCloseTo(5, 1);
    expect(output.metadata).toMatchObject({ width: 864, height: 480, resolution: '480p', fps: 24, codec: 'h264', format: 'mp4', hasAudio: false });
    expect(output.metadata.duration).toBeCloseTo(Number(info.format.duration), 2);
    expect(output.metadata.fileSize).toBe(output.data.byteLength);

    const frames = await greyFrames(output.data, 864, 480);
    expect(frames).toHaveLength(120);
    expect(difference(frames[0]!, frames[119]!)).toBeGreaterThan(8);
    // Motion all along, not one jump: nearly every second of the clip differs from the one before.
    const moving = [24, 48, 72, 96].filter((index) => difference(frames[index - 24]!, frames[index]!) > 2);
    expect(moving.length).toBeGreaterThanOrEqual(3);
  });

  it('caps the rendered size when asked, and the metadata says the true size', async () => {
    const provider = sandboxProviders({ latencyMilliseconds: 0, maxVideoResolution: 180, providers: ['minimax'] })[0]!;
    const request = requestFor(provider, 'VIDEO', { text: 'A serene mountain landscape at sunset' }, { duration: 10, resolution: '1080p', style: 'cinematic' });
    const output = outputOf(await runJob(provider, request));
    const info = await probe(output.data, 'mp4');
    const video = info.streams.find((stream) => stream.codec_type === 'video');
    // 10 s Hailuo is 768P (1366x768); capped to a 180-pixel short side for this test.
    expect([video?.width, video?.height]).toEqual([320, 180]);
    expect(Number(info.format.duration)).toBeCloseTo(10, 1);
    expect(output.metadata).toMatchObject({ width: 320, height: 180, resolution: '180p', model: 'MiniMax-Hailuo-02' });
  });

  it('starts image-to-video from the given image', async () => {
    // Four coloured quadrants at the output's shape, sent as a data: URL.
    const quadrants: [number, number, number][] = [
      [220, 40, 40],
      [40, 200, 60],
      [40, 70, 220],
      [240, 220, 40],
    ];
    const source = new PNG({ width: 320, height: 180 });
    for (let y = 0; y < 180; y += 1)
      for (let x = 0; x < 320; x += 1) {
        const colour = quadrants[(y < 90 ? 0 : 2) + (x < 160 ? 0 : 1)]!;
        source.data.set([...colour, 255], (y * 320 + x) * 4);
      }
    const image = `data:image/png;base64,${PNG.sync.write(source).toString('base64')}`;
    const provider = sandboxProviders({ latencyMilliseconds: 0, maxVideoResolution: 180, providers: ['runway'] })[0]!;
    const output = outputOf(await runJob(provider, requestFor(provider, 'VIDEO', { text: 'The colours drift', image }, { model: 'gen-4', duration: 5 })));
    expect(output.metadata).toMatchObject({ width: 320, height: 180, codec: 'h264' });

    const first = await firstFrameRgb(output.data);
    const sample = (x: number, y: number) => [...first.subarray((y * 320 + x) * 3, (y * 320 + x) * 3 + 3)];
    const points: [number, number, number][] = [
      [60, 40, 0],
      [260, 40, 1],
      [60, 140, 2],
      [260, 140, 3],
    ];
    for (const [x, y, quadrant] of points) {
      const seen = sample(x, y);
      quadrants[quadrant]!.forEach((channel, index) => expect(Math.abs(seen[index]! - channel)).toBeLessThan(20));
    }
    const frames = await greyFrames(output.data, 320, 180);
    expect(difference(frames[0]!, frames.at(-1)!)).toBeGreaterThan(4);
  });

  it('gives an avatar a speech track and a mouth that follows it (the words are checked in test/system)', async () => {
    const provider = sandboxProviders({ latencyMilliseconds: 0, maxVideoResolution: 240, providers: ['heygen'] })[0]!;
    const script = 'Hello there. Welcome to the future of artificial intelligence.';
    const output = outputOf(
      await runJob(provider, requestFor(provider, 'AVATAR', { text: script, voice: 'professional_female' }, { resolution: '720p', aspectRatio: '16:9' })),
    );
    const info = await probe(output.data, 'mp4');
    const video = info.streams.find((stream) => stream.codec_type === 'video');
    const audio = info.streams.find((stream) => stream.codec_type === 'audio');
    expect(video).toMatchObject({ codec_name: 'h264', width: 426, height: 240 });
    expect(audio).toMatchObject({ codec_name: 'aac', sample_rate: '24000', channels: 1 });
    expect(output.metadata).toMatchObject({ hasAudio: true, sampleRate: 24000, channels: 1, fps: 25 });
    expect(Number(info.format.duration)).toBeCloseTo(output.metadata.duration ?? 0, 1);

    // How open the mouth is in each frame (dark pixels inside the mouth's box) against how loud
    // the sound track is in the same frame.
    const frames = await greyFrames(output.data, 426, 240);
    const { mouth, sway } = presenterLayout(426, 240);
    const box = {
      left: Math.floor(mouth.x - mouth.width / 2 - sway.x),
      right: Math.ceil(mouth.x + mouth.width / 2 + sway.x),
      top: Math.floor(mouth.y - mouth.maxOpening - sway.y),
      bottom: Math.ceil(mouth.y + mouth.maxOpening + sway.y),
    };
    const openness = frames.map((frame) => {
      let dark = 0;
      for (let y = box.top; y <= box.bottom; y += 1) for (let x = box.left; x <= box.right; x += 1) if (frame[y * 426 + x]! < 40) dark += 1;
      return dark;
    });
    const samples = await pcm16k(output.data, 'mp4');
    const perFrame = 16000 / 25;
    const loudness = openness.map((_, index) => {
      let sum = 0;
      for (let sample = Math.floor(index * perFrame); sample < Math.floor((index + 1) * perFrame); sample += 1) sum += (samples[sample] ?? 0) ** 2;
      return Math.sqrt(sum / perFrame);
    });
    expect(Math.max(...openness)).toBeGreaterThan(20);
    expect(openness[0]).toBe(0); // half a second of silence first: the mouth is shut
    expect(correlation(openness, loudness)).toBeGreaterThan(0.6);
  });
});

const inlineImage = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

describe('every sandbox provider', () => {
  const small = sandboxProviders({ latencyMilliseconds: 0, maxVideoResolution: 96 });
  const input = {
    text: 'A short test',
    image: 'https://example.com/face.jpg',
    video: 'https://example.com/dance.mp4',
  };

  it.each(small.map((provider) => [provider.id, provider] as const))('%s makes a file its metadata describes', async (_id, provider) => {
    const type = provider.types[0]!;
    const support = provider.inputs[type];
    // Only the inputs the provider takes, as the router would send them.
    const given: Record<string, string> = Object.fromEntries(
      Object.entries(input).filter(([field]) => support?.[field as keyof typeof support] !== 'unsupported'),
    );
    // These take their input image inline only (their APIs do not fetch links), as the router sends it.
    if (given.image && ['veo', 'flux-1.1-pro', 'flux-ultra', 'stable-diffusion'].includes(provider.id)) given.image = inlineImage;
    const options: Record<string, JsonValue> =
      provider.id === 'stable-diffusion' ? { strength: 0.5 } : provider.id === 'kling-ecommerce' ? { productTitle: 'Mug' } : {};
    const output = outputOf(await runJob(provider, requestFor(provider, type, given, options)));
    expect(output.metadata.fileSize).toBe(output.data.byteLength);
    if (output.contentType === 'image/png') {
      const png = PNG.sync.read(Buffer.from(output.data));
      expect([png.width, png.height]).toEqual([output.metadata.width, output.metadata.height]);
    } else if (output.contentType === 'audio/wav') {
      expect(readWav(output.data).duration).toBeCloseTo(output.metadata.duration ?? 0, 3);
    } else {
      const info = await probe(output.data, 'mp4');
      const video = info.streams.find((stream) => stream.codec_type === 'video');
      expect([video?.codec_name, video?.width, video?.height]).toEqual(['h264', output.metadata.width, output.metadata.height]);
      expect(info.streams.some((stream) => stream.codec_type === 'audio')).toBe(output.metadata.hasAudio);
      expect(Number(info.format.duration)).toBeCloseTo(output.metadata.duration ?? 0, 2);
    }
  });
});
