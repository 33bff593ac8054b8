import type EventEmitter from 'eventemitter3';
import { createHash } from 'node:crypto';
import { randomToken } from '../random-token';
import type { Account } from '../accounts/account';
import { DoitongError } from '../errors';
import type { DoitongEvents } from '../engine/events';
import type { Generation } from '../engine/generation';
import type { JobQueue } from '../engine/queue';
import type { Logger } from '../logger';
import type { Clock } from '../policies/clock';
import type { KeyValueStore } from '../storage/key-value-store';
import type { Locks } from '../storage/key-lock';
import type { WebhookDelivery } from './delivery';
import { DeliveryStore, type DeliveryFilter } from './delivery-store';
import { DeliveryWorker } from './delivery-worker';
import type { WebhookEndpoint } from './endpoint';
import { WebhookEndpoints, type EndpointChanges } from './endpoints';
import { terminalEventTypes, webhookEventTypes, type WebhookEventType } from './event';
import type { IdPage } from '../storage/id-index';
import type { ResolvedWebhookOptions } from './options';
import { generateWebhookSecret, webhookSecretKey } from './secret';
import { AccountSigningSecrets, type AccountSigningSecret } from './account-secrets';
import { isoTime } from '../policies/clock';
import type { Telemetry } from '../telemetry/telemetry';

export interface WebhooksDependencies {
  store: KeyValueStore;
  /** The instance's locks (distributed when instances share a store). */
  locks?: Locks;
  /** True when no other instance writes the store (the embedded memory store), so endpoint facts may be remembered. */
  soleWriter?: boolean;
  queue: JobQueue;
  events: EventEmitter<DoitongEvents>;
  clock: Clock;
  logger: Logger;
  options: ResolvedWebhookOptions;
  /** The host's own secret (`webhooks.secret`), which also signs generations' `webhookUrl` deliveries; a random one when undefined. */
  secret: string | undefined;
  /** The body of an event's deliveries, or undefined when there is nothing to send. */
  render(type: WebhookEventType, generation: Generation, timestamp: string): Promise<string | undefined>;
  /** Spans of attempts and counts of deliveries, when the host turned telemetry on. */
  telemetry?: Telemetry;
}

/**
 * Outgoing webhooks: turns generation events into stored deliveries (one per receiver, all with
 * the event's webhook-id), queues their attempts, and serves the GraphQL operations on endpoints
 * and deliveries. Listening and queueing happen off the request path: an event only starts work.
 */
export class Webhooks {
  /**
   * The host's secret: it signs deliveries to generations' own `webhookUrl` beside the account's
   * own secret, for receivers the host runs itself. Never give it to an account: accounts verify
   * with their own secret (`webhookSigningSecret`), which no other account knows.
   */
  readonly secret: string;
  readonly endpoints: WebhookEndpoints;
  /** Each account's own secret for its generations' `webhookUrl`. */
  readonly accountSecrets: AccountSigningSecrets;
  readonly deliveries: DeliveryStore;
  readonly #worker: DeliveryWorker;
  readonly #dependencies: WebhooksDependencies;
  readonly #fanOuts = new Set<Promise<void>>();
  #closed = false;

  constructor(dependencies: WebhooksDependencies) {
    this.#dependencies = dependencies;
    if (dependencies.secret !== undefined) webhookSecretKey(dependencies.secret, 'webhooks.secret');
    this.secret = dependencies.secret ?? generateWebhookSecret();
    const now = () => dependencies.clock.now();
    this.endpoints = new WebhookEndpoints({
      store: dependencies.store,
      now,
      allowPrivateUrls: dependencies.options.allowPrivateUrls,
      soleWriter: dependencies.soleWriter ?? false,
      ...(dependencies.locks ? { locks: dependencies.locks } : {}),
    });
    this.accountSecrets = new AccountSigningSecrets({ store: dependencies.store, now, ...(dependencies.locks ? { locks: dependencies.locks } : {}) });
    this.deliveries = new DeliveryStore(dependencies.store, dependencies.locks);
    this.#worker = new DeliveryWorker({
      deliveries: this.deliveries,
      endpoints: this.endpoints,
      queue: dependencies.queue,
      clock: dependencies.clock,
      logger: dependencies.logger,
      options: dependencies.options,
      instanceSecret: this.secret,
      accountSecrets: this.accountSecrets,
      ...(dependencies.telemetry ? { telemetry: dependencies.telemetry } : {}),
    });
    // Final events come through `notify`, which the engine waits for; progress is best effort.
    for (const type of webhookEventTypes)
      if (!terminalEventTypes.includes(type)) dependencies.events.on(type, (generation: Generation) => this.#onEvent(type, generation));
  }

  createEndpoint(account: Account, input: { url: string; events?: readonly string[] | null; description?: string | null }): Promise<WebhookEndpoint> {
    return this.endpoints.create(account.id, input);
  }

  listEndpoints(account: Account): Promise<WebhookEndpoint[]> {
    return this.endpoints.list(account.id);
  }

  getEndpoint(account: Account, id: string): Promise<WebhookEndpoint> {
    return this.endpoints.get(account.id, id);
  }

  updateEndpoint(account: Account, id: string, changes: EndpointChanges): Promise<WebhookEndpoint> {
    return this.endpoints.update(account.id, id, changes);
  }

  disableEndpoint(account: Account, id: string): Promise<WebhookEndpoint> {
    return this.endpoints.disable(account.id, id);
  }

  deleteEndpoint(account: Account, id: string): Promise<boolean> {
    return this.endpoints.delete(account.id, id);
  }

  rotateEndpointSecret(account: Account, id: string, overlapSeconds: number): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    return this.endpoints.rotateSecret(account.id, id, overlapSeconds);
  }

  /** The account's secret for its generations' `webhookUrl` deliveries (made on first use). */
  signingSecret(account: Account): Promise<AccountSigningSecret> {
    return this.accountSecrets.current(account.id);
  }

  rotateSigningSecret(account: Account, overlapSeconds: number): Promise<AccountSigningSecret> {
    return this.accountSecrets.rotate(account.id, overlapSeconds);
  }

  listDeliveries(account: Account, page: { first: number; after?: string | null }, filter: DeliveryFilter): Promise<IdPage<WebhookDelivery>> {
    return this.deliveries.list(account.id, page, filter);
  }

  /** The body a delivery sends, parsed (for the `payload` field). */
  async payloadOf(delivery: WebhookDelivery): Promise<unknown> {
    const payload = await this.deliveries.payload(delivery.webhookId);
    return payload === undefined ? null : (JSON.parse(payload) as unknown);
  }

  async getDelivery(account: Account, id: string): Promise<WebhookDelivery> {
    const delivery = await this.deliveries.get(id);
    if (!delivery || delivery.accountId !== account.id) throw new DoitongError('NOT_FOUND', `No webhook delivery with id "${id}".`, { details: { id } });
    return delivery;
  }

  /**
   * Sends a delivery again now, with the same webhook-id and body, and the whole retry schedule
   * ahead of it if it fails. Its endpoint must exist and be enabled.
   */
  async redeliver(account: Account, id: string): Promise<WebhookDelivery> {
    const delivery = await this.getDelivery(account, id);
    if (delivery.endpointId) {
      const endpoint = await this.endpoints.find(delivery.endpointId);
      if (!endpoint) throw new DoitongError('INVALID_INPUT', 'The endpoint of this delivery was deleted.', { details: { option: 'deliveryId' } });
      if (!endpoint.enabled)
        throw new DoitongError('INVALID_INPUT', 'The endpoint of this delivery is disabled; enable it first.', { details: { option: 'deliveryId' } });
    }
    const iso = new Date(this.#dependencies.clock.now()).toISOString();
    const queued = await this.deliveries.update(id, (current) => ({
      ...current,
      status: 'PENDING',
      failures: 0,
      jobToken: DeliveryWorker.token(),
      claimedUntil: null,
      nextAttemptAt: iso,
      completedAt: null,
      updatedAt: iso,
    }));
    if (!queued) throw new DoitongError('NOT_FOUND', `No webhook delivery with id "${id}".`, { details: { id } });
    await this.#worker.enqueue(queued);
    return queued;
  }

  /** Stops taking events and attempts; waits for deliveries being created, aborts those in flight. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#worker.close();
    await Promise.allSettled([...this.#fanOuts]);
  }

  /**
   * Stores and queues the deliveries of a final event, resolving once they are durable. Running
   * it again for the same event (a job re-run after a crash) queues nothing new: the message and
   * delivery ids are derived from the generation and the event, so receivers see the same
   * webhook-id and duplicates are skipped.
   */
  async notify(type: WebhookEventType, generation: Generation): Promise<void> {
    // Thrown, not skipped: the generation is then not marked notified, and the job that ended it
    // runs again (on another instance, or after the restart) and stores its deliveries.
    if (this.#closed) throw new DoitongError('SERVICE_UNAVAILABLE', 'Webhooks are closing; the final event is left to be stored again.');
    await this.#fanOut(type, generation);
  }

  #onEvent(type: WebhookEventType, generation: Generation): void {
    // Progress events go only to endpoints: an account known to have none costs no work at all.
    if (this.#closed || this.endpoints.knownToHaveNone(generation.accountId)) return;
    const work = this.#fanOut(type, generation).catch((error: unknown) =>
      this.#dependencies.logger.error({ err: error, generationId: generation.id, event: type }, 'creating webhook deliveries failed'),
    );
    this.#fanOuts.add(work);
    void work.finally(() => this.#fanOuts.delete(work));
  }

  async #fanOut(type: WebhookEventType, generation: Generation): Promise<void> {
    const { clock, render } = this.#dependencies;
    const targets: Array<{ endpointId: string | null; url: string }> = [];
    // A generation's own webhookUrl hears how it ends; progress goes to endpoints that ask for it.
    if (generation.webhookUrl && terminalEventTypes.includes(type)) targets.push({ endpointId: null, url: generation.webhookUrl });
    else if (this.endpoints.knownToHaveNone(generation.accountId)) return;
    const timestamp = isoTime(clock.now());
    for (const endpoint of await this.endpoints.list(generation.accountId))
      if (endpoint.enabled && endpoint.events.includes(type)) targets.push({ endpointId: endpoint.id, url: endpoint.url });
    if (targets.length === 0) return;
    const payload = await render(type, generation, timestamp);
    if (payload === undefined) return;
    if (this.#closed) throw new DoitongError('SERVICE_UNAVAILABLE', 'Webhooks are closing; the event is left to be stored again.');
    // One message, one webhook-id: a receiver that gets it twice (two routes to one URL) can tell.
    // A final event has one message per generation, whoever sends it and however often.
    const final = terminalEventTypes.includes(type);
    const webhookId = final ? `msg_${digest(`${generation.id}:${type}`)}` : `msg_${randomToken(24)}`;
    if (!final || (await this.deliveries.payload(webhookId)) === undefined) await this.deliveries.savePayload(webhookId, payload);
    await Promise.all(
      targets.map(async (target) => {
        const id = final ? `whd_${digest(`${webhookId}:${target.endpointId ?? target.url}`)}` : `whd_${randomToken(24)}`;
        const existing = final ? await this.deliveries.get(id) : undefined;
        if (existing) {
          // Created by an earlier run that may have died before queueing it.
          if (existing.status === 'PENDING') await this.#worker.enqueue(existing);
          return;
        }
        const delivery: WebhookDelivery = {
          id,
          webhookId,
          accountId: generation.accountId,
          endpointId: target.endpointId,
          generationId: generation.id,
          event: type,
          url: target.url,
          status: 'PENDING',
          attempts: [],
          failures: 0,
          nextAttemptAt: timestamp,
          jobToken: DeliveryWorker.token(),
          claimedUntil: null,
          lastError: null,
          createdAt: timestamp,
          updatedAt: timestamp,
          completedAt: null,
        };
        // Stored before it is queued: a job never points at a delivery that does not exist.
        await this.deliveries.create(delivery);
        await this.#worker.enqueue(delivery);
      }),
    );
  }
}

/** A stable 24-character id part derived from `text`. */
function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 24);
}
