import type { GenerationMetadata, GenerationRequest } from '@doitong/core';
import type { CatalogEntry } from '../catalog/entry';

/** What the catalog plan says about the output, as metadata the provider does not return itself. */
export function plannedMetadata(entry: CatalogEntry, request: GenerationRequest): GenerationMetadata {
  const plan = entry.plan(request);
  const metadata: GenerationMetadata = { model: plan.wireModel };
  if (plan.width !== undefined && plan.height !== undefined) {
    metadata.width = plan.width;
    metadata.height = plan.height;
    metadata.resolution = plan.kind === 'image' ? `${plan.width}x${plan.height}` : `${Math.min(plan.width, plan.height)}p`;
  }
  if (plan.kind === 'video') {
    if (plan.duration !== undefined) metadata.duration = plan.duration;
    if (plan.fps !== undefined) metadata.fps = plan.fps;
    if (plan.hasAudio !== undefined) metadata.hasAudio = plan.hasAudio;
  }
  return metadata;
}

/** Facts of a WAV file read from its header (ElevenLabs `wav_24000`, Google LINEAR16). */
export function wavMetadata(bytes: Uint8Array): GenerationMetadata {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < 44 || buffer.toString('ascii', 0, 4) !== 'RIFF' || buffer.toString('ascii', 8, 12) !== 'WAVE') return { format: 'wav' };
  let offset = 12;
  let channels = 1;
  let sampleRate = 0;
  let bitsPerSample = 16;
  let dataSize = 0;
  while (offset + 8 <= buffer.length) {
    const id = buffer.toString('ascii', offset, offset + 4);
    const size = buffer.readUInt32LE(offset + 4);
    if (id === 'fmt ' && offset + 24 <= buffer.length) {
      channels = buffer.readUInt16LE(offset + 10);
      sampleRate = buffer.readUInt32LE(offset + 12);
      bitsPerSample = buffer.readUInt16LE(offset + 22);
    } else if (id === 'data') {
      // Streaming encoders write 0 or 0xFFFFFFFF: then the data runs to the end of the file.
      dataSize = size === 0 || size === 0xffffffff ? buffer.length - offset - 8 : Math.min(size, buffer.length - offset - 8);
      break;
    }
    offset += 8 + size + (size % 2);
  }
  const bytesPerSecond = sampleRate * channels * (bitsPerSample / 8);
  return {
    format: 'wav',
    sampleRate,
    channels,
    ...(bytesPerSecond > 0 ? { duration: Math.round((dataSize / bytesPerSecond) * 1000) / 1000 } : {}),
  };
}
