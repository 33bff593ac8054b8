import { createHash } from 'node:crypto';

/** A 32-bit number from any strings: the same words always give the same picture or sound. */
export function hashSeed(...parts: readonly (string | number)[]): number {
  return createHash('sha256').update(parts.join('\u0000')).digest().readUInt32LE(0);
}

/** Mulberry32: a tiny, fast, seedable generator; sandbox media needs repeatability, not secrecy. */
export function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** An RGB colour from the generator, kept away from the extremes so shapes stay visible. */
export function randomColor(random: () => number): [number, number, number] {
  return [40 + Math.floor(random() * 180), 40 + Math.floor(random() * 180), 40 + Math.floor(random() * 180)];
}
