import type { JsonObject } from '../providers/generation-type';
import type { Logger } from '../logger';
import { Scheduler } from './scheduler';

export type JobHandler = (data: JsonObject) => Promise<void>;

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
  /** Stops taking jobs, waits for running ones, drops the waiting ones. */
  close(): Promise<void>;
  /**
   * The queue's depth, for operators (the console, a queue-depth metric). Optional: a queue of
   * the host's own may leave it out, and what reads it then shows nothing.
   */
  counts?(): Promise<QueueCounts>;
}

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
  #closed = false;

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

  async close(): Promise<void> {
    this.#closed = true;
    this.#scheduler.close();
    this.#scheduled.clear();
    await Promise.allSettled([...this.#running]);
  }

  #run(name: string, data: JsonObject, key: string | undefined): void {
    if (this.#closed) return;
    const handler = this.#handlers.get(name)!;
    const running = handler(data)
      .catch((error: unknown) => this.#logger.error({ err: error, job: name }, 'job failed'))
      .finally(() => {
        this.#running.delete(running);
        if (key !== undefined) this.#keys.delete(key);
      });
    this.#running.add(running);
  }
}
