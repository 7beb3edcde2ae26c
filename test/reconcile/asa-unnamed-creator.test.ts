// An ASA's 502101 as Cisco's syslog guide prints it (and Wazuh's and FTD's tests carry it): `New
// user added to local dbase: Uname: U Priv: 15 Encpass: …` with no `Executed by:`. Who made the
// account is in the same change's command log, 111008/111010 `username U …` by jdoe, seconds
// apart, in either order: the account-created finding and the pull's attribution name jdoe (and
// 111010's address and path), not "an unnamed actor", and judge the severity by jdoe. Two
// administrators making two accounts at once are each named for their own; a command naming the
// account by two people leaves it unnamed. Both engines, records written by each one's store writer.
//
// Lines in the shapes of test/corpus/syslog/cisco-asa (Wazuh's cisco_asa.ini 502101, Sekoia's
// and Elastic's 111009/111010) with `logging timestamp` and `logging device-id hostname`; names
// and addresses invented.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RosterIndex } from '../../src/reconcile/evaluate.js';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import { ASA_FW, asaLine, asaOptions, asaPull } from '../support/asa-fw.js';
import { describeEngines } from '../support/engines.js';
import { postgresSide, sqliteSide, type Side } from '../support/reconcile-sides.js';
import { tempDir } from '../support/temp.js';

const S = 1000;
const MIN = 60 * S;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 11, 6, 2, 0);
const AT = T0 + 10 * MIN;
const ROSTER_FILE = join(tempDir(), 'roster.yaml');
writeFileSync(ROSTER_FILE, 'administrators: [jdoe, asmith]\naccounts:\n  - { name: jdoe, devices: ["*"], privilege: 15, type: human }\n');
const roster = parseRosterYaml('administrators: [jdoe, asmith]\naccounts:\n  - { name: jdoe, devices: ["*"], privilege: 15, type: human }\n', ROSTER_FILE);
const added = (t: number, name: string): string => asaLine(t, 'ASA-5-502101', `New user added to local dbase: Uname: ${name} Priv: 15 Encpass: *****`);
const cmd = (name: string): string => `username ${name} password ***** privilege 15`;

const LINES = [
  // vendor-tac: the commands after 502101, from the CLI.
  added(AT, 'vendor-tac'),
  asaLine(AT + S, 'ASA-5-111008', `User 'jdoe' executed the '${cmd('vendor-tac')}' command.`),
  asaLine(AT + S, 'ASA-5-111010', `User 'jdoe', running 'CLI' from IP 10.1.1.4, executed '${cmd('vendor-tac')}'`),
  // Two administrators at once: tac-a by jdoe over the CLI, tac-b by asmith from ASDM, their lines interleaved, commands first.
  asaLine(AT + 2 * MIN, 'ASA-5-111010', `User 'asmith', running 'ASDM' from IP 2001:db8::5, executed '${cmd('tac-b')}'`),
  asaLine(AT + 2 * MIN, 'ASA-5-111010', `User 'jdoe', running 'CLI' from IP 10.1.1.4, executed '${cmd('tac-a')}'`),
  added(AT + 2 * MIN + S, 'tac-b'),
  added(AT + 2 * MIN + S, 'tac-a'),
  // both-named: two people's commands name it; nobody can be named.
  asaLine(AT + 4 * MIN, 'ASA-5-111010', `User 'jdoe', running 'CLI' from IP 10.1.1.4, executed '${cmd('both-named')}'`),
  asaLine(AT + 4 * MIN, 'ASA-5-111010', `User 'asmith', running 'CLI' from IP 10.1.1.6, executed '${cmd('both-named')}'`),
  added(AT + 4 * MIN + S, 'both-named'),
];

/** solo: made after the last pull, known from syslog alone, by asmith from ASDM; the command with its path after 111008's. */
const SOLO_AT = T0 + HOUR + 15 * MIN;
const SOLO = [
  added(SOLO_AT, 'solo'),
  asaLine(SOLO_AT + S, 'ASA-5-111008', `User 'asmith' executed the '${cmd('solo')}' command.`),
  asaLine(SOLO_AT + 2 * S, 'ASA-5-111010', `User 'asmith', running 'ASDM' from IP 10.1.1.7, executed '${cmd('solo')}'`),
];


describeEngines('ASA 502101 without Executed by: the creator from the same change\'s commands', (engine) => {
  let side: Side;

  beforeAll(async () => {
    const target = await engine.fresh();
    side = target.kind === 'sqlite' ? sqliteSide(target.path) : await postgresSide(target);
    await side.pulls.recordSuccess(asaPull(T0, ['jdoe']));
    await side.run(asaOptions(roster, T0 + MIN));
    await side.ingest(LINES, ASA_FW.address, 'a', AT + 5 * MIN);
    await side.run(asaOptions(roster, AT + 6 * MIN));
    await side.pulls.recordSuccess(asaPull(T0 + HOUR, ['jdoe', 'vendor-tac', 'tac-a', 'tac-b', 'both-named']));
    // Judged once the skew after the pull has passed (records may still arrive).
    await side.run(asaOptions(roster, T0 + HOUR + 10 * MIN));
    await side.ingest(SOLO, ASA_FW.address, 'a', SOLO_AT + 5 * MIN);
    await side.run(asaOptions(roster, SOLO_AT + 6 * MIN));
  });
  afterAll(() => side?.close());

  it('account-created names the one whose command names the account, with its address and path, and judges by them', async () => {
    const found = (await side.rows(`SELECT account, severity, summary, attribution FROM findings WHERE kind = 'account-created' ORDER BY account`)) as Array<Record<string, string>>;
    const by = Object.fromEntries(found.map((f) => [f.account, f]));
    expect(Object.keys(by).sort()).toEqual(['both-named', 'solo', 'tac-a', 'tac-b', 'vendor-tac']);
    expect(by['vendor-tac']!.attribution).toMatch(/^vendor-tac \(privilege 15\) on fw1 created 2026-12-06 02:10 UTC by jdoe from 10\.1\.1\.4 over CLI, recorded by device log, outside any change window$/);
    expect(by['vendor-tac']!.summary).toContain('by jdoe (jdoe is an authorised administrator');
    expect(by['tac-a']!.attribution).toMatch(/ by jdoe from 10\.1\.1\.4 over CLI, /);
    expect(by['tac-b']!.attribution).toMatch(/ by asmith from 2001:db8::5 over web GUI, /);
    expect(by['both-named']!.attribution).toContain('by an unnamed actor');
    expect(by['both-named']!.attribution).not.toMatch(/ from | over /);
  });

  it('the pull attributes each account to the same creator', async () => {
    expect(await side.rows(`SELECT name, explained, actor, actor_address, path FROM change_attribution WHERE device = 'fw1' AND change = 'added' ORDER BY name`)).toEqual([
      { name: 'both-named', explained: 1, actor: null, actor_address: null, path: null },
      { name: 'tac-a', explained: 1, actor: 'jdoe', actor_address: '10.1.1.4', path: 'cli' },
      { name: 'tac-b', explained: 1, actor: 'asmith', actor_address: '2001:db8::5', path: 'gui' },
      { name: 'vendor-tac', explained: 1, actor: 'jdoe', actor_address: '10.1.1.4', path: 'cli' },
    ]);
  });

  it('the Accounts row of an account known from syslog alone names the same creator, address and path', async () => {
    const ctx = { roster: new RosterIndex(roster), inventory: new Map([[ASA_FW.name, { name: ASA_FW.name, platform: ASA_FW.platform, groups: [] }]]), dormantDays: 90, from: T0, to: SOLO_AT + 10 * MIN };
    const page = await (await side.access()).populationPage(ctx, {}, undefined, 100);
    const solo = page.rows.find((r) => r.account === 'solo');
    expect({ source: solo?.source, by: solo?.createdBy, from: solo?.createdFrom, path: solo?.createdPath }).toEqual({ source: 'syslog', by: 'asmith', from: '10.1.1.7', path: 'gui' });
    const found = (await side.rows(`SELECT attribution FROM findings WHERE kind = 'account-created' AND account = 'solo'`)) as Array<{ attribution: string }>;
    expect(found[0]!.attribution).toMatch(/ by asmith from 10\.1\.1\.7 over web GUI, /);
  });
});
