/**
 * The codes the Doitong API puts in `extensions.code` (the server's table, mirrored), plus two
 * that only a client can see: `NETWORK_ERROR` (no answer) and `TIMEOUT` (a wait ran out).
 */
export const errorCodes = [
  'INSUFFICIENT_CREDITS',
  'RATE_LIMIT',
  'INVALID_INPUT',
  'PROVIDER_UNAVAILABLE',
  'GENERATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'IDEMPOTENCY_KEY_IN_USE',
  'IDEMPOTENCY_KEY_REUSED',
  'IDEMPOTENCY_KEY_INVALID',
  'IDEMPOTENCY_RESPONSE_NOT_KEPT',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'OPERATION_RESOLUTION_FAILURE',
  'QUERY_TOO_COMPLEX',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'NOT_ACCEPTABLE',
  'METHOD_NOT_ALLOWED',
  'SERVICE_UNAVAILABLE',
  'WEBHOOK_VERIFICATION_FAILED',
  'INTERNAL_SERVER_ERROR',
] as const;

export const clientErrorCodes = ['NETWORK_ERROR', 'TIMEOUT'] as const;

export type DoitongErrorCode = (typeof errorCodes)[number] | (typeof clientErrorCodes)[number];

export interface DoitongErrorOptions {
  /** The HTTP status of the response, when there was one. */
  status?: number;
  /** Whether sending the same request again, unchanged, can succeed (the server says so). */
  retryable?: boolean;
  /** `extensions` beyond code and retryable: `option` and `allowedValues` for INVALID_INPUT, `required` and `balance` for INSUFFICIENT_CREDITS… */
  details?: Record<string, unknown>;
  /** Seconds to wait before trying again (RATE_LIMIT), from the error or the Retry-After header. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/**
 * Every failure the client reports: an API error with its code, or a network failure. Branch on
 * `code`, never on `message`.
 */
export class DoitongError extends Error {
  override readonly name = 'DoitongError';
  readonly code: DoitongErrorCode;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly details: Record<string, unknown>;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: DoitongErrorCode, message: string, options: DoitongErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? {};
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function isDoitongError(error: unknown, code?: DoitongErrorCode): error is DoitongError {
  return error instanceof DoitongError && (code === undefined || error.code === code);
}

/** A code the server sent that this client does not know (a newer server) is kept as the server's generic code. */
export function knownCode(value: unknown): DoitongErrorCode {
  return typeof value === 'string' && (errorCodes as readonly string[]).includes(value) ? (value as DoitongErrorCode) : 'INTERNAL_SERVER_ERROR';
}
