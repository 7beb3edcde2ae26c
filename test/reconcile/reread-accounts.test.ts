// A newer aaawatch reads a configuration it already holds otherwise: an account its readers did not
// see before (EOS's `aaa root secret`, a VRP key-only SSH user), or one they no longer read (a
// Panorama template's users, once taken for Panorama's own). The configuration text is the same as
// the last pull's (its hash), so the device changed nothing: the account joins or leaves the
// population, and the change row says so (from and to the same snapshot), but no `unlogged-change`
// is raised for it. The same account appearing in a text that did change is still judged. Both engines.

import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import { accountTimeline } from '../../src/reconcile/timeline.js';
import { openDatabase } from '../../src/store/db.js';
import { ASA_FW, asaOptions, asaPull, JDOE_ROSTER_YAML, SKEW } from '../support/asa-fw.js';
import { describeEngines } from '../support/engines.js';
import { postgresSide, sqliteSide, type Side } from '../support/reconcile-sides.js';
import { tempDir } from '../support/temp.js';

const { MIN, HOUR, T0 } = SKEW;
const roster = parseRosterYaml(JDOE_ROSTER_YAML, join(tempDir(), 'roster.yaml'));

/** asaPull's text for `written`, read as `read` accounts: what another version's readers make of the same text. */
function readAs(at: number, written: readonly string[], read: readonly string[]): ReturnType<typeof asaPull> {
  const same = asaPull(at, written);
  return { ...same, digest: { ...same.digest, accounts: asaPull(at, read).digest.accounts } };
}

describeEngines('accounts read anew from a configuration text already pulled', (engine) => {
  let side: Side;
  let path = '';
  const findings = async (kind: string): Promise<unknown[]> =>
    (await side.rows(`SELECT account FROM findings WHERE kind = ? AND device = ? ORDER BY account`, kind, ASA_FW.name)).map((r) => r.account);

  beforeAll(async () => {
    const target = await engine.fresh();
    if (target.kind === 'sqlite') path = target.path;
    side = target.kind === 'sqlite' ? sqliteSide(target.path) : await postgresSide(target);
    // An older version read this text as jdoe and ghost (a line it took for an account); this one reads jdoe and admin2.
    await side.pulls.recordSuccess(readAs(T0, ['jdoe', 'admin2'], ['jdoe', 'ghost']));
    await side.run(asaOptions(roster, T0 + MIN));
    await side.pulls.recordSuccess(readAs(T0 + HOUR, ['jdoe', 'admin2'], ['jdoe', 'admin2']));
    // Then the device itself gains an account: its text changes.
    await side.pulls.recordSuccess(asaPull(T0 + 2 * HOUR, ['jdoe', 'admin2', 'mallory']));
    await side.run(asaOptions(roster, T0 + 3 * HOUR));
  });
  afterAll(() => side?.close());

  it('records the reading as changes between a snapshot and itself', async () => {
    const rows = await side.rows(`SELECT name, change, from_snapshot_id AS "from", to_snapshot_id AS "to" FROM account_changes WHERE device = ? ORDER BY id`, ASA_FW.name);
    const byName = new Map(rows.map((r) => [`${String(r.name)} ${String(r.change)}`, r]));
    for (const key of ['admin2 added', 'ghost removed']) {
      const r = byName.get(key)!;
      expect(r, key).toBeDefined();
      expect(r.from, key).toBe(r.to);
    }
    expect(byName.get('mallory added')!.from).not.toBe(byName.get('mallory added')!.to);
  });

  it('raises unlogged-change for the device\'s own change only, not for what a newer reading found or dropped', async () => {
    expect(await findings('unlogged-change')).toEqual(['mallory']);
  });

  it('keeps what the reading says in the population: the account read anew is present, the one no longer read is gone', async () => {
    const present = await side.rows(`SELECT name FROM accounts WHERE device = ? AND removed_at IS NULL ORDER BY name`, ASA_FW.name);
    expect(present.map((r) => r.name)).toEqual(['admin2', 'jdoe', 'mallory']);
  });

  if (engine.kind === 'sqlite') {
    it("names such a change on the account's timeline as a reading, not as the device's change", () => {
      const db = openDatabase(path);
      try {
        const what = (account: string) => accountTimeline(db, ASA_FW.name, account).filter((e) => e.source === 'pull').map((e) => e.what);
        expect(what('admin2')).toEqual(['read anew in the same configuration']);
        expect(what('ghost')).toEqual(['no longer read in the same configuration', 'present at the first pull']);
        expect(what('mallory')).toEqual(['added']);
      } finally {
        db.close();
      }
    });
  }
});
