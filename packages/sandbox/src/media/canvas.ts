import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The drawing surface of @napi-rs/canvas (Skia, prebuilt inside the npm package). */
export type CanvasModule = typeof import('@napi-rs/canvas');
export type Canvas = import('@napi-rs/canvas').Canvas;
export type Context2D = import('@napi-rs/canvas').SKRSContext2D;
export type Picture = import('@napi-rs/canvas').Image;

/** The font every sandbox caption uses: DejaVu Sans, read from the dejavu-fonts-ttf npm package. */
export const captionFont = 'Doitong Sans';

let loaded: Promise<CanvasModule> | undefined;

/**
 * Loads Skia and the caption fonts on first use, so hosts that never render sandbox media never
 * load the native module. Nothing is fetched: the binary and the fonts ship in npm packages.
 */
export function loadCanvas(): Promise<CanvasModule> {
  loaded ??= import('@napi-rs/canvas').then((module) => {
    const canvas = ((module as { default?: CanvasModule }).default ?? module) as CanvasModule;
    const fonts = join(packageFolder('dejavu-fonts-ttf'), 'ttf');
    canvas.GlobalFonts.registerFromPath(join(fonts, 'DejaVuSans-Bold.ttf'), captionFont);
    canvas.GlobalFonts.registerFromPath(join(fonts, 'DejaVuSans.ttf'), `${captionFont} Regular`);
    return canvas;
  });
  return loaded;
}

/** The folder of an installed package, found the way Node finds it from this file. */
export function packageFolder(name: string): string {
  // The CommonJS build gets `import.meta.url` from tsup's shims.
  const resolver = createRequire(import.meta.url);
  const manifest = resolver.resolve(`${name}/package.json`);
  return manifest.slice(0, -'/package.json'.length);
}
