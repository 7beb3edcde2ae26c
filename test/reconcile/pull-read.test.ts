// A creation logged while a pull connects and logs in, before it asks for the configuration, is a
// creation (issue 15 item 7, pullread21): the pull's configuration holds the account because it was
// made then. The creation check and the Accounts row judge a creation against when the pull that
// showed the account read the configuration (pull_runs.read_at: when it sent its configuration
// command), not its start: judged by the start, such a creation was read as restating what the
// pull showed (no account-created, no maker on the row, its added change unlogged). A re-issue made
// after that reading still restates it, whether stamped on time or by a clock 3 h behind (placed by
// its receipt); a creation on a clock 3 h ahead received during the login is still one. Both
// engines: SQLite's run and PostgreSQL's estate run, and each engine's Accounts rows before and
// after the skew has passed.

import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PopulationRow } from '../../src/reconcile/population.js';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import { ASA_FW, asaLine, asaOptions, asaPull, JDOE_ROSTER_YAML, SKEW } from '../support/asa-fw.js';
import { describeEngines } from '../support/engines.js';
import { postgresSide, sqliteSide, type Side } from '../support/reconcile-sides.js';
import { tempDir } from '../support/temp.js';

const { S, MIN, HOUR, T0, P1 } = SKEW;
const roster = parseRosterYaml(JDOE_ROSTER_YAML, join(tempDir(), 'roster.yaml'));
const added = (t: number, name: string, by: string): string => asaLine(t, 'ASA-5-502101', `New user added to local dbase: Uname: ${name} Priv: 15 Encpass: ***** Executed by: ${by}`);

/** P1 starts 20 s before it commits and sends its configuration command 10 s before. */
const STARTED = P1 - 20 * S;
const READ = P1 - 10 * S;
/** During the login (after the start, before the reading), and after the reading (before the commit). */
const LOGIN = P1 - 15 * S;
const AFTER_READ = P1 - 5 * S;
const ACCOUNTS = ['login', 'ahead', 'reissued', 'behind'];

describeEngines('a creation logged during the login of the pull that first showed the account', (engine) => {
  let side: Side;
  /**
   * Each row read alone (a page of its account only: PostgreSQL's copy then holds only the pull runs
   * its own row asks for), over a period that holds `ahead`'s stamp.
   */
  const rowsAt = async (): Promise<Record<string, string | null | undefined>> => {
    const ctx = { roster: undefined, inventory: new Map([[ASA_FW.name, { name: ASA_FW.name, platform: ASA_FW.platform, groups: [] }]]), dormantDays: 90, from: T0, to: P1 + 4 * HOUR, skewMs: 5 * MIN };
    const out: Record<string, string | null | undefined> = {};
    for (const account of ACCOUNTS) for (const r of (await (await side.access()).populationPage(ctx, { account }, undefined, 100)).rows as PopulationRow[]) out[r.account] = r.createdBy;
    return out;
  };
  const findings = async (kind: string): Promise<unknown[]> =>
    (await side.rows(`SELECT account FROM findings WHERE kind = ? AND device = 'fw1' ORDER BY account`, kind)).map((r) => r.account);
  let before: Record<string, string | null | undefined>;
  let createdBefore: unknown[];
  let after: Record<string, string | null | undefined>;

  beforeAll(async () => {
    const target = await engine.fresh();
    side = target.kind === 'sqlite' ? sqliteSide(target.path) : await postgresSide(target);
    await side.pulls.recordSuccess(asaPull(T0, ['jdoe']));
    await side.run(asaOptions(roster, T0 + MIN));
    // alice makes `login` while P1 logs in, and `ahead` then on a clock 3 h ahead (received then).
    await side.ingest([added(LOGIN, 'login', 'alice')], ASA_FW.address, 'a', LOGIN);
    await side.ingest([added(LOGIN + 3 * HOUR, 'ahead', 'alice')], ASA_FW.address, 'a', LOGIN);
    // mallory re-issues `reissued` after P1 sent its configuration command, and `behind` then on a clock 3 h behind.
    await side.ingest([added(AFTER_READ, 'reissued', 'mallory')], ASA_FW.address, 'a', AFTER_READ);
    await side.ingest([added(AFTER_READ - 3 * HOUR, 'behind', 'mallory')], ASA_FW.address, 'a', AFTER_READ);
    await side.pulls.recordSuccess({ ...asaPull(P1, ['jdoe', ...ACCOUNTS]), startedAt: STARTED, readAt: READ });
    // Before the skew has passed: the creations are judged, P1's changes not yet.
    await side.run(asaOptions(roster, P1 + 2 * S));
    before = await rowsAt();
    createdBefore = await findings('account-created');
    await side.run(asaOptions(roster, P1 + 10 * MIN));
    after = await rowsAt();
  });
  afterAll(() => side?.close());

  it('raises account-created for the accounts made during the login, none for a re-issue after the reading', async () => {
    expect(createdBefore).toEqual(['ahead', 'login']);
    expect(await findings('account-created')).toEqual(['ahead', 'login']);
  });

  it('names the maker on the Accounts row before the pull is judged, and no re-issuer', () => {
    expect(before).toEqual({ login: 'alice', ahead: 'alice', reissued: null, behind: null });
  });

  it("attributes the pull's added change to the login's creation; the re-issued accounts' are unlogged", async () => {
    expect(after).toEqual({ login: 'alice', ahead: 'alice', reissued: null, behind: null });
    const attributed = await side.rows(`SELECT name, actor FROM change_attribution WHERE change = 'added' AND name <> 'jdoe' ORDER BY name`);
    expect(attributed.map((r) => [r.name, r.actor])).toEqual([['ahead', 'alice'], ['behind', null], ['login', 'alice'], ['reissued', null]]);
    expect(await findings('unlogged-change')).toEqual(['behind', 'reissued']);
  });
});
