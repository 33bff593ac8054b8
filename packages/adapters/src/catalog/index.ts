import type { CatalogEntry } from './entry';
import { elevenlabs } from './elevenlabs';
import { flux11Pro, fluxKontext, fluxPro, fluxUltra } from './flux-bfl';
import { fluxOptimized, fluxSchnell } from './flux-gateways';
import { googleTts } from './google-tts';
import { heygen } from './heygen';
import { imagen } from './imagen';
import { kling } from './kling';
import { klingEcommerce } from './kling-ecommerce';
import { kolors } from './kolors';
import { luma } from './luma';
import { minimax } from './minimax';
import { runway } from './runway';
import { seedance } from './seedance';
import { seedream } from './seedream';
import { stableDiffusion } from './stable-diffusion';
import { syncLipsync } from './sync-lipsync';
import { veo } from './veo';
import { viggle } from './viggle';

/**
 * Every provider Doitong knows, as data: descriptions without transports. `providers(type)`, the
 * router and the sandbox all read this one list. Ordered by type, then roughly by prominence.
 */
export const catalog: readonly CatalogEntry[] = [
  // VIDEO
  kling,
  minimax,
  veo,
  runway,
  luma,
  viggle,
  seedance,
  klingEcommerce,
  // IMAGE
  imagen,
  fluxSchnell,
  fluxPro,
  flux11Pro,
  fluxUltra,
  fluxKontext,
  fluxOptimized,
  seedream,
  kolors,
  stableDiffusion,
  // AUDIO
  elevenlabs,
  googleTts,
  // AVATAR
  heygen,
  syncLipsync,
];

/** The catalog entry with this id, if any. */
export function catalogEntry(id: string): CatalogEntry | undefined {
  return catalog.find((entry) => entry.id === id);
}

export type { CatalogEntry, OutputPlan } from './entry';
export { catalogContractVersion } from './entry';
export {
  elevenlabs,
  flux11Pro,
  fluxKontext,
  fluxOptimized,
  fluxPro,
  fluxSchnell,
  fluxUltra,
  googleTts,
  heygen,
  imagen,
  kling,
  klingEcommerce,
  kolors,
  luma,
  minimax,
  runway,
  seedance,
  seedream,
  stableDiffusion,
  syncLipsync,
  veo,
  viggle,
};
/** The per-route option tables of providers whose routes take different values. */
export { heygenRoutes, type HeyGenRoute } from './heygen';
export { runwayRoutes, type RunwayRoute } from './runway';
