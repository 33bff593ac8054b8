/**
 * Seconds of speech for a script: about 15 characters a second at normal speed (150 words a
 * minute), divided by the speed factor. Used to quote TTS and avatar jobs before they run and to
 * size the sandbox's audio; a real provider's file says the true length.
 */
export function speechSeconds(text: string | undefined, speed = 1): number {
  const characters = (text ?? '').trim().length;
  return Math.max(0.6, characters / 15 / (speed > 0 ? speed : 1));
}
