import { ProviderError } from '@doitong/core';
import { request, type Dispatcher } from 'undici';
import { UpstreamFailure, type Classifier, type HttpFailure } from './failure-classification';

/** What an HTTP transport is built with: where the API is, how to reach it, how long to wait. */
export interface HttpSettings {
  /** The provider's id, named in errors. */
  providerId: string;
  /** The API's base URL, without a trailing slash; a mock's loopback URL in tests. */
  baseUrl: string;
  /** An undici dispatcher (a proxy Agent, a MockAgent); the global one when left out. */
  dispatcher?: Dispatcher;
  /** Milliseconds to wait for response headers and between body chunks (default 60,000 / 120,000). */
  headersTimeoutMilliseconds?: number;
  bodyTimeoutMilliseconds?: number;
}

/** An answer of the provider, parsed as far as its content type allows. */
export interface ProviderResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or the text of a non-JSON answer. */
  body: unknown;
  /** The raw bytes (binary answers: audio, images). */
  bytes: Uint8Array;
  contentType: string;
}

export interface CallOptions<Result> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** A path under the base URL, or an absolute URL the provider handed out (BFL's polling_url). */
  url: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** A JSON body. */
  json?: unknown;
  /** A prepared body with its content type (multipart forms). */
  body?: { data: Uint8Array; contentType: string };
  /**
   * True for the call that creates a paid job. A failure after the request may have reached the
   * provider (timeout, reset) then carries `acceptance: 'unknown'`, and the engine never repeats it.
   */
  create?: boolean;
  signal: AbortSignal;
  /** Reads a successful answer; may throw UpstreamFailure for errors inside a 2xx answer. */
  parse(response: ProviderResponse): Result;
}

/** Error codes of undici and node:net that prove the request never left: safe to retry. */
const neverSent = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'ERR_INVALID_URL']);

/**
 * The one HTTP helper of provider transports, the catalog's and a host's own: undici with
 * timeouts, JSON or binary parsing, the adapter's success parser and the adapter's failure
 * classifier. Every failure becomes a ProviderError whose `acceptance` tells the engine whether
 * the job can exist at the provider: an answered 4xx/5xx or a connection that never opened is
 * `rejected`; a timeout or reset after the request was sent is `unknown`.
 */
export function httpClient(settings: HttpSettings, classify: Classifier) {
  return async function call<Result>(options: CallOptions<Result>): Promise<Result> {
    const url = absoluteUrl(settings.baseUrl, options.url, options.query);
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    let body: string | Uint8Array | undefined;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    } else if (options.body) {
      body = options.body.data;
      headers['content-type'] = options.body.contentType;
    }
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method: options.method,
        headers,
        body,
        signal: options.signal,
        headersTimeout: settings.headersTimeoutMilliseconds ?? 60_000,
        bodyTimeout: settings.bodyTimeoutMilliseconds ?? 120_000,
        ...(settings.dispatcher ? { dispatcher: settings.dispatcher } : {}),
      });
    } catch (error) {
      const code = errorCode(error);
      const sent = !(code && neverSent.has(code));
      throw new ProviderError(
        'PROVIDER_UNAVAILABLE',
        sent
          ? `${settings.providerId} did not answer (${code ?? 'aborted'}); the request may have reached it.`
          : `${settings.providerId} could not be reached (${code}).`,
        { providerId: settings.providerId, url: redact(url), acceptance: sent ? 'unknown' : 'rejected', cause: error },
      );
    }
    let answer: ProviderResponse;
    try {
      answer = await read(response);
    } catch (error) {
      // The headers came but the body did not: the provider answered, but what is unknown.
      throw new ProviderError('PROVIDER_UNAVAILABLE', `${settings.providerId}'s answer was cut off (${errorCode(error) ?? 'aborted'}).`, {
        providerId: settings.providerId,
        url: redact(url),
        responseStatus: response.statusCode,
        acceptance: response.statusCode < 300 ? 'unknown' : 'rejected',
        cause: error,
      });
    }
    if (answer.status >= 400)
      throw failure(settings.providerId, url, classify, { status: answer.status, body: answer.body, headers: answer.headers }, options.create === true);
    try {
      return options.parse(answer);
    } catch (error) {
      if (error instanceof UpstreamFailure)
        throw failure(settings.providerId, url, classify, { status: error.status, body: error.body, headers: answer.headers }, options.create === true);
      if (error instanceof ProviderError) throw error;
      // An answer we cannot read: for a create call the job may exist, so never resubmit it.
      throw new ProviderError('PROVIDER_UNAVAILABLE', `${settings.providerId} answered in an unexpected shape: ${(error as Error).message}`, {
        providerId: settings.providerId,
        url: redact(url),
        responseStatus: answer.status,
        responseBody: answer.body,
        acceptance: 'unknown',
        cause: error,
      });
    }
  };
}

export type HttpCall = ReturnType<typeof httpClient>;

/**
 * The error of an answered failure. At a create call nothing was accepted (`rejected`). At any
 * other call (a status read, a result fetch) a refused output (GENERATION_FAILED) is the job's
 * definite end (`failed`), which the engine applies at once; anything else there is a failure to
 * read the job, which the engine asks again about. A job that ended by the provider's own fault
 * is returned by the transport's `status` as `state: 'failed'`.
 */
function failure(providerId: string, url: string, classify: Classifier, answer: HttpFailure, create: boolean): ProviderError {
  const classification = classify(answer);
  const ended = !create && classification.code === 'GENERATION_FAILED';
  return new ProviderError(classification.code, `${providerId}: ${classification.message}`, {
    providerId,
    url: redact(url),
    responseStatus: answer.status,
    responseBody: answer.body,
    acceptance: ended ? 'failed' : 'rejected',
    details: { provider: providerId, ...(classification.providerCode !== undefined ? { providerCode: classification.providerCode } : {}) },
  });
}

async function read(response: Dispatcher.ResponseData): Promise<ProviderResponse> {
  const bytes = new Uint8Array(await response.body.arrayBuffer());
  const contentType = String(response.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  let body: unknown = undefined;
  if (bytes.length > 0 && (contentType === 'application/json' || contentType.endsWith('+json') || contentType.startsWith('text/'))) {
    const text = new TextDecoder().decode(bytes);
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: response.statusCode, headers: response.headers, body, bytes, contentType };
}

function absoluteUrl(base: string, path: string, query: CallOptions<unknown>['query']): string {
  const url = new URL(/^https?:\/\//.test(path) ? path : `${base.replace(/\/+$/, '')}${path.startsWith('/') ? '' : '/'}${path}`);
  for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
  return url.toString();
}

/** Keys never appear in errors (Google accepts `?key=`). */
function redact(url: string): string {
  return url.replace(/([?&]key=)[^&]+/, '$1…');
}

function errorCode(error: unknown): string | undefined {
  if (error && typeof error === 'object') {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const cause = (error as { cause?: unknown }).cause;
    if (cause && cause !== error) return errorCode(cause);
    if ((error as { name?: unknown }).name === 'AbortError') return 'ABORTED';
  }
  return undefined;
}
