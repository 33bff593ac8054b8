/**
 * When to ask a provider again. Polls start at about a twentieth of the estimated time and
 * back off by half each time, up to a quarter of it (between 1 and 30 seconds), so a
 * ten-second image is checked often and a five-minute video is not hammered.
 */
export function pollDelay(estimatedSeconds: number, attempt: number): number {
  const estimate = Math.max(1, estimatedSeconds) * 1000;
  const first = clamp(estimate / 20, 250, 5_000);
  const ceiling = clamp(estimate / 4, 1_000, 30_000);
  return Math.round(Math.min(ceiling, first * 1.5 ** attempt));
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
