import { errorCodes, type ErrorCode } from './codes';

export interface DoitongErrorOptions {
  /** Machine-readable details placed beside `code` in GraphQL `extensions` (for example `option`, `allowedValues`). */
  details?: Record<string, unknown>;
  /** Overrides the status the code maps to, for the rare error that needs another one. */
  status?: number;
  /** Overrides the code's default retryability. */
  retryable?: boolean;
  /** Extra response headers, for example `Retry-After` on RATE_LIMIT. */
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * The one error family. Every error meant for a caller is a DoitongError with a code;
 * anything else that escapes is unexpected and gets masked.
 */
export class DoitongError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly details: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message?: string, options: DoitongErrorOptions = {}) {
    const entry = errorCodes[code];
    super(message ?? entry.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DoitongError';
    this.code = code;
    this.status = options.status ?? entry.status;
    this.retryable = options.retryable ?? entry.retryable;
    this.details = options.details ?? {};
    this.headers = options.headers ?? {};
  }

  /** The `extensions` object of the GraphQL error this becomes. */
  toExtensions(): Record<string, unknown> {
    return { code: this.code, retryable: this.retryable, ...this.details };
  }
}

/**
 * A provider's HTTP call failed. Carries what the engine needs to decide about
 * billing and fallback: whether the provider can have accepted the job.
 */
export class ProviderError extends DoitongError {
  readonly providerId: string;
  readonly url: string | undefined;
  readonly responseStatus: number | undefined;
  readonly responseBody: unknown;
  /**
   * `rejected`: the provider answered and did not accept the job (safe to retry or fall back).
   * `unknown`: the request may have reached the provider (timeout, reset): never resubmit.
   * `failed`: the job was accepted and then failed at the provider.
   */
  readonly acceptance: 'rejected' | 'unknown' | 'failed';

  constructor(
    code: 'INVALID_INPUT' | 'PROVIDER_UNAVAILABLE' | 'GENERATION_FAILED',
    message: string,
    options: DoitongErrorOptions & {
      providerId: string;
      url?: string;
      responseStatus?: number;
      responseBody?: unknown;
      acceptance: 'rejected' | 'unknown' | 'failed';
    },
  ) {
    super(code, message, options);
    this.name = 'ProviderError';
    this.providerId = options.providerId;
    this.url = options.url;
    this.responseStatus = options.responseStatus;
    this.responseBody = options.responseBody;
    this.acceptance = options.acceptance;
  }
}

export function isDoitongError(value: unknown): value is DoitongError {
  return value instanceof DoitongError;
}
