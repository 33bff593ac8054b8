/** What the engine lends a transport for one call. */
export interface ProviderCallContext {
  /** Aborts the call when the engine gives up on it (timeouts, shutdown); pass it to every request. */
  signal: AbortSignal;
  /** The engine's clock, injectable in tests: a transport that reasons about time reads it, never `Date.now()`. */
  now(): number;
  /** URL at which the provider may call back for this generation, when callbacks are enabled. */
  callbackUrl?: string;
}
