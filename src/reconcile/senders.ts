// The sender check: a device whose inventory address is an IP address should send from it. Its
// name arriving from another address (not a configured relay) — in a syslog header, or in the NAS
// attributes of a RADIUS request from a sender not configured as a proxy (src/ingest/native/device.ts) — means a relay nobody listed, a
// second interface, or someone writing records in its name — an auditor cannot tell which, so it
// is a finding (`sender-mismatch`) until a person decides. An inventory address that is a host name
// is compared with what it resolved to (src/reconcile/inventory-names.ts: reconciliation resolves
// it, never the ingest path); one that did not resolve is not compared.

import { isIP } from 'node:net';
import { canonicalAddress, createAllowList, plainAddress } from '../ingest/allow.js';
import type { NewFinding } from './findings.js';
import { minuteUtc, printable } from './text.js';

export interface InventoryAddress {
  name: string;
  address: string;
  /** Further addresses (or CIDRs) it may send from: a logging source interface. */
  senders?: readonly string[];
  /** What `address`, a host name, resolved to (canonical forms). */
  resolved?: readonly string[];
}

/** A row of device_senders: one address a device's messages arrived from. */
export interface SenderRow {
  device: string;
  source: string;
  first_seen: number;
  last_seen: number;
}

export interface SenderMismatch {
  device: string;
  expected: string;
  /** The foreign senders, the latest first. */
  senders: SenderRow[];
}

/** Devices heard from addresses other than their inventory address, their own senders and relays. */
export function senderMismatches(inventory: readonly InventoryAddress[], rows: readonly SenderRow[], isRelay: (address: string) => boolean): SenderMismatch[] {
  const expected = new Map<string, { own: ReadonlySet<string>; shown: string; also: (address: string) => boolean }>();
  for (const d of inventory) {
    const own = isIP(d.address) !== 0 ? [canonicalAddress(d.address)] : (d.resolved ?? []);
    if (!own.length) continue;
    const shown = isIP(d.address) !== 0 ? own[0]! : `${printable(d.address)} (${own.join(', ')})`;
    expected.set(d.name, { own: new Set(own), shown, also: d.senders?.length ? createAllowList(d.senders) : () => false });
  }
  const byDevice = new Map<string, SenderMismatch>();
  for (const r of rows) {
    const want = expected.get(r.device);
    if (want === undefined) continue;
    const got = plainAddress(r.source);
    if (want.own.has(got) || want.also(got) || isRelay(got)) continue;
    let m = byDevice.get(r.device);
    if (!m) byDevice.set(r.device, (m = { device: r.device, expected: want.shown, senders: [] }));
    m.senders.push(r);
  }
  for (const m of byDevice.values()) m.senders.sort((a, b) => b.last_seen - a.last_seen);
  return [...byDevice.values()];
}

/** The finding for one device's foreign senders; `events` are records that came from them. */
export function senderFinding(m: SenderMismatch, events: number[], now: number): NewFinding {
  const shown = m.senders.slice(0, 5).map((s) => `${printable(s.source)} (last ${minuteUtc(s.last_seen)})`);
  const more = m.senders.length > 5 ? ` and ${m.senders.length - 5} more` : '';
  return {
    kind: 'sender-mismatch',
    severity: 'high',
    device: m.device,
    summary:
      `messages naming ${printable(m.device)} arrived from ${shown.join(', ')}${more}, not from its inventory address ${m.expected}: ` +
      'a relay not listed in ingest.relays (a RADIUS proxy not marked proxy in ingest.radius.secrets), an interface not listed in its senders, or records forged in its name',
    evidence: { events, senders: m.senders.slice(0, 32).map((s) => ({ source: s.source, firstSeen: new Date(s.first_seen).toISOString(), lastSeen: new Date(s.last_seen).toISOString() })) },
    at: now,
  };
}
