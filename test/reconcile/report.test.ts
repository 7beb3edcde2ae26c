// The reconciliation rows auditors export: one per device and account, with the roster's view,
// the creation's attribution, the last login and the reviewer's decision on its finding.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acknowledge, listFindings } from '../../src/reconcile/lifecycle.js';
import { REPORT_COLUMNS, reconciliationRows } from '../../src/reconcile/report.js';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import { reconcile } from '../../src/reconcile/run.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { insertAccount, insertSnapshot, pullSucceeded } from '../../src/store/pull.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 22, 12, 0);
const roster = parseRosterYaml(
  `
accounts:
  - { name: jdoe, devices: ["*"], privilege: 15, type: human, owner: Jane Doe, department: NetEng, approval: ACC-1, approver: CISO }
  - { name: bg, devices: ["*"], privilege: 15, type: break-glass, owner: Head of Networks, approval: ACC-2 }
`,
  'roster.yaml',
);
const devices = [{ name: 'core-sw1', platform: 'cisco-ios', groups: ['core'] }];

let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
  const snap = insertSnapshot(db, { device: 'core-sw1', platform: 'cisco-ios', taken_at: NOW - 100 * DAY, hash: 'h', config: 'hostname core-sw1\nend\n', bytes: 20 });
  for (const [name, privilege] of [['jdoe', '15'], ['root', '15']] as const) {
    insertAccount(db, { device: 'core-sw1', name, privilege, roles: '[]', credentials: '["secret"]', lines: '[]', at: NOW - 100 * DAY, snapshotId: snap });
  }
  pullSucceeded(db, 'core-sw1', NOW - DAY, snap);
  db.prepare('INSERT INTO device_activity (device, source, first_seen, last_seen) VALUES (?, ?, ?, ?)').run('core-sw1', '192.0.2.11', NOW - 200 * DAY, NOW - 60_000);
  db.prepare(`INSERT INTO events (kind, action, time, device, platform, actor, actor_address, path, received_at, transport, prev_hash, hash) VALUES ('session', 'login', ?, 'core-sw1', 'cisco-ios', 'jdoe', '10.1.2.3', 'cli', ?, 'tcp', x'00', x'00')`).run(NOW - 3 * DAY, NOW - 3 * DAY);
});
afterEach(() => db.close());

describe('reconciliation rows', () => {
  it('every account, and the must-exist account that is missing, with roster, login and finding columns', () => {
    reconcile(db, { roster, devices, dormantDays: 90, silentHours: 24, requiredChecks: [], collectorAddresses: [], skewMs: 300_000, now: NOW });
    const root = listFindings(db, { kind: 'unauthorised-account' })[0]!;
    acknowledge(db, root.id, { by: 'auditor1', reason: 'asked the team', at: NOW + 1000 });
    const rows = reconciliationRows(db, { roster, devices, dormantDays: 90, now: NOW });
    expect(rows.map((r) => [r.device, r.account, r.rosterMatch])).toEqual([
      ['core-sw1', 'bg', 'missing'],
      ['core-sw1', 'jdoe', 'authorised'],
      ['core-sw1', 'root', 'not on roster'],
    ]);
    expect(rows[1]).toMatchObject({
      type: 'human', privilege: 'privilege 15', allowed: 'privilege 15', owner: 'Jane Doe', department: 'NetEng', approvalRef: 'ACC-1', approver: 'CISO',
      rosterRef: 'roster.yaml:3', firstSeen: '2026-08-14T12:00:00Z', lastLogin: '2026-11-19T12:00:00Z', daysInactive: 3, findingKind: null, status: null,
    });
    expect(rows[2]).toMatchObject({
      type: null, privilege: 'privilege 15', findingKind: 'unauthorised-account; dormant-account', findingId: root.id, severity: 'high', status: 'acknowledged',
      reviewer: 'auditor1', decision: 'acknowledged', decidedAt: '2026-11-22T12:00:01Z', daysInactive: 100,
    });
    // root never logged in over 100 days of records: dormant as well; both findings listed, the worse first.
    expect(rows[2]!.findings.map((f) => f.kind)).toEqual(['unauthorised-account', 'dormant-account']);
    expect(rows[0]).toMatchObject({ type: 'break-glass', privilege: '', allowed: '15', findingKind: 'missing-account', status: 'open' });
  });

  it('the columns issue 6 asks for, in order', () => {
    const titles = REPORT_COLUMNS.map(([t]) => t);
    const asked = ['device', 'account', 'type', 'privilege', 'roster match', 'owner', 'approval reference', 'created at', 'created by', 'path', 'last login', 'days inactive', 'finding kind', 'status', 'reviewer', 'decision', 'decided at'];
    expect(titles.filter((t) => asked.includes(t))).toEqual(asked);
  });
});
