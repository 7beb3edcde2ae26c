// The activity log's entries older than its chain are a fixed, recorded set (issue 15): migration
// 022 records those a store holds (entries from before migration 010, without hashes); any other
// entry without a hash is a break. Before, `verify` counted every entry without a hash before the
// first hashed one as older, so a log whose hashes were all set to NULL verified "0 chained, N older".

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, type Db } from '../../src/store/db.js';
import { migrations } from '../../src/store/migrations/index.js';
import { logActivity, verifyActivity } from '../../src/web/store.js';

const AUDITOR = migrations.findIndex((m) => m.includes('ALTER TABLE web_audit ADD COLUMN hash BLOB'));

/** A store as a release before migration 010 left it, holding `older` activity entries, then brought up to now. */
function upgradedWith(older: number): Db {
  const db = new Database(':memory:');
  for (let v = 0; v < AUDITOR; v++) db.exec(migrations[v]!);
  db.pragma(`user_version = ${AUDITOR}`);
  for (let i = 0; i < older; i++) db.prepare(`INSERT INTO web_audit (at, user, address, action, detail) VALUES (?, 'admin', NULL, 'login', '{}')`).run(1_000 + i);
  migrate(db);
  return db;
}

const log = (db: Db, n: number): void => {
  for (let i = 0; i < n; i++) logActivity(db, { at: 5_000 + i, user: 'admin', address: '192.0.2.7', action: 'finding.acknowledge', detail: { id: i } });
};

describe('activity log entries older than the chain', () => {
  it('records those a store held when it was upgraded, and verifies them as older', () => {
    const db = upgradedWith(3);
    log(db, 2);
    expect(db.prepare('SELECT last_id, entries FROM web_audit_start').get()).toEqual({ last_id: 3, entries: 3 });
    expect(verifyActivity(db)).toMatchObject({ ok: true, checked: 2, unchained: 3 });
  });

  it('reports a log whose hashes were all set to NULL as broken, on an upgraded store and a new one', () => {
    for (const db of [upgradedWith(3), upgradedWith(0)]) {
      log(db, 2);
      db.exec('UPDATE web_audit SET hash = NULL, prev_hash = NULL');
      const report = verifyActivity(db);
      expect(report.ok).toBe(false);
      expect(report.broken!.reason).toMatch(/^an entry without a hash, not one of the \d entries older than the chain$/);
    }
    const fresh = new Database(':memory:');
    migrate(fresh);
    log(fresh, 2);
    fresh.exec('UPDATE web_audit SET hash = NULL, prev_hash = NULL');
    expect(verifyActivity(fresh)).toMatchObject({ ok: false, broken: { id: 1, reason: 'an entry without a hash, not one of the 0 entries older than the chain' } });
  });

  it('reports an older entry removed, and the first chained entry stripped of its hash', () => {
    const removed = upgradedWith(3);
    log(removed, 2);
    removed.exec('DELETE FROM web_audit WHERE id = 2');
    expect(verifyActivity(removed)).toMatchObject({ ok: false, broken: { id: 4, reason: '1 of the 3 entries older than the chain are missing before it' } });
    const stripped = upgradedWith(3);
    log(stripped, 2);
    stripped.exec('UPDATE web_audit SET hash = NULL, prev_hash = NULL WHERE id = 4');
    expect(verifyActivity(stripped)).toMatchObject({ ok: false, broken: { id: 4 } });
  });
});

describe('the record chain', () => {
  it('has no records older than it to hide among: a record\'s hashes cannot be NULL', () => {
    const db = new Database(':memory:');
    migrate(db);
    for (const column of ['hash', 'prev_hash']) expect(() => db.prepare(`UPDATE events SET ${column} = NULL`).run()).not.toThrow();
    db.prepare(`INSERT INTO events (kind, action, time, device, platform, received_at, transport, prev_hash, hash) VALUES ('session', 'login', 1, 'd', 'linux', 1, 'udp', zeroblob(32), zeroblob(32))`).run();
    for (const column of ['hash', 'prev_hash']) expect(() => db.prepare(`UPDATE events SET ${column} = NULL`).run()).toThrow(/NOT NULL/);
  });
});
