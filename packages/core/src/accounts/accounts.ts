import { LRUCache } from 'lru-cache';
import { DoitongError } from '../errors';
import type { CreditLedger, CreditTransaction } from '../policies/ledger';
import type { Plan } from '../policies/plans';
import type { KeyValueStore } from '../storage/key-value-store';
import type { Locks } from '../storage/key-lock';
import { IdIndex, type IdPage } from '../storage/id-index';
import type { Account } from './account';
import { apiKeyMode, generateApiKey, hashApiKey, hashesEqual, type AccountMode } from './api-keys';
import { randomToken } from '../random-token';

export interface CreateAccountOptions {
  /** A plan id; `free` when left out. */
  plan?: string;
  /** Credits to start with (a TOP_UP entry in the ledger). */
  credits?: number;
  /** `test` (the default) is served by the sandbox; `live` by real providers. */
  mode?: AccountMode;
  name?: string;
  /** Use this key instead of a random one (it must start with `dk_test_` or `dk_live_` to match the mode). */
  apiKey?: string;
  limits?: Account['limits'];
}

export interface AccountWithCredits extends Account {
  credits: number;
}

interface KeyRecord {
  accountId: string;
  hash: string;
}

/** Accounts and their API keys; keys are stored only as SHA-256 hashes. */
export class Accounts {
  readonly #store: KeyValueStore;
  readonly #ledger: CreditLedger;
  readonly #plans: Record<string, Plan>;
  readonly #now: () => number;
  /** API key → account, for a few seconds: authentication otherwise reads the store twice per request. */
  readonly #recent: LRUCache<string, Account> | undefined;
  /** Every account's id in order of creation, for the operators' list. */
  readonly #index: IdIndex;

  /**
   * `cacheMilliseconds`: remember authenticated keys this long (real time). Accounts and keys are
   * never changed after `create`, so a hit is what the store would answer; only found keys are kept.
   */
  constructor(
    store: KeyValueStore,
    ledger: CreditLedger,
    plans: Record<string, Plan>,
    now: () => number,
    options: { cacheMilliseconds?: number; locks?: Locks } = {},
  ) {
    this.#store = store;
    this.#ledger = ledger;
    this.#plans = plans;
    this.#now = now;
    const ttl = options.cacheMilliseconds ?? 0;
    this.#recent = ttl > 0 ? new LRUCache<string, Account>({ max: 1_000, ttl, ttlAutopurge: false }) : undefined;
    this.#index = new IdIndex(store, options.locks);
  }

  async create(options: CreateAccountOptions = {}): Promise<{ account: AccountWithCredits; apiKey: string }> {
    const plan = options.plan ?? 'free';
    if (!this.#plans[plan])
      throw new DoitongError('INVALID_INPUT', `Unknown plan "${plan}".`, { details: { option: 'plan', allowedValues: Object.keys(this.#plans) } });
    const mode = options.mode ?? (options.apiKey ? apiKeyMode(options.apiKey) : undefined) ?? 'test';
    const apiKey = options.apiKey ?? generateApiKey(mode);
    // A key of the host's choosing may have any form, but a `dk_live_`/`dk_test_` prefix must not lie about the mode.
    const declared = apiKeyMode(apiKey);
    if (declared && declared !== mode)
      throw new DoitongError('INVALID_INPUT', `A ${mode}-mode API key must not start with "dk_${declared}_".`, { details: { option: 'apiKey' } });
    if (!/^[\x21-\x7e]{8,200}$/.test(apiKey))
      throw new DoitongError('INVALID_INPUT', 'An API key is 8 to 200 visible ASCII characters.', { details: { option: 'apiKey' } });
    const hash = hashApiKey(apiKey);
    if (await this.#store.get<KeyRecord>(keyKey(hash)))
      throw new DoitongError('INVALID_INPUT', 'This API key is already in use.', { details: { option: 'apiKey' } });
    const account: Account = {
      id: `acct_${randomToken(20)}`,
      name: options.name ?? null,
      plan,
      mode,
      limits: options.limits ?? null,
      createdAt: new Date(this.#now()).toISOString(),
    };
    await this.#store.set(accountKey(account.id), account);
    await this.#store.set<KeyRecord>(keyKey(hash), { accountId: account.id, hash });
    await this.#index.append(accountIndex, account.id);
    if (options.credits) await this.#ledger.topUp(account.id, options.credits, 'initial credits');
    return { account: { ...account, credits: options.credits ?? 0 }, apiKey };
  }

  async get(id: string): Promise<AccountWithCredits | undefined> {
    const account = await this.#store.get<Account>(accountKey(id));
    return account ? { ...account, credits: await this.#ledger.balance(id) } : undefined;
  }

  /** Accounts, newest first, with their balances (accounts made before the list existed are not in it). */
  async list(page: { first: number; after?: string | null }): Promise<IdPage<AccountWithCredits>> {
    return this.#index.page(accountIndex, page, async (ids) => {
      const records = await this.#store.getMany<Account>(ids.map(accountKey));
      return Promise.all(records.map(async (record) => (record ? { ...record, credits: await this.#ledger.balance(record.id) } : undefined)));
    });
  }

  /** Adds credits (a TOP_UP ledger entry) and returns the entry. */
  async addCredits(id: string, amount: number, note?: string): Promise<CreditTransaction> {
    if (!Number.isSafeInteger(amount) || amount <= 0)
      throw new DoitongError('INVALID_INPUT', 'amount must be a positive whole number of credits.', { details: { option: 'amount' } });
    if (!(await this.#store.get<Account>(accountKey(id)))) throw new DoitongError('NOT_FOUND', `No account with id "${id}".`);
    return this.#ledger.topUp(id, amount, note);
  }

  /** The account of a bearer key, or null. The hash is compared in constant time. */
  async authenticate(apiKey: string): Promise<Account | null> {
    if (apiKey.length > 200) return null;
    // Looked up by the key as sent (it is in this process's memory with the request anyway), so a
    // hit costs no SHA-256; only keys that authenticated are kept, for `cacheMilliseconds`.
    // The record as the store gave it: the memory store's are frozen and shared by every read, so a
    // hit is too, and what is derived per account record (its own plan) is made once.
    const cached = this.#recent?.get(apiKey);
    if (cached) return cached;
    const hash = hashApiKey(apiKey);
    const record = await this.#store.get<KeyRecord>(keyKey(hash));
    if (!record || !hashesEqual(record.hash, hash)) return null;
    const account = (await this.#store.get<Account>(accountKey(record.accountId))) ?? null;
    if (account && this.#recent) this.#recent.set(apiKey, account);
    return account;
  }
}

const accountKey = (id: string) => `account:${id}`;
const accountIndex = 'accounts';
const keyKey = (hash: string) => `apikey:${hash}`;
