/** `16:9` → [16, 9]. Aspect ratios in option specs are validated, so the format is known. */
export function parseAspectRatio(aspectRatio: string): [number, number] {
  const [across, down] = aspectRatio.split(':').map(Number);
  return [across ?? 1, down ?? 1];
}

/** `720p` → 720, `4k` → 2160, `768P` → 768. */
export function resolutionHeight(resolution: string): number {
  if (resolution.toLowerCase() === '4k') return 2160;
  return Number.parseInt(resolution, 10);
}

/**
 * Frame size of a video: the resolution label names the short side (a 9:16 "1080p" video is
 * 1080x1920), as every video API in the catalog means it. Sides are even, as H.264 4:2:0 needs.
 */
export function videoSize(resolution: string, aspectRatio: string): { width: number; height: number } {
  const short = resolutionHeight(resolution);
  const [across, down] = parseAspectRatio(aspectRatio);
  const long = even((short * Math.max(across, down)) / Math.min(across, down));
  return across >= down ? { width: long, height: short } : { width: short, height: long };
}

/** Image size near `megapixels` at an aspect ratio, both sides multiples of `multiple` (diffusion latents). */
export function imageSize(aspectRatio: string, megapixels: number, multiple = 64): { width: number; height: number } {
  const [across, down] = parseAspectRatio(aspectRatio);
  const width = Math.sqrt((megapixels * 1_000_000 * across) / down);
  const height = (width * down) / across;
  return { width: roundTo(width, multiple), height: roundTo(height, multiple) };
}

/** `1920x1080` → `1080p`: the label a caller expects, from the short side. */
export function resolutionLabel(width: number, height: number): string {
  return `${Math.min(width, height)}p`;
}

function even(value: number): number {
  return Math.round(value / 2) * 2;
}

function roundTo(value: number, multiple: number): number {
  return Math.max(multiple, Math.round(value / multiple) * multiple);
}
