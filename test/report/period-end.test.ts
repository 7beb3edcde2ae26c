// A review of a period that ended before the latest decisions: its findings stand as they stood at
// the period's end — status, severity, acceptance end — beside the decisions taken up to then, in the
// export (buildDocument: CSV, JSON, PDF, pack) and on the Accounts page (populationPage) alike. Before,
// a finding acknowledged after the period's end showed "acknowledged" with no decision and no
// reviewer, and one resolved after it was listed resolved although it was open at the period's end.

import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { raiseFinding } from '../../src/reconcile/findings.js';
import { accept, acknowledge, reopenExpired, resolve } from '../../src/reconcile/lifecycle.js';
import { populationPage, type RowFinding } from '../../src/reconcile/population.js';
import { buildDocument, populationContext } from '../../src/report/document.js';
import { openDatabase } from '../../src/store/db.js';
import { insertAccount, insertSnapshot, pullSucceeded } from '../../src/store/pull.js';
import { tempDir } from '../support/temp.js';

const HOUR = 3_600_000;
const T0 = Date.now() - 10 * HOUR;
const UNTIL = T0 + 30 * 24 * HOUR;
const db = openDatabase(join(tempDir('aaawatch-period-end-'), 'a.db'));
afterAll(() => db.close());

// bob on sw1, pulled at T0; an unauthorised-account finding on him, and a pull-failed one on the device.
const snapshot = insertSnapshot(db, { device: 'sw1', platform: 'cisco-ios', taken_at: T0, hash: 'a'.repeat(64), config: 'username bob privilege 15', bytes: 25 });
insertAccount(db, { device: 'sw1', name: 'bob', privilege: '15', roles: '[]', credentials: '[]', lines: '["username bob privilege 15"]', at: T0, snapshotId: snapshot });
pullSucceeded(db, 'sw1', T0, snapshot);
const bob = raiseFinding(db, { kind: 'unauthorised-account', severity: 'high', device: 'sw1', account: 'bob', summary: 'bob is not on the roster', evidence: {}, at: T0 }).id;
const pull = raiseFinding(db, { kind: 'pull-failed', severity: 'medium', device: 'sw1', summary: 'pulls fail', evidence: {}, at: T0 }).id;
acknowledge(db, bob, { by: 'alice', path: { kind: 'web', user: 'alice' }, reason: 'asking the owner', at: T0 + 1 * HOUR });
raiseFinding(db, { kind: 'unauthorised-account', severity: 'critical', device: 'sw1', account: 'bob', summary: 'bob is not on the roster; full rights', evidence: {}, at: T0 + 2 * HOUR });
accept(db, bob, { by: 'carol', path: { kind: 'web', user: 'carol' }, reason: 'vendor until the migration', until: UNTIL, ticket: 'RISK-7', at: T0 + 3 * HOUR });
resolve(db, pull, { by: 'dave', path: { kind: 'web', user: 'dave' }, reason: 'the ACL was fixed', at: T0 + 4 * HOUR });

const config = defaultConfig();
interface Standing {
  status: string;
  severity: string;
  acceptedUntil: number | null;
  decision: { by: string; to: string } | null;
}
const standing = (f: Pick<RowFinding, 'severity' | 'acceptedUntil' | 'decision'> & { status: string }): Standing => ({
  status: f.status, severity: f.severity, acceptedUntil: f.acceptedUntil, decision: f.decision ? { by: f.decision.by, to: f.decision.to } : null,
});

/** Each finding as the export and the Accounts page show it for a period ending at `to`. */
function asOf(to: number, from = T0 - HOUR): { exported: Map<number, Standing>; row: Standing[] } {
  const doc = buildDocument(db, config, undefined, { from, to, now: Date.now(), by: 'test' });
  const exported = new Map(doc.findings.map((f) => [f.id, standing(f)]));
  // The export's rows take the same findings as its findings list.
  expect(doc.rows.find((r) => r.account === 'bob')?.findings.map(standing) ?? []).toEqual(exported.has(bob) ? [exported.get(bob)] : []);
  const page = populationPage(db, populationContext(config, undefined, from, to), {}, undefined, 50);
  return { exported, row: page.rows.find((r) => r.account === 'bob')?.findings.map(standing) ?? [] };
}

describe('a review of a past period', () => {
  it('shows each finding as it stood at the period end, beside the decisions taken by then', () => {
    const open: Standing = { status: 'open', severity: 'high', acceptedUntil: null, decision: null };
    const before = asOf(T0 + 30 * 60_000);
    expect(before.exported.get(bob)).toEqual(open);
    expect(before.row).toEqual([open]);
    // The pull finding was open at the end of the period: it is listed, and not as resolved.
    expect(before.exported.get(pull)).toEqual({ status: 'open', severity: 'medium', acceptedUntil: null, decision: null });

    const acknowledged: Standing = { status: 'acknowledged', severity: 'high', acceptedUntil: null, decision: { by: 'alice', to: 'acknowledged' } };
    expect(asOf(T0 + 90 * 60_000).exported.get(bob)).toEqual(acknowledged);
    // Escalated to critical at T0 + 2 h, still acknowledged.
    expect(asOf(T0 + 150 * 60_000).row).toEqual([{ ...acknowledged, severity: 'critical' }]);

    const accepted: Standing = { status: 'accepted', severity: 'critical', acceptedUntil: UNTIL, decision: { by: 'carol', to: 'accepted' } };
    const later = asOf(T0 + 5 * HOUR);
    expect(later.exported.get(bob)).toEqual(accepted);
    expect(later.row).toEqual([accepted]);
    expect(later.exported.get(pull)).toEqual({ status: 'resolved', severity: 'medium', acceptedUntil: null, decision: { by: 'dave', to: 'resolved' } });
    // A period after the resolution does not list it; its own end is now, where the finding rows are read as they are.
    expect(asOf(Date.now(), T0 + 5 * HOUR).exported.has(pull)).toBe(false);
    expect(asOf(Date.now()).exported.get(bob)).toEqual(accepted);
  });

  it('shows an acceptance that ran out by the period end as open, before and after reconciliation writes the reopening', () => {
    // eve on sw1, accepted until T0 + 6 h: ended hours ago, and no reconciliation has run since (serve stopped, or its schedule not yet come).
    insertAccount(db, { device: 'sw1', name: 'eve', privilege: '1', roles: '[]', credentials: '[]', lines: '["username eve privilege 1"]', at: T0, snapshotId: snapshot });
    const eve = raiseFinding(db, { kind: 'unauthorised-account', severity: 'high', device: 'sw1', account: 'eve', summary: 'eve is not on the roster', evidence: {}, at: T0 }).id;
    accept(db, eve, { by: 'carol', path: { kind: 'web', user: 'carol' }, reason: 'vendor for the night', until: T0 + 6 * HOUR, ticket: 'RISK-8', at: T0 + 1 * HOUR });
    const of = (to: number): Standing | undefined => {
      const doc = buildDocument(db, config, undefined, { from: T0 - HOUR, to, now: Date.now(), by: 'test' });
      const f = doc.findings.find((x) => x.id === eve);
      const page = populationPage(db, populationContext(config, undefined, T0 - HOUR, to), {}, undefined, 50);
      const row = page.rows.find((r) => r.account === 'eve')?.findings.find((x) => x.id === eve);
      expect(row && standing(row)).toEqual(f && standing(f));
      return f && standing(f);
    };
    const decision = { by: 'carol', to: 'accepted' };
    expect(of(T0 + 5 * HOUR)).toEqual({ status: 'accepted', severity: 'high', acceptedUntil: T0 + 6 * HOUR, decision });
    // At its end and after it, open: the decision (and its end) stays in the decisions.
    expect(of(T0 + 6 * HOUR)).toEqual({ status: 'open', severity: 'high', acceptedUntil: null, decision });
    expect(of(Date.now())).toEqual({ status: 'open', severity: 'high', acceptedUntil: null, decision });
    // Reconciliation writes the reopening when it runs (now, hours late): a period ending between the end and that run is open too.
    expect(reopenExpired(db, Date.now())).toContain(eve);
    expect(of(T0 + 7 * HOUR)).toEqual({ status: 'open', severity: 'high', acceptedUntil: null, decision });
    expect(of(Date.now())).toEqual({ status: 'open', severity: 'high', acceptedUntil: null, decision });
  });
});
