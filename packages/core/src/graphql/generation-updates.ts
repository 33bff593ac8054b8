import type EventEmitter from 'eventemitter3';
import type { DoitongEventName, DoitongEvents } from '../engine/events';
import { terminalStatuses, type Generation } from '../engine/generation';

const updateEvents = [
  'generation.created',
  'generation.started',
  'generation.progress',
  'generation.completed',
  'generation.failed',
  'generation.cancelled',
] as const satisfies readonly DoitongEventName[];

/**
 * The states one generation goes through, as this instance's events report them, starting with
 * `current` (read after listening began, so nothing falls between the read and the first event).
 * It ends after a final state (COMPLETED, FAILED, CANCELLED), or when the consumer returns.
 *
 * An iterator object rather than an async generator: `return()` must end a consumer that is
 * waiting for the next event at once (a client that went away), which a suspended generator cannot.
 */
export function generationUpdates(
  events: EventEmitter<DoitongEvents>,
  id: string,
  read: () => Promise<Generation>,
  onStop?: () => void,
): AsyncIterableIterator<Generation> {
  const queue: Generation[] = [];
  let waiting: ((result: IteratorResult<Generation>) => void) | undefined;
  let ended = false;
  let last: Generation | undefined;

  const push = (generation: Generation) => {
    if (ended || generation.id !== id) return;
    // An event older than what was already sent (emitted before the first read finished) is dropped.
    if (last && generation.updatedAt < last.updatedAt) return;
    if (last && generation.updatedAt === last.updatedAt && generation.status === last.status && generation.progress === last.progress) return;
    last = generation;
    if (waiting) {
      const resolve = waiting;
      waiting = undefined;
      resolve({ value: generation, done: false });
    } else queue.push(generation);
  };
  const stop = () => {
    if (ended) return;
    ended = true;
    for (const name of updateEvents) events.off(name, push);
    onStop?.();
  };
  for (const name of updateEvents) events.on(name, push);
  const first = read().then(
    (generation) => {
      if (!last || generation.updatedAt >= last.updatedAt) {
        // The stored state leads; events queued before it are older or the same.
        queue.length = 0;
        last = undefined;
        push(generation);
      }
    },
    (error: unknown) => {
      stop();
      throw error;
    },
  );

  const iterator: AsyncIterableIterator<Generation> = {
    async next() {
      await first;
      const value = queue.shift();
      if (value) return { value, done: false };
      if (ended || (last && terminalStatuses.has(last.status))) {
        stop();
        return { value: undefined, done: true };
      }
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    async return() {
      stop();
      const resolve = waiting;
      waiting = undefined;
      resolve?.({ value: undefined, done: true });
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
