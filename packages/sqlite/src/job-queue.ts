import { randomUUID } from 'node:crypto';
import {
  DoitongError,
  type CloseOptions,
  type EnqueueOptions,
  type JobHandler,
  type JobQueue,
  type JsonObject,
  type Logger,
  type QueueCounts,
} from '@doitong/core';
import type { SqliteDatabase } from './database';

export interface SqliteJobQueueOptions {
  /** Jobs run at once (default 64: most are short provider calls). */
  concurrency?: number;
  /** Runs a failing job gets before it is given up and logged (default 12), with exponential backoff from 500 ms. */
  attempts?: number;
  /** How long `close()` waits for running jobs (default 10 s); they run again at the next start. */
  drainMilliseconds?: number;
  logger?: Logger;
}

interface JobRow {
  id: string;
  name: string;
  data: string;
  attempts: number;
}

/**
 * A durable job queue in the SQLite file: a job is on disk before `enqueue` resolves, so submits,
 * polls and webhook deliveries survive a restart or a crash and resume (a poll continues from the
 * provider's job handle saved on the generation). A running job is marked with its process's
 * token; at start, jobs marked by a process that is gone (or by this process's earlier life, after
 * a restart under the same pid) are due again at once. Jobs run at least once, so every handler
 * checks the stored state first, as with any durable queue.
 */
export class SqliteJobQueue implements JobQueue {
  readonly #database: SqliteDatabase;
  readonly #handlers = new Map<string, JobHandler>();
  readonly #owner = `${process.pid}:${randomUUID()}`;
  readonly #concurrency: number;
  readonly #attempts: number;
  readonly #drainMilliseconds: number;
  readonly #logger: Logger | undefined;
  readonly #running = new Map<string, Promise<void>>();
  readonly #statements;
  #draining = false;
  #timer: NodeJS.Timeout | undefined;
  #armedAt = Infinity;
  #settled: (() => void) | undefined;

  constructor(database: SqliteDatabase, options: SqliteJobQueueOptions = {}) {
    this.#database = database;
    this.#concurrency = options.concurrency ?? 64;
    this.#attempts = options.attempts ?? 12;
    this.#drainMilliseconds = options.drainMilliseconds ?? 10_000;
    this.#logger = options.logger;
    this.#statements = {
      add: database.prepare<[string, string, string, number]>('INSERT INTO jobs (id, name, data, due_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING'),
      due: database.prepare<[number, number], JobRow>(
        'SELECT id, name, data, attempts FROM jobs WHERE leased_by IS NULL AND due_at <= ? ORDER BY due_at LIMIT ?',
      ),
      lease: database.prepare<[string, string]>('UPDATE jobs SET leased_by = ? WHERE id = ?'),
      next: database.prepare<[], { due: number | null }>('SELECT MIN(due_at) AS due FROM jobs WHERE leased_by IS NULL'),
      done: database.prepare<[string, string]>('DELETE FROM jobs WHERE id = ? AND leased_by = ?'),
      retry: database.prepare<[number, number, string, string]>('UPDATE jobs SET attempts = ?, due_at = ?, leased_by = NULL WHERE id = ? AND leased_by = ?'),
    };
    this.#releaseLeftovers();
    // The first take waits a turn, so every handler is registered before a job runs.
    setImmediate(() => this.#take());
  }

  register(name: string, handler: JobHandler): void {
    this.#handlers.set(name, handler);
  }

  /** Stored at once, also while closing: a running job's follow-up is kept for the next start. */
  async enqueue(name: string, data: JsonObject, options: EnqueueOptions = {}): Promise<void> {
    if (!this.#handlers.has(name)) throw new Error(`no handler registered for job "${name}"`);
    const at = Date.now() + Math.max(0, options.delayMilliseconds ?? 0);
    try {
      this.#statements.add.run(options.key ?? randomUUID(), name, JSON.stringify(data), at);
    } catch (error) {
      throw new DoitongError('SERVICE_UNAVAILABLE', 'The job queue is closed or its file cannot be written.', { cause: error });
    }
    this.#arm(at);
  }

  async counts(): Promise<QueueCounts> {
    const row = this.#database
      .prepare<[number, number], QueueCounts>(
        'SELECT COALESCE(SUM(leased_by IS NULL AND due_at <= ?), 0) AS waiting, COALESCE(SUM(leased_by IS NOT NULL), 0) AS active, COALESCE(SUM(leased_by IS NULL AND due_at > ?), 0) AS delayed FROM jobs',
      )
      .get(Date.now(), Date.now())!;
    return { waiting: row.waiting, active: row.active, delayed: row.delayed };
  }

  /**
   * Stops taking jobs and waits for the running ones (up to the drain time). Jobs still running
   * then stay marked with this process and are due again at the next start.
   */
  async close(options: CloseOptions = {}): Promise<void> {
    if (this.#draining) return;
    this.#draining = true;
    clearTimeout(this.#timer);
    if (this.#running.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => (this.#settled = resolve)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, options.drainMilliseconds ?? this.#drainMilliseconds))),
    ]);
    clearTimeout(timer);
    if (this.#running.size > 0) this.#logger?.info({ jobs: this.#running.size }, 'jobs still running at the end of the drain run again at the next start');
  }

  /** Jobs marked by a process that is gone, or by this process before a restart: due again now. */
  #releaseLeftovers(): void {
    const owners = this.#database.prepare<[], { leased_by: string }>('SELECT DISTINCT leased_by FROM jobs WHERE leased_by IS NOT NULL').all();
    const release = this.#database.prepare<[string]>('UPDATE jobs SET leased_by = NULL WHERE leased_by = ?');
    for (const { leased_by: owner } of owners) {
      const pid = Number(owner.split(':')[0]);
      if (pid === process.pid || !alive(pid)) release.run(owner);
    }
  }

  #arm(at: number): void {
    if (this.#draining || at >= this.#armedAt) return;
    clearTimeout(this.#timer);
    this.#armedAt = at;
    this.#timer = setTimeout(
      () => {
        this.#armedAt = Infinity;
        this.#take();
      },
      Math.max(0, at - Date.now()),
    );
    this.#timer.unref();
  }

  /** Takes due jobs while there is room; the statements are synchronous, so no two takes interleave. */
  #take(): void {
    if (this.#draining) return;
    const room = this.#concurrency - this.#running.size;
    if (room > 0) {
      let rows: JobRow[] = [];
      try {
        rows = this.#database
          .transaction(() => {
            const due = this.#statements.due.all(Date.now(), room);
            for (const row of due) this.#statements.lease.run(this.#owner, row.id);
            return due;
          })
          .immediate();
      } catch (error) {
        this.#logger?.warn({ err: error }, 'could not take jobs');
        return;
      }
      for (const row of rows) this.#run(row);
    }
    const next = this.#statements.next.get()?.due;
    if (next !== null && next !== undefined && this.#running.size < this.#concurrency) this.#arm(next);
  }

  #run(row: JobRow): void {
    const done = (async () => {
      try {
        const handler = this.#handlers.get(row.name);
        if (!handler) throw new Error(`no handler registered for job "${row.name}"`);
        await handler(JSON.parse(row.data) as JsonObject);
        this.#statements.done.run(row.id, this.#owner);
      } catch (error) {
        this.#failed(row, error);
      }
    })()
      .catch((error: unknown) => this.#logger?.warn({ err: error, job: row.id }, 'could not record a job’s end; it runs again at the next start'))
      .finally(() => {
        this.#running.delete(row.id);
        if (this.#draining) {
          if (this.#running.size === 0) this.#settled?.();
        } else this.#take();
      });
    this.#running.set(row.id, done);
  }

  #failed(row: JobRow, error: unknown): void {
    const attempts = row.attempts + 1;
    if (attempts >= this.#attempts) {
      this.#logger?.error({ err: error, job: row.name, data: row.data, attempts }, 'job failed');
      this.#statements.done.run(row.id, this.#owner);
      return;
    }
    // A run that failed on an outage (a provider's status call) is tried again later; every
    // handler checks the stored state first, so a repeat never repeats a paid step.
    const delay = 500 * 2 ** (attempts - 1);
    this.#logger?.warn({ err: error, job: row.name, attempts }, 'job failed; trying again');
    this.#statements.retry.run(attempts, Date.now() + delay, row.id, this.#owner);
    this.#arm(Date.now() + delay);
  }
}

function alive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
