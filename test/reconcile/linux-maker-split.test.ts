// A Linux account made by `useradd` run by carol: auditd's ADD_USER names her (AUID) and her address,
// useradd's own line names no one. With two collectors the records of that one making are split: the
// audit record received by collector a, the useradd line by both (a relay pair sends every line to
// each), in the same creation pass or the useradd line a pass later. The account is one row and one
// finding on the right device, made by carol from her address, citing the records of the making;
// judged on the latest record alone both said "an unnamed actor" (found with two serve nodes on
// PostgreSQL, and the same on SQLite). Two people named by the making's records name no one. Both
// engines: each engine's own store writer, reconciled as production runs it, read through its web
// data access. Lines as util-linux logger sends auditd's and useradd's (test/corpus/syslog/linux shapes).

import { writeFileSync } from 'node:fs';
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
const T0 = Date.UTC(2026, 11, 6, 11, 0);
const ROSTER = 'administrators: [jdoe]\naccounts:\n  - { name: jdoe, devices: ["*"], privilege: 15, type: human }\n';
const ROSTER_FILE = join(tempDir(), 'roster.yaml');
writeFileSync(ROSTER_FILE, ROSTER);
const roster = parseRosterYaml(ROSTER, ROSTER_FILE);
const HOST = { name: 'lnx-r', platform: 'linux', address: '192.0.2.21' };
const options = (now: number): ReconcileOptions => ({
  roster, devices: [{ name: HOST.name, platform: HOST.platform, groups: [] }], dormantDays: 90, silentHours: 24 * 365, requiredChecks: [],
  collectorAddresses: ['192.0.2.10'], skewMs: 5 * MIN, now, senders: { inventory: [{ name: HOST.name, address: HOST.address }], relays: [] },
});

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');
const stamp = (t: number): string => {
  const d = new Date(t);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
};
const audit = (t: number, who: string, from: string, name: string, uid: number): string =>
  `<85>${stamp(t)} ${HOST.name} audispd: type=ADD_USER msg=audit(${t / 1000}.000:${uid}): pid=${uid} uid=0 auid=1006 ses=12 msg='op=adding user id=${uid} exe="/usr/sbin/useradd" hostname=${HOST.name} addr=${from} terminal=pts/1 res=success'UID="root" AUID="${who}" ID="${name}"`;
const useradd = (t: number, name: string, uid: number): string =>
  `<86>${stamp(t)} ${HOST.name} useradd[${uid}]: new user: name=${name}, UID=${uid}, GID=${uid}, home=/home/${name}, shell=/bin/bash, from=/dev/pts/1`;

const ONE_PASS = T0 + 5 * MIN;
const TWO_PASSES = T0 + 10 * MIN;
const TWO_PEOPLE = T0 + 15 * MIN;
const END = T0 + 20 * MIN;

describeEngines('a Linux making whose records two collectors received apart', (engine) => {
  let side: Side;
  let findings: Record<string, { attribution: string; summary: string; events: number[] }>;
  let rows: PopulationRow[];
  let ids: Record<string, number[]>;

  beforeAll(async () => {
    const target = await engine.fresh();
    side = target.kind === 'sqlite' ? sqliteSide(target.path) : await postgresSide(target);
    await side.run(options(T0));
    // bob: the audit record to a, useradd's line to a and to b, one pass.
    await side.ingest([audit(ONE_PASS, 'carol', '10.1.1.5', 'bob', 1002)], HOST.address, 'a', ONE_PASS + 20);
    await side.ingest([useradd(ONE_PASS, 'bob', 1002)], HOST.address, 'a', ONE_PASS + 40);
    await side.ingest([useradd(ONE_PASS, 'bob', 1002)], HOST.address, 'b', ONE_PASS + 60);
    await side.run(options(ONE_PASS + S));
    // dan: the audit record judged first, useradd's line (to b) a pass later.
    await side.ingest([audit(TWO_PASSES, 'carol', '10.1.1.5', 'dan', 1003)], HOST.address, 'a', TWO_PASSES + 20);
    await side.run(options(TWO_PASSES + S));
    await side.ingest([useradd(TWO_PASSES, 'dan', 1003)], HOST.address, 'b', TWO_PASSES + 2 * S);
    await side.run(options(TWO_PASSES + 3 * S));
    // eve: two audit records of the same name naming two people: no one is named.
    await side.ingest([audit(TWO_PEOPLE, 'carol', '10.1.1.5', 'eve', 1004), audit(TWO_PEOPLE + S, 'mallory', '10.6.6.6', 'eve', 1004)], HOST.address, 'a', TWO_PEOPLE + 2 * S);
    await side.ingest([useradd(TWO_PEOPLE + S, 'eve', 1004)], HOST.address, 'b', TWO_PEOPLE + 3 * S);
    await side.run(options(TWO_PEOPLE + 4 * S));

    const found = await side.rows(`SELECT account, attribution, summary, evidence FROM findings WHERE kind = 'account-created' ORDER BY account`);
    findings = Object.fromEntries(found.map((f) => [String(f.account), { attribution: String(f.attribution), summary: String(f.summary), events: (JSON.parse(String(f.evidence)) as { events: number[] }).events.slice().sort((a, b) => a - b) }]));
    const stored = await side.rows(`SELECT id, target FROM events WHERE kind = 'account' ORDER BY id`);
    ids = {};
    for (const r of stored) (ids[String(r.target)] ??= []).push(Number(r.id));
    const ctx = { roster: new RosterIndex(roster), inventory: new Map([[HOST.name, { name: HOST.name, platform: HOST.platform, groups: [] }]]), dormantDays: 90, from: T0, to: END };
    rows = (await (await side.access()).populationPage(ctx, {}, undefined, 100)).rows;
  });
  afterAll(() => side?.close());

  it('one finding an account, naming the maker the audit record names, in one pass or two', () => {
    expect(Object.keys(findings)).toEqual(['bob', 'dan', 'eve']);
    for (const name of ['bob', 'dan']) {
      expect(findings[name]!.attribution, name).toMatch(/ by carol from 10\.1\.1\.5 over operating-system tools, /);
      expect(findings[name]!.summary, name).toContain('by carol (carol is not an authorised administrator');
      expect(findings[name]!.events, name).toEqual(ids[name]);
    }
    expect(findings.eve!.attribution).toContain('by an unnamed actor');
  });

  it('one Accounts row an account on its device, made by that maker from that address, citing the making', () => {
    expect(rows.map((r) => [r.device, r.account, r.createdBy, r.createdFrom, r.createdPath])).toEqual([
      ['lnx-r', 'bob', 'carol', '10.1.1.5', 'os'],
      ['lnx-r', 'dan', 'carol', '10.1.1.5', 'os'],
      ['lnx-r', 'eve', null, null, 'os'],
    ]);
    for (const r of rows.filter((x) => x.account !== 'eve')) expect(r.records.slice().sort((a, b) => a - b), r.account).toEqual(ids[r.account]);
  });
});
