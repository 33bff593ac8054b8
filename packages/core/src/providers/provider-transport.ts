import type { GenerationRequest } from './generation-request';
import type { GenerationMetadata } from './generation-metadata';
import type { JsonObject } from './generation-type';

/** An output as the provider gives it: bytes we store, or a URL we copy or link to. */
export type ProviderOutput =
  | { kind: 'bytes'; data: Uint8Array; contentType: string; metadata: GenerationMetadata }
  | {
      kind: 'url';
      url: string;
      contentType?: string;
      metadata: GenerationMetadata;
      /** Provider URLs that expire (BFL: ~10 min) are copied into the asset store before COMPLETED. */
      expires?: boolean;
    };

/**
 * A provider's state in the engine's one vocabulary. Adapters map their own words
 * (`succeed`, `Ready`, `SUCCEEDED`…) to these at the boundary, so the engine never sees them.
 */
export type ProviderStatus =
  | { state: 'queued'; progress?: number; pollAfterMilliseconds?: number }
  | { state: 'running'; progress?: number; pollAfterMilliseconds?: number }
  | { state: 'succeeded'; outputs: ProviderOutput[]; metadata?: GenerationMetadata }
  | {
      state: 'failed';
      /** GENERATION_FAILED: the content or the request failed; PROVIDER_UNAVAILABLE: the provider's fault. */
      code: 'GENERATION_FAILED' | 'PROVIDER_UNAVAILABLE';
      message: string;
      /** The provider's own error code, kept for support. */
      providerCode?: string;
    }
  | { state: 'cancelled' };

/** What `start` returns once the provider accepted the job. */
export interface ProviderJob {
  /** Plain JSON that identifies the job at the provider; persisted before anything else happens. */
  handle: JsonObject;
  /** Synchronous providers (TTS, Imagen) return the finished result here. */
  status?: ProviderStatus;
  /** A hint: the first status call is useless before this many milliseconds. */
  pollAfterMilliseconds?: number;
}

/** What the engine lends a transport for one call. */
export interface ProviderCallContext {
  /** Aborts the call when the engine gives up on it (timeouts, shutdown). */
  signal: AbortSignal;
  /** The engine's clock, injectable in tests. */
  now(): number;
  /** URL at which the provider may call back for this generation, when callbacks are enabled. */
  callbackUrl?: string;
}

/**
 * The moving part of a provider: start, status, cancel. The engine owns polling,
 * timeouts and retries; no transport sleeps in a loop or keeps a timer.
 */
export interface ProviderTransport {
  /** True when calls spend real money; test-mode accounts are never routed to such a transport. */
  livemode: boolean;
  /** Why the transport cannot serve now (missing credentials), or undefined when it can. */
  unavailableReason?(): string | undefined;
  /**
   * Submits the job. Must throw a ProviderError whose `acceptance` says whether the provider
   * may have accepted it: the engine resubmits (or falls back) only after a proven rejection.
   */
  start(request: GenerationRequest, context: ProviderCallContext): Promise<ProviderJob>;
  /** Reads the job's state. Required unless `start` always returns a final status. */
  status?(handle: JsonObject, request: GenerationRequest, context: ProviderCallContext): Promise<ProviderStatus>;
  /** Cancels at the provider; resolves true when the provider confirmed it. */
  cancel?(handle: JsonObject, request: GenerationRequest, context: ProviderCallContext): Promise<boolean>;
}
