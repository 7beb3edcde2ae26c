// The audit search by account with no device named, once events_target is gone (migration 019):
// read device by device through the account records by device and target (events_by_target since
// migration 020), the same rows and pages as a scan of events.

import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/store/db.js';
import { migrations } from '../../src/store/migrations/index.js';
import targetIndex from '../../src/store/migrations/019-target-index.js';
import { searchEvents, type EventQuery } from '../../src/web/data/events.js';
import { pagedSearch } from '../support/audit-pages.js';
import { storeBefore } from '../support/old-store.js';

let db: Db | undefined;
afterEach(() => db?.close());

const HASH = Buffer.from([0]);
const DEVICES = ['core-1', 'Core-1', 'edge 3', 'sw-é5', 'zz-6'];
const NAMES = ['bob', 'Bob', 'ops', 'x y'];
const T0 = Date.UTC(2026, 11, 1);

/** Account records (same stamps on several devices, so the order falls back on ids) and commands naming no account. */
function fill(d: { prepare: Db['prepare'] }): void {
  const insert = d.prepare(
    `INSERT INTO events (kind, action, time, device, platform, actor, target, command, raw, received_at, transport, prev_hash, hash)
     VALUES (?, ?, ?, ?, 'cisco-ios', 'admin', ?, ?, 'line', ?, 'udp', ?, ?)`,
  );
  for (let i = 0; i < 240; i++) {
    const time = T0 + ((i * 7) % 80) * 1000;
    if (i % 4 === 3) insert.run('command', 'command', time, DEVICES[i % DEVICES.length], null, `show run ${i}`, time, HASH, HASH);
    else insert.run('account', i % 5 === 0 ? 'account.delete' : 'account.create', time, DEVICES[i % DEVICES.length], NAMES[i % NAMES.length], `username ${NAMES[i % NAMES.length]}`, time, HASH, HASH);
  }
}

/** What a search must answer: events scanned whole, filtered and ordered as the audit trail orders. */
function truth(d: Db, q: EventQuery): number[] {
  const rows = d.prepare('SELECT id, time, target, kind, command FROM events NOT INDEXED ORDER BY time DESC, id DESC').all() as Array<{ id: number; target: string | null; kind: string; command: string | null }>;
  return rows.filter((r) => r.target === q.target && (q.kind === undefined || r.kind === q.kind) && (q.text === undefined || (r.command ?? '').includes(q.text))).map((r) => r.id);
}

describe('events_target dropped (migration 019)', () => {
  it('migrates a store with account records: the index is gone, each account found on every device, page by page', () => {
    const { path, old } = storeBefore(targetIndex);
    fill(old);
    old.close();
    db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'events_target'").pluck().get()).toBe(0);
    for (const q of [{ target: 'bob' }, { target: 'Bob' }, { target: 'x y', kind: 'account' as const }, { target: 'ops', text: 'username' }, { target: 'nobody' }]) {
      const want = truth(db, q);
      expect(pagedSearch(db, q, 7), JSON.stringify(q)).toEqual(want);
    }
    expect(new Set(searchEvents(db, { target: 'bob' }, {}, 100).rows.map((r) => r.device)).size).toBeGreaterThan(2);
    // Newer than a cursor, oldest first, as the audit trail's "newer" link reads.
    const first = searchEvents(db, { target: 'ops' }, {}, 5);
    const older = searchEvents(db, { target: 'ops' }, { before: first.older! }, 5);
    expect(searchEvents(db, { target: 'ops' }, { after: older.newer! }, 5).rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
  });
});
