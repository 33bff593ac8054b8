import { performance } from 'node:perf_hooks';
import { request, type Agent } from 'undici';
import { blockedAddressCode } from './guarded-agent';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  responseTimeoutMilliseconds: number;
  /** Aborted when the instance closes. */
  signal: AbortSignal;
}

/** What one attempt saw. `ok` only for a 2xx within the timeout. */
export interface AttemptResult {
  ok: boolean;
  responseStatus: number | null;
  error: string | null;
  durationMilliseconds: number;
  /** The receiver's `Retry-After` on a 429 or 503, in milliseconds. */
  retryAfterMilliseconds: number | null;
  /** The attempt was cut short because the instance is closing; it is not recorded. */
  aborted: boolean;
}

/** Undici and Node error codes, in words a webhook's owner can act on. */
const errorWords: Record<string, string> = {
  [blockedAddressCode]: 'refused',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no response within the timeout',
  UND_ERR_BODY_TIMEOUT: 'the response body stalled',
  UND_ERR_SOCKET: 'the connection was closed',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host',
};

/** One POST of a signed message. Never throws: every outcome is an attempt to record. */
export async function sendWebhook(agent: Agent, message: WebhookRequest): Promise<AttemptResult> {
  const started = performance.now();
  const duration = () => Math.round(performance.now() - started);
  try {
    const response = await request(message.url, {
      dispatcher: agent,
      method: 'POST',
      headers: message.headers,
      body: message.body,
      headersTimeout: message.responseTimeoutMilliseconds,
      bodyTimeout: message.responseTimeoutMilliseconds,
      signal: message.signal,
    });
    // The answer's body is not kept; reading it frees the connection for the next delivery.
    await response.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
    const status = response.statusCode;
    const ok = status >= 200 && status < 300;
    return {
      ok,
      responseStatus: status,
      // 3xx is a failure and is not followed: the owner should update the URL.
      error: ok ? null : status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}`,
      durationMilliseconds: duration(),
      retryAfterMilliseconds: status === 429 || status === 503 ? retryAfter(response.headers['retry-after']) : null,
      aborted: false,
    };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const words = typeof code === 'string' ? errorWords[code] : undefined;
    const detail = code === blockedAddressCode ? (error as Error).message : (words ?? (typeof code === 'string' ? code : 'request failed'));
    return { ok: false, responseStatus: null, error: detail, durationMilliseconds: duration(), retryAfterMilliseconds: null, aborted: message.signal.aborted };
  }
}

function retryAfter(value: string | string[] | undefined): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}
