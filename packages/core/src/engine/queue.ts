import type { JsonObject } from '../providers/generation-type';
import type { Logger } from '../logger';
import { Scheduler } from './scheduler';

/**
 * Runs one job. It may answer with the job that follows it (the next status call of a
 * generation), which a queue with `storesFollowUps` stores in place of the finished job.
 */
export type JobHandler = (data: JsonObject) => Promise<void | FollowUp>;

/** The job a handler hands on: stored, when the handler's job ends, in that job's place. */
export interface FollowUp {
  name: string;
  data: JsonObject;
  delayMilliseconds: number;
}

export interface EnqueueOptions {
  delayMilliseconds?: number;
  /**
   * A job with the same key that is still waiting or running is not added again. Two paths may
   * queue the same step (the run that started it, and a re-run that cannot tell whether that
   * one got through); the key makes it run once. Letters, digits, `_` and `-` only.
   */
  key?: string;
}

/** How many jobs a queue holds, by state; across every instance for a distributed queue. */
export interface QueueCounts {
  /** Due, waiting for a free worker (a job whose instance died counts here until it is taken over). */
  waiting: number;
  /** Being run now. */
  active: number;
  /** Waiting for their delay to pass (the next poll of a generation, a webhook retry). */
  delayed: number;
}

/**
 * Where background work goes: submitting to providers, polling, delivering webhooks.
 * The in-process queue implements it here; a distributed queue (BullMQ) implements the
 * same three methods so any instance can run any job.
 */
export interface JobQueue {
  /** Registers the handler of a job name; called once per name before jobs are enqueued. */
  register(name: string, handler: JobHandler): void;
  /** Adds a job; must honour `key` (see EnqueueOptions). */
  enqueue(name: string, data: JsonObject, options?: EnqueueOptions): Promise<void>;
  /**
   * Stops taking jobs and drains: running jobs finish, and the follow-ups they queue are kept
   * (a durable queue stores them for another instance or the next start; the in-process queue
   * runs them itself while the drain lasts). What still runs after `drainMilliseconds` is left
   * to resume: a durable queue hands it back, due at once.
   */
  close(options?: CloseOptions): Promise<void>;
  /**
   * The queue's depth, for operators (the console, a queue-depth metric). Optional: a queue of
   * the host's own may leave it out, and what reads it then shows nothing.
   */
  counts?(): Promise<QueueCounts>;
  /**
   * Set by a queue that stores the follow-up a handler answers with in place of the finished job
   * (one write where an add and a removal were two), and runs it like any other job. Core's jobs
   * answer with one only to such a queue; to any other they queue it themselves.
   */
  readonly storesFollowUps?: boolean;
}

export interface CloseOptions {
  /** How long running jobs, and the follow-ups they queue, may still take (default 10 s). */
  drainMilliseconds?: number;
}

export const defaultDrainMilliseconds = 10_000;

export class InProcessQueue implements JobQueue {
  readonly #handlers = new Map<string, JobHandler>();
  readonly #scheduler: Scheduler;
  readonly #running = new Set<Promise<void>>();
  /** Keys of the jobs waiting or running. */
  readonly #keys = new Set<string>();
  /** When each job not yet started is due, by a number of its own, for `counts()`. */
  readonly #scheduled = new Map<number, number>();
  #sequence = 0;
  readonly #logger: Logger;
  /** Set once the drain is over: nothing runs and nothing is taken any more. */
  #closed = false;
  /** Set while draining: jobs already queued and the follow-ups of running ones still run. */
  #draining = false;
  #settled: (() => void) | undefined;

  constructor(options: { scheduler?: Scheduler; logger: Logger }) {
    this.#scheduler = options.scheduler ?? new Scheduler();
    this.#logger = options.logger;
  }

  register(name: string, handler: JobHandler): void {
    this.#handlers.set(name, handler);
  }

  async enqueue(name: string, data: JsonObject, options: EnqueueOptions = {}): Promise<void> {
    if (this.#closed) return;
    if (!this.#handlers.has(name)) throw new Error(`no handler registered for job "${name}"`);
    const key = options.key;
    if (key !== undefined) {
      if (this.#keys.has(key)) return;
      this.#keys.add(key);
    }
    const job = this.#sequence++;
    const delay = Math.max(0, options.delayMilliseconds ?? 0);
    this.#scheduled.set(job, Date.now() + delay);
    this.#scheduler.schedule(delay, () => {
      this.#scheduled.delete(job);
      this.#run(name, data, key);
    });
  }

  async counts(): Promise<QueueCounts> {
    const now = Date.now();
    let waiting = 0;
    for (const due of this.#scheduled.values()) if (due <= now) waiting++;
    return { waiting, active: this.#running.size, delayed: this.#scheduled.size - waiting };
  }

  /**
   * Drains: jobs keep running, with the follow-ups they queue (the next poll of a generation,
   * its webhook), until none is left or `drainMilliseconds` has passed. Nothing here outlives the
   * process: what is still waiting then is dropped, and is only resumed by a durable queue.
   */
  async close(options: CloseOptions = {}): Promise<void> {
    if (this.#closed || this.#draining) return;
    this.#draining = true;
    const drainMilliseconds = options.drainMilliseconds ?? defaultDrainMilliseconds;
    if (this.#running.size > 0 || this.#scheduled.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => (this.#settled = resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, drainMilliseconds))),
      ]);
      clearTimeout(timer);
      if (this.#scheduled.size > 0)
        this.#logger.warn({ jobs: this.#scheduled.size }, 'jobs left waiting when the drain ended; an in-process queue does not keep them');
    }
    // Jobs still running past the drain are not awaited: a provider call may take a minute.
    this.#closed = true;
    this.#scheduler.close();
    this.#scheduled.clear();
  }

  #run(name: string, data: JsonObject, key: string | undefined): void {
    if (this.#closed) {
      if (key !== undefined) this.#keys.delete(key);
      return;
    }
    const handler = this.#handlers.get(name)!;
    const running = handler(data)
      .then(() => undefined)
      .catch((error: unknown) => this.#logger.error({ err: error, job: name }, 'job failed'))
      .finally(() => {
        this.#running.delete(running);
        if (key !== undefined) this.#keys.delete(key);
        if (this.#draining && this.#running.size === 0 && this.#scheduled.size === 0) this.#settled?.();
      });
    this.#running.add(running);
  }
}
