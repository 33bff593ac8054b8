import { imageSize } from 'image-size';
import { DoitongError } from '../errors';
import type { GenerationInput } from './generation-input';

/**
 * Bounds on the media a caller hands in (input.image, input.audio, input.video). An image's
 * pixels are read from its header before anything decodes it: a 17 KB PNG can declare 12,000 ×
 * 12,000 pixels, and decoding it takes hundreds of megabytes.
 */
export interface InputMediaLimits {
  /** Width × height of an input image (default 4096 × 4096). */
  maxImagePixels: number;
  /** Bytes of an input image, inline or loaded to be decoded (default 20 MiB). */
  maxImageBytes: number;
  /** Bytes of an input audio file given inline (default 25 MiB). */
  maxAudioBytes: number;
  /** Bytes of an input video given inline (default 100 MiB). */
  maxVideoBytes: number;
}

export const defaultInputMediaLimits: InputMediaLimits = {
  maxImagePixels: 4096 * 4096,
  maxImageBytes: 20 * 1024 * 1024,
  maxAudioBytes: 25 * 1024 * 1024,
  maxVideoBytes: 100 * 1024 * 1024,
};

const dataUrl = /^data:([^;,]*)((?:;[^;,]*)*),/i;

/**
 * Checks the inline (data: URL) media of a generation's input against the limits before anything
 * else happens to it; linked media are checked by whatever loads them (`checkImageBytes`).
 * Throws INVALID_INPUT naming the field.
 */
export function checkInputMedia(input: GenerationInput, limits: InputMediaLimits): void {
  const fields = [
    ['image', limits.maxImageBytes],
    ['audio', limits.maxAudioBytes],
    ['video', limits.maxVideoBytes],
  ] as const;
  for (const [field, maxBytes] of fields) {
    const value = input[field];
    if (typeof value !== 'string' || !value.startsWith('data:')) continue;
    const option = `input.${field}`;
    const header = dataUrl.exec(value.slice(0, 256));
    if (!header) throw new DoitongError('INVALID_INPUT', `${option} is not a valid data: URL.`, { details: { option } });
    const payload = value.slice(header[0].length);
    const base64 = /;base64$/i.test(header[2] ?? '');
    // The decoded size is known from the text's length, before decoding anything.
    const size = base64 ? Math.floor((payload.replace(/=+$/, '').length * 3) / 4) : payload.length;
    if (size > maxBytes) throw new DoitongError('INVALID_INPUT', `${option} is larger than ${maxBytes} bytes.`, { details: { option, maxBytes } });
    if (field !== 'image') continue;
    let bytes: Uint8Array;
    try {
      bytes = base64 ? Buffer.from(payload, 'base64') : Buffer.from(decodeURIComponent(payload), 'latin1');
    } catch {
      throw new DoitongError('INVALID_INPUT', `${option} is not a valid data: URL.`, { details: { option } });
    }
    checkImageBytes(bytes, limits, option);
  }
}

/**
 * Checks an image's bytes before it is decoded: its size, and the pixels its header declares.
 * Returns the dimensions; throws INVALID_INPUT when over a limit or when no known header gives
 * them (an image whose size cannot be read first is not decoded at all).
 */
export function checkImageBytes(bytes: Uint8Array, limits: InputMediaLimits, option = 'input.image'): { width: number; height: number } {
  if (bytes.byteLength > limits.maxImageBytes)
    throw new DoitongError('INVALID_INPUT', `${option} is larger than ${limits.maxImageBytes} bytes.`, { details: { option, maxBytes: limits.maxImageBytes } });
  let width: number | undefined;
  let height: number | undefined;
  try {
    const size = imageSize(bytes);
    width = size.width;
    height = size.height;
    // Containers of several images (ICO, HEIF) are judged by their largest.
    for (const image of size.images ?? []) {
      width = Math.max(width ?? 0, image.width);
      height = Math.max(height ?? 0, image.height);
    }
  } catch {
    width = undefined;
  }
  if (!width || !height)
    throw new DoitongError('INVALID_INPUT', `${option} is not an image whose size can be read (PNG, JPEG, GIF, WebP, …).`, { details: { option } });
  if (width * height > limits.maxImagePixels)
    throw new DoitongError('INVALID_INPUT', `${option} is ${width} × ${height} pixels; at most ${limits.maxImagePixels} pixels are accepted.`, {
      details: { option, width, height, maxPixels: limits.maxImagePixels },
    });
  return { width, height };
}
