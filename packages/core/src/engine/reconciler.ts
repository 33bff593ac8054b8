import type EventEmitter from 'eventemitter3';
import type { Logger } from '../logger';
import type { Clock } from '../policies/clock';
import type { ConcurrencySlots } from '../policies/concurrency';
import type { CreditLedger } from '../policies/ledger';
import type { ProviderRegistry } from '../providers/registry';
import type { Locks } from '../storage/key-lock';
import type { DoitongEvents } from './events';
import { terminalStatuses } from './generation';
import type { GenerationStore } from './generation-store';
import type { JobQueue } from './queue';
import { maxJobTimeSeconds } from './defaults';
import { enqueueJob, jobNames, submitKey } from './jobs';
import type { Repair } from './repair';
import type { GenerationWorker } from './worker';

export type { Repair } from './repair';

export interface ReconcilerOptions {
  /** Seconds between passes (default 60); 0 turns the periodic pass off (`doitong.reconcile()` still works). */
  intervalSeconds?: number;
  /**
   * How old a reservation, a slot or a step must be before it counts as left behind (default
   * 120 s): longer than any create request and provider call takes, so work in progress is never
   * taken for debris.
   */
  graceSeconds?: number;
  /** Open reservations and held slots looked at per pass, oldest first (default 5,000). */
  batchSize?: number;
}

export interface ReconcilerDependencies {
  generations: GenerationStore;
  ledger: CreditLedger;
  slots: ConcurrencySlots;
  queue: JobQueue;
  locks: Locks;
  registry: ProviderRegistry;
  worker: GenerationWorker;
  events: EventEmitter<DoitongEvents>;
  clock: Clock;
  logger: Logger;
}

const defaultIntervalSeconds = 60;
const defaultGraceSeconds = 120;

/**
 * The safety net for what a crash or an outage leaves half done between steps that live in
 * different stores (slot, reservation, record, job): it walks the open reservations and the held
 * slots, compares them with their generations, and repairs what no job will. Every repair is one
 * the engine's own steps would make (a keyed submit, a poll, a settlement exactly once, a slot
 * release), so a pass that runs twice, or alongside the jobs, changes nothing more.
 */
export class Reconciler {
  readonly #dependencies: ReconcilerDependencies;
  readonly #graceMilliseconds: number;
  readonly #batchSize: number;
  readonly #intervalMilliseconds: number;
  /** Slots whose generation was missing at an earlier pass, and since when: released once that is older than the grace. */
  readonly #missing = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<Repair[]> | undefined;

  constructor(dependencies: ReconcilerDependencies, options: ReconcilerOptions = {}) {
    this.#dependencies = dependencies;
    this.#graceMilliseconds = (options.graceSeconds ?? defaultGraceSeconds) * 1000;
    this.#batchSize = options.batchSize ?? 5_000;
    this.#intervalMilliseconds = (options.intervalSeconds ?? defaultIntervalSeconds) * 1000;
  }

  /** Starts the periodic pass (the first one after one interval). */
  start(): void {
    if (this.#intervalMilliseconds <= 0 || this.#timer) return;
    this.#timer = setInterval(() => {
      void this.run().catch((error: unknown) => this.#dependencies.logger.warn({ err: error }, 'reconciler pass failed; the next one tries again'));
    }, this.#intervalMilliseconds);
    this.#timer.unref();
  }

  /** Stops the periodic pass and waits for one that is running. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }

  /**
   * One pass, under the `reconciler` lock so that with several instances one looks at a time
   * (a pass that runs anyway, the lock having lapsed, repeats nothing). Resolves with what it repaired.
   */
  run(): Promise<Repair[]> {
    this.#running ??= this.#dependencies.locks.run('reconciler', () => this.#pass()).finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #pass(): Promise<Repair[]> {
    const repairs: Repair[] = [];
    const repaired = (repair: Repair) => {
      repairs.push(repair);
      this.#dependencies.logger.warn({ ...repair }, `reconciler: ${repair.kind}`);
      this.#dependencies.events.emit('reconciler.repaired', repair);
    };
    await this.#reservations(repaired);
    await this.#slots(repaired);
    return repairs;
  }

  async #reservations(repaired: (repair: Repair) => void): Promise<void> {
    const { ledger, generations, queue, registry, worker, clock } = this.#dependencies;
    if (!ledger.openReservations) return;
    const now = clock.now();
    for (const reservation of await ledger.openReservations(this.#batchSize)) {
      // Young ones belong to requests and jobs still at work.
      if (now - reservation.reservedAt < this.#graceMilliseconds) break;
      const { reservationId, accountId, generationId } = reservation;
      if (!generationId) continue;
      const generation = await generations.get(generationId);
      if (!generation) {
        // Reserved, then the instance died (or its store failed) before the record was written:
        // nothing can have reached a provider.
        if (await ledger.refund(reservationId, 'reconciler: the generation was never stored'))
          repaired({ kind: 'reservation.refunded', generationId, accountId, reservationId, detail: 'the generation was never stored' });
        continue;
      }
      if (generation.reservationId !== reservationId) {
        // A fallback re-priced the generation and the old (or unused new) reservation was left open.
        if (await ledger.refund(reservationId, `reconciler: generation ${generationId} no longer uses this reservation`))
          repaired({ kind: 'reservation.refunded', generationId, accountId, reservationId, detail: `the generation uses ${generation.reservationId}` });
        continue;
      }
      if (terminalStatuses.has(generation.status)) {
        // Ended a moment ago: its own job is still settling it.
        if (now - Date.parse(generation.completedAt ?? generation.updatedAt) < this.#graceMilliseconds) continue;
        if (!generation.notifiedAt) {
          // The end was cut short: settle, free the slot, send the webhooks, as the job would have.
          await worker.resumeEnding(generation);
          repaired({ kind: 'ending.resumed', generationId, accountId, reservationId, detail: `${generation.status} generation not yet notified` });
        } else {
          const settlement = generation.settlement ?? (generation.status === 'COMPLETED' ? 'commit' : 'refund');
          const settled =
            settlement === 'commit'
              ? await ledger.commit(reservationId, generation.creditCost)
              : await ledger.refund(reservationId, `reconciler: ${generation.status.toLowerCase()} generation ${generationId}`);
          if (settled)
            repaired({ kind: 'reservation.settled', generationId, accountId, reservationId, detail: `${settlement} for a ${generation.status} generation` });
        }
        continue;
      }
      if (generation.status === 'PENDING') {
        const since = Date.parse(generation.submittingSince ?? generation.updatedAt);
        if (now - since < this.#graceMilliseconds) continue;
        // The key makes this nothing when the submission is still waiting or running. A run that
        // finds `submittingSince` set adopts the provider's job (`find`) or fails it refunded,
        // never sending the create call twice.
        await enqueueJob(queue, jobNames.submit, { id: generationId }, { key: submitKey(generation) });
        repaired({
          kind: 'submission.queued',
          generationId,
          accountId,
          reservationId,
          detail: generation.submittingSince ? 'cut short during the create call: adopt or refuse' : 'no submission was queued',
        });
        continue;
      }
      if (generation.status === 'PROCESSING' && generation.startedAt) {
        const adapter = registry.resolve(generation.provider, generation.livemode ? 'live' : 'test');
        const maxJobMilliseconds = maxJobTimeSeconds(adapter) * 1000;
        if (now - Date.parse(generation.startedAt) < maxJobMilliseconds + this.#graceMilliseconds) continue;
        // Its polls stopped (a job given up during a long outage): one more ends it.
        await enqueueJob(queue, jobNames.poll, { id: generationId });
        repaired({ kind: 'generation.polled', generationId, accountId, reservationId, detail: 'past its maxJobTime and still PROCESSING' });
      }
    }
  }

  async #slots(repaired: (repair: Repair) => void): Promise<void> {
    const { slots, generations, clock } = this.#dependencies;
    if (!slots.held) return;
    const now = clock.now();
    const seen = new Set<string>();
    for (const slot of await slots.held(this.#batchSize)) {
      const generation = await generations.get(slot.slotId);
      if (generation && !terminalStatuses.has(generation.status)) continue;
      if (!generation) {
        // Taken, then the request died before its record was written; or still being created.
        // Released only once it has been missing for longer than the grace.
        seen.add(slot.slotId);
        const since = this.#missing.get(slot.slotId);
        if (since === undefined) this.#missing.set(slot.slotId, now);
        if (since === undefined || now - since < this.#graceMilliseconds) continue;
      }
      await slots.release(slot.accountId, slot.slotId);
      this.#missing.delete(slot.slotId);
      repaired({
        kind: 'slot.released',
        generationId: slot.slotId,
        accountId: slot.accountId,
        detail: generation ? `held by a ${generation.status} generation` : 'the generation was never stored',
      });
    }
    for (const slotId of this.#missing.keys()) if (!seen.has(slotId)) this.#missing.delete(slotId);
  }
}
