// One account's life on one device, from both sources: the account records syslog carried
// (created, given privilege, added to a group, password changed, deleted), its logins, and what
// successive pulls showed (appeared, changed, vanished, with the attribution of each). Newest
// first, bounded: the audit trail has the rest.

import type { Db } from '../store/db.js';
import { stmt } from './store.js';

export type TimelineSource = 'syslog' | 'pull';

export interface TimelineEntry {
  at: number;
  source: TimelineSource;
  /** The record's action (`account.create`, `login`) or the pull's change (`added`, `removed`, `changed`). */
  what: string;
  actor: string | null;
  address: string | null;
  path: string | null;
  /** Privilege, role or group the record names, or the pull's before → after. */
  detail: string | null;
  /** The stored record, for a syslog entry. */
  record?: number;
  /** The snapshots compared, for a pull entry (from is null on a device's first pull). */
  snapshots?: { from: number | null; to: number };
  /** For a pull entry: who did it, or that no record explains it. */
  sentence?: string;
}

interface Facts {
  privilege?: string;
  roles?: string[];
  credentials?: string[];
}

/** `privilege 15; roles network-admin; credentials secret` — an account's facts as words, not JSON. */
export function factsText(json: string | null): string | null {
  if (json === null) return null;
  let f: Facts;
  try {
    f = JSON.parse(json) as Facts;
  } catch {
    return json;
  }
  const parts: string[] = [];
  if (f.privilege !== undefined) parts.push(`privilege ${f.privilege}`);
  if (f.roles?.length) parts.push(`roles ${f.roles.join(', ')}`);
  if (f.credentials?.length) parts.push(`credentials ${f.credentials.join(', ')}`);
  return parts.length ? parts.join('; ') : 'nothing stated';
}

const PER_SOURCE = 100;

export function accountTimeline(db: Db, device: string, account: string, limit = 200): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  const records = stmt(
    db,
    // The account records' table walked newest first, and its unmoved tail (src/store/index-moves.ts).
    `SELECT d.id, d.action, d.time, e.actor, e.actor_address, e.path, e.privilege, e.role, e.grp FROM events_by_target d JOIN events e ON e.id = d.id
      WHERE d.device = :device AND d.target = :account
     UNION ALL
     SELECT id, action, time, actor, actor_address, path, privilege, role, grp FROM events_target_tail WHERE device = :device AND target = :account
     ORDER BY time DESC, id DESC LIMIT ${PER_SOURCE}`,
  ).all({ device, account }) as Array<{ id: number; action: string; time: number; actor: string | null; actor_address: string | null; path: string | null; privilege: string | null; role: string | null; grp: string | null }>;
  for (const r of records) {
    const detail = [r.privilege !== null ? `privilege ${r.privilege}` : '', r.role !== null ? `role ${r.role}` : '', r.grp !== null ? `group ${r.grp}` : ''].filter(Boolean).join(', ');
    out.push({ at: r.time, source: 'syslog', what: r.action, actor: r.actor, address: r.actor_address, path: r.path, detail: detail || null, record: r.id });
  }
  const sessions = stmt(
    db,
    // The actor's table, device and kind read from its entries, and its unmoved tail (src/store/index-moves.ts).
    `SELECT d.id, e.action, d.time, e.actor_address, e.path FROM events_by_actor d JOIN events e ON e.id = d.id
      WHERE d.actor = :actor AND d.device = :device AND d.kind = 'session'
     UNION ALL
     SELECT id, action, time, actor_address, path FROM events_actor_tail WHERE actor = :actor AND device = :device AND kind = 'session'
     ORDER BY time DESC, id DESC LIMIT ${PER_SOURCE}`,
  ).all({ actor: account, device }) as Array<{ id: number; action: string; time: number; actor_address: string | null; path: string | null }>;
  for (const s of sessions) out.push({ at: s.time, source: 'syslog', what: s.action, actor: account, address: s.actor_address, path: s.path, detail: null, record: s.id });
  const changes = stmt(
    db,
    `SELECT c.change, c.at, c.before, c.after, c.from_snapshot_id, c.to_snapshot_id, a.actor, a.actor_address, a.path, a.sentence
       FROM account_changes c LEFT JOIN change_attribution a ON a.change_id = c.id
      WHERE c.device = ? AND c.name = ? ORDER BY c.at DESC, c.id DESC LIMIT ${PER_SOURCE}`,
  ).all(device, account) as Array<{
    change: string; at: number; before: string | null; after: string | null; from_snapshot_id: number | null; to_snapshot_id: number;
    actor: string | null; actor_address: string | null; path: string | null; sentence: string | null;
  }>;
  for (const c of changes) {
    const before = factsText(c.before);
    const after = factsText(c.after);
    out.push({
      at: c.at, source: 'pull', what: changeWhat(c),
      actor: c.actor, address: c.actor_address, path: c.path,
      detail: c.change === 'changed' ? `${before ?? '—'} → ${after ?? '—'}` : (after ?? before),
      snapshots: { from: c.from_snapshot_id, to: c.to_snapshot_id },
      ...(c.sentence !== null ? { sentence: c.sentence } : {}),
    });
  }
  return out.sort((a, b) => b.at - a.at).slice(0, limit);
}

/** A pulled change as the timeline names it: the baseline, an account a configuration read anew shows or no longer shows (judge.ts readNotMade), or the change. */
function changeWhat(c: { change: string; from_snapshot_id: number | null; to_snapshot_id: number }): string {
  if (c.from_snapshot_id === null) return 'present at the first pull';
  if (c.from_snapshot_id === c.to_snapshot_id && c.change === 'added') return 'read anew in the same configuration';
  if (c.from_snapshot_id === c.to_snapshot_id && c.change === 'removed') return 'no longer read in the same configuration';
  return c.change;
}
