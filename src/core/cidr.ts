import ipaddr from 'ipaddr.js';
import { AppError } from './errors.js';

/** Strict address syntax: dotted-quad IPv4 (no legacy `10.0.0` or octal forms) or IPv6. */
function strictlyValid(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text) || (text.includes(':') && ipaddr.IPv6.isValid(text));
}

export type Cidr = { readonly text: string; readonly range: [ipaddr.IPv4 | ipaddr.IPv6, number] };

/**
 * Parses an IP allowlist entry: a CIDR (`10.0.1.0/24`, `2001:db8::/32`) or a single address
 * (taken as /32 or /128). IPv4-mapped IPv6 addresses are folded to IPv4 so that `::ffff:10.0.0.1`
 * and `10.0.0.1` are the same peer.
 */
export function parseCidr(input: unknown, what = 'IP allowlist entry'): Cidr {
  if (typeof input !== 'string' || input.trim() === '') {
    throw new AppError('invalid_input', `An ${what} is empty: give a CIDR such as 10.0.1.0/24 or an address such as 10.0.1.50.`);
  }
  const text = input.trim();
  try {
    if (text.includes('/')) {
      if (!strictlyValid(text.slice(0, text.indexOf('/'))) || !/^\d{1,3}$/.test(text.slice(text.indexOf('/') + 1))) throw new Error('cidr');
      const [addr, bits] = ipaddr.parseCIDR(text);
      const folded = fold(addr);
      const prefix = folded.kind() === 'ipv4' && addr.kind() === 'ipv6' ? bits - 96 : bits;
      if (prefix < 0) throw new Error('prefix');
      return { text, range: [folded, prefix] };
    }
    if (!strictlyValid(text)) throw new Error('address');
    const addr = fold(ipaddr.parse(text));
    return { text, range: [addr, addr.kind() === 'ipv4' ? 32 : 128] };
  } catch {
    throw new AppError(
      'invalid_input',
      `The ${what} ${JSON.stringify(text.slice(0, 60))} is not a valid IPv4 or IPv6 address or CIDR (examples: 10.0.1.50, 10.128.0.0/20, 2001:db8::/32).`,
    );
  }
}

function fold(addr: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
    return (addr as ipaddr.IPv6).toIPv4Address();
  }
  return addr;
}

/** Parses a peer address as reported by the socket; returns undefined if it is not an IP. */
export function parseAddress(address: string | undefined): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (!address || !strictlyValid(address)) return undefined;
  return fold(ipaddr.parse(address));
}

/** Normalised text form of a peer address (IPv4-mapped IPv6 folded to IPv4). */
export function normaliseAddress(address: string | undefined): string {
  const parsed = parseAddress(address);
  return parsed ? parsed.toString() : (address ?? 'unknown');
}

/** True when `address` lies in any of `cidrs`. An unparseable address matches nothing. */
export function addressAllowed(address: string | undefined, cidrs: readonly Cidr[]): boolean {
  const parsed = parseAddress(address);
  if (!parsed) return false;
  for (const cidr of cidrs) {
    const [range, bits] = cidr.range;
    if (range.kind() === parsed.kind() && parsed.match(range as never, bits)) return true;
  }
  return false;
}
