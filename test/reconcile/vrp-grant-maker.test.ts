// Huawei VRP: "The local-user command creates a local user and sets parameters of the local user"
// (Huawei's command reference, `local-user`), whichever attribute it sets. So `local-user x
// privilege level 3` for an account aaawatch does not know makes it, at level 3, and the one whose
// CMDRECORD typed it is its maker; a `local-user x password …` after it changes the password of
// an account already made (before, it made the account and the grant changes its level). The
// Accounts row named no maker for an account only a privilege line showed, and lost the level
// when the password line came second (its creation reset what the account held). Both engines;
// lines in the SHELL/5/CMDRECORD form of Huawei's log reference (test/corpus/syslog/huawei-vrp),
// users and addresses invented.

import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RosterIndex } from '../../src/reconcile/evaluate.js';
import type { PopulationRow } from '../../src/reconcile/population.js';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import type { ReconcileOptions } from '../../src/reconcile/run.js';
import { describeEngines } from '../support/engines.js';
import { postgresSide, sqliteSide, type Side } from '../support/reconcile-sides.js';
import { tempDir } from '../support/temp.js';

const S = 1000;
const MIN = 60 * S;
const T0 = Date.UTC(2026, 11, 6, 2, 0);
const CE = { name: 'CE-core', platform: 'huawei-vrp', address: '192.0.2.31' };
const ROSTER = 'administrators: [jdoe]\naccounts:\n  - { name: jdoe, devices: ["*"], privilege: 15, type: human }\n';
const roster = parseRosterYaml(ROSTER, join(tempDir(), 'roster.yaml'));
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** CE-core's CMDRECORD at `t` (UTC, written +00:00) of `user` typing `command` from 192.0.2.9. */
const typed = (t: number, user: string, command: string): string => {
  const d = new Date(t);
  const stamp = `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+00:00`;
  return `<189>${stamp} CE-core %%01SHELL/5/CMDRECORD(s)[0]:Recorded command information. (Task=VTY0, Ip=192.0.2.9, VpnName=, User=${user}, AuthenticationMethod="Local-user", Command="${command}")`;
};

const AT = T0 + 10 * MIN;
const LINES = [
  // The grant first, then the password: the grant made the account.
  typed(AT, 'mallory', 'local-user bob privilege level 3'),
  typed(AT + 5 * S, 'mallory', 'local-user bob password irreversible-cipher Typed-Secret-1'),
  // The password first (it makes the account), then the grant by someone else.
  typed(AT + MIN, 'jdoe', 'local-user carol password irreversible-cipher Typed-Secret-2'),
  typed(AT + MIN + 5 * S, 'mallory', 'local-user carol privilege level 3'),
  // The grant alone.
  typed(AT + 2 * MIN, 'mallory', 'local-user dave privilege level 3'),
];

const options = (now: number): ReconcileOptions => ({
  roster, devices: [{ name: CE.name, platform: CE.platform, groups: [] }], dormantDays: 90, silentHours: 24 * 365, requiredChecks: [],
  collectorAddresses: ['192.0.2.10'], skewMs: 5 * MIN, now, senders: { inventory: [{ name: CE.name, address: CE.address }], relays: [] },
});

describeEngines('VRP: a local-user privilege line makes the account it names when none is known, and names its maker', (engine) => {
  let side: Side;
  let rows: Map<string, PopulationRow>;
  let created: Array<Record<string, unknown>>;

  beforeAll(async () => {
    const target = await engine.fresh();
    side = target.kind === 'sqlite' ? sqliteSide(target.path) : await postgresSide(target);
    await side.run(options(T0 + MIN));
    await side.ingest(LINES, CE.address, 'a', AT + 3 * MIN);
    await side.run(options(AT + 4 * MIN));
    created = await side.rows(`SELECT account, severity FROM findings WHERE kind = 'account-created' ORDER BY account`);
    const ctx = { roster: new RosterIndex(roster), inventory: new Map([[CE.name, { name: CE.name, platform: CE.platform, groups: [] }]]), dormantDays: 90, from: T0, to: AT + 10 * MIN };
    rows = new Map((await (await side.access()).populationPage(ctx, {}, undefined, 100)).rows.map((r) => [r.account, r]));
  });
  afterAll(() => side?.close());

  it('each row holds level 3 (full administration on VRP) and names the one who made the account', () => {
    const seen = ['bob', 'carol', 'dave'].map((name) => {
      const r = rows.get(name);
      return [name, r?.source, r?.privilege, r?.superuser, r?.createdBy, r?.createdFrom];
    });
    expect(seen).toEqual([
      ['bob', 'syslog', 'privilege 3', true, 'mallory', '192.0.2.9'],
      ['carol', 'syslog', 'privilege 3', true, 'jdoe', '192.0.2.9'],
      ['dave', 'syslog', 'privilege 3', true, 'mallory', '192.0.2.9'],
    ]);
  });

  it('the grants by a non-administrator are critical', () => {
    const worst = new Map<string, string>();
    for (const f of created) if (String(f.severity) === 'critical' || !worst.has(String(f.account))) worst.set(String(f.account), String(f.severity));
    expect(Object.fromEntries(worst)).toEqual({ bob: 'critical', carol: 'critical', dave: 'critical' });
  });
});
