import type { JsonObject } from './generation-type';
import type { ProviderStatus } from './provider-status';

/** What `start` returns once the provider accepted the job. */
export interface ProviderJob {
  /**
   * Plain JSON that identifies the job at the provider; persisted before anything else happens,
   * so a crash never loses a paid job and any process (or a distributed queue) can poll it.
   */
  handle: JsonObject;
  /** Synchronous providers (TTS, Imagen) return the finished result here, and are never polled. */
  status?: ProviderStatus;
  /** A hint: the first status call is useless before this many milliseconds. */
  pollAfterMilliseconds?: number;
}
