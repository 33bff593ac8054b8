// Drawing a Look's scene (sky, motifs and the subject's light) under the caption; the shapes of every
// motif live here, apart from the prompt reading and the caption's type.
import { randomFrom } from '../random';
import type { Context2D } from './canvas';
import { css, shade, type Rgb } from './colour';
import type { Look } from './scenes';

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
