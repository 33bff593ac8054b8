import { randomFrom } from '../random';
import { captionFont, type Context2D } from './canvas';

type Rgb = [number, number, number];
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

/** The scene without its caption: sky, the prompt's motifs, and soft lights, filling `width` x `height`. */
export function drawBackdrop(context: Context2D, width: number, height: number, look: Look): void {
  const random = randomFrom(look.seed ^ 0x5f3759df);
  const sky = context.createLinearGradient(0, 0, width * 0.3, height);
  sky.addColorStop(0, css(look.sky[0]));
  sky.addColorStop(1, css(look.sky[1]));
  context.fillStyle = sky;
  context.fillRect(0, 0, width, height);
  const short = Math.min(width, height);
  const horizon = height * (0.55 + random() * 0.12);

  for (const motif of look.motifs) {
    if (motif === 'sun' || motif === 'moon') {
      const x = width * (0.2 + random() * 0.6);
      const y = horizon - short * (0.12 + random() * 0.15);
      const radius = short * (motif === 'sun' ? 0.11 : 0.07);
      glow(context, x, y, radius * 3, motif === 'sun' ? [255, 220, 120] : [230, 235, 255], 0.45);
      context.fillStyle = motif === 'sun' ? 'rgb(255,236,170)' : 'rgb(240,242,255)';
      context.beginPath();
      context.arc(x, y, radius, 0, Math.PI * 2);
      context.fill();
    } else if (motif === 'stars') {
      context.fillStyle = 'rgba(255,255,255,0.85)';
      for (let index = 0; index < 140; index += 1) {
        const size = Math.max(1, short * 0.003 * (0.5 + random()));
        context.fillRect(random() * width, random() * horizon, size, size);
      }
    } else if (motif === 'mountains') {
      ridge(context, width, height, horizon - short * 0.18, short * 0.22, [70, 80, 110], random);
      ridge(context, width, height, horizon - short * 0.05, short * 0.14, [45, 55, 80], random);
    } else if (motif === 'trees') {
      for (let index = 0; index < 16; index += 1) {
        const x = random() * width;
        const tall = short * (0.15 + random() * 0.2);
        context.fillStyle = css(shade([34, 90, 50], 0.7 + random() * 0.5));
        context.beginPath();
        context.moveTo(x, horizon - tall);
        context.lineTo(x - tall * 0.3, horizon + short * 0.02);
        context.lineTo(x + tall * 0.3, horizon + short * 0.02);
        context.closePath();
        context.fill();
      }
      context.fillStyle = 'rgb(40,80,45)';
      context.fillRect(0, horizon, width, height - horizon);
    } else if (motif === 'waves') {
      context.fillStyle = 'rgb(22,78,125)';
      context.fillRect(0, horizon, width, height - horizon);
      context.strokeStyle = 'rgba(255,255,255,0.35)';
      context.lineWidth = Math.max(1, short * 0.006);
      for (let row = 0; row < 7; row += 1) {
        const y = horizon + ((height - horizon) * (row + 0.5)) / 7;
        const phase = random() * Math.PI * 2;
        context.beginPath();
        for (let x = 0; x <= width; x += Math.max(4, width / 80)) context.lineTo(x, y + Math.sin(x / (short * 0.05) + phase) * short * 0.008);
        context.stroke();
      }
    } else if (motif === 'dunes') {
      ridge(context, width, height, horizon, short * 0.08, [214, 160, 90], random);
    } else if (motif === 'city') {
      let x = 0;
      while (x < width) {
        const wide = short * (0.06 + random() * 0.08);
        const tall = short * (0.15 + random() * 0.4);
        context.fillStyle = css(shade([20, 22, 40], 0.8 + random() * 0.6));
        context.fillRect(x, horizon - tall, wide, height - horizon + tall);
        context.fillStyle = 'rgba(255,214,120,0.7)';
        for (let window = 0; window < 10; window += 1) {
          if (random() < 0.5)
            context.fillRect(x + random() * (wide - 4), horizon - tall + random() * tall, Math.max(1, short * 0.008), Math.max(1, short * 0.01));
        }
        x += wide + short * 0.005;
      }
    } else if (motif === 'snow') {
      context.fillStyle = 'rgb(236,242,248)';
      context.fillRect(0, horizon, width, height - horizon);
      context.fillStyle = 'rgba(255,255,255,0.9)';
      for (let index = 0; index < 120; index += 1) {
        context.beginPath();
        context.arc(random() * width, random() * height, Math.max(1, short * 0.004 * (0.5 + random())), 0, Math.PI * 2);
        context.fill();
      }
    }
  }
  // The subject: a soft light in the prompt's colour on a third of the frame.
  glow(context, width * (random() < 0.5 ? 0.33 : 0.66), height * 0.45, short * 0.35, look.accent, 0.75);
}

/** A caption band at the bottom with the prompt in large type, and a small label at the top. */
export function drawCaption(context: Context2D, width: number, height: number, text: string, label: string): void {
  const short = Math.min(width, height);
  const size = Math.max(12, Math.round(short / 14));
  const margin = Math.round(size * 0.8);
  context.font = `${size}px "${captionFont}"`;
  const lines = wrap(context, text.trim() === '' ? 'Doitong sandbox' : text.trim(), width - margin * 2, 3);
  const lineHeight = Math.round(size * 1.25);
  const band = lines.length * lineHeight + margin * 1.2;
  context.fillStyle = 'rgba(0,0,0,0.55)';
  context.fillRect(0, height - band, width, band);
  context.fillStyle = '#ffffff';
  context.textBaseline = 'top';
  lines.forEach((line, index) => context.fillText(line, margin, height - band + margin * 0.6 + index * lineHeight));

  let small = Math.max(10, Math.round(size * 0.45));
  context.font = `${small}px "${captionFont}"`;
  // The label shrinks to fit narrow frames rather than run off the edge.
  while (small > 7 && context.measureText(label).width > width - margin * 2) {
    small -= 1;
    context.font = `${small}px "${captionFont}"`;
  }
  const labelWidth = context.measureText(label).width;
  context.fillStyle = 'rgba(0,0,0,0.45)';
  context.fillRect(margin * 0.5, margin * 0.5, labelWidth + small, small * 1.6);
  context.fillStyle = 'rgba(255,255,255,0.92)';
  context.fillText(label, margin * 0.5 + small / 2, margin * 0.5 + small * 0.3);
}

/** A soft round light, bright at the centre and gone at `radius`. */
export function glow(context: Context2D, x: number, y: number, radius: number, colour: Rgb, strength: number): void {
  const gradient = context.createRadialGradient(x, y, 0, x, y, radius);
  gradient.addColorStop(0, `rgba(${colour.join(',')},${strength})`);
  gradient.addColorStop(1, `rgba(${colour.join(',')},0)`);
  context.fillStyle = gradient;
  context.fillRect(x - radius, y - radius, radius * 2, radius * 2);
}

function ridge(context: Context2D, width: number, height: number, base: number, amplitude: number, colour: Rgb, random: () => number): void {
  context.fillStyle = css(colour);
  context.beginPath();
  context.moveTo(0, height);
  const peaks = 5 + Math.floor(random() * 4);
  for (let index = 0; index <= peaks; index += 1) {
    const x = (width * index) / peaks;
    context.lineTo(x, base - amplitude * (0.3 + random() * 0.7));
    if (index < peaks) context.lineTo(x + width / peaks / 2, base - amplitude * random() * 0.3);
  }
  context.lineTo(width, height);
  context.closePath();
  context.fill();
}

/** Words on up to `maxLines` lines that fit `maxWidth`; the last line ends in an ellipsis when cut. */
function wrap(context: Context2D, text: string, maxWidth: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  const words = text.split(/\s+/);
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index]!;
    const candidate = line === '' ? word : `${line} ${word}`;
    if (context.measureText(candidate).width <= maxWidth || line === '') {
      line = candidate;
      continue;
    }
    lines.push(line);
    line = word;
    if (lines.length === maxLines) {
      line = '';
      break;
    }
  }
  if (line !== '') lines.push(line);
  if (lines.length === maxLines && lines.join(' ').length < text.length) {
    let last = lines[maxLines - 1]!;
    while (last.length > 1 && context.measureText(`${last}…`).width > maxWidth) last = last.slice(0, -1);
    lines[maxLines - 1] = `${last.trimEnd()}…`;
  }
  return lines;
}

function css(colour: Rgb): string {
  return `rgb(${colour.map((channel) => Math.round(channel)).join(',')})`;
}

function shade(colour: Rgb, factor: number): Rgb {
  return colour.map((channel) => Math.min(255, channel * factor)) as Rgb;
}

function mute(colour: Rgb): Rgb {
  const grey = (colour[0] + colour[1] + colour[2]) / 3;
  return colour.map((channel) => channel + (grey - channel) * 0.45) as Rgb;
}

function hsl(hue: number, saturation: number, lightness: number): Rgb {
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const section = hue / 60;
  const second = chroma * (1 - Math.abs((section % 2) - 1));
  const [red, green, blue] =
    section < 1
      ? [chroma, second, 0]
      : section < 2
        ? [second, chroma, 0]
        : section < 3
          ? [0, chroma, second]
          : section < 4
            ? [0, second, chroma]
            : section < 5
              ? [second, 0, chroma]
              : [chroma, 0, second];
  const match = lightness - chroma / 2;
  return [(red + match) * 255, (green + match) * 255, (blue + match) * 255];
}
