// The look of a sandbox picture, in one import for the pictures and clips that draw it: the prompt's
// reading (scenes.ts), its scene (backdrop.ts) and its caption (caption.ts) live in their own modules.
export { drawBackdrop, glow } from './backdrop';
export { drawCaption } from './caption';
export { lookFor, type Look } from './scenes';
