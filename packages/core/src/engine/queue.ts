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
}

export class InProcessQueue implements JobQueue {
  readonly #handlers = new Map<string, JobHandler>();
  readonly #scheduler: Scheduler;
  readonly #running = new Set<Promise<void>>();
  /** Keys of the jobs waiting or running. */
  readonly #keys = new Set<string>();
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
    this.#scheduler.schedule(options.delayMilliseconds ?? 0, () => this.#run(name, data, key));
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#scheduler.close();
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
