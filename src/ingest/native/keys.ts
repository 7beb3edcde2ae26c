// Shared secrets for native accounting senders (TACACS+ keys, RADIUS secrets), by sender address:
// per device (its inventory address) or per subnet. The most specific entry comes first, and every
// matching entry's secret is offered in that order, so a key can be rolled over by configuring the
// new one for the device while the subnet's old one still matches.

import { BlockList, isIPv4 } from 'node:net';
import { plainAddress } from '../allow.js';

export interface SecretEntry {
  /** Addresses and CIDRs this secret is for. */
  sources: readonly string[];
  secret: Buffer;
}

interface Match {
  bits: number;
  list: BlockList;
  secret: Buffer;
}

/** Addresses whose lookups are kept; beyond this the table is cleared (lookups are cheap, the map must stay bounded). */
const CACHE_MAX = 10_000;

export class SecretTable {
  private readonly matches: Match[] = [];
  private readonly cache = new Map<string, readonly Buffer[]>();

  constructor(entries: readonly SecretEntry[]) {
    for (const e of entries) {
      for (const s of e.sources) {
        const [addr, bitsText] = s.split('/') as [string, string | undefined];
        const type = isIPv4(addr) ? 'ipv4' : 'ipv6';
        const bits = bitsText === undefined ? (type === 'ipv4' ? 32 : 128) : Number(bitsText);
        const list = new BlockList();
        list.addSubnet(addr, bits, type);
        this.matches.push({ bits, list, secret: e.secret });
      }
    }
    // Most specific first; a stable sort keeps the configuration's order between equals.
    this.matches.sort((a, b) => b.bits - a.bits);
  }

  get size(): number {
    return this.matches.length;
  }

  /** The secrets configured for this sender, most specific first; empty when it has none. */
  secretsFor(address: string): readonly Buffer[] {
    const a = plainAddress(address);
    let found = this.cache.get(a);
    if (found) return found;
    const type = isIPv4(a) ? 'ipv4' : 'ipv6';
    const out: Buffer[] = [];
    for (const m of this.matches) if (m.list.check(a, type) && !out.some((s) => s.equals(m.secret))) out.push(m.secret);
    found = out;
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(a, found);
    return found;
  }
}
