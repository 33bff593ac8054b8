import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { generateWebhookSecret, type Clock, type DoitongOptions, type Logger, type Resource } from '@doitong/core';
import { openDatabase, type SqliteDatabase } from './database';
import { SqliteJobQueue, type SqliteJobQueueOptions } from './job-queue';
import { SqliteLedger } from './ledger';
import { SqliteConcurrencySlots } from './slots';
import { SqliteStore } from './store';

export { openDatabase, type SqliteDatabase } from './database';
export { SqliteJobQueue, type SqliteJobQueueOptions } from './job-queue';
export { SqliteLedger } from './ledger';
export { SqliteConcurrencySlots } from './slots';
export { SqliteStore } from './store';

export interface SqliteDurabilityOptions {
  /**
   * The folder that holds everything: `doitong.sqlite` (records, ledger, slots, jobs, secrets) and
   * `assets/` (output files). Created when missing. One process per folder.
   */
  dataDirectory: string;
  queue?: Omit<SqliteJobQueueOptions, 'logger'>;
  clock?: Clock;
  logger?: Logger;
}

/** The options `sqlite()` sets on `createDoitong`. */
export type SqliteOptionGroup = Required<Pick<DoitongOptions, 'ledger' | 'slots' | 'queue' | 'resources' | 'assets' | 'assetSecret'>> & {
  storage: SqliteStore;
  /** The instance's webhook signing secret, kept in the file so receivers can go on verifying after a restart. */
  webhooks: { secret: string };
};

/**
 * A durable Doitong on one machine: `createDoitong({ providers, ...sqlite({ dataDirectory: './data' }) })`.
 * Accounts, API keys, generations, the credit ledger, concurrency slots, idempotency records,
 * webhook endpoints and deliveries, jobs in flight, output files and the signing secrets survive a
 * restart or a crash; the jobs resume where they stopped.
 */
export function sqlite(options: SqliteDurabilityOptions): SqliteOptionGroup {
  const database = openDatabase(options.dataDirectory);
  const now = options.clock ? () => options.clock!.now() : Date.now;
  const resources: Resource[] = [
    {
      name: 'sqlite',
      check: async () => void database.prepare('SELECT 1').get(),
      close: async () => {
        if (database.open) database.close();
      },
    },
  ];
  return {
    storage: new SqliteStore(database, { now }),
    ledger: new SqliteLedger(database, { now }),
    slots: new SqliteConcurrencySlots(database, options.clock ? { clock: options.clock } : {}),
    queue: new SqliteJobQueue(database, { ...options.queue, ...(options.logger ? { logger: options.logger } : {}) }),
    resources,
    assets: { directory: join(options.dataDirectory, 'assets') },
    assetSecret: setting(database, 'assetSecret', () => randomBytes(32).toString('base64url')),
    webhooks: { secret: setting(database, 'webhookSecret', generateWebhookSecret) },
  };
}

/** A value made once and kept in the file. */
function setting(database: SqliteDatabase, name: string, make: () => string): string {
  database.prepare<[string, string]>('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING').run(name, make());
  return database.prepare<[string], { value: string }>('SELECT value FROM settings WHERE name = ?').get(name)!.value;
}
