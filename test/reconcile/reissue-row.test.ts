// The Accounts row of an account re-issued around the pull that first showed it names who made it,
// not who re-issued it (issue 15 item 7, race20's follow-up): a creation made (the earlier of its
// receipt and where held.ts placedAt places it) after that pull started restates what the pull
// found. Before the skew has passed the row takes its making from the records (population.ts);
// after it, from the pull's `added` change's attribution (judge.ts), which must not name the
// re-issuer either. A re-issue on a clock 3 h ahead (stamped after the pull, placed by its
// receipt, which is inside it) is no making either; a creation on a clock 3 h behind, received
// before the pull, still is. Both engines (PostgreSQL's row reads the pull that first showed the
// account from its page's copy: pg-rows.ts).

import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import type { PopulationRow } from '../../src/reconcile/population.js';
import { ASA_FW, asaLine, asaOptions, asaPull, JDOE_ROSTER_YAML, SKEW } from '../support/asa-fw.js';
import { describeEngines } from '../support/engines.js';
import { postgresSide, sqliteSide, type Side } from '../support/reconcile-sides.js';
import { tempDir } from '../support/temp.js';

const { S, MIN, HOUR, T0, P1, MADE } = SKEW;
const roster = parseRosterYaml(JDOE_ROSTER_YAML, join(tempDir(), 'roster.yaml'));
const added = (t: number, name: string, by: string): string => asaLine(t, 'ASA-5-502101', `New user added to local dbase: Uname: ${name} Priv: 15 Encpass: ***** Executed by: ${by}`);

describeEngines('the Accounts row of an account re-issued around the pull that first showed it', (engine) => {
  let side: Side;
  /** Each row read alone (a page of its account only: PostgreSQL's copy then holds only the pull runs its own row asks for). */
  const rowsAt = async (): Promise<Map<string, PopulationRow>> => {
    const ctx = { roster: undefined, inventory: new Map([[ASA_FW.name, { name: ASA_FW.name, platform: ASA_FW.platform, groups: [] }]]), dormantDays: 90, from: T0, to: P1 + HOUR, skewMs: 5 * MIN };
    const out = new Map<string, PopulationRow>();
    for (const account of ['during', 'after', 'skewed']) for (const r of (await (await side.access()).populationPage(ctx, { account }, undefined, 100)).rows) out.set(r.account, r);
    return out;
  };
  const made = (r: PopulationRow | undefined): unknown => ({ createdBy: r?.createdBy, createdAt: r?.createdAt });
  let before: Map<string, PopulationRow>;
  let after: Map<string, PopulationRow>;

  beforeAll(async () => {
    const target = await engine.fresh();
    side = target.kind === 'sqlite' ? sqliteSide(target.path) : await postgresSide(target);
    await side.pulls.recordSuccess(asaPull(T0, ['jdoe']));
    await side.run(asaOptions(roster, T0 + MIN));
    // alice makes three accounts between the pulls (one on a clock 3 h behind, received then).
    await side.ingest([added(MADE, 'during', 'alice'), added(MADE, 'after', 'alice')], ASA_FW.address, 'a', MADE);
    await side.ingest([added(MADE - 3 * HOUR, 'skewed', 'alice')], ASA_FW.address, 'a', MADE);
    // P1 (started 3 s before it committed) finds them; mallory re-issues each: while the pull read,
    // in the second after it, and on a clock 3 h ahead received while it read.
    await side.ingest([added(P1 - 1000, 'during', 'mallory')], ASA_FW.address, 'a', P1 - 1000);
    await side.ingest([added(P1 + 1000, 'after', 'mallory')], ASA_FW.address, 'a', P1 + 1000);
    await side.ingest([added(P1 - 1000 + 3 * HOUR, 'skewed', 'mallory')], ASA_FW.address, 'a', P1 - 1000);
    await side.pulls.recordSuccess({ ...asaPull(P1, ['jdoe', 'during', 'after', 'skewed']), startedAt: P1 - 3 * S });
    // Before the skew has passed: P1's changes are not judged yet.
    await side.run(asaOptions(roster, P1 + 2 * S));
    before = await rowsAt();
    await side.run(asaOptions(roster, P1 + 10 * MIN));
    after = await rowsAt();
  });
  afterAll(() => side?.close());

  it('names the maker, not the re-issuer, before the pull is judged', () => {
    expect(made(before.get('during'))).toEqual({ createdBy: 'alice', createdAt: MADE });
    expect(made(before.get('after'))).toEqual({ createdBy: 'alice', createdAt: MADE });
    expect(made(before.get('skewed'))).toEqual({ createdBy: 'alice', createdAt: MADE - 3 * HOUR });
  });

  it("names the maker after it: the pull's added change is attributed to the creation before the pull", async () => {
    for (const name of ['during', 'after', 'skewed']) expect({ name, createdBy: after.get(name)?.createdBy }).toEqual({ name, createdBy: 'alice' });
    const attributed = await side.rows(`SELECT name, actor FROM change_attribution WHERE change = 'added' AND name <> 'jdoe' ORDER BY name`);
    expect(attributed.map((r) => [r.name, r.actor])).toEqual([['after', 'alice'], ['during', 'alice'], ['skewed', 'alice']]);
    // Each change is explained by alice's creation: none is unlogged.
    expect(await side.rows(`SELECT account FROM findings WHERE kind = 'unlogged-change'`)).toEqual([]);
  });
});
