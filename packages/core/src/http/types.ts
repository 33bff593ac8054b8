/**
 * The framework-neutral request: what every binding translates its framework's request into.
 * Header names are lower case.
 */
export interface DoitongRequest {
  method: string;
  /** Path below the mount point, starting with `/`, plus the query string. `/?query=…`, `/assets/…`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /**
   * The body. A binding passes the raw bytes when it read them itself, or the value a
   * host's body parser already produced (an object for JSON), so no parser runs twice.
   */
  body?: Uint8Array | string | Record<string, unknown> | unknown[] | null;
  /** True when `body` is what a host parser made of a JSON request (already decoded). */
  bodyParsed?: boolean;
  /** Absolute URL of the mount point as the client sees it, for links in responses. */
  baseUrl?: string;
  /** Aborted when the client goes away, so streaming responses can stop. */
  signal?: AbortSignal;
  /** Remote address, for logs and per-address limits. */
  remoteAddress?: string;
}

/** A streaming body: each chunk is written as it comes (Server-Sent Events, file ranges). */
export type DoitongBodyStream = AsyncIterable<Uint8Array | string>;

export interface DoitongResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array | DoitongBodyStream | null;
}
