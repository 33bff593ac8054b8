import { setMaxListeners } from 'node:events';
import type { Agent } from 'undici';
import { randomToken } from '../random-token';
import { DoitongError } from '../errors';
import { enqueueJob, jobNames, registerJob } from '../engine/jobs';
import type { JobQueue } from '../engine/queue';
import type { Logger } from '../logger';
import type { Clock } from '../policies/clock';
import { maxStoredAttempts, type DeliveryAttempt, type WebhookDelivery } from './delivery';
import type { DeliveryStore } from './delivery-store';
import type { AccountSigningSecrets } from './account-secrets';
import { signingSecrets } from './endpoint';
import type { WebhookEndpoints } from './endpoints';
import { guardedAgent } from './guarded-agent';
import type { ResolvedWebhookOptions } from './options';
import { KeyedSemaphore, Semaphore } from './semaphore';
import { sendWebhook, type AttemptResult } from './send';
import { signWebhook } from './signature';
import type { Telemetry } from '../telemetry/telemetry';

const userAgent = 'Doitong-Webhooks/1';

export interface DeliveryWorkerDependencies {
  deliveries: DeliveryStore;
  endpoints: WebhookEndpoints;
  queue: JobQueue;
  clock: Clock;
  logger: Logger;
  options: ResolvedWebhookOptions;
  /** Signs deliveries to a generation's own `webhookUrl`. */
  instanceSecret: string;
  /** Each account's own secrets, which sign its generations' `webhookUrl` deliveries. */
  accountSecrets: AccountSigningSecrets;
  /** Spans of attempts and counts of deliveries, when the host turned telemetry on. */
  telemetry?: Telemetry;
}

/**
 * Makes the attempts of stored deliveries, one queue job per attempt: wait for a slot of the
 * endpoint and of the instance, claim the delivery, sign it afresh, POST it through the
 * SSRF-guarded agent, record the attempt, and queue the next one on the retry schedule.
 */
export class DeliveryWorker {
  readonly #dependencies: DeliveryWorkerDependencies;
  readonly #agent: Agent;
  readonly #perEndpoint: KeyedSemaphore;
  readonly #overall: Semaphore;
  readonly #abort = new AbortController();
  readonly #running = new Set<Promise<void>>();
  #closed = false;

  constructor(dependencies: DeliveryWorkerDependencies) {
    this.#dependencies = dependencies;
    const { options } = dependencies;
    this.#agent = guardedAgent({
      allowPrivateUrls: options.allowPrivateUrls,
      lookup: options.lookup,
      connectTimeoutMilliseconds: options.connectTimeoutMilliseconds,
    });
    this.#perEndpoint = new KeyedSemaphore(options.maxConcurrentPerEndpoint);
    this.#overall = new Semaphore(options.maxConcurrent);
    // Every attempt in flight listens for shutdown; the semaphore, not a listener cap, bounds them.
    setMaxListeners(0, this.#abort.signal);
    // One job per attempt (`jobNames.deliverWebhook`); it carries only ids, so a distributed queue can carry it.
    registerJob(dependencies.queue, jobNames.deliverWebhook, (data) => this.#track(this.attempt(data.id, data.token)));
  }

  /** A fresh job token, to store on a delivery before `enqueue` queues its job. */
  static token(): string {
    return randomToken(16);
  }

  /** Queues the job for a delivery whose token was stored (always store first, then queue). */
  enqueue(delivery: Pick<WebhookDelivery, 'id' | 'jobToken'>, delayMilliseconds = 0): Promise<void> {
    return enqueueJob(this.#dependencies.queue, jobNames.deliverWebhook, { id: delivery.id, token: delivery.jobToken }, { delayMilliseconds });
  }

  async attempt(id: string, token: string): Promise<void> {
    // Thrown, not skipped: the queue keeps the job (a durable one hands it to another instance).
    if (this.#closed) throw closingError();
    const { deliveries, endpoints, clock, options } = this.#dependencies;
    const due = await deliveries.get(id);
    if (!due || due.status !== 'PENDING' || due.jobToken !== token) return;

    // Slots first, claim second: a backlog waiting for a slow receiver's slots holds no lease, and
    // waits without holding instance slots (the endpoint's slot is taken before the instance's).
    let releaseEndpoint: (() => void) | undefined;
    let releaseOverall: (() => void) | undefined;
    try {
      releaseEndpoint = await this.#perEndpoint.acquire(due.endpointId ? `endpoint:${due.endpointId}` : `url:${originOf(due.url)}`);
      releaseOverall = await this.#overall.acquire();
    } catch {
      releaseEndpoint?.();
      return;
    }
    try {
      if (this.#closed) throw closingError();
      const now = clock.now();
      const lease = options.connectTimeoutMilliseconds + 2 * options.responseTimeoutMilliseconds + 10_000;
      let heldUntil = 0;
      const claimed = await deliveries.update(id, (current) => {
        if (current.status !== 'PENDING' || current.jobToken !== token) return undefined;
        if (current.claimedUntil && Date.parse(current.claimedUntil) > now) {
          heldUntil = Date.parse(current.claimedUntil);
          return undefined;
        }
        return { ...current, claimedUntil: new Date(now + lease).toISOString() };
      });
      if (!claimed) {
        // Another run holds the claim: this job may be the re-run of one whose instance died
        // mid-attempt. Come back when the claim lapses; if the holder finished, that run ends at once.
        if (heldUntil) await this.enqueue({ id, jobToken: token }, heldUntil - now + 50);
        return;
      }

      const payload = await deliveries.payload(claimed.webhookId);
      if (payload === undefined) return void (await this.#end(id, token, 'the message body is no longer stored'));
      let url = claimed.url;
      let secrets: string[];
      if (!claimed.endpointId) {
        // The account's own secrets (which its receiver verifies), and the host's for receivers it runs.
        secrets = [...(await this.#dependencies.accountSecrets.signing(claimed.accountId)), this.#dependencies.instanceSecret];
      } else {
        const endpoint = await endpoints.find(claimed.endpointId);
        if (!endpoint || !endpoint.enabled) return void (await this.#end(id, token, endpoint ? 'the endpoint is disabled' : 'the endpoint was deleted'));
        url = endpoint.url;
        secrets = signingSecrets(endpoint, clock.now());
      }

      const timestamp = Math.floor(clock.now() / 1000);
      const at = new Date(clock.now()).toISOString();
      const send = () =>
        sendWebhook(this.#agent, {
          url,
          body: payload,
          headers: {
            'content-type': 'application/json',
            'user-agent': userAgent,
            'webhook-id': claimed.webhookId,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signWebhook(secrets, claimed.webhookId, timestamp, payload),
          },
          responseTimeoutMilliseconds: options.responseTimeoutMilliseconds,
          signal: this.#abort.signal,
        });
      const telemetry = this.#dependencies.telemetry;
      const attempt = { deliveryId: id, event: claimed.event, url, attempt: (claimed.attempts.at(-1)?.number ?? 0) + 1 };
      const result = telemetry ? await telemetry.webhookAttempt(attempt, send) : await send();
      // Cut short by shutdown: not a verdict on the receiver, so the same job may run again.
      if (result.aborted) {
        await this.#release(id, token);
        throw closingError();
      }
      await this.#record(id, token, url, at, result);
    } finally {
      releaseOverall();
      releaseEndpoint();
    }
  }

  /** Stops attempts: those in flight are aborted and not recorded, waiting ones are dropped. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#abort.abort();
    const closing = new Error('webhook deliveries are closing');
    this.#perEndpoint.refuseWaiting(closing);
    this.#overall.refuseWaiting(closing);
    await Promise.allSettled([...this.#running]);
    await this.#agent.destroy().catch(() => undefined);
  }

  async #record(id: string, token: string, url: string, at: string, result: AttemptResult): Promise<void> {
    const { deliveries, endpoints, clock, logger, options } = this.#dependencies;
    const now = clock.now();
    const iso = new Date(now).toISOString();
    const gone = result.responseStatus === 410;
    let retryDelay: number | undefined;
    let outcome: 'delivered' | 'retrying' | 'failed' | undefined;
    const saved = await deliveries.update(id, (current) => {
      outcome = undefined;
      const attempt: DeliveryAttempt = {
        number: (current.attempts.at(-1)?.number ?? 0) + 1,
        at,
        status: result.ok ? 'SUCCEEDED' : 'FAILED',
        responseStatus: result.responseStatus,
        error: result.error,
        durationMilliseconds: result.durationMilliseconds,
        url,
      };
      const base = { ...current, attempts: [...current.attempts, attempt].slice(-maxStoredAttempts), url, updatedAt: iso, lastError: result.error };
      // A redelivery asked for while this attempt ran owns what happens next.
      if (current.jobToken !== token) return base;
      const settled = { ...base, jobToken: null, claimedUntil: null, nextAttemptAt: null, completedAt: iso };
      outcome = result.ok ? 'delivered' : gone || current.failures >= options.retrySchedule.length ? 'failed' : 'retrying';
      if (result.ok) return { ...settled, status: 'SUCCEEDED' as const };
      if (gone || current.failures >= options.retrySchedule.length) return { ...settled, status: 'FAILED' as const, failures: current.failures + 1 };
      retryDelay = retryDelayOf(options.retrySchedule, current.failures, result.retryAfterMilliseconds);
      return {
        ...base,
        failures: current.failures + 1,
        nextAttemptAt: new Date(now + retryDelay).toISOString(),
        jobToken: DeliveryWorker.token(),
        claimedUntil: null,
      };
    });
    if (!saved) return;
    if (outcome) this.#dependencies.telemetry?.webhookDelivery(saved.event, outcome);
    if (gone && saved.endpointId) {
      logger.warn({ endpointId: saved.endpointId, url }, 'webhook endpoint answered 410 Gone; it is disabled');
      await endpoints.disableGone(saved.endpointId);
    }
    // Stored first (above), queued second.
    if (retryDelay !== undefined && saved.jobToken) await this.enqueue(saved, retryDelay);
  }

  /** Ends a delivery that can no longer be attempted, without an attempt. */
  async #end(id: string, token: string, reason: string): Promise<void> {
    const iso = new Date(this.#dependencies.clock.now()).toISOString();
    await this.#dependencies.deliveries.update(id, (current) =>
      current.jobToken === token
        ? { ...current, status: 'FAILED', lastError: reason, jobToken: null, claimedUntil: null, nextAttemptAt: null, updatedAt: iso, completedAt: iso }
        : undefined,
    );
  }

  /** Gives the lease back, so the same job can run again (a distributed queue re-runs it). */
  async #release(id: string, token: string): Promise<void> {
    await this.#dependencies.deliveries.update(id, (current) => (current.jobToken === token ? { ...current, claimedUntil: null } : undefined));
  }

  #track(work: Promise<void>): Promise<void> {
    this.#running.add(work);
    return work.finally(() => this.#running.delete(work));
  }
}

/** The scheduled delay with ±20 % jitter, so retries from a burst do not arrive as a burst. */
function retryDelayOf(schedule: readonly number[], failures: number, retryAfter: number | null): number {
  const scheduled = schedule[failures]! * (0.8 + Math.random() * 0.4);
  // A receiver's Retry-After is honoured, within the longest wait of the schedule.
  return Math.round(retryAfter === null ? scheduled : Math.max(scheduled, Math.min(retryAfter, Math.max(...schedule))));
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function closingError(): DoitongError {
  return new DoitongError('SERVICE_UNAVAILABLE', 'Webhook deliveries are closing; the attempt is left to run again.');
}
