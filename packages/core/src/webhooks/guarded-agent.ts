import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, buildConnector } from 'undici';
import type { ResolvedAddress, WebhookLookup } from './options';
import { isPublicAddress } from './url-check';

/** The code of a connection refused by the SSRF guard. */
export const blockedAddressCode = 'ERR_WEBHOOK_ADDRESS_BLOCKED';

export interface GuardedAgentOptions {
  allowPrivateUrls: boolean;
  lookup: WebhookLookup;
  connectTimeoutMilliseconds: number;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * An undici Agent that only connects to public addresses. The check runs inside the connector,
 * so it covers every connection the agent makes: IP literals are checked before connecting, and a
 * host name is resolved by our lookup, every address it returns is checked, and the socket is
 * opened to those same addresses (pinned, so a second answer from DNS cannot swap in 127.0.0.1).
 * Requests through it never follow redirects (undici's `request` does not).
 */
export function guardedAgent(options: GuardedAgentOptions): Agent {
  const lookup = (hostname: string, lookupOptions: LookupOptions, callback: LookupCallback) => {
    options.lookup(hostname).then(
      (resolved) => {
        const wanted = lookupOptions.family === 4 || lookupOptions.family === 6 ? resolved.filter((entry) => entry.family === lookupOptions.family) : resolved;
        if (wanted.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
        const refused = options.allowPrivateUrls ? undefined : wanted.find((entry) => !isPublicAddress(entry.address));
        if (refused) return callback(blocked(`${hostname} resolves to ${refused.address}, which is not a public address`), []);
        // Node asks for every address (`all`) when it may try several (autoSelectFamily), else for one.
        if (lookupOptions.all) callback(null, wanted.map(toLookupAddress));
        else callback(null, wanted[0]!.address, wanted[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, []),
    );
  };
  const connect = buildConnector({ timeout: options.connectTimeoutMilliseconds, lookup } as buildConnector.BuildOptions);
  return new Agent({
    connect(connectOptions, callback) {
      const host = connectOptions.hostname.replace(/^\[(.*)\]$/, '$1');
      // Node does not call `lookup` for an IP literal, so literals are checked here.
      if (!options.allowPrivateUrls && isIP(host) && !isPublicAddress(host)) return callback(blocked(`${host} is not a public address`), null);
      connect(connectOptions, callback);
    },
  });
}

function toLookupAddress(entry: ResolvedAddress): LookupAddress {
  return { address: entry.address, family: entry.family };
}

function blocked(message: string): Error {
  return Object.assign(new Error(`refused: ${message}`), { code: blockedAddressCode });
}
