/** A failure answer, as a classifier sees it. */
export interface HttpFailure {
  status: number;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

/** What a failure means, decided per provider from its documented error bodies. */
export interface Classification {
  /**
   * INVALID_INPUT: the caller's request is wrong (nothing is retried); PROVIDER_UNAVAILABLE: the
   * provider's state (key, credits, limits, outages), so the engine may fall back; GENERATION_FAILED:
   * the provider refused the content.
   */
  code: 'INVALID_INPUT' | 'PROVIDER_UNAVAILABLE' | 'GENERATION_FAILED';
  message: string;
  /** The provider's own error code, kept in the error's details for support. */
  providerCode?: string;
}

/** Reads a failure answer into what it means; written per provider from its documented codes, never from message text. */
export type Classifier = (failure: HttpFailure) => Classification;

/**
 * Thrown by a success parser when a 2xx answer is a failure in disguise (MiniMax reports most
 * errors as HTTP 200 with a non-zero `base_resp.status_code`); the classifier then decides.
 */
export class UpstreamFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`provider failure in a ${status} answer`);
    this.name = 'UpstreamFailure';
  }
}

/**
 * The default meaning of an HTTP status: the caller's request (400, 404, 413, 415, 422) or the
 * provider's state (401, 402, 403: our key or account; 408, 429, 5xx: load, limits, outages).
 */
export function statusCode(status: number): Classification['code'] {
  if ([400, 404, 405, 409, 413, 415, 422].includes(status)) return 'INVALID_INPUT';
  return 'PROVIDER_UNAVAILABLE';
}

/** A human message out of the error bodies providers use (`detail`, `error.message`, `message`, `errors[]`). */
export function messageOf(body: unknown, status: number): string {
  if (typeof body === 'string' && body.trim()) return body.trim().slice(0, 500);
  if (body && typeof body === 'object') {
    const value = body as Record<string, unknown>;
    const detail = value.detail;
    if (typeof detail === 'string') return detail;
    if (Array.isArray(detail))
      return detail
        .map((item) =>
          item && typeof item === 'object' ? `${(item as { loc?: unknown[] }).loc?.join('.') ?? ''}: ${(item as { msg?: string }).msg ?? ''}` : String(item),
        )
        .join('; ');
    if (detail && typeof detail === 'object' && typeof (detail as { message?: unknown }).message === 'string') return (detail as { message: string }).message;
    const error = value.error;
    if (typeof error === 'string') return typeof value.message === 'string' ? `${error}: ${value.message}` : error;
    if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') return (error as { message: string }).message;
    if (typeof value.message === 'string') return value.message;
    if (Array.isArray(value.errors)) return value.errors.map(String).join('; ');
  }
  return `HTTP ${status}`;
}

/** The classifier most providers need: the status decides, the body gives the message. */
export const defaultClassifier: Classifier = ({ status, body }) => ({ code: statusCode(status), message: messageOf(body, status) });
