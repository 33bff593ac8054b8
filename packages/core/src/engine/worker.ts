import type { EngineDependencies } from './dependencies';
import type { Generation } from './generation';
import { enqueueJob, jobNames, registerJob } from './jobs';
import { cancel } from './steps/cancel';
import { poll } from './steps/poll';
import { completeEnding } from './steps/settle';
import { submit } from './steps/submit';
import { workerState, type WorkerState } from './steps/worker-state';

/**
 * The background half of the lifecycle: submit, poll, settle. It runs from queue jobs that
 * carry only the generation id, so any instance of a distributed queue can run any step. Each
 * step is a module of `steps/`; the worker registers the jobs and holds what this process keeps
 * about the generations it is working on.
 */
export class GenerationWorker {
  readonly #state: WorkerState;

  constructor(dependencies: EngineDependencies) {
    this.#state = workerState(dependencies);
    registerJob(dependencies.queue, jobNames.submit, (data, run) => submit(this.#state, data.id, run));
    registerJob(dependencies.queue, jobNames.poll, (data, run) => poll(this.#state, data.id, data.callback, run, data.attempt));
  }

  /**
   * A provider called back: ask it for the job's state now instead of at the next scheduled poll.
   * The callback's body is not trusted; only the provider's own status answer moves the generation.
   */
  async checkNow(id: string): Promise<void> {
    await enqueueJob(this.#state.dependencies.queue, jobNames.poll, { id, callback: true }, { delayMilliseconds: 0 });
  }

  /** Finishes the work after a final state (settle, free the slot, notify) that a crash cut short; safe to repeat. */
  resumeEnding(generation: Generation): Promise<void> {
    return completeEnding(this.#state, generation);
  }

  /** Cancels a generation that has not ended; the caller checked ownership. */
  cancel(id: string): Promise<boolean> {
    return cancel(this.#state, id);
  }
}
