import { randomFrom } from '../random';
import type { WavAudio } from './wav';

/** Soft ambience (filtered noise with a slow swell) for videos whose provider makes sound, like Veo 3. */
export function ambienceAudio(duration: number, sampleRate: number, seed: number): WavAudio {
  const random = randomFrom(seed);
  const total = Math.max(1, Math.round(duration * sampleRate));
  const samples = new Int16Array(total);
  const tone = 80 + random() * 160;
  let smoothed = 0;
  for (let index = 0; index < total; index += 1) {
    const time = index / sampleRate;
    smoothed += 0.02 * (random() * 2 - 1 - smoothed); // a one-pole low-pass: rumble, not hiss
    const swell = 0.6 + 0.4 * Math.sin(2 * Math.PI * 0.2 * time);
    const value = swell * (2.5 * smoothed + 0.2 * Math.sin(2 * Math.PI * tone * time));
    samples[index] = Math.round(Math.max(-1, Math.min(1, value)) * 0.5 * 32767);
  }
  return { samples, sampleRate };
}
