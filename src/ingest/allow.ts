// Per-source allow-list: which sender addresses may deliver syslog. Checked once per UDP
// datagram or TCP connection, so it is a plain list walk over parsed CIDRs.

import { BlockList, isIPv4, isIPv6 } from 'node:net';

export type AllowList = (address: string) => boolean;

/** Strip the IPv4-mapped prefix a dual-stack socket reports (`::ffff:10.1.1.1` → `10.1.1.1`). */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
}

/**
 * A configured address (an inventory `address`, written any way) as a socket reports a sender's:
 * IPv6 lower-case and compressed (`2001:DB8:0:0::13` → `2001:db8::13`), IPv4-mapped as IPv4
 * (`::FFFF:192.0.2.12`, `::ffff:c000:20c` → `192.0.2.12`). Sockets' own addresses are already so
 * (plainAddress strips their mapping on the hot path); this is for the other side of a comparison.
 */
export function canonicalAddress(address: string): string {
  if (!isIPv6(address)) return address;
  let host: string;
  try {
    host = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address.toLowerCase(); // a zone id (`fe80::1%eth0`): the URL parser takes none
  }
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (!mapped) return host;
  const hi = parseInt(mapped[1]!, 16);
  const lo = parseInt(mapped[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

export function createAllowList(cidrs: readonly string[]): AllowList {
  if (cidrs.length === 0) return () => true;
  const list = new BlockList();
  for (const c of cidrs) {
    const [addr, bits] = c.split('/') as [string, string | undefined];
    const type = isIPv4(addr) ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(bits), type);
  }
  return (address) => {
    const a = plainAddress(address);
    return list.check(a, isIPv4(a) ? 'ipv4' : 'ipv6');
  };
}
