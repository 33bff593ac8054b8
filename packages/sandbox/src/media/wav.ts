/** 16-bit PCM, mono: what the TTS adapters ask their providers for (wav_24000, LINEAR16 at 24 kHz). */
export interface WavAudio {
  samples: Int16Array;
  sampleRate: number;
}

/** A RIFF/WAVE file: the 44-byte canonical header followed by little-endian samples. */
export function encodeWav(audio: WavAudio): Uint8Array {
  const channels = 1;
  const bytesPerSample = 2;
  const dataSize = audio.samples.length * bytesPerSample;
  const buffer = Buffer.alloc(44 + dataSize);
  buffer.write('RIFF', 0, 'ascii');
  buffer.writeUInt32LE(36 + dataSize, 4);
  buffer.write('WAVE', 8, 'ascii');
  buffer.write('fmt ', 12, 'ascii');
  buffer.writeUInt32LE(16, 16); // fmt chunk size for PCM
  buffer.writeUInt16LE(1, 20); // PCM
  buffer.writeUInt16LE(channels, 22);
  buffer.writeUInt32LE(audio.sampleRate, 24);
  buffer.writeUInt32LE(audio.sampleRate * channels * bytesPerSample, 28);
  buffer.writeUInt16LE(channels * bytesPerSample, 32);
  buffer.writeUInt16LE(bytesPerSample * 8, 34);
  buffer.write('data', 36, 'ascii');
  buffer.writeUInt32LE(dataSize, 40);
  for (let index = 0; index < audio.samples.length; index += 1) {
    buffer.writeInt16LE(audio.samples[index] ?? 0, 44 + index * bytesPerSample);
  }
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Seconds of sound in a WAV made by encodeWav. */
export function wavDuration(audio: WavAudio): number {
  return audio.samples.length / audio.sampleRate;
}
