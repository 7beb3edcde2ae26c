// Read queries over the ingest tables, for the command line and the web pages.

import type { Db } from './db.js';

/**
 * The account records that say whether an account exists, as their latest says (a deletion: no
 * longer); both engines' known accounts read them (pg/ingest-reads.ts).
 */
export const PRESENCE_ACTIONS = `action IN ('account.create', 'account.modify', 'account.delete', 'privilege.change', 'privilege.revoke', 'password.change')`;

/**
 * (device, account) pairs aaawatch knows exist: those the latest pull of each device showed, and
 * those stored account records created or changed without deleting since.
 */
export function knownAccounts(db: Db): Array<[string, string]> {
  const rows = db
    .prepare(
      `SELECT device, name AS target FROM accounts WHERE removed_at IS NULL
       UNION
       SELECT device, target FROM (
         SELECT device, target, action, row_number() OVER (PARTITION BY device, target ORDER BY id DESC) AS n
           FROM events WHERE kind = 'account' AND target IS NOT NULL
            AND ${PRESENCE_ACTIONS})
       WHERE n = 1 AND action <> 'account.delete'`,
    )
    .all() as Array<{ device: string; target: string }>;
  return rows.map((r) => [r.device, r.target]);
}

export interface CounterRow {
  name: string;
  value: number;
  updated_at: number;
}

export function counters(db: Db): CounterRow[] {
  return db.prepare('SELECT name, value, updated_at FROM counters ORDER BY name').all() as CounterRow[];
}

/** A native accounting sender (TACACS+, RADIUS) and a device it sent for or named, as the receivers keep it. */
export interface NativeSourceRow {
  transport: string;
  source: string;
  device: string;
  first_seen: number;
  last_seen: number;
  accepted: number;
  last_accepted: number | null;
  bad_key: number;
  last_bad_key: number | null;
  refused: number;
  /** Requests naming this device from a sender not configured as its proxy (filed under the sender). */
  named: number;
  last_named: number | null;
  /** Packets that did not read, and the last one's reason (the counter's: `tacacs-bad-flags`, `radius-bad-attribute`…). */
  malformed: number;
  last_malformed: number | null;
  last_malformed_reason: string | null;
}

/** Native accounting senders and devices: all, or one device's and those from its inventory `address` (what it relayed or named). */
export function nativeSources(db: Db, device?: string, address?: string): NativeSourceRow[] {
  return (device === undefined
    ? db.prepare('SELECT * FROM native_senders ORDER BY device, transport, source').all()
    : db.prepare('SELECT * FROM native_senders WHERE device = ? OR source = ? ORDER BY transport, source, device').all(device, address ?? null)) as NativeSourceRow[];
}

export interface UnknownRow {
  device: string;
  type: string;
  count: number;
  first_seen: number;
  last_seen: number;
  example: string;
}

export function unknownTypes(db: Db, device?: string): UnknownRow[] {
  return (
    device
      ? db.prepare('SELECT * FROM unknowns WHERE device = ? ORDER BY count DESC').all(device)
      : db.prepare('SELECT * FROM unknowns ORDER BY count DESC').all()
  ) as UnknownRow[];
}

export interface TrafficRow {
  device: string;
  program: string;
  messages: number;
  recognised: number;
}

/** Messages per device and program over the last `hours` hours. */
export function traffic(db: Db, sinceMs: number): TrafficRow[] {
  return db
    .prepare(
      `SELECT device, program, sum(messages) AS messages, sum(recognised) AS recognised FROM traffic
        WHERE hour >= ? GROUP BY device, program ORDER BY messages DESC`,
    )
    .all(Math.floor(sinceMs / 3_600_000)) as TrafficRow[];
}
