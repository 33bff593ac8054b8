import type { JsonObject } from './generation-type';

/** What a transport makes of a callback. */
export interface ProviderCallbackResult {
  /**
   * False when the callback is not to be believed (a signature that does not verify): the route
   * answers 401 and nothing happens. A provider that does not sign its callbacks returns true.
   */
  verified: boolean;
  /** Poll the provider now. False for handshakes (MiniMax's challenge) that say nothing about the job. */
  checkStatus: boolean;
  /** A JSON body the provider expects in the answer (MiniMax echoes its challenge); absent, the route answers `{ "received": true }`. */
  reply?: JsonObject;
}
