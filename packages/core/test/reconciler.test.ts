/**
 * The reconciler repairs what a crash or an outage left between steps: each test leaves one such
 * state behind (as a process that died at that point would), moves the clock past the grace and
 * runs a pass.
 */
import { afterEach, expect, it } from 'vitest';
import {
  DoitongError,
  InProcessQueue,
  MemoryConcurrencySlots,
  MemoryKeyValueStore,
  MemoryLedger,
  silentLogger,
  type CreditLedger,
  type Doitong,
  type Generation,
  type JobQueue,
  type Repair,
} from '@doitong/core';
import { eventually, fakeProvider, manualClock, post, queueIdle, testDoitong } from './support';

let doitong: Doitong | undefined;
afterEach(async () => {
  await doitong?.close();
  doitong = undefined;
});

const generate = 'mutation { generate(input: { type: IMAGE, input: { text: "a fox" } }) { id creditCost } }';
const graceSeconds = 120;

function setup(options: { queue?: JobQueue; ledger?: CreditLedger; find?: boolean } = {}) {
  const clock = manualClock(Date.now());
  const provider = fakeProvider({ pollsToFinish: 1 });
  const store = new MemoryKeyValueStore({ now: () => clock.now() });
  const ledger = new MemoryLedger(() => clock.now());
  const slots = new MemoryConcurrencySlots(clock);
  const repairs: Repair[] = [];
  doitong = testDoitong({
    providers: [provider.adapter],
    clock,
    storage: store,
    ledger: options.ledger ?? ledger,
    slots,
    pollSchedule: () => 5,
    reconciler: { intervalSeconds: 0, graceSeconds },
    ...(options.queue ? { queue: options.queue } : {}),
  });
  doitong.on('reconciler.repaired', (repair) => repairs.push(repair));
  return { clock, provider, store, ledger, slots, repairs, doitong };
}

/** A queue that loses the first `generation.submit` job it is given, as a process that died right after storing the record would. */
function losingQueue() {
  const inner = new InProcessQueue({ logger: silentLogger });
  let lost = 0;
  const queue: JobQueue = {
    register: (name, handler) => inner.register(name, handler),
    async enqueue(name, data, options) {
      if (name === 'generation.submit' && lost === 0) {
        lost++;
        return;
      }
      await inner.enqueue(name, data, options);
    },
    close: (options) => inner.close(options),
  };
  return queue;
}

const status = async (id: string) => (await doitong!.getGeneration(id))?.status;

it('queues the submission of a PENDING generation whose job was lost, once the grace has passed', async () => {
  const { clock, provider, ledger, repairs, doitong } = setup({ queue: losingQueue() });
  const { account, apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
  const created = (await post(doitong, apiKey, { query: generate })).body.data.generate;
  expect(await status(created.id)).toBe('PENDING');
  // Within the grace it is work in progress, not debris.
  expect(await doitong.reconcile()).toEqual([]);
  clock.advance(graceSeconds * 1000 + 1);
  const repaired = await doitong.reconcile();
  expect(repaired).toMatchObject([{ kind: 'submission.queued', generationId: created.id, accountId: account.id }]);
  expect(repairs).toEqual(repaired);
  await eventually(
    () => status(created.id),
    (value) => value === 'COMPLETED',
  );
  expect(provider.calls.start).toBe(1);
  expect(await ledger.balance(account.id)).toBe(100 - created.creditCost);
  // Repaired once: the next pass finds nothing.
  expect(await doitong.reconcile()).toEqual([]);
});

it('never repeats a create call cut short: without `find` the generation fails refunded', async () => {
  const { clock, provider, store, ledger, doitong } = setup({ queue: losingQueue() });
  const { account, apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
  const created = (await post(doitong, apiKey, { query: generate })).body.data.generate;
  // The instance died during the create call: the claim is on the record, the outcome unknown.
  const stored = (await store.get<Generation>(`generation:${created.id}`))!;
  await store.set(`generation:${created.id}`, { ...stored, submittingSince: stored.createdAt });
  clock.advance(graceSeconds * 1000 + 1);
  expect(await doitong.reconcile()).toMatchObject([{ kind: 'submission.queued', generationId: created.id }]);
  await eventually(
    () => doitong.getGeneration(created.id),
    (generation) => generation?.status === 'FAILED' && Boolean(generation.notifiedAt),
  );
  expect((await doitong.getGeneration(created.id))!.error!.code).toBe('PROVIDER_UNAVAILABLE');
  expect(provider.calls.start).toBe(0);
  expect(await ledger.balance(account.id)).toBe(100);
});

it('refunds a reservation whose generation was never stored, and releases its slot after the grace', async () => {
  const { clock, ledger, slots, doitong } = setup();
  const { account } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
  // Slot and credits taken, then the request died before writing its record.
  await slots.acquire(account.id, 'gen_lost', 5, 3_600_000);
  await ledger.reserve(account.id, 30, 'res_gen_lost', 'gen_lost');
  expect(await doitong.reconcile()).toEqual([]);
  expect(await slots.active(account.id)).toBe(1);
  // One interval later: the reservation is old enough to judge, and the slot was missing its
  // generation at the pass before (a slot carries no age of its own).
  clock.advance(graceSeconds * 1000 + 1);
  expect(await doitong.reconcile()).toMatchObject([
    { kind: 'reservation.refunded', generationId: 'gen_lost', reservationId: 'res_gen_lost' },
    { kind: 'slot.released', generationId: 'gen_lost' },
  ]);
  expect(await ledger.balance(account.id)).toBe(100);
  expect(await slots.active(account.id)).toBe(0);
  // Refunded exactly once.
  expect(await ledger.refund('res_gen_lost')).toBe(false);
});

it('releases a slot still held by a final generation', async () => {
  const { slots, doitong } = setup();
  const { account, apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
  const created = (await post(doitong, apiKey, { query: generate })).body.data.generate;
  await eventually(
    () => doitong.getGeneration(created.id),
    (generation) => Boolean(generation?.notifiedAt),
  );
  // A release that failed (an outage) left the slot taken.
  await slots.acquire(account.id, created.id, 5, 3_600_000);
  expect(await doitong.reconcile()).toMatchObject([{ kind: 'slot.released', generationId: created.id }]);
  expect(await slots.active(account.id)).toBe(0);
});

it('finishes the ending of a generation whose settlement failed, charging it exactly once', async () => {
  const inner = new MemoryLedger();
  let failCommit = true;
  const ledger: CreditLedger = {
    balance: (id) => inner.balance(id),
    topUp: (id, amount, note) => inner.topUp(id, amount, note),
    reserve: (accountId, amount, reservationId, generationId) => inner.reserve(accountId, amount, reservationId, generationId),
    refund: (id, note) => inner.refund(id, note),
    transactions: (id, page) => inner.transactions(id, page),
    openReservations: (limit) => inner.openReservations(limit),
    async commit(id, amount) {
      if (failCommit) {
        failCommit = false;
        throw new DoitongError('SERVICE_UNAVAILABLE', 'the ledger is unreachable');
      }
      return inner.commit(id, amount);
    },
  };
  const queue = new InProcessQueue({ logger: silentLogger });
  const { clock, doitong } = setup({ ledger, queue });
  const { account, apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
  const created = (await post(doitong, apiKey, { query: generate })).body.data.generate;
  await eventually(
    () => doitong.getGeneration(created.id),
    (generation) => generation?.status === 'COMPLETED',
  );
  // The job that ended it has run, its settlement failed, and nothing else is queued: only the reconciler can finish it.
  await queueIdle(queue);
  expect((await doitong.getGeneration(created.id))!.notifiedAt).toBeFalsy();
  expect(await inner.balance(account.id)).toBe(100 - created.creditCost);
  expect(await inner.openReservations(10)).toHaveLength(1);
  // (This ledger keeps real time: the reservation is a moment older than the clock says.)
  clock.advance(graceSeconds * 1000 + 5_000);
  expect(await doitong.reconcile()).toMatchObject([{ kind: 'ending.resumed', generationId: created.id }]);
  expect((await doitong.getGeneration(created.id))!.notifiedAt).toBeTruthy();
  expect(await inner.openReservations(10)).toEqual([]);
  expect(await inner.balance(account.id)).toBe(100 - created.creditCost);
  const types = (await inner.transactions(account.id, { first: 10 })).items.map((entry) => entry.type);
  expect(types).toEqual(['COMMIT', 'RESERVE', 'TOP_UP']);
});

it('gives the slot back at once when the ledger fails between the slot and the reservation', async () => {
  const inner = new MemoryLedger();
  const ledger: CreditLedger = {
    balance: (id) => inner.balance(id),
    topUp: (id, amount, note) => inner.topUp(id, amount, note),
    reserve: async () => {
      throw new DoitongError('SERVICE_UNAVAILABLE', 'the ledger is unreachable');
    },
    commit: (id, amount) => inner.commit(id, amount),
    refund: (id, note) => inner.refund(id, note),
    transactions: (id, page) => inner.transactions(id, page),
  };
  const { slots, doitong } = setup({ ledger });
  const { account, apiKey } = await doitong.accounts.create({ plan: 'free', credits: 100 });
  const refused = await post(doitong, apiKey, { query: generate });
  expect(refused.body.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
  expect(await slots.active(account.id)).toBe(0);
});
