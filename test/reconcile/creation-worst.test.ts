// An account's records read in one account-created pass make one finding, judged on the record
// that granted full administration when one did, on both engines. `usermod -aG sudo,docker sam`
// writes one shadow-utils line per group, sudo's first: judged on docker's (the latest) alone, the
// finding was high, the sudo grant by someone not on the administrators list never critical (aud15k).

import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import type { ReconcileOptions } from '../../src/reconcile/run.js';
import { describeEngines } from '../support/engines.js';
import { postgresSide, sqliteSide, type Side } from '../support/reconcile-sides.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 6, 4, 43);
const roster = parseRosterYaml('administrators: [jdoe]\naccounts:\n  - { name: jdoe, devices: ["*"], privilege: 15, type: human }\n', 'roster.yaml');
const options = (now: number): ReconcileOptions => ({
  roster, devices: [{ name: 'web1', platform: 'linux', groups: [] }], dormantDays: 90, silentHours: 24 * 365, requiredChecks: [],
  collectorAddresses: ['192.0.2.10'], skewMs: 5 * MIN, now, senders: { inventory: [], relays: [] },
});
/** shadow-utils' lines for `usermod -aG sudo,docker sam` (src/usermod.c: one per group and group file). */
const usermod = [
  "<86>Dec  6 04:43:01 web1 usermod[2204]: add 'sam' to group 'sudo'",
  "<86>Dec  6 04:43:01 web1 usermod[2204]: add 'sam' to shadow group 'sudo'",
  "<86>Dec  6 04:43:01 web1 usermod[2204]: add 'sam' to group 'docker'",
  "<86>Dec  6 04:43:01 web1 usermod[2204]: add 'sam' to shadow group 'docker'",
];

describeEngines('account-created judged on the grant of full administration in a pass', (engine) => {
  let side: Side;
  beforeAll(async () => {
    const target = await engine.fresh();
    side = target.kind === 'sqlite' ? sqliteSide(target.path) : await postgresSide(target);
    // The first run on an empty store: account records from now on raise account-created.
    await side.run(options(T0 - MIN));
    await side.ingest(usermod, '192.0.2.21', 'a', T0 + 5000);
    await side.run(options(T0 + MIN));
  });
  afterAll(() => side?.close());

  it('raises one critical finding for sam, citing every line', async () => {
    const found = await side.rows(`SELECT account, severity, summary, evidence FROM findings WHERE kind = 'account-created'`);
    expect(found.map((f) => [f.account, f.severity])).toEqual([['sam', 'critical']]);
    expect(found[0]!.summary).toContain('granting full administrative rights');
    expect((JSON.parse(found[0]!.evidence as string) as { events: number[] }).events).toHaveLength(4);
  });
});
