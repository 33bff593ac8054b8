import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { DoitongError } from '../errors';

/** True for addresses on the public internet; loopback, private, link-local, metadata and mapped forms are not. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

/**
 * Checks a user-supplied URL when it is given: http(s) only, no credentials in it, and no
 * literal non-public address unless the host allows private targets. Names are resolved
 * (and their addresses checked again) at each delivery, where the address is also pinned.
 */
export function checkOutgoingUrl(value: string, field: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new DoitongError('INVALID_INPUT', `${field} is not a valid URL.`, { details: { option: field } });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new DoitongError('INVALID_INPUT', `${field} must use http or https.`, { details: { option: field } });
  if (url.username || url.password) throw new DoitongError('INVALID_INPUT', `${field} must not contain credentials.`, { details: { option: field } });
  if (value.length > 2_048) throw new DoitongError('INVALID_INPUT', `${field} is longer than 2048 characters.`, { details: { option: field } });
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!allowPrivate) {
    if (isIP(host) && !isPublicAddress(host)) throw new DoitongError('INVALID_INPUT', `${field} points to a private or reserved address.`, { details: { option: field } });
    if (host === 'localhost' || host.endsWith('.localhost')) throw new DoitongError('INVALID_INPUT', `${field} points to this machine.`, { details: { option: field } });
  }
  return url;
}
