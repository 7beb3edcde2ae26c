// The Accounts row of a device whose clock is off by more than reconcile.attributionSkewSeconds
// places its records against pulls as reconciliation does (held.ts placedAt, judgedAfter): by the
// receipt where stamp and receipt disagree by more than the skew. A syslog-made account a later
// pull lacks is removed at the pull that raised its unlogged-change: placed by the stamp, a clock
// 3 h behind made the row say removed at a pull made before the record was received, and one 3 h
// ahead left it present though the finding was raised. Both engines (PostgreSQL's page copies the pull
// runs the row may pick: pg-rows.ts). The period is by the records' stamps: it ends after the
// clock ahead's.

import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import type { PopulationRow } from '../../src/reconcile/population.js';
import { ASA_FW, asaLine, asaOptions, asaPull, JDOE_ROSTER_YAML, SKEW } from '../support/asa-fw.js';
import { describeEngines } from '../support/engines.js';
import { postgresSide, sqliteSide, type Side } from '../support/reconcile-sides.js';
import { tempDir } from '../support/temp.js';

const { MIN, HOUR, T0, P1, MADE } = SKEW;
const roster = parseRosterYaml(JDOE_ROSTER_YAML, join(tempDir(), 'roster.yaml'));
const added = (t: number, name: string): string => asaLine(t, 'ASA-5-502101', `New user added to local dbase: Uname: ${name} Priv: 15 Encpass: ***** Executed by: mallory`);

describeEngines('the Accounts row of a skewed device clock places records as reconciliation does', (engine) => {
  let side: Side;
  let rows: Map<string, PopulationRow>;
  let unlogged: string[];

  beforeAll(async () => {
    const target = await engine.fresh();
    side = target.kind === 'sqlite' ? sqliteSide(target.path) : await postgresSide(target);
    await side.pulls.recordSuccess(asaPull(T0, ['jdoe']));
    await side.run(asaOptions(roster, T0 + MIN));
    // Received at MADE, stamped by a clock 3 h behind and one 3 h ahead.
    await side.ingest([added(MADE - 3 * HOUR, 'behind'), added(MADE + 3 * HOUR, 'ahead')], ASA_FW.address, 'a', MADE);
    await side.pulls.recordSuccess(asaPull(P1, ['jdoe', 'kept']));
    await side.run(asaOptions(roster, P1 + 10 * MIN));
    unlogged = (await side.rows(`SELECT account FROM findings WHERE kind = 'unlogged-change' AND account <> 'kept' ORDER BY account`)).map((r) => String(r.account));
    const ctx = { roster: undefined, inventory: new Map([[ASA_FW.name, { name: ASA_FW.name, platform: ASA_FW.platform, groups: [] }]]), dormantDays: 90, from: T0, to: T0 + 4 * HOUR, skewMs: 5 * MIN };
    rows = new Map((await (await side.access()).populationPage(ctx, {}, undefined, 100)).rows.map((r) => [r.account, r]));
  });
  afterAll(() => side?.close());

  it('reconciliation judges both records by the pull after their receipt', () => {
    expect(unlogged).toEqual(['ahead', 'behind']);
  });

  it('the row says removed at the pull that raised the unlogged-change, whichever way the clock is off', () => {
    const pull = '2026-12-06T03:00:00Z';
    for (const name of ['behind', 'ahead']) {
      const r = rows.get(name);
      expect({ name, source: r?.source, state: r?.state, removedAt: r?.removedAt, removal: r?.removal, kinds: r?.findings.map((f) => f.kind) }).toEqual({
        name, source: 'syslog', state: 'removed', removedAt: P1, removal: expect.stringContaining(`not found at the pull of ${pull}`), kinds: expect.arrayContaining(['unlogged-change']),
      });
    }
  });
});
