import type { KeyValueStore } from '../storage/key-value-store';
import { KeyLock, type Locks } from '../storage/key-lock';
import type { WebhookDelivery } from './delivery';
import { IdIndex, type IdPage } from '../storage/id-index';

export interface DeliveryFilter {
  generationId?: string | null;
  endpointId?: string | null;
}

/**
 * Deliveries (with their attempts) in the key-value store, indexed per account, per generation
 * and per endpoint, newest first, so every filter of `webhookDeliveries` reads only its own list.
 */
export class DeliveryStore {
  readonly #store: KeyValueStore;
  readonly #index: IdIndex;
  readonly #lock: Locks;

  constructor(store: KeyValueStore, locks: Locks = new KeyLock()) {
    this.#store = store;
    this.#lock = locks;
    this.#index = new IdIndex(store, locks);
  }

  get(id: string): Promise<WebhookDelivery | undefined> {
    return this.#store.get<WebhookDelivery>(deliveryKey(id));
  }

  /** Stores a message's body once for all its receivers; attempts sign exactly these bytes. */
  savePayload(webhookId: string, payload: string): Promise<void> {
    return this.#store.set(payloadKey(webhookId), payload);
  }

  payload(webhookId: string): Promise<string | undefined> {
    return this.#store.get<string>(payloadKey(webhookId));
  }

  async create(delivery: WebhookDelivery): Promise<void> {
    await this.#store.set(deliveryKey(delivery.id), delivery);
    await this.#index.append(accountIndex(delivery.accountId), delivery.id);
    await this.#index.append(generationIndex(delivery.generationId), delivery.id);
    if (delivery.endpointId) await this.#index.append(endpointIndex(delivery.endpointId), delivery.id);
  }

  /** Applies `change` under a per-delivery lock; `change` returns undefined to leave it as it is. */
  update(id: string, change: (current: WebhookDelivery) => WebhookDelivery | undefined): Promise<WebhookDelivery | undefined> {
    return this.#lock.run(deliveryKey(id), async () => {
      const current = await this.get(id);
      if (!current) return undefined;
      const next = change(current);
      if (!next) return undefined;
      await this.#store.set(deliveryKey(id), next);
      return next;
    });
  }

  list(accountId: string, page: { first: number; after?: string | null }, filter: DeliveryFilter = {}): Promise<IdPage<WebhookDelivery>> {
    // The narrowest list that holds every match; the record's account is checked whichever it is.
    const name = filter.generationId ? generationIndex(filter.generationId) : filter.endpointId ? endpointIndex(filter.endpointId) : accountIndex(accountId);
    return this.#index.page(
      name,
      page,
      (ids) => this.#store.getMany<WebhookDelivery>(ids.map(deliveryKey)),
      (delivery) =>
        delivery.accountId === accountId &&
        (!filter.generationId || delivery.generationId === filter.generationId) &&
        (!filter.endpointId || delivery.endpointId === filter.endpointId),
    );
  }
}

const deliveryKey = (id: string) => `webhook-delivery:${id}`;
const payloadKey = (webhookId: string) => `webhook-message:${webhookId}`;
const accountIndex = (accountId: string) => `account:${accountId}:webhook-deliveries`;
const generationIndex = (generationId: string) => `generation:${generationId}:webhook-deliveries`;
const endpointIndex = (endpointId: string) => `webhook-endpoint:${endpointId}:deliveries`;
