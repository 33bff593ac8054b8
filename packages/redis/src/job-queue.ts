import { randomUUID } from 'node:crypto';
import type { CloseOptions, EnqueueOptions, FollowUp, JobHandler, JobQueue, JsonObject, Logger, QueueCounts } from '@doitong/core';
import type { Redis } from 'ioredis';
import { unavailableOnFailure } from './failures';
import { clockSkewMilliseconds, countScript, executed, takeScript, type QueueClient, type StoredJob } from './job-storage';

export interface RedisJobQueueOptions {
  client: Redis;
  /** Key prefix (the `redis()` prefix); instances that share prefix and name share the work. */
  prefix?: string;
  /** Queue name (default `jobs`). */
  name?: string;
  /** Jobs one instance runs at once (default 64: most are short provider calls). */
  concurrency?: number;
  /**
   * How long a job is leased to the instance running it; a running job's lease is renewed
   * while it runs, so this only bounds how soon another instance takes over the job of an
   * instance that died (default 30 s). A slow job on a busy host is renewed, never lost.
   */
  lockDurationMilliseconds?: number;
  /** How often an idle instance looks for due jobs others queued or left (default 1 s). */
  stalledIntervalMilliseconds?: number;
  /** Runs a failing job gets before it is given up and logged (default 12), with exponential backoff from 500 ms. */
  attempts?: number;
  /** How long `close()` waits for running jobs before handing them back to the queue (default 10 s; `close({ drainMilliseconds })` overrides it). */
  drainMilliseconds?: number;
  logger?: Logger;
}

/**
 * A lean job queue on Redis for submit, poll and delivery jobs: a job costs four Redis commands
 * from enqueue to done when the instance that queues it runs it (add, already leased to it, and
 * remove: two round trips), about eight when another instance or a later take runs it (add, take,
 * remove), against about forty with BullMQ, which tracks events, metrics and priorities Doitong
 * does not use; a follow-up a handler answers with (a generation's next poll) is written over the
 * finished job, two commands where an add and a removal were four. Its guarantees are the
 * ones the engine relies on: a job is stored before `enqueue` resolves (a follow-up before its
 * job leaves the queue); a job runs at least once (an instance that dies mid-job loses its lease
 * and another takes the job); a keyed job is never waiting or running twice; a failing job is
 * retried with backoff. Handlers are written to be run again safely, as with any at-least-once queue.
 */
export class RedisJobQueue implements JobQueue {
  readonly storesFollowUps = true;
  readonly #client: QueueClient;
  readonly #due: string;
  readonly #jobs: string;
  readonly #handlers = new Map<string, JobHandler>();
  readonly #concurrency: number;
  readonly #leaseMilliseconds: number;
  readonly #idleMilliseconds: number;
  readonly #attempts: number;
  readonly #drainMilliseconds: number;
  readonly #logger: Logger | undefined;
  /**
   * Running jobs: id → when its lease was last set; `ending` once its next run time is being written
   * (a retry, a follow-up), which a lease renewal must not overwrite.
   */
  readonly #running = new Map<string, { leasedAt: number; done: Promise<void>; ending?: boolean }>();
  #closed = false;
  /** Jobs being stored to start here (see `enqueue`): room they take until they run. */
  #starting = 0;
  #taking: Promise<void> | undefined;
  #takeAgain = false;
  #moreDue = false;
  #wakeTimer: NodeJS.Timeout | undefined;
  #wakeAt = Infinity;
  readonly #pollTimer: NodeJS.Timeout;
  readonly #renewTimer: NodeJS.Timeout;

  constructor(options: RedisJobQueueOptions) {
    this.#client = options.client as QueueClient;
    const base = `${options.prefix ?? 'doitong:'}queue:${options.name ?? 'jobs'}:`;
    // One hash tag: both keys live in the same slot, as the scripts need on a Redis Cluster.
    this.#due = `${base}{q}:due`;
    this.#jobs = `${base}{q}:jobs`;
    this.#concurrency = options.concurrency ?? 64;
    this.#leaseMilliseconds = Math.ceil(options.lockDurationMilliseconds ?? 30_000);
    this.#idleMilliseconds = options.stalledIntervalMilliseconds ?? 1_000;
    this.#attempts = options.attempts ?? 12;
    this.#drainMilliseconds = options.drainMilliseconds ?? 10_000;
    this.#logger = options.logger;
    if (!this.#client.doitongTakeJobs) this.#client.defineCommand('doitongTakeJobs', { numberOfKeys: 2, lua: takeScript });
    if (!this.#client.doitongCountJobs) this.#client.defineCommand('doitongCountJobs', { numberOfKeys: 1, lua: countScript });
    // Jobs queued by other instances, or left by one that died, are found by looking now and then.
    this.#pollTimer = setInterval(() => this.#take(), this.#idleMilliseconds);
    this.#pollTimer.unref();
    this.#renewTimer = setInterval(() => void this.#renew(), Math.max(100, Math.floor(this.#leaseMilliseconds / 3)));
    this.#renewTimer.unref();
  }

  register(name: string, handler: JobHandler): void {
    this.#handlers.set(name, handler);
  }

  /**
   * Stores the job. Still accepted while closing: a running job's follow-up (the next poll) is
   * stored for whichever instance runs next, this one having stopped taking jobs.
   */
  async enqueue(name: string, data: JsonObject, options: EnqueueOptions = {}): Promise<void> {
    if (!this.#handlers.has(name)) throw new Error(`no handler registered for job "${name}"`);
    const delay = Math.max(0, Math.ceil(options.delayMilliseconds ?? 0));
    const id = options.key ?? randomUUID();
    const raw = JSON.stringify({ n: name, d: data, a: 0 } satisfies StoredJob);
    const now = Date.now();
    // A job due now, on an instance with room, is stored already leased to this instance and
    // started here: no take (a script of three commands) is needed to find it. It is as durable
    // as any other: should this instance die, its lease ends and another instance takes it.
    if (delay === 0 && !this.#closed && this.#running.size + this.#starting < this.#concurrency) {
      this.#starting++;
      let added: number;
      try {
        added = await unavailableOnFailure('The job queue', () => this.#add(id, raw, this.#leaseEnd(now), options.key !== undefined));
      } finally {
        this.#starting--;
      }
      // Not added: a job under this key is waiting or running already.
      if (added !== 1) return;
      if (this.#closed) {
        // Closed meanwhile: hand it back, due at once, to the next instance to look.
        await this.#client
          .zadd(this.#due, 'XX', Date.now(), id)
          .catch((error: unknown) => this.#logger?.warn({ err: error }, 'could not hand back a job; it is taken over when its lease ends'));
        return;
      }
      this.#start(id, raw, now);
      return;
    }
    const at = now + delay;
    await unavailableOnFailure('The job queue', () => this.#add(id, raw, at, options.key !== undefined));
    // This instance runs what it queued as soon as it is due, without waiting for a poll.
    this.#wake(at);
  }

  /**
   * Stores a job under `id`, due (or leased) until `score`; 1 when added. Its data and its place
   * are written in one pipeline, data first, so a take in between finds nothing yet, and a pipeline
   * cut short leaves at most data no take reaches (and `enqueue` fails, to be tried again), never a
   * job without its data. An id of this queue's own (a random UUID) cannot be taken already. A
   * keyed job is added only if no job under its key is waiting or running: its data with HSETNX,
   * which says whether it was there, its place with ZADD NX, which leaves a job already in place
   * where it is (and puts back in place data a cut-short add left, rather than block the key).
   */
  async #add(id: string, raw: string, score: number, keyed: boolean): Promise<number> {
    if (!keyed) {
      await executed(this.#client.pipeline().hset(this.#jobs, id, raw).zadd(this.#due, score, id));
      return 1;
    }
    const [added] = await executed(this.#client.pipeline().hsetnx(this.#jobs, id, raw).zadd(this.#due, 'NX', score, id));
    return Number(added);
  }

  /**
   * Stops taking jobs and waits for the running ones (up to `drainMilliseconds`); those still
   * running then are handed back, due at once, for another instance or the next start.
   */
  async close(options: CloseOptions = {}): Promise<void> {
    if (this.#closed) return;
    const drainMilliseconds = options.drainMilliseconds ?? this.#drainMilliseconds;
    this.#closed = true;
    clearInterval(this.#pollTimer);
    clearTimeout(this.#wakeTimer);
    await this.#taking;
    const drained = Promise.all([...this.#running.values()].map(({ done }) => done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([drained, new Promise((resolve) => (timer = setTimeout(resolve, drainMilliseconds)))]);
    clearTimeout(timer);
    clearInterval(this.#renewTimer);
    const left = [...this.#running.keys()];
    if (left.length > 0) {
      const now = Date.now();
      await this.#client
        .zadd(this.#due, 'XX', ...left.flatMap((id) => [now, id]))
        .catch((error: unknown) => this.#logger?.warn({ err: error }, 'could not hand back running jobs; they are taken over when their lease ends'));
      this.#logger?.info({ jobs: left.length }, 'handed running jobs back to the queue');
    }
  }

  /** Jobs in the queue by state, across every instance sharing it: one script call. */
  async counts(): Promise<QueueCounts> {
    const now = Date.now();
    const [waiting, active, delayed] = await unavailableOnFailure('The job queue', () =>
      this.#client.doitongCountJobs!(this.#due, now, this.#leaseEnd(now) + clockSkewMilliseconds),
    );
    return { waiting, active, delayed };
  }

  /** When a lease taken or renewed at `now` ends: on a half millisecond, which marks it as a lease. */
  #leaseEnd(now: number): number {
    return now + this.#leaseMilliseconds + 0.5;
  }

  #wake(at: number): void {
    if (this.#closed || at >= this.#wakeAt) return;
    clearTimeout(this.#wakeTimer);
    this.#wakeAt = at;
    this.#wakeTimer = setTimeout(
      () => {
        this.#wakeAt = Infinity;
        this.#take();
      },
      Math.max(0, at - Date.now()),
    );
    this.#wakeTimer.unref();
  }

  /** Takes as many due jobs as there is room for, one script call at a time; one take at a time. */
  #take(): void {
    if (this.#closed || this.#running.size >= this.#concurrency) return;
    // A wake during a take may be for a job that take missed: take once more after it.
    if (this.#taking) {
      this.#takeAgain = true;
      return;
    }
    this.#takeAgain = false;
    const taking = this.#takeDue().finally(() => {
      if (this.#taking === taking) this.#taking = undefined;
      if (this.#takeAgain) this.#take();
    });
    this.#taking = taking;
  }

  async #takeDue(): Promise<void> {
    try {
      for (;;) {
        // Yield first, so #take has recorded this run before it can end.
        await undefined;
        const room = this.#concurrency - this.#running.size - this.#starting;
        if (room <= 0 || this.#closed) return;
        const now = Date.now();
        const taken = await this.#client.doitongTakeJobs!(this.#due, this.#jobs, now, this.#leaseEnd(now), room);
        for (let index = 0; index < taken.length; index += 2) this.#start(taken[index]!, taken[index + 1]!, now);
        // A full take may have left due jobs behind: look again when one ends.
        this.#moreDue = taken.length / 2 >= room;
        if (!this.#moreDue) return;
      }
    } catch (error) {
      this.#logger?.warn({ err: error }, 'could not take jobs from the queue; trying again');
    }
  }

  #start(id: string, raw: string, leasedAt: number): void {
    const done = (async () => {
      if (!raw) {
        // Its data is gone (a job removed between the two reads of a take): nothing to run.
        await this.#client.zrem(this.#due, id);
        return;
      }
      const job = JSON.parse(raw) as StoredJob;
      try {
        const handler = this.#handlers.get(job.n);
        if (!handler) throw new Error(`no handler registered for job "${job.n}"`);
        const followUp = await handler(job.d);
        if (followUp) return await this.#followWith(id, followUp);
        await this.#remove(id);
      } catch (error) {
        await this.#failed(id, job, error);
      }
      return undefined;
    })()
      .catch((error: unknown) => {
        this.#logger?.warn({ err: error, job: id }, 'could not record a job’s end; it runs again when its lease ends');
        return undefined;
      })
      .then((next) => {
        this.#running.delete(id);
        // A follow-up due now was written leased to this instance: it runs here, in the room its job
        // leaves, unless the queue closed meanwhile (then it is handed back, due at once).
        if (next && !this.#closed) this.#start(id, next.raw, next.leasedAt);
        else if (next)
          void this.#client
            .zadd(this.#due, 'XX', Date.now(), id)
            .catch((error: unknown) => this.#logger?.warn({ err: error }, 'could not hand back a job; it is taken over when its lease ends'));
        // Room again: take more if the last take was cut short by the lack of room. Jobs queued
        // meanwhile wake their own instance, and the others are found by the idle poll.
        else if (this.#moreDue) this.#take();
      });
    this.#running.set(id, { leasedAt, done });
  }

  /**
   * Writes the follow-up over the job that ends, under the same id: its data, then its place (due
   * time, or a lease of this instance when due now and not closing), in one round trip. Until then
   * the finished job stays in the queue, leased, so a crash before this write runs it again, and
   * the handler, which checks the stored state first, hands on the same follow-up.
   */
  async #followWith(id: string, followUp: FollowUp): Promise<{ raw: string; leasedAt: number } | undefined> {
    if (!this.#handlers.has(followUp.name)) throw new Error(`no handler registered for job "${followUp.name}"`);
    this.#ending(id);
    const raw = JSON.stringify({ n: followUp.name, d: followUp.data, a: 0 } satisfies StoredJob);
    const now = Date.now();
    const delay = Math.max(0, Math.ceil(followUp.delayMilliseconds));
    const here = delay === 0 && !this.#closed;
    await executed(
      this.#client
        .pipeline()
        .hset(this.#jobs, id, raw)
        .zadd(this.#due, 'XX', here ? this.#leaseEnd(now) : now + delay, id),
    );
    if (here) return { raw, leasedAt: now };
    this.#wake(now + delay);
    return undefined;
  }

  /** The job's next run time is about to be written: lease renewals leave it alone from now on. */
  #ending(id: string): void {
    const running = this.#running.get(id);
    if (running) running.ending = true;
  }

  async #failed(id: string, job: StoredJob, error: unknown): Promise<void> {
    const attempts = job.a + 1;
    if (attempts >= this.#attempts) {
      this.#logger?.error({ err: error, job: job.n, data: job.d, attempts }, 'job failed');
      await this.#remove(id);
      return;
    }
    // A run that failed on an outage (Redis, a provider's status call) is tried again later;
    // every handler checks the stored state first, so a repeat never repeats a paid step.
    const delay = 500 * 2 ** (attempts - 1);
    this.#logger?.warn({ err: error, job: job.n, attempts }, 'job failed; trying again');
    this.#ending(id);
    await executed(
      this.#client
        .pipeline()
        .hset(this.#jobs, id, JSON.stringify({ ...job, a: attempts }))
        .zadd(this.#due, 'XX', Date.now() + delay, id),
    );
    this.#wake(Date.now() + delay);
  }

  /**
   * A finished job leaves both structures in one round trip: its data first, so a take that
   * comes between finds an id without data and drops it, never data without an id.
   */
  async #remove(id: string): Promise<void> {
    await executed(this.#client.pipeline().hdel(this.#jobs, id).zrem(this.#due, id));
  }

  /** Extends the lease of jobs running for a third of it, so a slow job is never taken over. */
  async #renew(): Promise<void> {
    const now = Date.now();
    const renewed: Array<string | number> = [];
    for (const [id, running] of this.#running) {
      if (running.ending || now - running.leasedAt < this.#leaseMilliseconds / 3) continue;
      running.leasedAt = now;
      renewed.push(this.#leaseEnd(now), id);
    }
    if (renewed.length > 0)
      await this.#client.zadd(this.#due, 'XX', ...renewed).catch((error: unknown) => this.#logger?.warn({ err: error }, 'could not renew job leases'));
  }
}
