// The credit ledger's contract as tests, run by every ledger implementation.
import assert from 'node:assert/strict';
import type { CreditLedger } from '../../policies/ledger';
import type { TestApi } from '../test-api';
import { each, unique, type Implementation } from './implementation';

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
