import type { JsonValue } from '@doitong/core';
import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { sandboxProviders, type SandboxAdapter } from '@doitong/adapters';
import { outputOf, probe, requestFor, runJob } from './helpers';

const adapters = sandboxProviders({ latencyMs: 0 });
const adapter = (id: string): SandboxAdapter => {
  const found = adapters.find((candidate) => candidate.id === id);
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

  it('is deterministic for the same prompt and seed, and differs for another seed', async () => {
    const provider = adapter('stable-diffusion');
    const render = async (seed: number) =>
      outputOf(await runJob(provider, requestFor(provider, 'IMAGE', { text: 'Lighthouse' }, { aspectRatio: '9:16', seed }))).data;
    const first = await render(42);
    expect(Buffer.from(await render(42)).equals(Buffer.from(first))).toBe(true);
    expect(Buffer.from(await render(43)).equals(Buffer.from(first))).toBe(false);
    const png = PNG.sync.read(Buffer.from(first));
    expect([png.width, png.height]).toEqual([768, 1344]);
  });

  it('renders the seed’s flux-ultra sample at its four-megapixel size', async () => {
    const provider = adapter('flux-ultra');
    const request = requestFor(provider, 'IMAGE', { text: 'Photorealistic portrait in Rembrandt style' }, { aspectRatio: '16:9', quality: 'ultra', seed: 42 });
    const output = outputOf(await runJob(provider, request));
    const png = PNG.sync.read(Buffer.from(output.data));
    expect([png.width, png.height]).toEqual([2752, 1536]);
    expect(output.metadata.model).toBe('flux-pro-1.1-ultra');
  });
});

describe('sandbox audio', () => {
  it('makes a 24 kHz 16-bit mono WAV whose length follows the text and the speed', async () => {
    const provider = adapter('elevenlabs');
    const text = 'Welcome to the future of artificial intelligence';
    const normal = outputOf(await runJob(provider, requestFor(provider, 'AUDIO', { text }, { voice: 'rachel', emotion: 'excited', speed: 1.0 })));
    const wav = readWav(normal.data);
    expect(wav).toMatchObject({ sampleRate: 24000, channels: 1, bits: 16 });
    expect(wav.duration).toBeCloseTo(text.length / 15, 1);
    expect(normal.metadata).toMatchObject({ format: 'wav', sampleRate: 24000, channels: 1, contentType: 'audio/wav' });
    expect(normal.metadata.duration).toBeCloseTo(wav.duration, 3);

    const fast = outputOf(await runJob(provider, requestFor(provider, 'AUDIO', { text }, { speed: 1.2 })));
    expect(readWav(fast.data).duration).toBeCloseTo(wav.duration / 1.2, 2);
    const longer = outputOf(await runJob(provider, requestFor(provider, 'AUDIO', { text: `${text}. ${text}.` })));
    expect(readWav(longer.data).duration).toBeGreaterThan(wav.duration * 1.9);
  });

  it('is a WAV ffprobe reads with the same duration', async () => {
    const provider = adapter('google-tts');
    const output = outputOf(await runJob(provider, requestFor(provider, 'AUDIO', { text: 'Xin chào, đây là Doitong.' }, { speed: 2 })));
    const info = await probe(output.data, 'wav');
    expect(info.streams[0]).toMatchObject({ codec_type: 'audio', codec_name: 'pcm_s16le', sample_rate: '24000', channels: 1 });
    expect(Number(info.format.duration)).toBeCloseTo(output.metadata.duration ?? 0, 2);
  });
});

describe('sandbox video', () => {
  it('makes an H.264 MP4 of the requested size and length', async () => {
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
  });

  it('caps the rendered size when asked, and the metadata says the true size', async () => {
    const provider = sandboxProviders({ latencyMs: 0, maxVideoResolution: 180, providers: ['minimax'] })[0]!;
    const request = requestFor(provider, 'VIDEO', { text: 'A serene mountain landscape at sunset' }, { duration: 10, resolution: '1080p', style: 'cinematic' });
    const output = outputOf(await runJob(provider, request));
    const info = await probe(output.data, 'mp4');
    const video = info.streams.find((stream) => stream.codec_type === 'video');
    // 10 s Hailuo is 768P (1366x768); capped to a 180-pixel short side for this test.
    expect([video?.width, video?.height]).toEqual([320, 180]);
    expect(Number(info.format.duration)).toBeCloseTo(10, 1);
    expect(output.metadata).toMatchObject({ width: 320, height: 180, resolution: '180p', model: 'MiniMax-Hailuo-02' });
  });

  it('gives an avatar a speech track as long as the script', async () => {
    const provider = adapter('heygen');
    const request = requestFor(provider, 'AVATAR', { text: 'Hello there', voice: 'professional_female' }, { resolution: '720p', aspectRatio: '9:16' });
    const output = outputOf(await runJob(provider, request));
    const info = await probe(output.data, 'mp4');
    const video = info.streams.find((stream) => stream.codec_type === 'video');
    const audio = info.streams.find((stream) => stream.codec_type === 'audio');
    expect(video).toMatchObject({ codec_name: 'h264', width: 720, height: 1280 });
    expect(audio).toMatchObject({ codec_name: 'aac', sample_rate: '24000', channels: 1 });
    const expected = 'Hello there'.length / 15 + 1;
    expect(Number(info.format.duration)).toBeCloseTo(expected, 1);
    expect(output.metadata).toMatchObject({ hasAudio: true, sampleRate: 24000, channels: 1, fps: 25 });
  });
});

describe('every sandbox provider', () => {
  const small = sandboxProviders({ latencyMs: 0, maxVideoResolution: 96 });
  const input = {
    text: 'A short test',
    image: 'https://example.com/face.jpg',
    video: 'https://example.com/dance.mp4',
  };

  it.each(small.map((provider) => [provider.id, provider] as const))('%s makes a file its metadata describes', async (_id, provider) => {
    const type = provider.types[0]!;
    const support = provider.inputs[type];
    // Only the inputs the provider takes, as the router would send them.
    const given = Object.fromEntries(Object.entries(input).filter(([field]) => support?.[field as keyof typeof support] !== 'unsupported'));
    const options: Record<string, JsonValue> = provider.id === 'stable-diffusion' ? { strength: 0.5 } : provider.id === 'kling-ecommerce' ? { productTitle: 'Mug' } : {};
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
