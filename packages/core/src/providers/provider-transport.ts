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
      /**
       * Headers the copy must send (Veo's files download only with the API key). Used once, for the
       * copy, and never stored with the generation.
       */
      headers?: Record<string, string>;
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

/** A provider's callback as it reached `POST <mount>/callbacks/<provider>/<generationId>`. */
export interface ProviderCallbackRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The raw body, byte for byte: signatures are computed over it. */
  body: Uint8Array;
  /** The engine's clock, for signature timestamps. */
  now(): number;
}

/** What a transport makes of a callback. */
export interface ProviderCallbackResult {
  /**
   * False when the callback is not to be believed (a signature that does not verify): the route
   * answers 401 and nothing happens. A provider that does not sign its callbacks returns true.
   */
  verified: boolean;
  /** Poll the provider now. False for handshakes (MiniMax's challenge) that say nothing about the job. */
  checkStatus: boolean;
  /** A JSON body the provider expects in the answer (MiniMax echoes its challenge); `{}` otherwise. */
  reply?: JsonObject;
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
  /**
   * Reads the job's state. Required unless `start` always returns a final status. An error thrown
   * here is taken as a failure to read the state and the engine asks again (five times), except a
   * ProviderError with `acceptance: 'failed'`: the provider answered that the job has ended, and
   * the generation ends at once with that error's classification.
   */
  status?(handle: JsonObject, request: GenerationRequest, context: ProviderCallContext): Promise<ProviderStatus>;
  /**
   * Looks up the job created for this generation by the reference sent with the create call
   * (the generation id), or resolves null when the provider has none. When a submit was cut
   * short (a crashed instance), the engine adopts the job found instead of paying for a second
   * one; without `find`, such a generation fails and is refunded, never resubmitted.
   */
  find?(request: GenerationRequest, context: ProviderCallContext): Promise<ProviderJob | null>;
  /** Cancels at the provider; resolves true when the provider confirmed it. */
  cancel?(handle: JsonObject, request: GenerationRequest, context: ProviderCallContext): Promise<boolean>;
  /**
   * Reads a callback the provider sent to `context.callbackUrl`. It exists so a provider that can
   * call back is not polled for minutes after it finished, and so a signed callback (Standard
   * Webhooks: Kling, Replicate) is verified by the one party that knows the secret. The body is
   * never trusted for the outcome or for billing: a verified callback only makes the engine ask
   * `status` at once. Without this method, callbacks for the provider are refused (404) and the
   * engine polls.
   */
  parseCallback?(callback: ProviderCallbackRequest): ProviderCallbackResult;
}
