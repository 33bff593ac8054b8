import type { GenerationMetadata } from './generation-metadata';
import type { ProviderOutput } from './provider-output';

/**
 * A provider's state in the engine's one vocabulary. Adapters map their own words
 * (`succeed`, `Ready`, `SUCCEEDED`…) to these at the boundary, so the engine never sees them.
 */
export type ProviderStatus =
  | {
      state: 'queued';
      /** 0 to 100, shown to the caller (never going back, below 100 until success); absent keeps the last value. */
      progress?: number;
      /** A hint: the next status call is useless before this many milliseconds (the provider's own estimate). */
      pollAfterMilliseconds?: number;
    }
  | {
      state: 'running';
      /** 0 to 100, shown to the caller (never going back, below 100 until success); absent keeps the last value. */
      progress?: number;
      /** A hint: the next status call is useless before this many milliseconds. */
      pollAfterMilliseconds?: number;
    }
  | {
      state: 'succeeded';
      /** The files made; the first becomes the generation's `url`, stored (or copied) before the generation is COMPLETED. */
      outputs: ProviderOutput[];
      /** Facts about the job as a whole (the model that served, a seed), merged over the output's own metadata. */
      metadata?: GenerationMetadata;
    }
  | {
      state: 'failed';
      /** GENERATION_FAILED: the content or the request failed; PROVIDER_UNAVAILABLE: the provider's fault. */
      code: 'GENERATION_FAILED' | 'PROVIDER_UNAVAILABLE';
      /** The provider's reason, in words the caller can act on; kept in the generation's `error`. */
      message: string;
      /** The provider's own error code, kept for support. */
      providerCode?: string;
    }
  | {
      /** The provider cancelled the job (or confirmed a cancel): refunded. */
      state: 'cancelled';
    };
