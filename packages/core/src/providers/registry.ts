import { DoitongError } from '../errors';
import type { GenerationType } from './generation-type';
import { contractVersionProblem } from './contract-version';
import { generationTypes } from './generation-type';
import type { ProviderAdapter } from './provider-adapter';

export type AccountModeName = 'test' | 'live';

interface Entry {
  live?: ProviderAdapter;
  sandbox?: ProviderAdapter;
}

/**
 * The providers of one Doitong instance. One id can have a live transport and a sandbox
 * twin; a test-mode account only ever gets the sandbox one, so test keys never spend money.
 */
export class ProviderRegistry {
  readonly #entries = new Map<string, Entry>();

  register(adapter: ProviderAdapter): void {
    assertWellFormed(adapter);
    const entry = this.#entries.get(adapter.id) ?? {};
    if (adapter.livemode) entry.live = adapter;
    else entry.sandbox = adapter;
    this.#entries.set(adapter.id, entry);
  }

  /** The adapter that serves `id` for an account in `mode`, or undefined. */
  resolve(id: string, mode: AccountModeName): ProviderAdapter | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    return mode === 'test' ? entry.sandbox : (entry.live ?? entry.sandbox);
  }

  /** Every adapter an account in `mode` can use, optionally of one type, in registration order. */
  list(mode: AccountModeName, type?: GenerationType): ProviderAdapter[] {
    const adapters: ProviderAdapter[] = [];
    for (const entry of this.#entries.values()) {
      const adapter = mode === 'test' ? entry.sandbox : (entry.live ?? entry.sandbox);
      if (adapter && (!type || adapter.types.includes(type))) adapters.push(adapter);
    }
    return adapters;
  }

  ids(mode: AccountModeName, type?: GenerationType): string[] {
    return this.list(mode, type).map((adapter) => adapter.id);
  }
}

function assertWellFormed(adapter: ProviderAdapter): void {
  const problems: string[] = [];
  if (!adapter || typeof adapter !== 'object') throw new DoitongError('INVALID_INPUT', 'registerProvider expects an adapter object');
  if (typeof adapter.id !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(adapter.id)) problems.push('id must be lower-case letters, digits, ".", "_" or "-"');
  if (!Array.isArray(adapter.types) || adapter.types.length === 0 || adapter.types.some((type) => !generationTypes.includes(type)))
    problems.push(`types must list some of ${generationTypes.join(', ')}`);
  if (typeof adapter.price !== 'function') problems.push('price(request) is required');
  if (typeof adapter.start !== 'function') problems.push('start(request, context) is required');
  if (typeof adapter.livemode !== 'boolean') problems.push('livemode must be true or false');
  if (!Array.isArray(adapter.options)) problems.push('options must be an array of option specs');
  const version = contractVersionProblem(adapter.contractVersion);
  if (version) problems.push(version);
  if (problems.length) throw new DoitongError('INVALID_INPUT', `provider "${String(adapter.id)}" is not a valid adapter: ${problems.join('; ')}`);
}
