import { randomToken } from '../random-token';
import { DoitongError } from '../errors';
import type { KeyValueStore } from '../storage/key-value-store';
import { KeyLock, updateValue, type Locks } from '../storage/key-lock';
import type { EndpointDisabledReason, WebhookEndpoint } from './endpoint';
import { isWebhookEventType, terminalEventTypes, webhookEventTypes, type WebhookEventType } from './event';
import { generateWebhookSecret } from './secret';
import { checkOutgoingUrl } from './url-check';

/** Endpoints one account may have. */
export const maxEndpointsPerAccount = 50;
/** The longest a rotated-out secret may keep signing: a week. */
export const maxOverlapSeconds = 7 * 86_400;
/** Secrets an endpoint signs with at once (the current one and those still in their overlap). */
const maxSecrets = 5;

export interface EndpointChanges {
  url?: string | null;
  events?: readonly string[] | null;
  description?: string | null;
  enabled?: boolean | null;
}

/**
 * Account endpoints in the key-value store, with a per-account list of ids. Every method takes
 * the caller's account id; another account's endpoint is NOT_FOUND.
 */
export class WebhookEndpoints {
  readonly #store: KeyValueStore;
  readonly #now: () => number;
  readonly #allowPrivateUrls: boolean;
  readonly #lock: Locks;
  /**
   * Accounts known to have no endpoint, when this instance is the only writer of the store (the
   * embedded memory store): every generation's progress events ask, and for most accounts the
   * answer is none. `#creations` is bumped by each create, so a listing that raced with one never
   * records the account as empty.
   */
  readonly #knownEmpty: Set<string> | undefined;
  #creations = 0;

  constructor(options: { store: KeyValueStore; now: () => number; allowPrivateUrls: boolean; locks?: Locks; soleWriter?: boolean }) {
    this.#store = options.store;
    this.#knownEmpty = options.soleWriter ? new Set() : undefined;
    this.#lock = options.locks ?? new KeyLock();
    this.#now = options.now;
    this.#allowPrivateUrls = options.allowPrivateUrls;
  }

  /** Creates an endpoint; its secret is in the result (and readable again only by rotating it). */
  async create(accountId: string, input: { url: string; events?: readonly string[] | null; description?: string | null }): Promise<WebhookEndpoint> {
    const url = this.#checkUrl(input.url);
    const events = checkEvents(input.events);
    const description = checkDescription(input.description);
    const now = this.#iso();
    const endpoint: WebhookEndpoint = {
      id: `we_${randomToken(24)}`,
      accountId,
      url,
      events,
      description,
      enabled: true,
      disabledReason: null,
      secrets: [{ secret: generateWebhookSecret(), expiresAt: null }],
      createdAt: now,
      updatedAt: now,
      disabledAt: null,
    };
    this.#creations++;
    this.#knownEmpty?.delete(accountId);
    // The record first: a listing that finds the id finds the endpoint. Refused past the limit, it is removed again.
    await this.#store.set(endpointKey(endpoint.id), endpoint);
    try {
      await this.#changeList(accountId, (ids) => {
        if (ids.length >= maxEndpointsPerAccount)
          throw new DoitongError('INVALID_INPUT', `An account may have at most ${maxEndpointsPerAccount} webhook endpoints.`, {
            details: { option: 'url', maximum: maxEndpointsPerAccount },
          });
        return [...ids, endpoint.id];
      });
    } catch (error) {
      await this.#store.delete(endpointKey(endpoint.id));
      throw error;
    }
    return endpoint;
  }

  /** True only when the account is known to have no endpoint (see `#knownEmpty`); false means "look". */
  knownToHaveNone(accountId: string): boolean {
    return this.#knownEmpty?.has(accountId) ?? false;
  }

  /** The account's endpoints, oldest first. */
  async list(accountId: string): Promise<WebhookEndpoint[]> {
    const creations = this.#creations;
    const ids = (await this.#store.get<string[]>(listKey(accountId))) ?? [];
    if (ids.length === 0 && this.#knownEmpty && creations === this.#creations) {
      // Bounded: a long-lived instance with very many accounts starts over rather than grow.
      if (this.#knownEmpty.size >= 100_000) this.#knownEmpty.clear();
      this.#knownEmpty.add(accountId);
    }
    const records = await this.#store.getMany<WebhookEndpoint>(ids.map(endpointKey));
    return records.filter((record): record is WebhookEndpoint => record !== undefined);
  }

  async get(accountId: string, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.find(id);
    if (!endpoint || endpoint.accountId !== accountId) throw notFound(id);
    return endpoint;
  }

  /** Any account's endpoint, for the delivery worker. */
  find(id: string): Promise<WebhookEndpoint | undefined> {
    return this.#store.get<WebhookEndpoint>(endpointKey(id));
  }

  update(accountId: string, id: string, changes: EndpointChanges): Promise<WebhookEndpoint> {
    const url = changes.url == null ? undefined : this.#checkUrl(changes.url);
    const events = changes.events == null ? undefined : checkEvents(changes.events);
    const description = changes.description === undefined ? undefined : checkDescription(changes.description);
    return this.#change(accountId, id, (endpoint) => {
      const next = { ...endpoint };
      if (url !== undefined) next.url = url;
      if (events !== undefined) next.events = events;
      if (description !== undefined) next.description = description;
      if (changes.enabled === true) Object.assign(next, { enabled: true, disabledReason: null, disabledAt: null });
      if (changes.enabled === false && endpoint.enabled) Object.assign(next, { enabled: false, disabledReason: 'DISABLED_BY_USER', disabledAt: this.#iso() });
      return next;
    });
  }

  disable(accountId: string, id: string, reason: EndpointDisabledReason = 'DISABLED_BY_USER'): Promise<WebhookEndpoint> {
    return this.#change(accountId, id, (endpoint) =>
      endpoint.enabled ? { ...endpoint, enabled: false, disabledReason: reason, disabledAt: this.#iso() } : endpoint,
    );
  }

  /** True when it existed. Its deliveries stay readable; pending ones are not attempted again. */
  async delete(accountId: string, id: string): Promise<boolean> {
    const endpoint = await this.find(id);
    if (!endpoint || endpoint.accountId !== accountId) throw notFound(id);
    await this.#changeList(accountId, (ids) => ids.filter((candidate) => candidate !== id));
    await this.#store.delete(endpointKey(id));
    return true;
  }

  /**
   * Makes a new current secret. The old one keeps signing beside it for `overlapSeconds`, so a
   * receiver can switch without losing a delivery (0 ends it at once).
   */
  async rotateSecret(accountId: string, id: string, overlapSeconds: number): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    if (!Number.isInteger(overlapSeconds) || overlapSeconds < 0 || overlapSeconds > maxOverlapSeconds)
      throw new DoitongError('INVALID_INPUT', `overlapSeconds must be between 0 and ${maxOverlapSeconds}.`, {
        details: { option: 'overlapSeconds', minimum: 0, maximum: maxOverlapSeconds },
      });
    const secret = generateWebhookSecret();
    const now = this.#now();
    const endpoint = await this.#change(accountId, id, (current) => {
      const expiresAt = new Date(now + overlapSeconds * 1000).toISOString();
      const older = current.secrets
        .map((entry) => (entry.expiresAt === null ? { ...entry, expiresAt } : entry))
        .filter((entry) => overlapSeconds > 0 && Date.parse(entry.expiresAt!) > now);
      return { ...current, secrets: [{ secret, expiresAt: null }, ...older].slice(0, maxSecrets) };
    });
    return { endpoint, secret };
  }

  /** Disables an endpoint found by the worker (its receiver answered 410 Gone). */
  async disableGone(id: string): Promise<void> {
    const endpoint = await this.find(id);
    if (endpoint) await this.disable(endpoint.accountId, id, 'GONE');
  }

  /**
   * Changes the account's list of endpoint ids from what is stored: atomically on a store that can
   * (never from a copy a store serves from memory, as the Redis store does for this list, which every
   * generation's ending reads), under a lock otherwise. `change` may run more than once.
   */
  async #changeList(accountId: string, change: (ids: readonly string[]) => string[]): Promise<void> {
    await updateValue<string[]>(this.#store, this.#lock, listKey(accountId), (ids) => ({ value: change(ids ?? []) }));
  }

  #change(accountId: string, id: string, change: (endpoint: WebhookEndpoint) => WebhookEndpoint): Promise<WebhookEndpoint> {
    return this.#lock.run(endpointKey(id), async () => {
      const endpoint = await this.get(accountId, id);
      const next = change(endpoint);
      if (next === endpoint) return endpoint;
      next.updatedAt = this.#iso();
      await this.#store.set(endpointKey(id), next);
      return next;
    });
  }

  #checkUrl(value: string): string {
    checkOutgoingUrl(value, 'url', this.#allowPrivateUrls);
    return value;
  }

  #iso(): string {
    return new Date(this.#now()).toISOString();
  }
}

function checkEvents(events: readonly string[] | null | undefined): WebhookEventType[] {
  if (events == null) return [...terminalEventTypes];
  if (events.length === 0)
    throw new DoitongError('INVALID_INPUT', 'events must name at least one event type.', { details: { option: 'events', allowedValues: webhookEventTypes } });
  for (const event of events)
    if (!isWebhookEventType(event))
      throw new DoitongError('INVALID_INPUT', `Unknown event type "${event}".`, { details: { option: 'events', allowedValues: webhookEventTypes } });
  return [...new Set(events as WebhookEventType[])];
}

function checkDescription(description: string | null | undefined): string | null {
  if (description == null) return null;
  if (description.length > 500) throw new DoitongError('INVALID_INPUT', 'description is longer than 500 characters.', { details: { option: 'description' } });
  return description;
}

function notFound(id: string): DoitongError {
  return new DoitongError('NOT_FOUND', `No webhook endpoint with id "${id}".`, { details: { id } });
}

const endpointKey = (id: string) => `webhook-endpoint:${id}`;
const listKey = (accountId: string) => `account:${accountId}:webhook-endpoints`;
