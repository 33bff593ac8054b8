// Colour arithmetic shared by the prompt reading and the drawing: an RGB triple and the few
// conversions the sandbox pictures need, kept apart so neither side carries the other's code.

export type Rgb = [number, number, number];

export function css(colour: Rgb): string {
  return `rgb(${colour.map((channel) => Math.round(channel)).join(',')})`;
}

export function shade(colour: Rgb, factor: number): Rgb {
  return colour.map((channel) => Math.min(255, channel * factor)) as Rgb;
}

export function mute(colour: Rgb): Rgb {
  const grey = (colour[0] + colour[1] + colour[2]) / 3;
  return colour.map((channel) => channel + (grey - channel) * 0.45) as Rgb;
}

export function hsl(hue: number, saturation: number, lightness: number): Rgb {
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
