import type EventEmitter from 'eventemitter3';
import type { Account } from '../accounts/account';
import type { Accounts } from '../accounts/accounts';
import type { DoitongEvents } from '../engine/events';
import type { JobQueue } from '../engine/queue';
import { DoitongError } from '../errors';
import { DocumentCache, type QueryLimits } from '../graphql/documents';
import { OperationExecutor } from '../graphql/executor';
import { consoleRoute, type ConsoleBundle } from '../http/console-route';
import type { DoitongRequest, DoitongResponse } from '../http/types';
import type { Logger } from '../logger';
import type { CreditLedger } from '../policies/ledger';
import type { Plan } from '../policies/plans';
import type { ProviderHealth } from '../providers/health';
import type { ProviderRegistry } from '../providers/registry';
import { Activity } from './activity';
import { adminKeyDigest, adminRoute } from './admin-route';
import { adminSchema } from './admin-schema';

type Route = (request: DoitongRequest, url: URL) => Promise<DoitongResponse | undefined>;

export interface OperatorRouteDependencies {
  options: { admin?: { key: string | readonly string[] }; console?: false | { bundle: ConsoleBundle } };
  accounts: Accounts;
  ledger: CreditLedger;
  plans: Record<string, Plan>;
  planFor(account: Account): Plan;
  registry: ProviderRegistry;
  health: ProviderHealth;
  queue: JobQueue;
  events: EventEmitter<DoitongEvents>;
  now: () => number;
  queryLimits: QueryLimits;
  maxBodyBytes: number;
  logger: Logger;
  /** Where to put what `close()` must release. */
  close: Array<() => void>;
}

const minimumKeyLength = 16;

/** The routes a host turns on for its operators: the admin API (`admin`) and the console (`console`). */
export function operatorRoutes(dependencies: OperatorRouteDependencies): Route[] {
  const routes: Route[] = [];
  const { admin, console } = dependencies.options;
  if (admin) {
    const keys = typeof admin.key === 'string' ? [admin.key] : [...admin.key];
    if (keys.length === 0 || keys.some((key) => typeof key !== 'string' || key.length < minimumKeyLength || /\s/.test(key)))
      throw new DoitongError('INVALID_INPUT', `admin.key must be one or more credentials of at least ${minimumKeyLength} characters without spaces.`, {
        details: { option: 'admin.key' },
      });
    const activity = new Activity(dependencies.events, dependencies.now);
    dependencies.close.push(() => activity.close());
    const schema = adminSchema({ ...dependencies, activity });
    routes.push(
      adminRoute({
        keyDigests: keys.map(adminKeyDigest),
        documents: new DocumentCache(schema, { limits: dependencies.queryLimits, strictSelections: true, maxEntries: 100 }),
        executor: new OperationExecutor(schema, { compiled: false }),
        authenticateAccount: (key) => dependencies.accounts.authenticate(key),
        maxBodyBytes: dependencies.maxBodyBytes,
        logger: dependencies.logger,
      }),
    );
  }
  if (console) routes.push(consoleRoute(console.bundle));
  return routes;
}
