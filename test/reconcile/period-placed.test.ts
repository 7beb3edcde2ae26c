// A review period holds the records the skew rule places in it (held.ts madeAt: the earlier of the
// record's receipt and where its stamp is placed — its stamp, or its receipt where the two disagree
// by more than reconcile.attributionSkewSeconds), on the Accounts page and in the exports, both
// engines. Before, the period was read by the device's stamp alone: an account made by a device
// whose clock runs ahead, received before the period's end but stamped after it, was not in the
// population (nor one stamped a minute past the end and received before it), one made by a clock
// running behind, stamped before the start and received inside, was not either, and a removal so
// stamped hid the removed account; while one stamped inside but received after the end by a clock
// running behind was in it.

import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { madeAt, madeAtSql, madeBy, madeSince, madeWithinSql, STAMP_MARGIN_MS } from '../../src/reconcile/held.js';
import { configSchema } from '../../src/config/schema.js';
import type { PopulationContext, PopulationRow } from '../../src/reconcile/population.js';
import { ASA_FW, asaLine, SKEW } from '../support/asa-fw.js';
import { describeEngines } from '../support/engines.js';
import { aaawatch } from '../support/process.js';
import { postgresSide, sqliteSide, type Side } from '../support/reconcile-sides.js';
import { tempDir } from '../support/temp.js';

const { MIN, HOUR, T0 } = SKEW;
const FROM = T0 + HOUR;
const iso = (t: number): string => new Date(t).toISOString().slice(0, 19) + 'Z';
const TO = T0 + 3 * HOUR;
const added = (t: number, name: string): string => asaLine(t, 'ASA-5-502101', `New user added to local dbase: Uname: ${name} Priv: 15 Encpass: ***** Executed by: mallory`);
const login = (t: number, name: string): string => asaLine(t, 'ASA-6-605005', `Login permitted from 10.1.2.3/51234 to management:192.0.2.1/ssh for user "${name}"`);
const command = (t: number, text: string): string => asaLine(t, 'ASA-5-111008', `User 'mallory' executed the '${text}' command.`);
const deleted = (t: number, name: string): string => asaLine(t, 'ASA-5-502102', `User deleted from local dbase: Uname: ${name} Priv: 15 Encpass: ***** Executed by: mallory`);

/** Each line with the moment it was received. */
const RECEIVED: ReadonlyArray<readonly [string, number]> = [
  // A clock 2 h 10 min ahead: stamped after the end, received before it.
  [added(TO + 2 * HOUR, 'ahead'), TO - 10 * MIN],
  // A clock 3 min ahead (within the skew): stamped a minute after the end, received a minute before it.
  [added(TO + 2 * MIN, 'aheadnear'), TO - MIN],
  // A clock 2 h 10 min behind: stamped before the start, received after it.
  [added(FROM - 2 * HOUR, 'behind'), FROM + 10 * MIN],
  // A clock 90 min behind: stamped before the end, received an hour after it: made after the period.
  [added(TO - 30 * MIN, 'late'), TO + HOUR],
  // A clock right.
  [added(TO - HOUR, 'plain'), TO - HOUR + 1000],
  // Made long before; removed by a record stamped by a clock 2 h 20 min behind before the start, received inside.
  [added(T0 - 5 * HOUR, 'gone'), T0 - 5 * HOUR + 1000],
  [deleted(FROM - 2 * HOUR, 'gone'), FROM + 20 * MIN],
  // ahead's login, stamped after the end by its clock, received before it: its last login in the period.
  [login(TO + 2 * HOUR + 5 * MIN, 'ahead'), TO - 5 * MIN],
  // plain's logins: one in the period, and one stamped inside by a clock 90 min behind but received after the end.
  [login(TO - 50 * MIN, 'plain'), TO - 50 * MIN + 1000],
  [login(TO - 20 * MIN, 'plain'), TO + 70 * MIN],
  // A command stamped 10 min after the end by a clock 3 h ahead, received before the end: in the period.
  [command(TO + 10 * MIN, 'show running-config'), TO + 10 * MIN - 3 * HOUR],
  // One stamped 10 min before the end by a clock 3 h behind, received after the end: not.
  [command(TO - 10 * MIN, 'write memory'), TO - 10 * MIN + 3 * HOUR],
];

/**
 * The records the skew rule places in FROM–TO: ahead's, aheadnear's, behind's and plain's creations,
 * gone's removal, ahead's login and plain's first (by their stamps alone: late's and plain's
 * creations, plain's two logins and the late command). The command of the clock 3 h ahead was
 * received before FROM.
 */
const PLACED_IN_PERIOD = 7;
/** A period of four hours, FROM_WIDE–TO: the 3 h ahead command in it, and gone's creation still not. */
const FROM_WIDE = TO - 4 * HOUR;
const PLACED_IN_WIDE = 8;

describeEngines('a review period holds the records the skew rule places in it', (engine) => {
  let side: Side;
  let page: Map<string, PopulationRow>;
  let exported: Map<string, PopulationRow>;
  let recordsIn: (from: number) => Promise<number | undefined>;
  let configFile: string;
  let env: Record<string, string> = {};

  beforeAll(async () => {
    const target = await engine.fresh();
    side = target.kind === 'sqlite' ? sqliteSide(target.path) : await postgresSide(target);
    // The command line's configuration of the same store: fw1 in the inventory, the skew 5 minutes.
    configFile = join(tempDir(), 'aaawatch.yaml');
    writeFileSync(configFile, [
      ...(target.kind === 'postgres' ? ['collector: a'] : []),
      'store:', `  path: ${target.kind === 'sqlite' ? target.path : join(tempDir(), 'unused.db')}`, ...(target.kind === 'postgres' ? ['  url: { env: AAAWATCH_TEST_PG }'] : []),
      'reconcile:', '  attributionSkewSeconds: 300',
      'devices:', `  - { name: ${ASA_FW.name}, address: ${ASA_FW.address}, platform: ${ASA_FW.platform}, pull: false }`, '',
    ].join('\n'));
    if (target.kind === 'postgres') env = { AAAWATCH_TEST_PG: target.url };
    for (const [line, at] of RECEIVED) await side.ingest([line], ASA_FW.address, 'a', at);
    const access = await side.access();
    const ctx: PopulationContext = {
      roster: undefined, inventory: new Map([[ASA_FW.name, { name: ASA_FW.name, platform: ASA_FW.platform, groups: [] }]]), dormantDays: 90, from: FROM, to: TO, skewMs: 5 * MIN,
    };
    page = new Map((await access.populationPage(ctx, {}, undefined, 100)).rows.map((r) => [r.account, r]));
    const config = configSchema.parse({ store: { path: join(tempDir(), 'unused.db') }, reconcile: { attributionSkewSeconds: 300 } });
    const doc = await access.review(config, undefined, { now: TO + 2 * HOUR, by: 'aud (web)', from: FROM, to: TO }, async (d) => d);
    exported = new Map(doc.rows.map((r) => [r.account, r]));
    recordsIn = async (from) => (await access.review(config, undefined, { now: TO + 2 * HOUR, by: 'aud (web)', from, to: TO }, async (d) => d)).header.sources.find((x) => x.name === 'syslog records')?.rows;
  });
  afterAll(() => side?.close());

  it('the Accounts page lists the accounts made in the period as placed, not as stamped', () => {
    expect([...page.keys()].sort()).toEqual(['ahead', 'aheadnear', 'behind', 'gone', 'plain']);
    expect(page.get('gone')).toMatchObject({ source: 'syslog', state: 'removed' });
    expect(page.get('behind')).toMatchObject({ source: 'syslog', state: 'present', createdBy: 'mallory' });
    expect(page.get('ahead')).toMatchObject({ source: 'syslog', state: 'present', createdBy: 'mallory' });
  });

  it('its last login is the latest the skew rule places by the end of the period', () => {
    expect({ ahead: page.get('ahead')?.lastLogin, plain: page.get('plain')?.lastLogin }).toEqual({ ahead: TO + 2 * HOUR + 5 * MIN, plain: TO - 50 * MIN });
  });

  it('aaawatch accounts --from --to and aaawatch report list the same accounts', async () => {
    // Given to the second, the end covers its second (05:00:00.999).
    const period = ['--from', iso(FROM), '--to', iso(TO), '--config', configFile];
    const listed = await aaawatch(['accounts', ...period, '--json'], env);
    expect(listed.stderr).toBe('');
    const rows = listed.stdout.trim().split('\n').map((l) => JSON.parse(l) as { account: string; state: string });
    expect(rows.map((r) => r.account).sort()).toEqual(['ahead', 'aheadnear', 'behind', 'gone', 'plain']);
    const out = join(tempDir(), 'accounts.csv');
    const report = await aaawatch(['report', '--format', 'accounts', '--out', out, ...period], env);
    expect(report.code).toBe(0);
    const accounts = readFileSync(out, 'utf8').split('\n').filter((l) => l.startsWith(`${ASA_FW.name},`)).map((l) => l.split(',')[1]);
    expect(accounts.sort()).toEqual(['ahead', 'aheadnear', 'behind', 'gone', 'plain']);
  });

  it("the exports' header counts the records the rows are read from, placed the same way", async () => {
    expect(await recordsIn(FROM)).toBe(PLACED_IN_PERIOD);
    expect(await recordsIn(FROM_WIDE)).toBe(PLACED_IN_WIDE);
  });

  it('the exports hold the same rows', () => {
    expect([...exported.keys()].sort()).toEqual(['ahead', 'aheadnear', 'behind', 'gone', 'plain']);
    expect(exported.get('gone')).toMatchObject({ state: 'removed' });
    expect({ ahead: exported.get('ahead')?.lastLogin, plain: exported.get('plain')?.lastLogin }).toEqual({ ahead: TO + 2 * HOUR + 5 * MIN, plain: TO - 50 * MIN });
  });
});

it('madeAtSql places a record as madeAt does (SQLite; PostgreSQL reads the same expression above)', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE e (time INTEGER, received_at INTEGER, transport TEXT)');
  const insert = db.prepare('INSERT INTO e VALUES (?, ?, ?)');
  const cases: Array<[number, number, string]> = [];
  let seed = 7;
  const next = (): number => (seed = (seed * 48271) % 2147483647);
  for (let i = 0; i < 2000; i++) {
    const received = T0 + (next() % (10 * HOUR));
    const offset = [0, 1, -1, 5 * MIN, -5 * MIN, 5 * MIN + 1, -(5 * MIN + 1), 3 * HOUR, -3 * HOUR][next() % 9]! + (next() % 3) - 1;
    cases.push([received + offset, received, next() % 5 === 0 ? 'file' : 'udp']);
  }
  for (const c of cases) insert.run(...c);
  const got = db.prepare(`SELECT ${madeAtSql('', ':skew')} FROM e ORDER BY rowid`).pluck().all({ skew: 5 * MIN }) as number[];
  expect(got).toEqual(cases.map(([t, r, transport]) => (transport === 'file' ? t : madeAt(t, r, 5 * MIN))));
  db.close();
});

it('madeWithinSql picks the records madeSince and madeBy place in a period, a clock off by more than STAMP_MARGIN_MS by its stamp at either end', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE e (time INTEGER, received_at INTEGER, transport TEXT)');
  const insert = db.prepare('INSERT INTO e VALUES (?, ?, ?)');
  const from = T0 + 2 * HOUR;
  const to = T0 + 8 * HOUR;
  const cases: Array<[number, number, string]> = [];
  let seed = 11;
  const next = (): number => (seed = (seed * 48271) % 2147483647);
  for (let i = 0; i < 3000; i++) {
    const received = T0 + (next() % (10 * HOUR));
    const offset = [0, 1, -1, 5 * MIN, -5 * MIN, 5 * MIN + 1, -(5 * MIN + 1), 3 * HOUR, -3 * HOUR, STAMP_MARGIN_MS + 3 * HOUR, -(STAMP_MARGIN_MS + 3 * HOUR)][next() % 11]! + (next() % 3) - 1;
    cases.push([received + offset, received, next() % 5 === 0 ? 'file' : 'udp']);
  }
  for (const c of cases) insert.run(...c);
  const got = db.prepare(`SELECT ${madeWithinSql('', ':from', ':to', ':skew')} FROM e ORDER BY rowid`).pluck().all({ from, to, skew: 5 * MIN }) as number[];
  const within = cases.map(([t, r, transport]) => {
    const received = transport === 'file' ? t : r;
    return madeSince(t, received, from, 5 * MIN) && madeBy(t, received, to, 5 * MIN) ? 1 : 0;
  });
  expect(got).toEqual(within);
  // Each end's margin is met: some records placed inside by their receipt, stamped outside, and some a day off left out.
  expect(cases.filter(([t], i) => within[i] && (t < from || t > to)).length).toBeGreaterThan(0);
  expect(cases.filter(([t, r], i) => !within[i] && r >= from && r <= to && Math.abs(t - r) > STAMP_MARGIN_MS).length).toBeGreaterThan(0);
  db.close();
});
