// The prompt written over a picture: the caption band, its line wrapping and the small label, kept
// apart from the scene so type and layout are read in one place.
import { captionFont, type Context2D } from './canvas';

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
