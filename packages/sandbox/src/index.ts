import type { InputMediaLimits, ProviderAdapter } from '@doitong/core';
import { defaultInputMediaLimits } from '@doitong/core';
import { catalog, catalogContractVersion, type CatalogEntry } from '@doitong/adapters';
import { sandboxOptions } from './sandbox-options';
import { sandboxTransport } from './sandbox-transport';

export interface SandboxOptions {
  /** Milliseconds from start to result (default 1500; 0 completes at the first poll). */
  latencyMilliseconds?: number;
  /** @deprecated The same as `latencyMilliseconds`, under its former name; `latencyMilliseconds` wins when both are given. */
  latencyMs?: number;
  /** Caps the short side of rendered videos, for speed (for example 360); metadata reports the true size. */
  maxVideoResolution?: number;
  /**
   * The ffmpeg binary that encodes video and avatar files (default: DOITONG_FFMPEG_PATH, else
   * `ffmpeg` on the PATH). Images and speech need none. Without one, video requests are refused
   * at start with PROVIDER_UNAVAILABLE saying how to provide it.
   */
  ffmpegPath?: string;
  /** Only these provider ids (default: the whole catalog). */
  providers?: readonly string[];
  /**
   * Reads an input image URL for image-to-video. The sandbox fetches nothing by itself: without
   * this only `data:` URLs are read, and other images are replaced by a picture of the prompt.
   */
  loadInput?: (url: string, signal?: AbortSignal) => Promise<Uint8Array | undefined>;
  /**
   * Bounds on input images (pixels read from the header before decoding, bytes): the same
   * `inputMedia` as createDoitong's, which refuses inline images over them before a job starts;
   * here they also cover images read through `loadInput`. Default `defaultInputMediaLimits`.
   */
  inputMedia?: Partial<InputMediaLimits>;
}

/** A sandbox adapter: a catalog entry served offline, with the sandbox-only options added. */
export type SandboxAdapter = ProviderAdapter & CatalogEntry;

/**
 * The whole catalog served by the offline sandbox: same ids, option specs and prices as the live
 * providers, real PNG, WAV and MP4 files made on this machine, `livemode: false`. This is what
 * test-mode keys, the demo and every test run on.
 */
export function sandboxProviders(options: SandboxOptions = {}): SandboxAdapter[] {
  const settings = {
    latencyMilliseconds: options.latencyMilliseconds ?? options.latencyMs ?? 1500,
    ...(options.maxVideoResolution !== undefined ? { maxVideoResolution: options.maxVideoResolution } : {}),
    ...(options.ffmpegPath !== undefined ? { ffmpegPath: options.ffmpegPath } : {}),
    ...(options.loadInput !== undefined ? { loadInput: options.loadInput } : {}),
    inputMedia: { ...defaultInputMediaLimits, ...options.inputMedia },
  };
  const chosen = options.providers ? catalog.filter((entry) => options.providers?.includes(entry.id)) : catalog;
  return chosen.map((entry) => sandboxAdapter(entry, settings));
}

function sandboxAdapter(entry: CatalogEntry, settings: Parameters<typeof sandboxTransport>[1]): SandboxAdapter {
  return {
    ...entry,
    contractVersion: catalogContractVersion,
    options: [...entry.options, ...sandboxOptions],
    ...sandboxTransport(entry, settings),
  };
}

export { sandboxModes, sandboxOptions, type SandboxMode } from './sandbox-options';
