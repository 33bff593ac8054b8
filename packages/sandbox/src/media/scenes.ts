// Reading a prompt: its scene words and first colour word become a Look, the plan that the backdrop
// and the clips then draw; kept apart from the drawing so the words can grow without touching it.
import { randomFrom } from '../random';
import { hsl, mute, type Rgb } from './colour';

type Motif = 'sun' | 'moon' | 'stars' | 'mountains' | 'waves' | 'city' | 'trees' | 'snow' | 'dunes';

/** What a picture of a prompt looks like: colours and shapes read from its words, arranged by the seed. */
export interface Look {
  sky: [Rgb, Rgb];
  /** The colour of the prompt's subject (its first colour word), drawn as the brightest light. */
  accent: Rgb;
  motifs: Motif[];
  /** Random numbers for this picture: the same prompt and seed always draw the same thing. */
  seed: number;
}

const scenes: Array<{ words: RegExp; sky?: [Rgb, Rgb]; motifs: Motif[] }> = [
  {
    words: /\b(sunset|sunrise|dusk|dawn|golden hour)\b/,
    sky: [
      [255, 126, 95],
      [254, 180, 123],
    ],
    motifs: ['sun'],
  },
  {
    words: /\b(night|midnight|moon|stars?|starry|space|galaxy|cosmic)\b/,
    sky: [
      [11, 16, 38],
      [43, 58, 103],
    ],
    motifs: ['moon', 'stars'],
  },
  {
    words: /\b(snow|snowy|winter|ice|icy|arctic|frozen)\b/,
    sky: [
      [170, 195, 220],
      [232, 240, 248],
    ],
    motifs: ['snow'],
  },
  {
    words: /\b(forest|jungle|trees?|woods?|garden|park)\b/,
    sky: [
      [120, 170, 140],
      [210, 230, 200],
    ],
    motifs: ['trees'],
  },
  {
    words: /\b(ocean|sea|beach|waves?|lake|river|stream|boat|surf|underwater)\b/,
    sky: [
      [30, 96, 145],
      [118, 199, 232],
    ],
    motifs: ['waves'],
  },
  {
    words: /\b(desert|sand|dunes?|sahara)\b/,
    sky: [
      [244, 208, 63],
      [229, 152, 102],
    ],
    motifs: ['dunes', 'sun'],
  },
  { words: /\b(mountains?|landscape|hills?|valley|alps|peaks?)\b/, motifs: ['mountains'] },
  {
    words: /\b(city|street|neon|cyberpunk|buildings?|skyline|downtown|tokyo|new york)\b/,
    sky: [
      [26, 26, 46],
      [233, 69, 96],
    ],
    motifs: ['city'],
  },
  {
    words: /\b(fire|flames?|lava|volcano|burning)\b/,
    sky: [
      [127, 0, 0],
      [255, 140, 0],
    ],
    motifs: [],
  },
];

const colours: Record<string, Rgb> = {
  red: [215, 38, 61],
  orange: [244, 96, 54],
  yellow: [249, 200, 14],
  gold: [212, 175, 55],
  green: [46, 147, 60],
  blue: [27, 152, 224],
  purple: [123, 44, 191],
  violet: [143, 0, 255],
  pink: [255, 112, 166],
  white: [245, 245, 245],
  black: [25, 25, 25],
  silver: [192, 192, 192],
  brown: [139, 90, 43],
  grey: [136, 136, 136],
  gray: [136, 136, 136],
};

/**
 * Reads a prompt for its scene words (sunset, night, snow, forest, ocean, desert, mountains, city,
 * fire) and its first colour word; the seed decides the rest. `muted` is the look of a "raw" photo.
 */
export function lookFor(prompt: string, seed: number, options: { muted?: boolean } = {}): Look {
  const words = prompt.toLowerCase();
  const random = randomFrom(seed);
  let sky: [Rgb, Rgb] = [hsl(random() * 360, 0.55, 0.35), hsl(random() * 360, 0.6, 0.62)];
  const motifs: Motif[] = [];
  for (const scene of scenes) {
    if (!scene.words.test(words)) continue;
    if (scene.sky && motifs.length === 0) sky = scene.sky;
    for (const motif of scene.motifs) if (!motifs.includes(motif)) motifs.push(motif);
  }
  const named = /\b(red|orange|yellow|gold|green|blue|purple|violet|pink|white|black|silver|brown|grey|gray)\b/.exec(words);
  let accent = named ? colours[named[1]!]! : hsl(random() * 360, 0.75, 0.6);
  if (options.muted) {
    sky = [mute(sky[0]), mute(sky[1])];
    accent = mute(accent);
  }
  return { sky, accent, motifs, seed };
}
