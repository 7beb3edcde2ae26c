// Per-source allow-list: which sender addresses may deliver syslog. Checked once per UDP
// datagram or TCP connection, so it is a plain list walk over parsed CIDRs.

import { BlockList, isIPv4 } from 'node:net';

export type AllowList = (address: string) => boolean;

/** Strip the IPv4-mapped prefix a dual-stack socket reports (`::ffff:10.1.1.1` → `10.1.1.1`). */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
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
