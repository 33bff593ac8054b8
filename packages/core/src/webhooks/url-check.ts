import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { DoitongError } from '../errors';

/**
 * True for addresses on the public internet; loopback, private, link-local, metadata, reserved
 * and every IPv6 form that carries an IPv4 address inside it unless that address is public. The
 * one check behind every outgoing request to a user-supplied address (webhook URLs when given,
 * each resolved address and IP literal when connecting).
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') return parsed.range() === 'unicast';
  const ipv6 = parsed as ipaddr.IPv6;
  const parts = ipv6.parts;
  const zeros = (from: number, to: number) => parts.slice(from, to).every((part) => part === 0);
  const embedded = () => ipaddr.fromByteArray(ipv6.toByteArray().slice(12));
  // IPv4-mapped (::ffff:0:0/96) and SIIT's IPv4-translated (::ffff:0:0:0/96) addresses, and the
  // well-known NAT64 prefix (64:ff9b::/96), reach the IPv4 address they carry: it decides.
  if (zeros(0, 5) && parts[5] === 0xffff) return embedded().range() === 'unicast';
  if (zeros(0, 4) && parts[4] === 0xffff && parts[5] === 0) return embedded().range() === 'unicast';
  if (parts[0] === 0x64 && parts[1] === 0xff9b && zeros(2, 6)) return embedded().range() === 'unicast';
  // Refused whatever they carry: IPv4-compatible addresses (::/96, deprecated, and called unicast
  // by the address library), NAT64's local-use prefix (64:ff9b:1::/48, whose translator and
  // embedding are the network's own), 6to4 (2002::/16) and Teredo (2001::/32), both tunnels to
  // an IPv4 address of the sender's choosing.
  if (zeros(0, 6)) return false;
  if (parts[0] === 0x64 && parts[1] === 0xff9b && parts[2] === 1) return false;
  if (parts[0] === 0x2002) return false;
  if (parts[0] === 0x2001 && parts[1] === 0) return false;
  return ipv6.range() === 'unicast';
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
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new DoitongError('INVALID_INPUT', `${field} must use http or https.`, { details: { option: field } });
  if (url.username || url.password) throw new DoitongError('INVALID_INPUT', `${field} must not contain credentials.`, { details: { option: field } });
  if (value.length > 2_048) throw new DoitongError('INVALID_INPUT', `${field} is longer than 2048 characters.`, { details: { option: field } });
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!allowPrivate) {
    if (isIP(host) && !isPublicAddress(host))
      throw new DoitongError('INVALID_INPUT', `${field} points to a private or reserved address.`, { details: { option: field } });
    if (host === 'localhost' || host.endsWith('.localhost'))
      throw new DoitongError('INVALID_INPUT', `${field} points to this machine.`, { details: { option: field } });
  }
  return url;
}
