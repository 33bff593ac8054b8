import { loadCanvas } from './canvas';
import { drawBackdrop, drawCaption, lookFor } from './look';

export interface PictureRequest {
  width: number;
  height: number;
  /** The prompt: its words choose colours and shapes, and it is written on the picture. */
  prompt: string;
  /** Arranges everything the prompt leaves open: the same prompt and seed give the same bytes. */
  seed: number;
  /** The small label in the corner (provider, model, seed). */
  label: string;
  /** A "raw" photo look: muted colours. */
  muted?: boolean;
}

/**
 * A PNG of the prompt: a scene read from its words (sunset, snow, city, its colour…), the prompt
 * itself written large enough to read, at the exact size the provider would deliver. Drawn by
 * Skia and encoded on libuv's thread pool, so a 4-megapixel picture does not block the host.
 */
export async function renderPicture(request: PictureRequest): Promise<Uint8Array> {
  const { createCanvas } = await loadCanvas();
  const canvas = createCanvas(request.width, request.height);
  const context = canvas.getContext('2d');
  drawBackdrop(context, request.width, request.height, lookFor(request.prompt, request.seed, { muted: request.muted ?? false }));
  drawCaption(context, request.width, request.height, request.prompt, request.label);
  return new Uint8Array(await canvas.encode('png'));
}
