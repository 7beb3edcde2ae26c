// A reconciliation over a store filled as pulls and ingest leave it: what a late record does to
// an unlogged change, how pull findings and findings of devices that left the inventory resolve,
// and what is left alone when there is no roster to judge by.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { raiseFinding } from '../../src/reconcile/findings.js';
import { findingHistory, listFindings } from '../../src/reconcile/lifecycle.js';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import { reconcile, type ReconcileOptions } from '../../src/reconcile/run.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { IndexMover } from '../../src/store/index-moves.js';
import { insertAccount, insertAccountChange, insertRun, insertSnapshot, pullSucceeded } from '../../src/store/pull.js';

const MIN = 60_000;
const T = Date.UTC(2026, 10, 20, 9, 0);
const roster = parseRosterYaml('accounts:\n  - { name: jdoe, devices: ["*"], privilege: 15, type: human }\n', 'roster.yaml');
const devices = [{ name: 'core-sw1', platform: 'cisco-ios', groups: [] }];

let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

const options = (over: Partial<ReconcileOptions> = {}): ReconcileOptions => ({
  roster, devices, dormantDays: 90, silentHours: 24 * 365, requiredChecks: [], collectorAddresses: [], skewMs: 5 * MIN, now: T + 2 * 60 * MIN, ...over,
});

/** Two pulls of core-sw1, the second showing `ghost` added. */
function twoPulls(): void {
  const s1 = insertSnapshot(db, { device: 'core-sw1', platform: 'cisco-ios', taken_at: T, hash: 'a', config: 'hostname core-sw1\nend\n', bytes: 20 });
  insertRun(db, { device: 'core-sw1', started_at: T - 1000, finished_at: T, attempts: 1, outcome: 'changed', failure: null, error: null, snapshot_id: s1, read_at: null });
  insertAccount(db, { device: 'core-sw1', name: 'jdoe', privilege: '15', roles: '[]', credentials: '["secret"]', lines: '[]', at: T, snapshotId: s1 });
  const at = T + 60 * MIN;
  const s2 = insertSnapshot(db, { device: 'core-sw1', platform: 'cisco-ios', taken_at: at, hash: 'b', config: 'hostname core-sw1\nend\n', bytes: 20 });
  insertRun(db, { device: 'core-sw1', started_at: at - 1000, finished_at: at, attempts: 1, outcome: 'changed', failure: null, error: null, snapshot_id: s2, read_at: null });
  const id = insertAccount(db, { device: 'core-sw1', name: 'ghost', privilege: '15', roles: '[]', credentials: '["secret"]', lines: '[]', at, snapshotId: s2 });
  insertAccountChange(db, { account_id: id, device: 'core-sw1', name: 'ghost', change: 'added', at, before: null, after: '{"privilege":"15","roles":[],"credentials":["secret"]}', from_snapshot_id: s1, to_snapshot_id: s2 });
  pullSucceeded(db, 'core-sw1', at, s2);
  db.prepare('INSERT INTO device_activity (device, source, first_seen, last_seen) VALUES (?, ?, ?, ?)').run('core-sw1', '192.0.2.11', T, at);
}

function accountRecord(time: number, actor: string, target: string): void {
  db.prepare(
    `INSERT INTO events (kind, action, time, device, platform, actor, target, privilege, path, command, received_at, transport, prev_hash, hash)
     VALUES ('account', 'account.create', ?, 'core-sw1', 'cisco-ios', ?, ?, '15', 'cli', ?, ?, 'tcp', x'00', x'00')`,
  ).run(time, actor, target, `username ${target} privilege 15 secret *`, time);
  // Into the index tables, as the store thread moves what it stored (src/store/index-moves.ts).
  new IndexMover(db).moveAll();
}

describe('unlogged changes', () => {
  it('a record that arrives after the change was judged explains it, and the finding resolves with it', () => {
    twoPulls();
    expect(reconcile(db, options()).unlogged).toBe(1);
    const [f] = listFindings(db, { kind: 'unlogged-change' });
    // Privilege 15 appeared with no record of who granted it.
    expect(f!.severity).toBe('critical');
    // A relay held the line back; it arrives now, stamped inside the window.
    accountRecord(T + 30 * MIN, 'jdoe', 'ghost');
    const o = reconcile(db, options({ now: T + 3 * 60 * MIN }));
    expect(o.conditions.resolved).toBeGreaterThanOrEqual(1);
    const resolved = listFindings(db, { kind: 'unlogged-change', status: 'resolved' })[0]!;
    expect(resolved.evidence.resolution).toMatchObject({
      reason: 'a record that arrived later explains it: ghost (privilege 15) on core-sw1 created 2026-11-20 09:30 UTC by jdoe over CLI, recorded by device log, outside any change window',
    });
    // The account's unauthorised-account finding now carries who made it.
    expect(listFindings(db, { kind: 'unauthorised-account' })[0]!.attribution).toContain('by jdoe');
  });

  it('not judged until the skew has passed', () => {
    twoPulls();
    expect(reconcile(db, options({ now: T + 62 * MIN })).changesJudged).toBe(0);
    expect(reconcile(db, options({ now: T + 66 * MIN })).changesJudged).toBe(1);
  });
});

describe('what resolves by itself, and what is left alone', () => {
  it('pull-failed once a pull succeeds; host-key-changed once the key was accepted', () => {
    twoPulls();
    raiseFinding(db, { kind: 'pull-failed', severity: 'medium', device: 'core-sw1', summary: '3 pulls failed', evidence: { runs: [1] }, at: T });
    raiseFinding(db, { kind: 'host-key-changed', severity: 'high', device: 'core-sw1', summary: 'key changed', evidence: {}, at: T });
    db.prepare(`INSERT INTO host_key_changes (device, key_type, key, fingerprint, first_seen, last_seen) VALUES ('core-sw1', 'ssh-ed25519', x'00', 'SHA256:new', ?, ?)`).run(T, T);
    expect(reconcile(db, options()).pullFindingsResolved).toBe(1);
    expect(listFindings(db, { kind: 'pull-failed', status: 'resolved' })[0]!.evidence.resolution).toMatchObject({ reason: 'the pull at 2026-11-20 10:00 UTC succeeded' });
    db.prepare('DELETE FROM host_key_changes').run();
    db.prepare(`INSERT INTO host_keys (device, key_type, key, fingerprint, source, pinned_at, pinned_by, last_seen) VALUES ('core-sw1', 'ssh-ed25519', x'00', 'SHA256:new', 'accepted', ?, 'netlead', ?)`).run(T + 90 * MIN, T + 90 * MIN);
    expect(reconcile(db, options()).pullFindingsResolved).toBe(1);
    expect(listFindings(db, { kind: 'host-key-changed', status: 'resolved' })[0]!.evidence.resolution).toMatchObject({ reason: 'key SHA256:new accepted by netlead at 2026-11-20 10:30 UTC' });
  });

  it('without a roster, roster findings stay as they are; a device that left the inventory has its findings resolved', () => {
    twoPulls();
    reconcile(db, options());
    const ghost = listFindings(db, { kind: 'unauthorised-account' })[0]!;
    reconcile(db, options({ roster: undefined }));
    expect(listFindings(db, { kind: 'unauthorised-account' })[0]!.status).toBe('open');
    reconcile(db, options({ devices: [] }));
    expect(findingHistory(db, ghost.id).at(-1)).toMatchObject({ by: 'aaawatch', to: 'resolved', reason: 'core-sw1 is no longer in the inventory' });
  });
});
