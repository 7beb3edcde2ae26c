// Inventory addresses that are host names (`fw1.example.net`), resolved for the sender check. The
// ingest path never resolves a name (a datagram is not held up by DNS); reconciliation resolves
// each at start and every REFRESH_MS, and compares a device's senders with what its name resolved
// to, as it compares an IP address. A name that does not resolve (now or within LOOKUP_MS) keeps
// what it last resolved to; one that never did is not compared, and says so in the log.

import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { canonicalAddress } from '../ingest/allow.js';
import type { InventoryAddress } from './senders.js';

/** The addresses a host name resolves to. */
export type Lookup = (host: string) => Promise<string[]>;

/** A lookup longer than this counts as failed: a run does not wait on a resolver that does not answer. */
export const LOOKUP_MS = 5000;
/** How often serve resolves the inventory's names again (a device's address may move). */
export const REFRESH_MS = 10 * 60_000;

export const systemLookup: Lookup = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export class InventoryNames {
  private readonly known = new Map<string, readonly string[]>();

  constructor(private readonly resolve: Lookup = systemLookup, private readonly timeoutMs = LOOKUP_MS) {}

  /** Resolve every host-name address of the inventory; returns the names that resolved to nothing, ever. */
  async refresh(addresses: readonly InventoryAddress[]): Promise<string[]> {
    const names = [...new Set(addresses.map((a) => a.address).filter((a) => isIP(a) === 0))];
    await Promise.all(
      names.map(async (name) => {
        try {
          const got = await withTimeout(this.resolve(name), this.timeoutMs);
          if (got.length) this.known.set(name, [...new Set(got.map(canonicalAddress))]);
        } catch {
          // A resolver outage is no reason to flag a device: what it resolved to before stands.
        }
      }),
    );
    return names.filter((n) => !this.known.has(n));
  }

  /** The inventory with each host name's resolved addresses. */
  apply(addresses: readonly InventoryAddress[]): InventoryAddress[] {
    return addresses.map((a) => {
      const resolved = this.known.get(a.address);
      return resolved ? { ...a, resolved } : a;
    });
  }

  get size(): number {
    return this.known.size;
  }
}
