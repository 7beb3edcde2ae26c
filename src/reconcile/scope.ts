// Where a roster entry, an administrator or a change window applies: device names or globs,
// inventory groups (tags), and platforms. A device is in scope when any one of them matches.

import { firstLabels } from '../ingest/devices.js';

/** What a scope is matched against: an inventory device. */
export interface DeviceRef {
  name: string;
  platform: string;
  groups: readonly string[];
  /** Other names it logs under (the inventory's `logNames`). */
  logNames?: readonly string[];
}

/**
 * The inventory's name for a device named in any case, by one of its log names, by an FQDN whose
 * first label is an inventory name, or by the short name of exactly one inventory FQDN, as ingest files such a
 * device's lines (src/ingest/devices.ts); any other name (an unverified sender's) as given, since
 * its records are filed under it byte for byte. The Accounts view's and the command line's device
 * filters read a name so.
 */
export function inventoryNamer(inventory: ReadonlyMap<string, DeviceRef>): (name: string) => string {
  const byLower = new Map([...inventory.keys()].map((n) => [n.toLowerCase(), n]));
  for (const d of inventory.values()) for (const n of d.logNames ?? []) if (!byLower.has(n.toLowerCase())) byLower.set(n.toLowerCase(), d.name);
  const byFirstLabel = firstLabels(inventory.keys());
  return (name) => {
    if (inventory.has(name)) return name;
    const lower = name.toLowerCase();
    const dot = lower.indexOf('.');
    return byLower.get(lower) ?? (dot > 0 ? byLower.get(lower.slice(0, dot)) : dot < 0 ? byFirstLabel.get(lower) ?? undefined : undefined) ?? name;
  };
}

/** As written in the roster. Empty lists everywhere mean "every device". */
export interface Scope {
  /** Device names or globs (`core-*`, `sw?-lab`), compared without regard to case as the inventory does. */
  devices: string[];
  groups: string[];
  platforms: string[];
}

export type ScopeTest = (d: DeviceRef) => boolean;

function globRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function isEverywhere(s: Scope): boolean {
  return (s.devices.length === 0 && s.groups.length === 0 && s.platforms.length === 0) || s.devices.includes('*');
}

/** A test for this scope, compiled once (the bench matches 200,000 accounts against 2,000 entries). */
export function compileScope(s: Scope): ScopeTest {
  if (isEverywhere(s)) return () => true;
  const exact = new Set<string>();
  const globs: RegExp[] = [];
  for (const d of s.devices) {
    if (/[*?]/.test(d)) globs.push(globRegExp(d));
    else exact.add(d.toLowerCase());
  }
  const groups = new Set(s.groups);
  const platforms = new Set(s.platforms);
  return (d) => {
    if (platforms.has(d.platform)) return true;
    if (exact.size && exact.has(d.name.toLowerCase())) return true;
    for (const g of d.groups) if (groups.has(g)) return true;
    for (const r of globs) if (r.test(d.name)) return true;
    return false;
  };
}

/** `devices core-*, groups core` — for sentences and the roster page. */
export function describeScope(s: Scope): string {
  if (isEverywhere(s)) return 'every device';
  const parts: string[] = [];
  if (s.devices.length) parts.push(`devices ${s.devices.join(', ')}`);
  if (s.groups.length) parts.push(`groups ${s.groups.join(', ')}`);
  if (s.platforms.length) parts.push(`platforms ${s.platforms.join(', ')}`);
  return parts.join('; ');
}
