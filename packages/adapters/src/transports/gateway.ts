import type { GenerationRequest, GenerationType, InputSupport, JsonObject, OptionSpec, PriceQuote, ProviderAdapter, ProviderTraits } from '@doitong/core';
import type { Dispatcher } from 'undici';
import { catalogContractVersion, type CatalogEntry } from '../catalog/entry';

/** What a host says about a model it reaches through a gateway (Replicate, fal) by id. */
export interface GatewayModelOptions {
  /** The Doitong provider id, for example `replicate-wan-video`. */
  id: string;
  /** The model at the gateway: `owner/name` or `owner/name:version` on Replicate, an endpoint id such as `fal-ai/flux/dev` on fal. */
  model: string;
  type: GenerationType;
  name?: string;
  description?: string;
  /** The gateway key; the documented environment variable when left out. */
  token?: string;
  baseUrl?: string;
  dispatcher?: Dispatcher;
  /** Credits and seconds for a request (the gateway bills per model; the host knows the price). */
  price: PriceQuote | ((request: GenerationRequest) => PriceQuote);
  /** The model's input JSON; default: `prompt`, `image_url` (fal) or `image` (Replicate), `negative_prompt`, then the options as given. */
  input?(request: GenerationRequest): JsonObject;
  /** Options the model takes, validated before any call (default: none). */
  options?: OptionSpec[];
  inputs?: InputSupport;
  traits?: ProviderTraits;
  /** Seconds before the engine gives up (default 900). */
  maxJobTime?: number;
  features?: string[];
  limitations?: string[];
}

export const contentKinds: Record<GenerationType, { kind: 'image' | 'video' | 'audio'; contentType: string }> = {
  IMAGE: { kind: 'image', contentType: 'image/png' },
  VIDEO: { kind: 'video', contentType: 'video/mp4' },
  AUDIO: { kind: 'audio', contentType: 'audio/wav' },
  AVATAR: { kind: 'video', contentType: 'video/mp4' },
};

/** A catalog-shaped description of a gateway model, so the same transport code serves it. */
export function gatewayEntry(options: GatewayModelOptions, gateway: string): CatalogEntry {
  const price = options.price;
  return {
    id: options.id,
    contractVersion: catalogContractVersion,
    name: options.name ?? `${options.model} on ${gateway}`,
    description: options.description ?? `${options.model}, reached through ${gateway}.`,
    types: [options.type],
    models: [{ id: options.model, name: options.model }],
    defaultModel: options.model,
    features: options.features ?? [`Any ${gateway} model by id`],
    limitations: options.limitations ?? [],
    inputs: { [options.type]: options.inputs ?? { text: 'required', image: 'optional' } },
    options: options.options ?? [],
    traits: options.traits ?? { quality: 5, speed: 5, cost: 5 },
    maxJobTime: options.maxJobTime ?? 900,
    cancellation: { refundAfterAcceptance: false, note: `${gateway} bills the compute a cancelled run already used.` },
    synchronous: false,
    price: typeof price === 'function' ? price : () => price,
    plan: () => ({ kind: contentKinds[options.type].kind, wireModel: options.model, adjustments: [] }),
  };
}

/** Every http(s) link in a model's output JSON, depth first (gateway outputs are model-specific). */
export function outputLinks(value: unknown, found: string[] = []): string[] {
  if (typeof value === 'string') {
    if (/^https?:\/\//.test(value) || value.startsWith('data:')) found.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) outputLinks(item, found);
  } else if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    // Prefer the documented places: `url`, then `images`, `video`, `audio`.
    for (const key of ['url', 'images', 'image', 'video', 'audio', 'audio_file', 'output']) if (key in object) outputLinks(object[key], found);
    for (const [key, item] of Object.entries(object))
      if (!['url', 'images', 'image', 'video', 'audio', 'audio_file', 'output'].includes(key)) outputLinks(item, found);
  }
  return found;
}

export type GatewayAdapter = ProviderAdapter & CatalogEntry;
