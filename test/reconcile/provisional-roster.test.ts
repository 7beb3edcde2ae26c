// A roster finding on an account with full administration that a pull has just found (within
// reconcile.attributionSkewSeconds of the pull, while records that say who made it may still
// arrive) says it is provisional, and names when it is judged; once the skew has passed and the
// account's making is judged, it is critical where the severity model makes it so, and the history
// says when and why it was raised, both engines. Before, the auditor saw "high" with nothing saying
// so much was still unknown, and the same finding critical a run later.

import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import { ASA_FW, asaLine, asaOptions, asaPull, JDOE_ROSTER_YAML, SKEW } from '../support/asa-fw.js';
import { describeEngines } from '../support/engines.js';
import { postgresSide, sqliteSide, type Side } from '../support/reconcile-sides.js';
import { tempDir } from '../support/temp.js';

const { MIN, T0, P1, MADE } = SKEW;
const roster = parseRosterYaml(JDOE_ROSTER_YAML, join(tempDir(), 'roster.yaml'));
const added = (t: number, name: string): string => asaLine(t, 'ASA-5-502101', `New user added to local dbase: Uname: ${name} Priv: 15 Encpass: ***** Executed by: mallory`);

interface Seen {
  severity: string;
  summary: string;
  attribution: string | null;
}

describeEngines('a roster finding raised within the skew after a pull says it is provisional', (engine) => {
  let side: Side;
  let early: Seen;
  let late: Seen;
  let history: Array<{ severity: string; reason: string | null }>;

  beforeAll(async () => {
    const target = await engine.fresh();
    side = target.kind === 'sqlite' ? sqliteSide(target.path) : await postgresSide(target);
    await side.pulls.recordSuccess(asaPull(T0, ['jdoe']));
    await side.run(asaOptions(roster, T0 + 10 * MIN));
    // mallory (not an administrator, no change window) makes eve at privilege 15; the next pull finds her.
    await side.ingest([added(MADE, 'eve')], ASA_FW.address, 'a', MADE);
    await side.pulls.recordSuccess(asaPull(P1, ['jdoe', 'eve']));
    const finding = async (): Promise<Seen> => {
      const [f] = await side.rows(`SELECT severity, summary, attribution FROM findings WHERE kind = 'unauthorised-account' AND account = 'eve'`);
      return f as unknown as Seen;
    };
    // The pull's run, a minute after it: records may still arrive for four more.
    await side.run(asaOptions(roster, P1 + MIN));
    early = await finding();
    // The run after the skew.
    await side.run(asaOptions(roster, P1 + 10 * MIN));
    late = await finding();
    history = (await side.rows(
      `SELECT h.severity, h.reason FROM finding_history h JOIN findings f ON f.id = h.finding_id WHERE f.kind = 'unauthorised-account' AND f.account = 'eve' ORDER BY h.id`,
    )) as unknown as Array<{ severity: string; reason: string | null }>;
  });
  afterAll(() => side?.close());

  it('raised within the skew, it says it is provisional and when it is judged', () => {
    expect(early.severity).toBe('high');
    expect(early.summary).toContain('provisional until 2026-12-06T03:05:00Z');
  });

  it('once judged, it is critical, no longer provisional, and its history says it was raised', () => {
    expect(late.severity).toBe('critical');
    expect(late.summary).not.toContain('provisional');
    expect(late.summary).toContain('by someone not on the authorised administrators list');
    expect(late.attribution).toContain('mallory');
    expect(history).toEqual([
      { severity: 'high', reason: null },
      { severity: 'critical', reason: expect.stringMatching(/^severity raised from high to critical/) },
    ]);
  });
});
