import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

/**
 * Opens (creating when needed) `<dataDirectory>/doitong.sqlite` in WAL mode with `synchronous =
 * FULL`: a write that returned is on disk, so a power cut or SIGKILL loses nothing acknowledged.
 * Every statement runs synchronously in the calling thread, so each method of the stores below
 * does its check and its write with nothing in between: atomic without locks.
 */
export function openDatabase(dataDirectory: string): SqliteDatabase {
  mkdirSync(dataDirectory, { recursive: true });
  const database = new Database(join(dataDirectory, 'doitong.sqlite'));
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('busy_timeout = 5000');
  database.exec(schema);
  return database;
}

const schema = `
CREATE TABLE IF NOT EXISTS records (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  expires_at INTEGER
);
CREATE INDEX IF NOT EXISTS records_expiry ON records (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS balances (
  account_id TEXT PRIMARY KEY,
  balance INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS reservations (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  amount INTEGER NOT NULL,
  generation_id TEXT,
  state TEXT NOT NULL,
  reserved_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS reservations_open ON reservations (reserved_at) WHERE state = 'reserved';
CREATE TABLE IF NOT EXISTS ledger_entries (
  position INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  account_id TEXT NOT NULL,
  type TEXT NOT NULL,
  amount INTEGER NOT NULL,
  balance_after INTEGER NOT NULL,
  reservation_id TEXT,
  generation_id TEXT,
  note TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ledger_entries_account ON ledger_entries (account_id, position);

CREATE TABLE IF NOT EXISTS slots (
  account_id TEXT NOT NULL,
  slot_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, slot_id)
);

CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  data TEXT NOT NULL,
  due_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  leased_by TEXT
);
CREATE INDEX IF NOT EXISTS jobs_due ON jobs (due_at);

CREATE TABLE IF NOT EXISTS settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;
