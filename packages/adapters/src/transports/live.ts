import type { Dispatcher } from 'undici';
import { catalog } from '../catalog';
import { catalogContractVersion, type CatalogEntry } from '../catalog/entry';
import { bflTransport, type BflCredentials } from './bfl';
import { seedanceTransport, seedreamTransport, type ArkCredentials } from './bytedance';
import type { FamilySettings, LiveTransport } from './credentials';
import { elevenLabsTransport, type ElevenLabsCredentials } from './elevenlabs';
import { falTransport, fluxSchnellInput, type FalCredentials } from './fal';
import type { GatewayAdapter } from './gateway';
import { googleTtsTransport, imagenTransport, veoTransport, type GoogleCredentials } from './google';
import { heygenTransport, type HeyGenCredentials } from './heygen';
import { klingTransport, type KlingCredentials } from './kling';
import { klingEcommerceTransport } from './kling-ecommerce';
import { lumaTransport, type LumaCredentials } from './luma';
import { minimaxTransport, type MinimaxCredentials } from './minimax';
import { fluxOptimizedInput, replicateTransport, type ReplicateCredentials } from './replicate';
import { runwayTransport, type RunwayCredentials } from './runway';
import { stabilityTransport, type StabilityCredentials } from './stability';
import { syncTransport, type SyncCredentials } from './sync';
import { viggleTransport, type ViggleCredentials } from './viggle';

/** Credentials per provider family; each family serves one or more catalog ids. */
export interface LiveCredentials {
  /** kling, kolors (JWT from access + secret key, or the API key) and kling-ecommerce (API key). */
  kling?: KlingCredentials;
  minimax?: MinimaxCredentials;
  /** Gemini API key: veo, imagen. */
  google?: GoogleCredentials;
  /** Google Cloud API key: google-tts. */
  googleCloud?: GoogleCredentials;
  runway?: RunwayCredentials;
  luma?: LumaCredentials;
  viggle?: ViggleCredentials;
  /** BytePlus ModelArk key: seedance, seedream. */
  ark?: ArkCredentials;
  /** Black Forest Labs: flux-pro, flux-1.1-pro, flux-ultra, flux-kontext. */
  bfl?: BflCredentials;
  /** fal: flux-schnell. */
  fal?: FalCredentials;
  /** Replicate: flux-optimized. */
  replicate?: ReplicateCredentials;
  stability?: StabilityCredentials;
  elevenlabs?: ElevenLabsCredentials;
  heygen?: HeyGenCredentials;
  sync?: SyncCredentials;
}

export type ProviderFamily = keyof LiveCredentials | 'klingEcommerce';

/** The documented public endpoints; tests and proxies replace them through `baseUrls`. */
export const defaultBaseUrls: Record<ProviderFamily, string> = {
  kling: 'https://api-singapore.klingai.com',
  klingEcommerce: 'https://api-beijing.klingai.com',
  minimax: 'https://api.minimax.io',
  google: 'https://generativelanguage.googleapis.com',
  googleCloud: 'https://texttospeech.googleapis.com',
  runway: 'https://api.dev.runwayml.com',
  luma: 'https://api.lumalabs.ai',
  viggle: 'https://apis.viggle.ai',
  ark: 'https://ark.ap-southeast.bytepluses.com',
  bfl: 'https://api.bfl.ai',
  fal: 'https://queue.fal.run',
  replicate: 'https://api.replicate.com',
  stability: 'https://api.stability.ai',
  elevenlabs: 'https://api.elevenlabs.io',
  heygen: 'https://api.heygen.com',
  sync: 'https://api.sync.so',
};

/** The environment variables each family reads when no credentials are passed. */
export const credentialVariables: Record<keyof LiveCredentials, string> = {
  kling: 'KLING_ACCESS_KEY and KLING_SECRET_KEY (or KLING_API_KEY)',
  minimax: 'MINIMAX_API_KEY',
  google: 'GEMINI_API_KEY',
  googleCloud: 'GOOGLE_API_KEY',
  runway: 'RUNWAYML_API_SECRET',
  luma: 'LUMAAI_API_KEY',
  viggle: 'VIGGLE_API_KEY',
  ark: 'ARK_API_KEY',
  bfl: 'BFL_API_KEY',
  fal: 'FAL_KEY',
  replicate: 'REPLICATE_API_TOKEN',
  stability: 'STABILITY_API_KEY',
  elevenlabs: 'ELEVENLABS_API_KEY',
  heygen: 'HEYGEN_API_KEY',
  sync: 'SYNC_API_KEY',
};

export interface LiveProvidersOptions {
  /** Credentials per family; a family left out is read from the environment. */
  credentials?: LiveCredentials;
  /** Where to read credentials from (default `process.env`; `{}` reads none). */
  env?: Record<string, string | undefined>;
  /** Replaces a family's API base URL (a proxy, a regional host, a mock in tests). */
  baseUrls?: Partial<Record<ProviderFamily, string>>;
  /** An undici dispatcher for every call (a ProxyAgent, a MockAgent). */
  dispatcher?: Dispatcher;
  /** Milliseconds to wait for a provider's response headers and body (defaults 60 s / 120 s; 120 s headers for synchronous image APIs). */
  timeouts?: { headersMilliseconds?: number; bodyMilliseconds?: number };
  /** Only these catalog ids (default: all). */
  providers?: readonly string[];
  /** Leave out providers without credentials instead of listing them as unavailable. */
  onlyConfigured?: boolean;
}

/** A catalog entry with its live transport. */
export type LiveAdapter = GatewayAdapter & LiveTransport;

function fromEnvironment(env: Record<string, string | undefined>): LiveCredentials {
  const key = (name: string) => env[name] || undefined;
  const credentials: LiveCredentials = {};
  const kling: KlingCredentials = {};
  if (key('KLING_ACCESS_KEY') && key('KLING_SECRET_KEY')) Object.assign(kling, { accessKey: key('KLING_ACCESS_KEY'), secretKey: key('KLING_SECRET_KEY') });
  if (key('KLING_API_KEY')) kling.apiKey = key('KLING_API_KEY');
  if (key('KLING_WEBHOOK_SECRET')) kling.webhookSecret = key('KLING_WEBHOOK_SECRET');
  if (kling.apiKey || kling.accessKey) credentials.kling = kling;
  const simple: Array<[keyof LiveCredentials, string]> = [
    ['minimax', 'MINIMAX_API_KEY'],
    ['google', 'GEMINI_API_KEY'],
    ['googleCloud', 'GOOGLE_API_KEY'],
    ['runway', 'RUNWAYML_API_SECRET'],
    ['luma', 'LUMAAI_API_KEY'],
    ['viggle', 'VIGGLE_API_KEY'],
    ['ark', 'ARK_API_KEY'],
    ['bfl', 'BFL_API_KEY'],
    ['fal', 'FAL_KEY'],
    ['stability', 'STABILITY_API_KEY'],
    ['elevenlabs', 'ELEVENLABS_API_KEY'],
    ['heygen', 'HEYGEN_API_KEY'],
    ['sync', 'SYNC_API_KEY'],
  ];
  for (const [family, name] of simple) if (key(name)) (credentials as Record<string, unknown>)[family] = { apiKey: key(name) };
  if (key('REPLICATE_API_TOKEN'))
    credentials.replicate = {
      apiToken: key('REPLICATE_API_TOKEN')!,
      ...(key('REPLICATE_WEBHOOK_SECRET') ? { webhookSecret: key('REPLICATE_WEBHOOK_SECRET') } : {}),
    };
  return credentials;
}

type Factory = (entry: CatalogEntry, settings: FamilySettings<never>) => LiveTransport;

/** Which family and transport serve each catalog id. */
const routes: Record<string, { family: keyof LiveCredentials; base?: ProviderFamily; transport: Factory }> = {
  kling: { family: 'kling', transport: klingTransport as Factory },
  kolors: { family: 'kling', transport: klingTransport as Factory },
  'kling-ecommerce': { family: 'kling', base: 'klingEcommerce', transport: klingEcommerceTransport as Factory },
  minimax: { family: 'minimax', transport: minimaxTransport as Factory },
  veo: { family: 'google', transport: veoTransport as Factory },
  imagen: { family: 'google', transport: imagenTransport as Factory },
  'google-tts': { family: 'googleCloud', transport: googleTtsTransport as Factory },
  runway: { family: 'runway', transport: runwayTransport as Factory },
  luma: { family: 'luma', transport: lumaTransport as Factory },
  viggle: { family: 'viggle', transport: viggleTransport as Factory },
  seedance: { family: 'ark', transport: seedanceTransport as Factory },
  seedream: { family: 'ark', transport: seedreamTransport as Factory },
  'flux-pro': { family: 'bfl', transport: bflTransport as Factory },
  'flux-1.1-pro': { family: 'bfl', transport: bflTransport as Factory },
  'flux-ultra': { family: 'bfl', transport: bflTransport as Factory },
  'flux-kontext': { family: 'bfl', transport: bflTransport as Factory },
  'flux-schnell': { family: 'fal', transport: ((entry, settings) => falTransport(entry, settings as never, fluxSchnellInput, 'image/png')) as Factory },
  'flux-optimized': {
    family: 'replicate',
    transport: ((entry, settings) => replicateTransport(entry, settings as never, fluxOptimizedInput(entry), 'image/webp')) as Factory,
  },
  'stable-diffusion': { family: 'stability', transport: stabilityTransport as Factory },
  elevenlabs: { family: 'elevenlabs', transport: elevenLabsTransport as Factory },
  heygen: { family: 'heygen', transport: heygenTransport as Factory },
  'sync-lipsync': { family: 'sync', transport: syncTransport as Factory },
};

/**
 * The catalog with real HTTP transports (`livemode: true`): same ids, option specs and prices as
 * the sandbox, so `createDoitong({ providers: [...sandboxProviders(), ...liveProviders()] })`
 * serves test-mode keys offline and live keys for real. A provider whose family has no
 * credentials is listed with `available: false` and never selected (or left out with
 * `onlyConfigured`).
 */
export function liveProviders(options: LiveProvidersOptions = {}): LiveAdapter[] {
  const environment = fromEnvironment(options.env ?? process.env);
  const chosen = options.providers ? catalog.filter((entry) => options.providers!.includes(entry.id)) : catalog;
  const adapters: LiveAdapter[] = [];
  for (const entry of chosen) {
    const route = routes[entry.id];
    if (!route) continue;
    const credentials = options.credentials?.[route.family] ?? environment[route.family];
    if (options.onlyConfigured && !credentials) continue;
    const baseFamily = route.base ?? route.family;
    const settings: FamilySettings<unknown> = {
      providerId: entry.id,
      baseUrl: options.baseUrls?.[baseFamily] ?? defaultBaseUrls[baseFamily],
      credentials,
      credentialHint: credentialVariables[route.family],
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      ...(options.timeouts?.headersMilliseconds !== undefined ? { headersTimeoutMilliseconds: options.timeouts.headersMilliseconds } : {}),
      ...(options.timeouts?.bodyMilliseconds !== undefined ? { bodyTimeoutMilliseconds: options.timeouts.bodyMilliseconds } : {}),
    };
    adapters.push({ ...entry, contractVersion: catalogContractVersion, ...route.transport(entry, settings as FamilySettings<never>) });
  }
  return adapters;
}
