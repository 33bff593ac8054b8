/** A provider's callback as it reached `POST <mount>/callbacks/<provider>/<generationId>`. */
export interface ProviderCallbackRequest {
  /** Header names in lower case, as Node gives them; signatures and their timestamps come in headers. */
  headers: Record<string, string | string[] | undefined>;
  /** The raw body, byte for byte: signatures are computed over it. */
  body: Uint8Array;
  /** The engine's clock, for signature timestamps. */
  now(): number;
}
