import { lookup as dnsLookup } from 'node:dns/promises';

/** One resolved address of a host name. */
export interface ResolvedAddress {
  address: string;
  /** 4 or 6. */
  family: number;
}

/** Resolves a host name to every address it has (A and AAAA); each one is checked before a connection. */
export type WebhookLookup = (hostname: string) => Promise<ResolvedAddress[]>;

/** `createDoitong({ webhooks })`. */
export interface WebhookOptions {
  /**
   * The `whsec_…` secret that signs deliveries to each generation's own `webhookUrl`. Random per
   * instance when left out; read it back from `doitong.webhooks.secret`. Set it (the demo reads
   * DOITONG_WEBHOOK_SECRET) when receivers must keep verifying across restarts or instances.
   * Account endpoints have secrets of their own.
   */
  secret?: string;
  /** Lets webhooks reach loopback, private, link-local and metadata addresses. Local development only. */
  allowPrivateUrls?: boolean;
  /**
   * Milliseconds to wait before each retry of a failed delivery; the length is the number of
   * retries. Each delay gets ±20 % jitter. Default 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h
   * (Standard Webhooks' schedule, shortened to about 28 hours).
   */
  retrySchedule?: readonly number[];
  /** Milliseconds to connect (TCP and TLS) to a receiver (default 10 000). */
  connectTimeoutMilliseconds?: number;
  /** Milliseconds a receiver has to answer once connected (default 15 000); a slower answer is a failed attempt. */
  responseTimeoutMilliseconds?: number;
  /** Attempts in flight to one endpoint (to one origin for a `webhookUrl`) at once (default 4), so a slow receiver holds only its own share. */
  maxConcurrentPerEndpoint?: number;
  /** Attempts in flight from this instance at once (default 64). */
  maxConcurrent?: number;
  /** Resolves host names (default: the system resolver). Injectable for tests. */
  lookup?: WebhookLookup;
}

export interface ResolvedWebhookOptions {
  allowPrivateUrls: boolean;
  retrySchedule: readonly number[];
  connectTimeoutMilliseconds: number;
  responseTimeoutMilliseconds: number;
  maxConcurrentPerEndpoint: number;
  maxConcurrent: number;
  lookup: WebhookLookup;
}

const second = 1_000;
const minute = 60 * second;
const hour = 60 * minute;
export const defaultRetrySchedule: readonly number[] = [5 * second, 5 * minute, 30 * minute, 2 * hour, 5 * hour, 10 * hour, 10 * hour];

export function resolveWebhookOptions(options: WebhookOptions = {}): ResolvedWebhookOptions {
  return {
    allowPrivateUrls: options.allowPrivateUrls ?? false,
    retrySchedule: options.retrySchedule ?? defaultRetrySchedule,
    connectTimeoutMilliseconds: options.connectTimeoutMilliseconds ?? 10 * second,
    responseTimeoutMilliseconds: options.responseTimeoutMilliseconds ?? 15 * second,
    maxConcurrentPerEndpoint: Math.max(1, options.maxConcurrentPerEndpoint ?? 4),
    maxConcurrent: Math.max(1, options.maxConcurrent ?? 64),
    lookup: options.lookup ?? systemLookup,
  };
}

const systemLookup: WebhookLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });
