// The job queue's contract as tests, run by every queue (in process or distributed).
import assert from 'node:assert/strict';
import type { JobQueue } from '../../engine/queue';
import { eventually } from '../eventually';
import { queueIdle } from '../queue-idle';
import type { TestApi } from '../test-api';
import { each, unique, type Implementation } from './implementation';

/**
 * What every job queue must do: run a job with its data after its delay, run a failing job's
 * handler without stopping the queue, and add no second job under a key whose job is still
 * waiting or running (the key is free again once that job has run); run the follow-up a handler
 * answers with when it says it stores follow-ups; and count its jobs by state.
 */
export function queueTestSuite(test: TestApi, implementation: Implementation<JobQueue>): void {
  test.describe(`JobQueue: ${implementation.name}`, () => {
    const within = (check: () => boolean, milliseconds = 10_000) =>
      eventually(
        async () => check(),
        (done) => done,
        { timeoutMilliseconds: milliseconds, what: 'the queue running the job' },
      );
    each(test, implementation, 'runs each job with its data, after its delay', async (queue) => {
      const name = unique();
      const seen: Array<{ n: unknown; at: number }> = [];
      queue.register(name, async (data) => {
        seen.push({ n: data.n, at: Date.now() });
      });
      const queuedAt = Date.now();
      await queue.enqueue(name, { n: 1 });
      await queue.enqueue(name, { n: 2 }, { delayMilliseconds: 300 });
      await within(() => seen.length === 2);
      assert.deepEqual(
        seen.map((entry) => entry.n),
        [1, 2],
      );
      assert.ok(seen[1]!.at - queuedAt >= 250, 'the delayed job ran before its delay');
    });
    each(test, implementation, 'adds no second job under a key still waiting or running, and takes the key again once it has run', async (queue) => {
      const name = unique();
      const seen: unknown[] = [];
      let release: () => void = () => undefined;
      const released = new Promise<void>((resolve) => (release = resolve));
      queue.register(name, async (data) => {
        seen.push(data.n);
        if (data.n === 1) await released;
      });
      const key = unique();
      await queue.enqueue(name, { n: 1 }, { key });
      await queue.enqueue(name, { n: 2 }, { key });
      await within(() => seen.length === 1);
      // Running now: still not added again; another key is.
      await queue.enqueue(name, { n: 3 }, { key });
      await queue.enqueue(name, { n: 4 }, { key: unique() });
      await within(() => seen.length === 2);
      release();
      // Free once that job has run (a distributed queue notices a moment later): try until it is
      // added. While the new job waits or runs, a repeated try adds nothing, and the loop stops as
      // soon as the job has started, before its key is freed again.
      const deadline = Date.now() + 10_000;
      while (!seen.includes(5)) {
        if (Date.now() > deadline) throw new Error('the key was not freed after its job ran');
        await queue.enqueue(name, { n: 5 }, { key });
        await within(() => seen.includes(5), 100).catch(() => undefined);
      }
      // Nothing left waiting or running: a job added twice under the key would have run by now.
      await queueIdle(queue);
      assert.deepEqual(seen, [1, 4, 5]);
    });
    each(test, implementation, 'runs the follow-up a handler answers with, after its delay, when it stores follow-ups', async (queue) => {
      const first = unique();
      const second = unique();
      const seen: Array<{ n: unknown; at: number }> = [];
      queue.register(first, async (data) => ({ name: second, data: { n: Number(data.n) + 1 }, delayMilliseconds: 300 }));
      queue.register(second, async (data) => {
        seen.push({ n: data.n, at: Date.now() });
      });
      if (queue.storesFollowUps !== true) {
        // Core queues follow-ups itself on such a queue: what a handler answers is the queue's to ignore.
        assert.equal(queue.storesFollowUps ?? false, false);
        return;
      }
      const queuedAt = Date.now();
      await queue.enqueue(first, { n: 1 }, { key: unique() });
      await within(() => seen.length === 1);
      assert.equal(seen[0]!.n, 2);
      assert.ok(seen[0]!.at - queuedAt >= 250, 'the follow-up ran before its delay');
      if (queue.counts) await queueIdle(queue);
    });
    each(test, implementation, 'counts a running job as active and a later one as delayed, and forgets each once it has run', async (queue) => {
      assert.ok(queue.counts, 'the queue counts its jobs (JobQueue.counts)');
      const name = unique();
      let started = 0;
      let release: () => void = () => undefined;
      const released = new Promise<void>((resolve) => (release = resolve));
      queue.register(name, async (data) => {
        started++;
        if (data.n === 1) await released;
      });
      assert.deepEqual(await queue.counts(), { waiting: 0, active: 0, delayed: 0 });
      await queue.enqueue(name, { n: 1 });
      await queue.enqueue(name, { n: 2 }, { delayMilliseconds: 60_000 });
      await within(() => started === 1);
      assert.deepEqual(await queue.counts(), { waiting: 0, active: 1, delayed: 1 });
      release();
      // A distributed queue records the end a moment after the handler returns.
      const counts = await queueIdle(queue, { allowDelayed: true, intervalMilliseconds: 20 });
      assert.deepEqual(counts, { waiting: 0, active: 0, delayed: 1 });
    });
  });
}
