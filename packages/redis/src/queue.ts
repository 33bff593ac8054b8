import type { CloseOptions, EnqueueOptions, JobHandler, JobQueue, JsonObject, Logger, QueueCounts } from '@doitong/core';
import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { unavailableOnFailure } from './failures';

export interface BullQueueOptions {
  connection: ConnectionOptions;
  /** Queue name; instances that share it share the work (default `doitong`). */
  name?: string;
  /**
   * Key prefix of BullMQ's keys (`<prefix>:<name>:…`; default `doitong:bull`, inside the default
   * `redis()` prefix). With `redis({ prefix })`, pass `${prefix}bull` so every key stays under it.
   */
  prefix?: string;
  /** Jobs one instance runs at once (default 64: most are short provider calls). */
  concurrency?: number;
  /**
   * How long a job's lock lives without renewal, and how often workers look for jobs whose
   * instance died. A dead instance's jobs are taken over after about this long.
   */
  lockDurationMilliseconds?: number;
  stalledIntervalMilliseconds?: number;
  /** How long `close()` waits for running jobs before leaving them to stall over to another worker (default 10 s). */
  drainMilliseconds?: number;
  logger?: Logger;
}

/**
 * The job queue on BullMQ: submit, poll and webhook delivery are jobs any instance may run.
 * A job whose instance dies stalls and is taken over by another; every handler is written to
 * be safe when run again.
 */
export class BullQueue implements JobQueue {
  readonly #handlers = new Map<string, JobHandler>();
  readonly #queue: Queue;
  readonly #worker: Worker;
  readonly #drainMilliseconds: number;
  readonly #logger: Logger | undefined;

  constructor(options: BullQueueOptions) {
    const name = options.name ?? 'doitong';
    const shared = { connection: options.connection, prefix: options.prefix ?? 'doitong:bull' };
    this.#queue = new Queue(name, shared);
    this.#worker = new Worker(
      name,
      async (job) => {
        const handler = this.#handlers.get(job.name);
        if (!handler) throw new Error(`no handler registered for job "${job.name}"`);
        await handler(job.data as JsonObject);
      },
      {
        ...shared,
        concurrency: options.concurrency ?? 64,
        lockDuration: options.lockDurationMilliseconds ?? 30_000,
        stalledInterval: options.stalledIntervalMilliseconds ?? 30_000,
        // A job may stall more than once while instances come and go; give up only on a real loop.
        maxStalledCount: 10,
        autorun: true,
      },
    );
    const logger = options.logger;
    this.#logger = logger;
    this.#drainMilliseconds = options.drainMilliseconds ?? 10_000;
    this.#worker.on('failed', (job, error) => logger?.error({ err: error, job: job?.name, data: job?.data }, 'job failed'));
    this.#worker.on('error', (error) => logger?.warn({ err: error }, 'queue worker error'));
    this.#queue.on('error', (error) => logger?.warn({ err: error }, 'queue error'));
  }

  register(name: string, handler: JobHandler): void {
    this.#handlers.set(name, handler);
  }

  /**
   * Stores the job, also while closing: a running job's follow-up (the next poll) is kept for
   * whichever worker runs next, this one having stopped taking jobs.
   */
  async enqueue(name: string, data: JsonObject, options: EnqueueOptions = {}): Promise<void> {
    await unavailableOnFailure('The job queue', () =>
      this.#queue.add(name, data, {
        delay: options.delayMilliseconds ?? 0,
        // BullMQ adds nothing when a job with this id is still in the queue; a finished one is
        // removed (removeOnComplete), so the key is free again once its job has run.
        ...(options.key === undefined ? {} : { jobId: options.key }),
        removeOnComplete: true,
        removeOnFail: 1_000,
        // A run that failed on an outage (Redis, a provider's status call) is tried again later;
        // every handler checks the stored state first, so a repeat never repeats a paid step.
        attempts: 12,
        backoff: { type: 'exponential', delay: 500 },
      }),
    );
  }

  /** BullMQ's own counts; a prioritised job (Doitong queues none) would count as waiting. */
  async counts(): Promise<QueueCounts> {
    const counts = await unavailableOnFailure('The job queue', () => this.#queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized'));
    return { waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0), active: counts.active ?? 0, delayed: counts.delayed ?? 0 };
  }

  /**
   * Stops taking jobs and waits for the running ones (up to the drain time); those still running
   * then are left to BullMQ's stall detection, which gives them to another worker (or to this
   * queue's next start) once their lock lapses. The queue itself closes last, so follow-ups
   * queued by the draining jobs are stored.
   */
  async close(options: CloseOptions = {}): Promise<void> {
    const drainMilliseconds = options.drainMilliseconds ?? this.#drainMilliseconds;
    const drained = this.#worker.close();
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      drained.then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), drainMilliseconds))),
    ]);
    clearTimeout(timer);
    if (!finished) {
      this.#logger?.info({}, 'jobs still running at the end of the drain are left to stall over to another worker');
      await this.#worker.close(true);
    }
    await this.#queue.close();
  }
}
