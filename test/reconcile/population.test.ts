// The population auditors sample from: one row per device and account present at any time in the
// period — pulled, seen only in syslog (a Linux host nobody pulls, a UID 0 useradd), removed during
// the period, or a must-exist account that is missing — with roster standing, creation, last
// login, findings and the decisions on them; keyset pages and filters that never lose a row.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acknowledge, listFindings } from '../../src/reconcile/lifecycle.js';
import { population, populationPage, type PopulationContext } from '../../src/reconcile/population.js';
import { RosterIndex } from '../../src/reconcile/evaluate.js';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import { reconcile } from '../../src/reconcile/run.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { insertAccount, insertRun, insertSnapshot, pullFailed, pullSucceeded, removeAccount } from '../../src/store/pull.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 22, 12, 0);
const roster = parseRosterYaml(
  `
administrators: [jdoe]
accounts:
  - { name: jdoe, devices: ["*"], privilege: 15, type: human, owner: Jane Doe, department: NetEng, approval: ACC-1, approver: CISO, expires: 2027-06-30 }
  - { name: bg, devices: ["*"], privilege: 15, type: break-glass, owner: Head of Networks, approval: ACC-2 }
`,
  'roster.yaml',
);
const devices = [{ name: 'core-sw1', platform: 'cisco-ios', groups: ['core'] }];

let db: Db;
let seq = 0;
function record(r: { kind?: string; action: string; time: number; device: string; platform: string; actor?: string; actorAddress?: string; target?: string; privilege?: string; grp?: string; path?: string }): number {
  return Number(
    db
      .prepare(
        `INSERT INTO events (kind, action, time, device, platform, actor, actor_address, target, privilege, grp, path, raw, received_at, transport, source, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'udp', '192.0.2.50', x'00', x'00')`,
      )
      .run(r.kind ?? 'account', r.action, r.time, r.device, r.platform, r.actor ?? null, r.actorAddress ?? null, r.target ?? null, r.privilege ?? null, r.grp ?? null, r.path ?? null, `line ${seq++}`, r.time)
      .lastInsertRowid,
  );
}

const ctx = (from = NOW - 90 * DAY, to = NOW): PopulationContext => ({ roster: new RosterIndex(roster), inventory: new Map(devices.map((d) => [d.name, d])), dormantDays: 90, from, to });

beforeEach(() => {
  db = openDatabase(':memory:');
  const snap = insertSnapshot(db, { device: 'core-sw1', platform: 'cisco-ios', taken_at: NOW - 100 * DAY, hash: 'h', config: 'hostname core-sw1\nend\n', bytes: 20 });
  for (const [name, privilege] of [['jdoe', '15'], ['root', '15'], ['old', '1'], ['gone', '1']] as const) {
    insertAccount(db, { device: 'core-sw1', name, privilege, roles: '[]', credentials: '["secret"]', lines: '[]', at: NOW - 100 * DAY, snapshotId: snap });
  }
  const later = insertSnapshot(db, { device: 'core-sw1', platform: 'cisco-ios', taken_at: NOW - 10 * DAY, hash: 'h2', config: 'hostname core-sw1\n!\nend\n', bytes: 22 });
  const id = (name: string): number => (db.prepare('SELECT id FROM accounts WHERE name = ?').get(name) as { id: number }).id;
  // `old` went before the period, `gone` within it.
  removeAccount(db, id('old'), NOW - 95 * DAY, later);
  removeAccount(db, id('gone'), NOW - 10 * DAY, later);
  pullSucceeded(db, 'core-sw1', NOW - DAY, later);
  db.prepare('INSERT INTO device_activity (device, source, first_seen, last_seen) VALUES (?, ?, ?, ?)').run('core-sw1', '192.0.2.11', NOW - 200 * DAY, NOW - 60_000);
  record({ kind: 'session', action: 'login', time: NOW - 3 * DAY, device: 'core-sw1', platform: 'cisco-ios', actor: 'jdoe', actorAddress: '10.1.2.3', path: 'cli' });
  // A Linux host nobody pulls: a second root made with useradd -o -u 0 by mallory, who logged in from 10.66.6.6.
  record({ kind: 'session', action: 'login', time: NOW - 5 * DAY - 60_000, device: 'web1', platform: 'linux', actor: 'mallory', actorAddress: '10.66.6.6', path: 'os' });
  record({ action: 'account.create', time: NOW - 5 * DAY, device: 'web1', platform: 'linux', actor: 'mallory', target: 'toor', privilege: 'uid=0', path: 'os' });
  // An account made and deleted within the period, and one deleted before it.
  record({ action: 'account.create', time: NOW - 30 * DAY, device: 'web1', platform: 'linux', actor: 'root', target: 'temp', path: 'os' });
  record({ action: 'account.delete', time: NOW - 20 * DAY, device: 'web1', platform: 'linux', actor: 'root', target: 'temp', path: 'os' });
  record({ action: 'account.create', time: NOW - 300 * DAY, device: 'web1', platform: 'linux', actor: 'root', target: 'ancient', path: 'os' });
  record({ action: 'account.delete', time: NOW - 200 * DAY, device: 'web1', platform: 'linux', actor: 'root', target: 'ancient', path: 'os' });
  // Groups are not accounts.
  record({ action: 'group.create', time: NOW - DAY, device: 'web1', platform: 'linux', target: 'web', grp: 'web', path: 'os' });
});
afterEach(() => db.close());

describe('the population', () => {
  it('holds pulled, syslog-only, removed and missing accounts, and leaves out what ended before the period', () => {
    const rows = [...population(db, ctx())];
    expect(rows.map((r) => [r.device, r.account, r.source, r.state])).toEqual([
      ['core-sw1', 'bg', 'roster', 'missing'],
      ['core-sw1', 'gone', 'pulled', 'removed'],
      ['core-sw1', 'jdoe', 'pulled', 'present'],
      ['core-sw1', 'root', 'pulled', 'present'],
      ['web1', 'temp', 'syslog', 'removed'],
      ['web1', 'toor', 'syslog', 'present'],
    ]);
    const jdoe = rows.find((r) => r.account === 'jdoe')!;
    expect(jdoe).toMatchObject({
      inInventory: true, platform: 'cisco-ios', privilege: 'privilege 15', superuser: true, rosterMatch: 'authorised', allowed: 'privilege 15', type: 'human',
      owner: 'Jane Doe', approvalRef: 'ACC-1', approver: 'CISO', rosterRef: 'roster.yaml:4', expires: Date.UTC(2027, 5, 30, 23, 59, 59, 999),
      lastLogin: NOW - 3 * DAY, daysInactive: 3,
    });
    expect(rows.find((r) => r.account === 'gone')).toMatchObject({ removedAt: NOW - 10 * DAY, rosterMatch: 'not on roster' });
    expect(rows.find((r) => r.account === 'bg')).toMatchObject({ rosterMatch: 'missing', type: 'break-glass', allowed: 'privilege 15', privilege: '' });
  });

  it('names who made a syslog-only account, from where (the session) and by which path; UID 0 is a superuser', () => {
    const toor = [...population(db, ctx(), { account: 'toor' })][0]!;
    expect(toor).toMatchObject({
      inInventory: false, platform: 'linux', privilege: 'privilege uid=0', superuser: true, rosterMatch: 'not on roster',
      createdAt: NOW - 5 * DAY, createdBy: 'mallory', createdFrom: '10.66.6.6', createdPath: 'os', firstSeen: NOW - 5 * DAY,
    });
    expect(toor.records).toHaveLength(1);
    const temp = [...population(db, ctx(), { account: 'temp' })][0]!;
    expect(temp).toMatchObject({ state: 'removed', removedAt: NOW - 20 * DAY, removedBy: 'root', createdBy: 'root' });
  });

  it('an account made again after its deletion holds nothing from before: a UID 0 account deleted and made again without it is no superuser', () => {
    // `useradd -o -u 0 again`, `userdel again`, `useradd again` (UID 1010): the row showed `privilege uid=0`, a superuser.
    const linux = { device: 'web1', platform: 'linux', actor: 'mallory', target: 'again', path: 'os' };
    record({ ...linux, action: 'account.create', time: NOW - 4 * DAY, privilege: 'uid=0' });
    record({ ...linux, action: 'account.delete', time: NOW - 4 * DAY + 60_000 });
    record({ ...linux, action: 'account.create', time: NOW - 4 * DAY + 120_000 });
    expect([...population(db, ctx(), { account: 'again' })][0]).toMatchObject({ state: 'present', privilege: '', superuser: false });
    // Removed, before it was made again, it is shown with what it held.
    expect([...population(db, ctx(NOW - 90 * DAY, NOW - 4 * DAY + 90_000), { account: 'again' })][0]).toMatchObject({ state: 'removed', privilege: 'privilege uid=0', superuser: true });
    // Given it again after it was made again, it holds it.
    record({ ...linux, action: 'privilege.change', time: NOW - 4 * DAY + 180_000, privilege: 'uid=0' });
    expect([...population(db, ctx(), { account: 'again' })][0]).toMatchObject({ privilege: 'privilege uid=0', superuser: true });
  });

  it('a removed row shows the groups it held when deleted; made again, it holds none of them', () => {
    // `usermod -aG sudo gina`, `userdel gina`: the removed row read 'superuser no' (a deletion cleared its groups, not its privilege).
    const linux = { device: 'web1', platform: 'linux', actor: 'mallory', target: 'gina', path: 'os' };
    const sudo = record({ ...linux, action: 'group.add_member', time: NOW - 3 * DAY, grp: 'sudo' });
    record({ ...linux, action: 'account.delete', time: NOW - 3 * DAY + 60_000 });
    const removed = [...population(db, ctx(), { account: 'gina' })][0]!;
    expect(removed).toMatchObject({ state: 'removed', superuser: true });
    expect(removed.privilege).toContain('sudo');
    expect(removed.records).toContain(sudo);
    // Made again, it is no member of sudo.
    record({ ...linux, action: 'account.create', time: NOW - 3 * DAY + 120_000 });
    expect([...population(db, ctx(), { account: 'gina' })][0]).toMatchObject({ state: 'present', privilege: '', superuser: false });
  });

  it('cites the records that gave what a row holds, with no finding citing them (an imported history)', () => {
    // `usermod -o -u 0 bob`, `usermod -aG sudo carol` then `usermod -aG docker carol`: no record made them, no finding was raised.
    const linux = { device: 'web1', platform: 'linux', path: 'os' };
    const uid0 = record({ ...linux, action: 'privilege.change', time: NOW - 3 * DAY, target: 'bob', privilege: 'uid=0' });
    const sudo = record({ ...linux, action: 'group.add_member', time: NOW - 3 * DAY, target: 'carol', grp: 'sudo' });
    const docker = record({ ...linux, action: 'group.add_member', time: NOW - 3 * DAY + 1, target: 'carol', grp: 'docker' });
    const bob = [...population(db, ctx(), { account: 'bob' })][0]!;
    expect(bob).toMatchObject({ privilege: 'privilege uid=0', superuser: true, findings: [] });
    expect(bob.records).toEqual([uid0]);
    const carol = [...population(db, ctx(), { account: 'carol' })][0]!;
    expect(carol).toMatchObject({ superuser: true, findings: [] });
    expect(carol.records).toEqual([sudo, docker]);
  });

  it('is as of the period: before the deletion, temp is present; before its creation, toor is not there', () => {
    const early = [...population(db, ctx(NOW - 60 * DAY, NOW - 25 * DAY))];
    expect(early.find((r) => r.account === 'temp')).toMatchObject({ state: 'present' });
    expect(early.find((r) => r.account === 'toor')).toBeUndefined();
    expect(early.find((r) => r.account === 'gone')).toMatchObject({ state: 'present' });
  });

  it('shows a pulled account removed by a record since the last pull that showed it, before the next pull (or while pulls fail)', () => {
    // The last pull showed root and jdoe; mallory deleted root after it. jdoe's deletion came before that pull, which still showed it: re-made.
    db.prepare(`UPDATE accounts SET last_seen = ? WHERE name IN ('root', 'jdoe')`).run(NOW - DAY);
    const gone = record({ action: 'account.delete', time: NOW - 2 * 3_600_000, device: 'core-sw1', platform: 'cisco-ios', actor: 'mallory', target: 'root', path: 'cli' });
    record({ action: 'account.delete', time: NOW - 2 * DAY, device: 'core-sw1', platform: 'cisco-ios', actor: 'mallory', target: 'jdoe', path: 'cli' });
    const rows = [...population(db, ctx())];
    expect(rows.find((r) => r.account === 'root')).toMatchObject({ source: 'pulled', state: 'removed', removedAt: NOW - 2 * 3_600_000, removedBy: 'mallory' });
    expect(rows.find((r) => r.account === 'root')!.records).toContain(gone);
    expect(rows.find((r) => r.account === 'jdoe')).toMatchObject({ source: 'pulled', state: 'present', removedAt: null });
    expect([...population(db, ctx(), { state: 'removed' })].map((r) => r.account)).toEqual(['gone', 'root', 'temp']);
    // As of a period ending before the deletion, root is present.
    expect([...population(db, ctx(NOW - 30 * DAY, NOW - 3 * 3_600_000))].find((r) => r.account === 'root')).toMatchObject({ state: 'present', removedAt: null });
  });

  it('shows a syslog-made account that a later successful pull lacks as removed at that pull, citing its record and the snapshot; logged or not', () => {
    // carol made on core-sw1 (inventory, IOS) three days ago; the pull of NOW - DAY (pull_state, fixture) and a run of NOW - 2 days lack her.
    const made = record({ action: 'account.create', time: NOW - 3 * DAY, device: 'core-sw1', platform: 'cisco-ios', actor: 'mallory', target: 'carol', privilege: '15', path: 'cli' });
    const snap = (db.prepare('SELECT snapshot_id FROM pull_state WHERE device = ?').get('core-sw1') as { snapshot_id: number }).snapshot_id;
    insertRun(db, { device: 'core-sw1', started_at: NOW - 2 * DAY - 60_000, finished_at: NOW - 2 * DAY, attempts: 1, outcome: 'unchanged', failure: null, error: null, snapshot_id: snap, read_at: null });
    insertRun(db, { device: 'core-sw1', started_at: NOW - 2 * DAY + 1000, finished_at: NOW - 2 * DAY + 2000, attempts: 1, outcome: 'failed', failure: 'auth', error: 'x', snapshot_id: null, read_at: null });
    const carol = [...population(db, ctx())].find((r) => r.account === 'carol')!;
    expect(carol).toMatchObject({ source: 'syslog', state: 'removed', removedAt: NOW - 2 * DAY, removedBy: null, createdBy: 'mallory' });
    expect(carol.removal).toMatch(/^not found at the pull of 2026-11-20T12:00:00Z \(snapshot \d+\); no record logs its removal$/);
    expect(carol.records).toContain(made);
    expect(carol.snapshots).toEqual([snap]);
    expect([...population(db, ctx(), { state: 'present' })].map((r) => r.account)).not.toContain('carol');
    // As of a period ending before that pull (and the pull state's), she is present.
    expect([...population(db, ctx(NOW - 30 * DAY, NOW - 2 * DAY - 1))].find((r) => r.account === 'carol')).toMatchObject({ state: 'present', removedAt: null, removal: null });
    // A period starting after the pull that lacked her: she is not in it.
    expect([...population(db, ctx(NOW - DAY / 2, NOW))].find((r) => r.account === 'carol')).toBeUndefined();
    // Logged: `no username carol` before the pull makes the record her removal.
    const logged = record({ action: 'account.delete', time: NOW - 2 * DAY - 3_600_000, device: 'core-sw1', platform: 'cisco-ios', actor: 'jdoe', target: 'carol', path: 'cli' });
    const after = [...population(db, ctx())].find((r) => r.account === 'carol')!;
    expect(after).toMatchObject({ state: 'removed', removedAt: NOW - 2 * DAY - 3_600_000, removedBy: 'jdoe', removal: null });
    expect(after.records).toContain(logged);
  });

  it('keeps a syslog-made account present when no successful pull came after its record beyond the skew', () => {
    // After the last pull; within the skew before it (the pull may not show it yet); on a device whose pulls never succeeded.
    record({ action: 'account.create', time: NOW - 3_600_000, device: 'core-sw1', platform: 'cisco-ios', actor: 'jdoe', target: 'after', privilege: '15', path: 'cli' });
    record({ action: 'account.create', time: NOW - DAY - 60_000, device: 'core-sw1', platform: 'cisco-ios', actor: 'jdoe', target: 'skewed', privilege: '15', path: 'cli' });
    pullFailed(db, 'edge1', NOW - DAY, 'timeout');
    insertRun(db, { device: 'edge1', started_at: NOW - DAY, finished_at: NOW - DAY, attempts: 1, outcome: 'failed', failure: 'timeout', error: 'x', snapshot_id: null, read_at: null });
    record({ action: 'account.create', time: NOW - 3 * DAY, device: 'edge1', platform: 'cisco-ios', actor: 'jdoe', target: 'carol', privilege: '15', path: 'cli' });
    const rows = [...population(db, ctx())];
    for (const [device, account] of [['core-sw1', 'after'], ['core-sw1', 'skewed'], ['edge1', 'carol']]) {
      expect(rows.find((r) => r.device === device && r.account === account)).toMatchObject({ source: 'syslog', state: 'present', removedAt: null, removal: null });
    }
    // With no skew, the pull a minute after `skewed` lacks it.
    expect([...population(db, { ...ctx(), skewMs: 0 })].find((r) => r.account === 'skewed')).toMatchObject({ state: 'removed', removedAt: NOW - DAY });
  });

  it('holds what a pulled account holds now: the pull, changed by the records since it (not by those before)', () => {
    db.prepare(`UPDATE accounts SET last_seen = ? WHERE name IN ('root', 'jdoe')`).run(NOW - DAY);
    // Before the last pull (which still showed privilege 15): already in the pull. After it: root given 7, jdoe's 15 taken away.
    record({ action: 'account.modify', time: NOW - 2 * DAY, device: 'core-sw1', platform: 'cisco-ios', actor: 'mallory', target: 'root', privilege: '1', path: 'cli' });
    record({ action: 'account.modify', time: NOW - 3_600_000, device: 'core-sw1', platform: 'cisco-ios', actor: 'mallory', target: 'root', privilege: '7', path: 'cli' });
    record({ action: 'privilege.revoke', time: NOW - 3_600_000, device: 'core-sw1', platform: 'cisco-ios', actor: 'mallory', target: 'jdoe', privilege: '15', path: 'cli' });
    const rows = [...population(db, ctx())];
    expect(rows.find((r) => r.account === 'root')).toMatchObject({ source: 'pulled', privilege: 'privilege 7', superuser: false });
    expect(rows.find((r) => r.account === 'jdoe')).toMatchObject({ source: 'pulled', superuser: false, revokedBy: 'mallory' });
    // As of before those records: the pull's.
    expect([...population(db, ctx(NOW - 30 * DAY, NOW - 2 * 3_600_000))].find((r) => r.account === 'root')).toMatchObject({ privilege: 'privilege 15', superuser: true });
  });

  it('carries every finding of a row with the decision, reason and ticket taken on it', () => {
    reconcile(db, { roster, devices, dormantDays: 90, silentHours: 24, requiredChecks: [], collectorAddresses: [], skewMs: 300_000, now: NOW });
    const root = listFindings(db, { kind: 'unauthorised-account' }).find((f) => f.account === 'root')!;
    acknowledge(db, root.id, { by: 'auditor1', path: { kind: 'web', user: 'auditor1' }, reason: 'asked the team', ticket: 'CHG-77', at: NOW - 1000 });
    const row = [...population(db, ctx(), { account: 'root' })][0]!;
    expect(row.findings.map((f) => f.kind)).toEqual(['unauthorised-account', 'dormant-account']);
    expect(row.findings[0]).toMatchObject({ severity: 'high', status: 'acknowledged', decision: { by: 'auditor1', to: 'acknowledged', reason: 'asked the team', ticket: 'CHG-77', at: NOW - 1000 } });
    expect([...population(db, ctx(), { findings: 'open' })].map((r) => r.account)).toEqual(['bg', 'root']);
    expect([...population(db, ctx(), { findings: 'none' })].map((r) => r.account)).toEqual(['gone', 'jdoe', 'temp', 'toor']);
  });

  it('pages through every row in order, whatever the page size, and filters within a page budget', () => {
    const all = [...population(db, ctx())].map((r) => `${r.device}/${r.account}`);
    for (const size of [1, 2, 4]) {
      const seen: string[] = [];
      let after;
      for (let guard = 0; guard < 20; guard++) {
        const page = populationPage(db, ctx(), {}, after, size);
        seen.push(...page.rows.map((r) => `${r.device}/${r.account}`));
        if (!page.next) break;
        after = page.next;
      }
      expect(seen).toEqual(all);
    }
    expect(populationPage(db, ctx(), { roster: 'not on roster' }, undefined, 10).rows.map((r) => r.account)).toEqual(['gone', 'root', 'temp', 'toor']);
    expect(populationPage(db, ctx(), { source: 'syslog' }, undefined, 10).rows.map((r) => r.account)).toEqual(['temp', 'toor']);
    // A budget of two candidates: the page stops early, says so, and the next one goes on from there.
    const first = populationPage(db, ctx(), { source: 'syslog' }, undefined, 10, 2);
    expect(first).toMatchObject({ rows: [], budgetSpent: true, next: { device: 'core-sw1', account: 'gone' } });
    expect(populationPage(db, ctx(), { device: 'web1' }, undefined, 10).rows.map((r) => r.account)).toEqual(['temp', 'toor']);
  });
});
