import { randomBytes } from 'node:crypto';
import type { CreditLedger, CreditTransaction, OpenReservation, ReserveResult } from '@doitong/core';
import type { Redis } from 'ioredis';
import { unavailableOnFailure } from './failures';

// Each script checks and writes in one step on the server, so no interleaving of instances
// can overdraw an account or settle a reservation twice. A ledger entry is pushed once, with a
// random token (`t`) and no id: its id, `ctx_<position>_<token>`, is composed when it is read,
// from the position the list gives it (entries written with their id, by earlier versions, keep it).
const reserveScript = `
local balanceKey, reservationKey, entriesKey, openKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local amount = tonumber(ARGV[1])
if redis.call('EXISTS', reservationKey) == 1 then
  return {1, tonumber(redis.call('GET', balanceKey) or '0')}
end
-- Taken first and given back when it overdraws (nothing sees the difference inside the script):
-- the usual reservation, which the balance covers, costs no read of the balance.
local after = redis.call('DECRBY', balanceKey, amount)
if after < 0 then return {0, redis.call('INCRBY', balanceKey, amount)} end
redis.call('HSET', reservationKey, 'accountId', ARGV[3], 'amount', amount, 'state', 'reserved', 'generationId', ARGV[4])
redis.call('ZADD', openKey, ARGV[7], ARGV[2])
redis.call('RPUSH', entriesKey, cjson.encode({t = ARGV[5], accountId = ARGV[3], type = 'RESERVE', amount = -amount, balanceAfter = after, reservationId = ARGV[2], generationId = ARGV[4], createdAt = ARGV[6]}))
return {1, after}
`;

const settleScript = `
local reservationKey = KEYS[1]
local fields = redis.call('HMGET', reservationKey, 'state', 'accountId', 'amount', 'generationId')
if fields[1] ~= 'reserved' then return 0 end
local accountId, reserved, generationId = fields[2], tonumber(fields[3]), fields[4]
local kind = ARGV[1]
local back = reserved
if kind == 'COMMIT' then
  local settled = math.min(tonumber(ARGV[2]), reserved)
  back = reserved - settled
end
redis.call('HSET', reservationKey, 'state', kind == 'COMMIT' and 'committed' or 'refunded')
redis.call('ZREM', ARGV[5] .. 'reservations:open', ARGV[6])
local balanceKey = ARGV[5] .. 'credits:' .. accountId
local entriesKey = ARGV[5] .. 'ledger:' .. accountId
local after = redis.call('INCRBY', balanceKey, back)
redis.call('RPUSH', entriesKey, cjson.encode({t = ARGV[3], accountId = accountId, type = kind, amount = back, balanceAfter = after, reservationId = ARGV[6], generationId = generationId, note = ARGV[7], createdAt = ARGV[4]}))
return 1
`;

const topUpScript = `
local after = redis.call('INCRBY', KEYS[1], tonumber(ARGV[1]))
local position = redis.call('RPUSH', KEYS[2], '')
local entry = cjson.encode({id = 'ctx_' .. position .. '_' .. ARGV[2], accountId = ARGV[3], type = 'TOP_UP', amount = tonumber(ARGV[1]), balanceAfter = after, note = ARGV[4], createdAt = ARGV[5]})
redis.call('LSET', KEYS[2], position - 1, entry)
return entry
`;

/** The credit ledger on Redis: atomic Lua scripts for reserve, commit, refund and top-up. */
export class RedisLedger implements CreditLedger {
  readonly #client: Redis;
  readonly #prefix: string;
  readonly #now: () => number;

  constructor(client: Redis, options: { prefix?: string; now?: () => number } = {}) {
    this.#client = client;
    this.#prefix = options.prefix ?? 'doitong:';
    this.#now = options.now ?? Date.now;
  }

  balance(accountId: string): Promise<number> {
    return unavailableOnFailure('Redis', async () => Number((await this.#client.get(this.#balanceKey(accountId))) ?? 0));
  }

  topUp(accountId: string, amount: number, note?: string): Promise<CreditTransaction> {
    assertCredits(amount);
    return unavailableOnFailure('Redis', async () => {
      const entry = await this.#client.eval(
        topUpScript,
        2,
        this.#balanceKey(accountId),
        this.#entriesKey(accountId),
        amount,
        token(),
        accountId,
        note ?? '',
        this.#iso(),
      );
      return clean(JSON.parse(String(entry)));
    });
  }

  reserve(accountId: string, amount: number, reservationId: string, generationId?: string): Promise<ReserveResult> {
    assertCredits(amount);
    return unavailableOnFailure('Redis', async () => {
      const [ok, balance] = (await this.#client.eval(
        reserveScript,
        4,
        this.#balanceKey(accountId),
        this.#reservationKey(reservationId),
        this.#entriesKey(accountId),
        this.#openKey(),
        amount,
        reservationId,
        accountId,
        generationId ?? '',
        token(),
        this.#iso(),
        this.#now(),
      )) as [number, number];
      return ok === 1 ? { ok: true, reservationId, balance } : { ok: false, balance };
    });
  }

  commit(reservationId: string, amount?: number): Promise<boolean> {
    return this.#settle(reservationId, 'COMMIT', amount ?? Number.MAX_SAFE_INTEGER, '');
  }

  refund(reservationId: string, note?: string): Promise<boolean> {
    return this.#settle(reservationId, 'REFUND', 0, note ?? '');
  }

  transactions(accountId: string, page: { first: number; after?: string | null }) {
    return unavailableOnFailure('Redis', async () => {
      const key = this.#entriesKey(accountId);
      const length = await this.#client.llen(key);
      // Entry ids carry their position in the list (ctx_<position>_<token>), so a cursor is cheap to follow.
      const end = page.after ? Math.min(length, Math.max(0, Number(/^ctx_(\d+)_/.exec(page.after)?.[1] ?? 1) - 1)) : length;
      const start = Math.max(0, end - page.first);
      const raw = end > start ? await this.#client.lrange(key, start, end - 1) : [];
      const items = raw.map((entry, index) => clean(JSON.parse(entry), start + index + 1)).reverse();
      return { items, hasNextPage: start > 0, endCursor: items.at(-1)?.id ?? null };
    });
  }

  /** Open reservations are kept in a sorted set by when they were made, left by settling. */
  openReservations(limit: number): Promise<OpenReservation[]> {
    return unavailableOnFailure('Redis', async () => {
      const listed = await this.#client.zrange(this.#openKey(), 0, limit - 1, 'WITHSCORES');
      const ids: string[] = [];
      const times: number[] = [];
      for (let index = 0; index < listed.length; index += 2) {
        ids.push(listed[index]!);
        times.push(Number(listed[index + 1]));
      }
      if (ids.length === 0) return [];
      const pipeline = this.#client.pipeline();
      for (const id of ids) pipeline.hmget(this.#reservationKey(id), 'accountId', 'amount', 'state', 'generationId');
      const results = (await pipeline.exec()) ?? [];
      const open: OpenReservation[] = [];
      results.forEach(([error, fields], index) => {
        if (error) throw error;
        const [accountId, amount, state, generationId] = fields as Array<string | null>;
        if (state !== 'reserved' || !accountId) return;
        open.push({ reservationId: ids[index]!, accountId, amount: Number(amount), generationId: generationId || null, reservedAt: times[index]! });
      });
      return open;
    });
  }

  async #settle(reservationId: string, kind: 'COMMIT' | 'REFUND', amount: number, note: string): Promise<boolean> {
    return unavailableOnFailure('Redis', async () => {
      const settled = await this.#client.eval(
        settleScript,
        1,
        this.#reservationKey(reservationId),
        kind,
        amount,
        token(),
        this.#iso(),
        this.#prefix,
        reservationId,
        note,
      );
      return settled === 1;
    });
  }

  #balanceKey = (accountId: string) => `${this.#prefix}credits:${accountId}`;
  #entriesKey = (accountId: string) => `${this.#prefix}ledger:${accountId}`;
  #reservationKey = (reservationId: string) => `${this.#prefix}reservation:${reservationId}`;
  #openKey = () => `${this.#prefix}reservations:open`;
  #iso = () => new Date(this.#now()).toISOString();
}

function token(): string {
  return randomBytes(9).toString('base64url');
}

/**
 * An entry as the API shows it: its id composed from its position (1-based) and token, unless it
 * was written with one; Lua's cjson writes empty strings for absent fields, which the API leaves out.
 */
function clean(entry: Record<string, unknown>, position?: number): CreditTransaction {
  if (entry.id === undefined && typeof entry.t === 'string') entry = { id: `ctx_${position}_${entry.t}`, ...entry };
  delete entry.t;
  for (const key of ['reservationId', 'generationId', 'note']) if (entry[key] === '') delete entry[key];
  return entry as unknown as CreditTransaction;
}

function assertCredits(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`credits must be a non-negative integer, got ${amount}`);
}
