// An ASA's 502101 without `Executed by:` is named by the 111010 of the same change (the one person
// whose command names the account); the account-created finding and the Accounts row read that
// line alike (judge.ts namingSpan, the commands holding the account's name): a burst of 200 other
// administrators' commands between the two lines pushed it out of the row's read (everyone's
// commands within a minute, 32 at most) and left the row unnamed while the finding named jdoe;
// a 111010 stamped 30 s after its 502101 was outside the finding's read (10 s) while the row
// named jdoe. Both engines. Lines in the shapes of test/corpus/syslog/cisco-asa.

import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RosterIndex } from '../../src/reconcile/evaluate.js';
import type { PopulationRow } from '../../src/reconcile/population.js';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import { ASA_FW, asaLine, asaOptions, asaPull } from '../support/asa-fw.js';
import { describeEngines } from '../support/engines.js';
import { postgresSide, sqliteSide, type Side } from '../support/reconcile-sides.js';
import { tempDir } from '../support/temp.js';

const S = 1000;
const MIN = 60 * S;
const T0 = Date.UTC(2026, 11, 6, 2, 0);
const AT = T0 + 10 * MIN;
const GAP_AT = AT + 5 * MIN;
const ROSTER = 'administrators: [jdoe, asmith]\naccounts:\n  - { name: jdoe, devices: ["*"], privilege: 15, type: human }\n';
const roster = parseRosterYaml(ROSTER, join(tempDir(), 'roster.yaml'));
const added = (t: number, name: string): string => asaLine(t, 'ASA-5-502101', `New user added to local dbase: Uname: ${name} Priv: 15 Encpass: *****`);
const ran = (t: number, who: string, from: string, command: string): string => asaLine(t, 'ASA-5-111010', `User '${who}', running 'CLI' from IP ${from}, executed '${command}'`);

const LINES = [
  added(AT, 'burst'),
  // 200 commands of another administrator, about other things, between the 502101 and its 111010.
  ...Array.from({ length: 200 }, (_, i) => ran(AT + Math.floor((i * S) / 100), 'asmith', '10.1.1.9', `interface GigabitEthernet0/${i % 8}`)),
  ran(AT + 3 * S, 'jdoe', '10.1.1.4', 'username burst password ***** privilege 15'),
  added(GAP_AT, 'gap'),
  ran(GAP_AT + 30 * S, 'jdoe', '10.1.1.4', 'username gap password ***** privilege 15'),
];

describeEngines('ASA 502101 without Executed by: the finding and the Accounts row read the naming line alike', (engine) => {
  let side: Side;
  let found: Record<string, string>;
  let rows: Map<string, PopulationRow>;

  beforeAll(async () => {
    const target = await engine.fresh();
    side = target.kind === 'sqlite' ? sqliteSide(target.path) : await postgresSide(target);
    await side.pulls.recordSuccess(asaPull(T0, ['jdoe']));
    await side.run(asaOptions(roster, T0 + MIN));
    await side.ingest(LINES, ASA_FW.address, 'a', GAP_AT + 2 * MIN);
    await side.run(asaOptions(roster, GAP_AT + 3 * MIN));
    found = Object.fromEntries(
      (await side.rows(`SELECT account, attribution FROM findings WHERE kind = 'account-created'`)).map((r) => [String(r.account), String(r.attribution)]),
    );
    const ctx = { roster: new RosterIndex(roster), inventory: new Map([[ASA_FW.name, { name: ASA_FW.name, platform: ASA_FW.platform, groups: [] }]]), dormantDays: 90, from: T0, to: GAP_AT + 10 * MIN };
    rows = new Map((await (await side.access()).populationPage(ctx, {}, undefined, 100)).rows.map((r) => [r.account, r]));
  });
  afterAll(() => side?.close());

  it('the finding names jdoe, with the 111010\'s address and path, past 200 other commands and 30 s later', () => {
    expect(found.burst).toMatch(/^burst \(privilege 15\) on fw1 created .* by jdoe from 10\.1\.1\.4 over CLI, /);
    expect(found.gap).toMatch(/^gap \(privilege 15\) on fw1 created .* by jdoe from 10\.1\.1\.4 over CLI, /);
  });

  it('the Accounts row names the same maker, address and path', () => {
    for (const name of ['burst', 'gap']) {
      const r = rows.get(name);
      expect([name, r?.source, r?.createdBy, r?.createdFrom, r?.createdPath]).toEqual([name, 'syslog', 'jdoe', '10.1.1.4', 'cli']);
    }
  });
});
