/**
 * Every error a caller can see carries one of these codes in `extensions.code`.
 * The table is the single place that maps a code to its HTTP status and whether
 * retrying the same request unchanged can succeed.
 */
export const errorCodes = {
  // The five codes of the product page.
  INSUFFICIENT_CREDITS: { status: 402, retryable: false, message: 'The account balance is too low for this operation.' },
  RATE_LIMIT: { status: 429, retryable: true, message: 'Too many requests; wait for the rate-limit window to reset.' },
  INVALID_INPUT: { status: 400, retryable: false, message: 'The input is invalid.' },
  PROVIDER_UNAVAILABLE: { status: 503, retryable: true, message: 'The provider is temporarily unavailable.' },
  GENERATION_FAILED: { status: 200, retryable: false, message: 'The generation failed.' },
  // Access.
  UNAUTHENTICATED: { status: 401, retryable: false, message: 'A valid API key is required: send "Authorization: Bearer <key>".' },
  FORBIDDEN: { status: 403, retryable: false, message: 'This API key may not perform this operation.' },
  NOT_FOUND: { status: 404, retryable: false, message: 'Not found.' },
  // Idempotency-Key conflicts (draft-ietf-httpapi-idempotency-key-header §2.7).
  IDEMPOTENCY_KEY_IN_USE: { status: 409, retryable: true, message: 'A request with this Idempotency-Key is still being processed.' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, retryable: false, message: 'This Idempotency-Key was already used with a different request.' },
  IDEMPOTENCY_KEY_INVALID: { status: 400, retryable: false, message: 'The Idempotency-Key header is invalid.' },
  // The key's request ran, but its response was not kept (too large, over the account's budget, or it held a one-time secret).
  IDEMPOTENCY_RESPONSE_NOT_KEPT: { status: 410, retryable: false, message: 'The request with this Idempotency-Key ran, but its response was not kept.' },
  // Protocol level: the request never reached execution.
  BAD_REQUEST: { status: 400, retryable: false, message: 'The request is malformed.' },
  GRAPHQL_PARSE_FAILED: { status: 400, retryable: false, message: 'The GraphQL document could not be parsed.' },
  GRAPHQL_VALIDATION_FAILED: { status: 400, retryable: false, message: 'The GraphQL document is not valid against the schema.' },
  BAD_USER_INPUT: { status: 400, retryable: false, message: 'A variable or argument has an invalid value.' },
  OPERATION_RESOLUTION_FAILURE: { status: 400, retryable: false, message: 'The operation to run could not be determined.' },
  QUERY_TOO_COMPLEX: { status: 400, retryable: false, message: 'The document exceeds a query limit.' },
  PAYLOAD_TOO_LARGE: { status: 413, retryable: false, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, retryable: false, message: 'The request content type is not supported.' },
  NOT_ACCEPTABLE: { status: 406, retryable: false, message: 'None of the accepted media types can be produced.' },
  METHOD_NOT_ALLOWED: { status: 405, retryable: false, message: 'The HTTP method is not allowed here.' },
  SERVICE_UNAVAILABLE: { status: 503, retryable: true, message: 'The service is temporarily unavailable.' },
  // Receiving webhooks: a delivery whose signature or timestamp does not verify (details.reason says which check).
  WEBHOOK_VERIFICATION_FAILED: { status: 400, retryable: false, message: 'The webhook signature could not be verified.' },
  INTERNAL_SERVER_ERROR: { status: 500, retryable: true, message: 'Unexpected error.' },
} as const satisfies Record<string, { status: number; retryable: boolean; message: string }>;

export type ErrorCode = keyof typeof errorCodes;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(errorCodes, value);
}
