import { randomFrom } from '../random';
import type { WavAudio } from './wav';

/**
 * Speech-like sound for a script: one voiced burst per letter group, silence at spaces and longer
 * silence at punctuation, stretched to exactly `duration` seconds. Not words, but it has the
 * rhythm and length of the script, which is what a test of the pipeline needs.
 */
export function speechAudio(text: string, duration: number, sampleRate: number, seed: number): WavAudio {
  const random = randomFrom(seed);
  const total = Math.max(1, Math.round(duration * sampleRate));
  const samples = new Int16Array(total);
  const units = rhythm(text.trim().length > 0 ? text : 'sandbox');
  const weight = units.reduce((sum, unit) => sum + unit.length, 0);
  const pitch = 110 + random() * 110; // a low or a high voice, from the seed
  let cursor = 0;
  for (const unit of units) {
    const length = Math.round((unit.length / weight) * total);
    if (unit.voiced) {
      const vowel = 300 + random() * 500;
      for (let index = 0; index < length && cursor + index < total; index += 1) {
        const time = (cursor + index) / sampleRate;
        const envelope = Math.sin((Math.PI * index) / length);
        const glide = pitch * (1 + 0.08 * Math.sin((Math.PI * index) / length));
        const value =
          0.55 * Math.sin(2 * Math.PI * glide * time) +
          0.25 * Math.sin(2 * Math.PI * glide * 2 * time) +
          0.15 * Math.sin(2 * Math.PI * vowel * time) +
          0.03 * (random() * 2 - 1);
        samples[cursor + index] = Math.round(value * envelope * 0.6 * 32767);
      }
    }
    cursor += length;
  }
  return { samples, sampleRate };
}

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

interface RhythmUnit {
  voiced: boolean;
  /** Relative length. */
  length: number;
}

/** The script as voiced syllables and pauses, in relative lengths. */
function rhythm(text: string): RhythmUnit[] {
  const units: RhythmUnit[] = [];
  for (const word of text.split(/(\s+|[.,;:!?]+)/)) {
    if (word.length === 0) continue;
    if (/^\s+$/.test(word)) units.push({ voiced: false, length: 1 });
    else if (/^[.,;:!?]+$/.test(word)) units.push({ voiced: false, length: 4 });
    else {
      // About three letters a syllable, each syllable a burst followed by a short gap.
      const syllables = Math.max(1, Math.round(word.length / 3));
      for (let index = 0; index < syllables; index += 1) {
        units.push({ voiced: true, length: word.length / syllables });
        units.push({ voiced: false, length: 0.3 });
      }
    }
  }
  return units;
}
