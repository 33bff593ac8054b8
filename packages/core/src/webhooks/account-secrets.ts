import { DoitongError } from '../errors';
import type { KeyValueStore } from '../storage/key-value-store';
import { KeyLock, type Locks } from '../storage/key-lock';
import { maxOverlapSeconds } from './endpoints';
import { generateWebhookSecret } from './secret';

interface SecretEntry {
  secret: string;
  /** When a rotated-out secret stops signing (ISO 8601); null for the current one. */
  expiresAt: string | null;
}

/** An account's signing secret for its generations' own `webhookUrl`, and when the one before it stops signing. */
export interface AccountSigningSecret {
  secret: string;
  previousSecretExpiresAt: string | null;
}

const maxSecrets = 5;

/**
 * The secret that signs deliveries to each generation's own `webhookUrl`, one per account, so a
 * tenant verifies with a secret no other tenant knows and cannot forge events another tenant's
 * receiver accepts. Made on first use, rotatable with an overlap as endpoints' secrets are.
 */
export class AccountSigningSecrets {
  readonly #store: KeyValueStore;
  readonly #lock: Locks;
  readonly #now: () => number;

  constructor(options: { store: KeyValueStore; now: () => number; locks?: Locks }) {
    this.#store = options.store;
    this.#lock = options.locks ?? new KeyLock();
    this.#now = options.now;
  }

  /** The account's current secret, made now if it has none. */
  async current(accountId: string): Promise<AccountSigningSecret> {
    return describe(await this.#read(accountId), this.#now());
  }

  /** The secrets that sign the account's deliveries now: the current one and those still in their overlap. */
  async signing(accountId: string): Promise<string[]> {
    const now = this.#now();
    return (await this.#read(accountId)).filter((entry) => entry.expiresAt === null || Date.parse(entry.expiresAt) > now).map((entry) => entry.secret);
  }

  /** A new current secret; the old one keeps signing beside it for `overlapSeconds` (0 ends it at once). */
  async rotate(accountId: string, overlapSeconds: number): Promise<AccountSigningSecret> {
    if (!Number.isInteger(overlapSeconds) || overlapSeconds < 0 || overlapSeconds > maxOverlapSeconds)
      throw new DoitongError('INVALID_INPUT', `overlapSeconds must be between 0 and ${maxOverlapSeconds}.`, {
        details: { option: 'overlapSeconds', minimum: 0, maximum: maxOverlapSeconds },
      });
    const now = this.#now();
    const expiresAt = new Date(now + overlapSeconds * 1000).toISOString();
    const entries = await this.#write(accountId, (current) => {
      const older = current
        .map((entry) => (entry.expiresAt === null ? { ...entry, expiresAt } : entry))
        .filter((entry) => overlapSeconds > 0 && Date.parse(entry.expiresAt!) > now);
      return [{ secret: generateWebhookSecret(), expiresAt: null }, ...older].slice(0, maxSecrets);
    });
    return describe(entries, now);
  }

  async #read(accountId: string): Promise<SecretEntry[]> {
    const existing = await this.#store.get<SecretEntry[]>(secretsKey(accountId));
    if (existing && existing.length > 0) return existing;
    return this.#write(accountId, (current) => (current.length > 0 ? current : [{ secret: generateWebhookSecret(), expiresAt: null }]));
  }

  /** Reads and rewrites the account's entries under its lock, so two first uses make one secret. */
  #write(accountId: string, change: (entries: SecretEntry[]) => SecretEntry[]): Promise<SecretEntry[]> {
    const key = secretsKey(accountId);
    return this.#lock.run(key, async () => {
      const current = (await this.#store.get<SecretEntry[]>(key)) ?? [];
      const next = change(current);
      if (next !== current) await this.#store.set(key, next);
      return next;
    });
  }
}

const secretsKey = (accountId: string) => `account:${accountId}:webhook-signing-secrets`;

function describe(entries: SecretEntry[], now: number): AccountSigningSecret {
  const ends = entries.map((entry) => entry.expiresAt).filter((end): end is string => end !== null && Date.parse(end) > now);
  return { secret: entries.find((entry) => entry.expiresAt === null)?.secret ?? entries[0]!.secret, previousSecretExpiresAt: ends.sort().at(-1) ?? null };
}
