import assert from 'node:assert/strict';
import type { ConcurrencySlots } from '../policies/concurrency';
import type { IdempotencyStore } from '../policies/idempotency';
import type { CreditLedger } from '../policies/ledger';
import type { KeyValueStore } from '../storage/key-value-store';
import type { Locks } from '../storage/key-lock';
import type { JobQueue } from '../engine/queue';
import { eventually } from './eventually';
import type { ManualClock } from './manual-clock';
import { queueIdle } from './queue-idle';
import type { TestApi } from './test-api';

/** Each suite gets a fresh implementation per test from `create`, and closes it with `close`. */
export interface Implementation<Subject> {
  name: string;
  create(): Promise<Subject>;
  close?(subject: Subject): Promise<void>;
}

function each<Subject>(test: TestApi, implementation: Implementation<Subject>, name: string, body: (subject: Subject) => Promise<void>) {
  test.it(name, async () => {
    const subject = await implementation.create();
    try {
      await body(subject);
    } finally {
      await implementation.close?.(subject);
    }
  });
}

const unique = () => `t${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;

/** What every credit ledger must do: never overdraw, settle each reservation exactly once. */
export function ledgerTestSuite(test: TestApi, implementation: Implementation<CreditLedger>): void {
  test.describe(`CreditLedger: ${implementation.name}`, () => {
    each(test, implementation, 'reserves only what the balance covers, under 100 concurrent reservations', async (ledger) => {
      const account = unique();
      await ledger.topUp(account, 55);
      const results = await Promise.all(Array.from({ length: 100 }, (_, index) => ledger.reserve(account, 10, `res_${account}_${index}`, `gen_${index}`)));
      assert.equal(results.filter((result) => result.ok).length, 5);
      assert.equal(await ledger.balance(account), 5);
      const refused = results.find((result) => !result.ok);
      assert.ok(refused && !refused.ok && refused.balance >= 0);
    });
    each(test, implementation, 'settles a reservation exactly once, commit or refund, whatever the interleaving', async (ledger) => {
      const account = unique();
      await ledger.topUp(account, 100);
      await ledger.reserve(account, 40, `res_${account}_a`);
      await ledger.reserve(account, 30, `res_${account}_b`);
      const first = await Promise.all([ledger.commit(`res_${account}_a`), ledger.refund(`res_${account}_a`), ledger.commit(`res_${account}_a`)]);
      assert.deepEqual(first.filter(Boolean).length, 1);
      const second = await Promise.all([ledger.refund(`res_${account}_b`), ledger.refund(`res_${account}_b`), ledger.commit(`res_${account}_b`)]);
      assert.deepEqual(second.filter(Boolean).length, 1);
      const balance = await ledger.balance(account);
      // 100 - 40 - 30, then +40 if `a` was refunded and +30 if `b` was.
      assert.ok([30, 60, 70, 100].includes(balance), `balance ${balance}`);
      assert.equal(await ledger.commit('res_missing'), false);
    });
    each(test, implementation, 'commits at a lower price and gives the difference back', async (ledger) => {
      const account = unique();
      await ledger.topUp(account, 100);
      await ledger.reserve(account, 40, `res_${account}`);
      assert.equal(await ledger.commit(`res_${account}`, 25), true);
      assert.equal(await ledger.balance(account), 75);
    });
    each(test, implementation, 'charges a repeated reservation id once', async (ledger) => {
      const account = unique();
      await ledger.topUp(account, 20);
      const results = await Promise.all([ledger.reserve(account, 10, `res_${account}`), ledger.reserve(account, 10, `res_${account}`)]);
      assert.ok(results.every((result) => result.ok));
      assert.equal(await ledger.balance(account), 10);
    });
    each(test, implementation, 'keeps entries that sum to the balance, newest first, paged', async (ledger) => {
      const account = unique();
      await ledger.topUp(account, 50, 'first');
      await ledger.reserve(account, 10, `res_${account}_1`, 'gen_1');
      await ledger.reserve(account, 15, `res_${account}_2`, 'gen_2');
      await ledger.commit(`res_${account}_1`);
      await ledger.refund(`res_${account}_2`, 'failed');
      const first = await ledger.transactions(account, { first: 3 });
      assert.deepEqual(
        first.items.map((entry) => entry.type),
        ['REFUND', 'COMMIT', 'RESERVE'],
      );
      assert.equal(first.hasNextPage, true);
      const rest = await ledger.transactions(account, { first: 3, after: first.endCursor });
      assert.deepEqual(
        rest.items.map((entry) => entry.type),
        ['RESERVE', 'TOP_UP'],
      );
      assert.equal(rest.hasNextPage, false);
      const all = [...first.items, ...rest.items];
      assert.equal(
        all.reduce((sum, entry) => sum + entry.amount, 0),
        await ledger.balance(account),
      );
      assert.equal(first.items[0]!.balanceAfter, 40);
      assert.equal(first.items[0]!.generationId, 'gen_2');
      assert.equal(rest.items[1]!.note, 'first');
    });
    each(test, implementation, 'lists the reservations still open, oldest first, until they are settled', async (ledger) => {
      assert.ok(ledger.openReservations, 'a ledger lists its open reservations, for the reconciler');
      const account = unique();
      await ledger.topUp(account, 100);
      await ledger.reserve(account, 10, `res_${account}_1`, `gen_${account}_1`);
      await ledger.reserve(account, 20, `res_${account}_2`);
      await ledger.reserve(account, 30, `res_${account}_3`, `gen_${account}_3`);
      const mine = async () => (await ledger.openReservations!(10_000)).filter((reservation) => reservation.accountId === account);
      const open = await mine();
      assert.deepEqual(
        open.map((reservation) => [reservation.reservationId, reservation.amount, reservation.generationId]),
        [
          [`res_${account}_1`, 10, `gen_${account}_1`],
          [`res_${account}_2`, 20, null],
          [`res_${account}_3`, 30, `gen_${account}_3`],
        ],
      );
      assert.ok(open.every((reservation) => typeof reservation.reservedAt === 'number' && reservation.reservedAt > 0));
      await ledger.commit(`res_${account}_1`);
      await ledger.refund(`res_${account}_3`);
      assert.deepEqual(
        (await mine()).map((reservation) => reservation.reservationId),
        [`res_${account}_2`],
      );
    });
  });
}

/** What every concurrency-slot store must do: a limit per account, release by id, expiry of lost slots. */
export function slotsTestSuite(test: TestApi, implementation: Implementation<{ slots: ConcurrencySlots; clock: ManualClock }>): void {
  test.describe(`ConcurrencySlots: ${implementation.name}`, () => {
    each(test, implementation, 'holds at most the limit under 50 concurrent acquisitions', async ({ slots }) => {
      const account = unique();
      const results = await Promise.all(Array.from({ length: 50 }, (_, index) => slots.acquire(account, `gen_${index}`, 3, 60_000)));
      assert.equal(results.filter((result) => result.acquired).length, 3);
      assert.equal(await slots.active(account), 3);
    });
    each(test, implementation, 'frees a slot on release and re-acquires the same id without counting it twice', async ({ slots }) => {
      const account = unique();
      assert.equal((await slots.acquire(account, 'a', 1, 60_000)).acquired, true);
      assert.equal((await slots.acquire(account, 'a', 1, 60_000)).acquired, true);
      assert.equal((await slots.acquire(account, 'b', 1, 60_000)).acquired, false);
      await slots.release(account, 'a');
      assert.equal((await slots.acquire(account, 'b', 1, 60_000)).acquired, true);
    });
    each(test, implementation, 'lets a lost slot expire on its own', async ({ slots, clock }) => {
      const account = unique();
      await slots.acquire(account, 'crashed', 1, 1_000);
      assert.equal((await slots.acquire(account, 'next', 1, 1_000)).acquired, false);
      clock.advance(1_001);
      assert.equal((await slots.acquire(account, 'next', 1, 1_000)).acquired, true);
    });
    each(test, implementation, 'lists the slots held, without released or expired ones', async ({ slots, clock }) => {
      assert.ok(slots.held, 'a slot store lists its slots, for the reconciler');
      const account = unique();
      await slots.acquire(account, 'a', 5, 60_000);
      await slots.acquire(account, 'b', 5, 60_000);
      await slots.acquire(account, 'short', 5, 1_000);
      const mine = async () =>
        (await slots.held!(10_000))
          .filter((slot) => slot.accountId === account)
          .map((slot) => slot.slotId)
          .sort();
      assert.deepEqual(await mine(), ['a', 'b', 'short']);
      await slots.release(account, 'a');
      clock.advance(1_001);
      assert.deepEqual(await mine(), ['b']);
    });
  });
}

/** What every key-value store must do for Doitong's records. */
export function storeTestSuite(test: TestApi, implementation: Implementation<KeyValueStore>): void {
  test.describe(`KeyValueStore: ${implementation.name}`, () => {
    each(test, implementation, 'stores, reads many, and deletes JSON records', async (store) => {
      const key = unique();
      await store.set(key, { id: key, nested: { list: [1, 2, 3] }, flag: true });
      assert.deepEqual(await store.get(key), { id: key, nested: { list: [1, 2, 3] }, flag: true });
      assert.deepEqual(await store.getMany([key, `${key}-missing`]), [{ id: key, nested: { list: [1, 2, 3] }, flag: true }, undefined]);
      assert.equal(await store.delete(key), true);
      assert.equal(await store.get(key), undefined);
    });
    each(test, implementation, 'expires a record after its time to live', async (store) => {
      const key = unique();
      // The time to live leaves room for a round trip to a loaded server before the first read.
      const ttlMilliseconds = 1000;
      const written = Date.now();
      await store.set(key, 'short', ttlMilliseconds);
      assert.equal(await store.get(key), 'short');
      await new Promise((resolve) => setTimeout(resolve, ttlMilliseconds + 200 - (Date.now() - written)));
      assert.equal(await store.get(key), undefined);
    });
  });
}

/** What every lock implementation must do: one holder per key at a time, no deadlock after a failure. */
export function locksTestSuite(test: TestApi, implementation: Implementation<Locks>): void {
  test.describe(`Locks: ${implementation.name}`, () => {
    each(test, implementation, 'runs work on one key one at a time, and other keys in parallel', async (locks) => {
      const key = unique();
      let inside = 0;
      let most = 0;
      const work = async () => {
        inside++;
        most = Math.max(most, inside);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inside--;
      };
      await Promise.all(Array.from({ length: 10 }, () => locks.run(key, work)));
      assert.equal(most, 1);
      let parallel = 0;
      await Promise.all(
        Array.from({ length: 5 }, (_, index) =>
          locks.run(`${key}-${index}`, async () => {
            parallel++;
            await new Promise((resolve) => setTimeout(resolve, 20));
          }),
        ),
      );
      assert.equal(parallel, 5);
    });
    each(test, implementation, 'releases the lock when the work throws', async (locks) => {
      const key = unique();
      await assert.rejects(
        locks.run(key, async () => {
          throw new Error('boom');
        }),
      );
      assert.equal(await locks.run(key, async () => 'next'), 'next');
    });
  });
}

/**
 * What every job queue must do: run a job with its data after its delay, run a failing job's
 * handler without stopping the queue, and add no second job under a key whose job is still
 * waiting or running (the key is free again once that job has run); and count its jobs by state.
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

/**
 * What every idempotency store must do: one claim per key under concurrency, replay and mismatch,
 * a claim that is a lease (renewed while its request runs, lapsing after it died, so a retry
 * proceeds), and a token that stops a lapsed request from completing or releasing the claim that
 * took over.
 */
export function idempotencyStoreTestSuite(test: TestApi, implementation: Implementation<{ store: IdempotencyStore; clock: ManualClock }>): void {
  test.describe(`IdempotencyStore: ${implementation.name}`, () => {
    const response = (body: string) => ({ status: 200, headers: { 'content-type': 'application/json' }, body });
    each(test, implementation, 'gives one claim of 50 concurrent ones, then replays the answer, and refuses another payload', async ({ store }) => {
      const scope = unique();
      const outcomes = await Promise.all(Array.from({ length: 50 }, () => store.claim(scope, 'key', 'print', 10_000)));
      const claimed = outcomes.filter((outcome) => outcome.outcome === 'claimed');
      assert.equal(claimed.length, 1);
      assert.ok(outcomes.every((outcome) => outcome.outcome === 'claimed' || outcome.outcome === 'in_flight'));
      const token = (claimed[0] as { token: string }).token;
      assert.equal(await store.complete(scope, 'key', token, 'print', { response: response('{"data":1}') }, 60_000), true);
      assert.deepEqual(await store.claim(scope, 'key', 'print', 10_000), { outcome: 'replay', response: response('{"data":1}') });
      assert.deepEqual(await store.claim(scope, 'key', 'other', 10_000), { outcome: 'mismatch' });
      // Keys are scoped: another scope's same key is free.
      assert.equal((await store.claim(`${scope}-other`, 'key', 'print', 10_000)).outcome, 'claimed');
    });
    each(test, implementation, 'forgets a released claim, so the retry runs again', async ({ store }) => {
      const scope = unique();
      const first = await store.claim(scope, 'key', 'print', 10_000);
      assert.equal(first.outcome, 'claimed');
      await store.release(scope, 'key', (first as { token: string }).token);
      assert.equal((await store.claim(scope, 'key', 'print', 10_000)).outcome, 'claimed');
    });
    each(test, implementation, 'keeps a renewed claim, and lets an unrenewed one lapse so a retry proceeds', async ({ store, clock }) => {
      const scope = unique();
      const first = (await store.claim(scope, 'key', 'print', 1_000)) as { outcome: string; token: string };
      clock.advance(700);
      assert.equal(await store.renew(scope, 'key', first.token, 1_000), true);
      clock.advance(700);
      assert.equal((await store.claim(scope, 'key', 'print', 1_000)).outcome, 'in_flight');
      // The request holding it died: nobody renews, and the lease lapses.
      clock.advance(1_001);
      const retry = (await store.claim(scope, 'key', 'print', 1_000)) as { outcome: string; token: string };
      assert.equal(retry.outcome, 'claimed');
      assert.notEqual(retry.token, first.token);
      // The lapsed request cannot renew, complete or release what the retry now holds.
      assert.equal(await store.renew(scope, 'key', first.token, 1_000), false);
      assert.equal(await store.complete(scope, 'key', first.token, 'print', { response: response('stale') }, 60_000), false);
      await store.release(scope, 'key', first.token);
      assert.equal((await store.claim(scope, 'key', 'print', 1_000)).outcome, 'in_flight');
      assert.equal(await store.complete(scope, 'key', retry.token, 'print', { response: response('fresh') }, 60_000), true);
      assert.deepEqual(await store.claim(scope, 'key', 'print', 1_000), { outcome: 'replay', response: response('fresh') });
    });
    each(test, implementation, 'remembers a request whose response was not kept, and says why', async ({ store, clock }) => {
      const scope = unique();
      const first = (await store.claim(scope, 'key', 'print', 1_000)) as { token: string };
      assert.equal(await store.complete(scope, 'key', first.token, 'print', { notKept: 'secret' }, 60_000), true);
      assert.deepEqual(await store.claim(scope, 'key', 'print', 1_000), { outcome: 'not_kept', reason: 'secret', completedAt: clock.now() });
    });
  });
}
