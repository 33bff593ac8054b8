import type { JobQueue, QueueCounts } from '@doitong/core';
import { eventually, type EventuallyOptions } from './eventually';

/**
 * Resolves once the queue has no job waiting or running, nor (unless `allowDelayed`) any delayed:
 * the background work a test started is over. This is the positive signal a test waits for before
 * asserting that something did not happen (no second create call, no poll after close), since
 * every follow-up is queued by the job before it, and a job counts as running until it returns.
 */
export function queueIdle(queue: JobQueue, options: EventuallyOptions & { allowDelayed?: boolean } = {}): Promise<QueueCounts> {
  const { counts } = queue;
  if (!counts) throw new Error('queueIdle needs a queue that counts its jobs (JobQueue.counts)');
  return eventually(
    () => counts.call(queue),
    (now) => now.waiting === 0 && now.active === 0 && (options.allowDelayed === true || now.delayed === 0),
    { what: 'an idle queue', ...options },
  );
}
