import ipaddr from 'ipaddr.js';

/**
 * True when `host` names this machine's loopback interface: `localhost`, an IPv4 address in
 * 127.0.0.0/8 (dotted-quad only, so `127.1` or octal spellings are not guessed at), or the IPv6
 * loopback in any spelling (`::1`, `0:0:0:0:0:0:0:1`, the IPv4-mapped `::ffff:127.0.0.1`), bare or
 * in brackets as URL hostnames write it. Plain http is accepted only for such hosts: nothing sent
 * to them leaves the machine.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return true;
  if (ipaddr.IPv4.isValidFourPartDecimal(h)) return ipaddr.IPv4.parse(h).range() === 'loopback';
  if (!h.includes(':') || !ipaddr.IPv6.isValid(h)) return false;
  const address = ipaddr.IPv6.parse(h);
  return address.isIPv4MappedAddress() ? address.toIPv4Address().range() === 'loopback' : address.range() === 'loopback';
}
