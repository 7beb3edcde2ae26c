// An ASA's 502101 without `Executed by:` whose 111008/111010 arrives after account-created was
// raised (seconds or minutes later, other administrators' commands about other accounts in
// between, or before it): the finding is attributed again by the next full run and names the
// one whose command names the account, with that line's address and path, its severity judged by
// them, its decision kept (not reopened, not counted as a repeat); the pull's attribution that
// named no one is updated with it; the Accounts row names the same maker. Both engines; and a
// running serve runs again by itself shortly after such a finding, with no other trigger.
// Lines in the shapes of test/corpus/syslog/cisco-asa (asa-unnamed-creator.test.ts's).

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { RosterIndex } from '../../src/reconcile/evaluate.js';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import { ReconcileService } from '../../src/reconcile/service.js';
import { openDatabase } from '../../src/store/db.js';
import { ASA_FW, asaLine, asaOptions, asaPull } from '../support/asa-fw.js';
import { describeEngines } from '../support/engines.js';
import { postgresSide, sqliteSide, type Side } from '../support/reconcile-sides.js';
import { tempDir } from '../support/temp.js';

const S = 1000;
const MIN = 60 * S;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 11, 6, 2, 0);
const AT = T0 + 10 * MIN;
const ROSTER = 'administrators: [jdoe, asmith]\naccounts:\n  - { name: jdoe, devices: ["*"], privilege: 15, type: human }\n';
const roster = parseRosterYaml(ROSTER, join(tempDir(), 'roster.yaml'));
const added = (t: number, name: string): string => asaLine(t, 'ASA-5-502101', `New user added to local dbase: Uname: ${name} Priv: 15 Encpass: *****`);
const cmd = (name: string): string => `username ${name} password ***** privilege 15`;
const ran = (t: number, who: string, from: string, app: string, command: string): string =>
  asaLine(t, 'ASA-5-111010', `User '${who}', running '${app}' from IP ${from}, executed '${command}'`);


const P1 = T0 + HOUR;
/** late-pull: made just before P1; the pull's change is judged before its command arrives (more than the skew late). */
const LP = P1 - 30 * S;

interface Row {
  account: string;
  severity: string;
  status: string;
  occurrences: number;
  summary: string;
  attribution: string;
}

describeEngines('ASA 502101 without Executed by: whose command arrives later', (engine) => {
  let side: Side;
  const before: Record<string, Row> = {};
  let after: Record<string, Row> = {};
  let history: Array<{ account: string; reason: string | null }> = [];

  const findings = async (): Promise<Record<string, Row>> =>
    Object.fromEntries(((await side.rows(`SELECT account, severity, status, occurrences, summary, attribution FROM findings WHERE kind = 'account-created'`)) as unknown as Row[]).map((r) => [r.account, { ...r, occurrences: Number(r.occurrences) }]));

  beforeAll(async () => {
    const target = await engine.fresh();
    side = target.kind === 'sqlite' ? sqliteSide(target.path) : await postgresSide(target);
    await side.pulls.recordSuccess(asaPull(T0, ['jdoe']));
    await side.run(asaOptions(roster, T0 + MIN));
    // late-a: its command 2 s later by the device's clock, received 40 s later. late-b: asmith's,
    // 5 s later, received 3 minutes later, jdoe's commands about another account in between.
    // early: its command received before it (already named when raised).
    await side.ingest([ran(AT - 2 * S, 'jdoe', '10.1.1.4', 'CLI', cmd('early'))], ASA_FW.address, 'a', AT - S);
    await side.ingest([added(AT, 'late-a'), added(AT, 'late-b'), added(AT, 'early')], ASA_FW.address, 'a', AT + S);
    await side.run(asaOptions(roster, AT + 2 * S));
    Object.assign(before, await findings());
    // A reviewer acknowledged late-a before it was named: the decision stays.
    const lateA = Number((await side.rows(`SELECT id FROM findings WHERE kind = 'account-created' AND account = 'late-a'`))[0]!.id);
    await side.exec(`UPDATE findings SET status = 'acknowledged' WHERE id = ?`, lateA);
    await side.ingest([ran(AT + 2 * S, 'jdoe', '10.1.1.4', 'CLI', cmd('late-a'))], ASA_FW.address, 'a', AT + 40 * S);
    await side.run(asaOptions(roster, AT + MIN));
    await side.ingest(
      [ran(AT + 3 * S, 'jdoe', '10.1.1.4', 'CLI', cmd('other-x')), asaLine(AT + 4 * S, 'ASA-5-111008', `User 'jdoe' executed the 'show running-config' command.`), ran(AT + 5 * S, 'asmith', '2001:db8::5', 'ASDM', cmd('late-b'))],
      ASA_FW.address, 'a', AT + 3 * MIN,
    );
    await side.run(asaOptions(roster, AT + 4 * MIN));
    // late-pull: made before P1, the pull shows it, judged at P1 + 6 min, its command received after that.
    await side.ingest([added(LP, 'late-pull')], ASA_FW.address, 'a', LP + S);
    await side.pulls.recordSuccess(asaPull(P1, ['jdoe', 'late-a', 'late-b', 'early', 'late-pull']));
    await side.run(asaOptions(roster, P1 + 6 * MIN));
    await side.ingest([ran(LP + S, 'jdoe', '10.1.1.4', 'CLI', cmd('late-pull'))], ASA_FW.address, 'a', P1 + 7 * MIN);
    await side.run(asaOptions(roster, P1 + 8 * MIN));
    after = await findings();
    history = (await side.rows(`SELECT f.account, h.reason FROM finding_history h JOIN findings f ON f.id = h.finding_id WHERE f.kind = 'account-created' ORDER BY h.id`)) as typeof history;
  });
  afterAll(() => side?.close());

  it('raised unnamed, named by the command that arrived later, with its address and path, judged by its maker', () => {
    expect(before['late-a']!.attribution).toContain('by an unnamed actor');
    expect(before['late-b']!.attribution).toContain('by an unnamed actor');
    expect(after['late-a']!.attribution).toBe('late-a (privilege 15) on fw1 created 2026-12-06 02:10 UTC by jdoe from 10.1.1.4 over CLI, recorded by device log, outside any change window');
    expect(after['late-a']!.summary).toContain('by jdoe (jdoe is an authorised administrator');
    expect(after['late-b']!.attribution).toMatch(/ by asmith from 2001:db8::5 over web GUI, /);
    expect(after['late-b']!.summary).toContain('by asmith (asmith is an authorised administrator');
    expect(after['late-pull']!.attribution).toMatch(/ by jdoe from 10\.1\.1\.4 over CLI, /);
  });

  it('whatever the order: a command received first names it at once', () => {
    expect(before.early!.attribution).toMatch(/ by jdoe from 10\.1\.1\.4 over CLI, /);
  });

  it('keeps the decision and counts no repeat; a severity that rises is written to the history (and alerted)', () => {
    expect([after['late-a']!.status, after['late-a']!.occurrences]).toEqual(['acknowledged', 1]);
    expect(after['late-b']!.occurrences).toBe(1);
    // Unnamed: not an authorised administrator (high or critical); named administrators outside a window: lower, not written.
    expect(history.filter((h) => h.reason?.startsWith('attributed again'))).toEqual([]);
  });

  it('the pull\'s attribution that named no one is updated', async () => {
    expect(await side.rows(`SELECT name, explained, actor, actor_address, path FROM change_attribution WHERE device = 'fw1' AND change = 'added' ORDER BY name`)).toEqual([
      { name: 'early', explained: 1, actor: 'jdoe', actor_address: '10.1.1.4', path: 'cli' },
      { name: 'late-a', explained: 1, actor: 'jdoe', actor_address: '10.1.1.4', path: 'cli' },
      { name: 'late-b', explained: 1, actor: 'asmith', actor_address: '2001:db8::5', path: 'gui' },
      { name: 'late-pull', explained: 1, actor: 'jdoe', actor_address: '10.1.1.4', path: 'cli' },
    ]);
  });

  it('the Accounts rows name the same makers', async () => {
    const ctx = { roster: new RosterIndex(roster), inventory: new Map([[ASA_FW.name, { name: ASA_FW.name, platform: ASA_FW.platform, groups: [] }]]), dormantDays: 90, from: T0, to: P1 + 10 * MIN };
    const rows = (await (await side.access()).populationPage(ctx, {}, undefined, 100)).rows.filter((r) => r.account !== 'jdoe');
    expect(rows.map((r) => [r.account, r.createdBy, r.createdFrom, r.createdPath])).toEqual([
      ['early', 'jdoe', '10.1.1.4', 'cli'],
      ['late-a', 'jdoe', '10.1.1.4', 'cli'],
      ['late-b', 'asmith', '2001:db8::5', 'gui'],
      ['late-pull', 'jdoe', '10.1.1.4', 'cli'],
    ]);
  });
});

describe('ASA 502101 without Executed by:, in a running serve', () => {
  it('a creation pass raises it unnamed; the service runs again shortly after by itself and names the maker whose command arrived since', async () => {
    const dir = tempDir('aaawatch-named-');
    const path = join(dir, 'store.db');
    const rosterFile = join(dir, 'roster.yaml');
    writeFileSync(rosterFile, ROSTER);
    const side = sqliteSide(path);
    const config = configSchema.parse({ store: { path }, reconcile: { roster: rosterFile, telemetry: { collectorAddresses: ['192.0.2.10'] } } });
    const db = openDatabase(path);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const service = new ReconcileService({ config, db, log: pino({ level: 'silent' }), now: () => AT + MIN });
    const attribution = (): string => (db.prepare(`SELECT attribution FROM findings WHERE kind = 'account-created' AND account = 'late-a'`).get() as { attribution: string }).attribution;
    try {
      await side.ingest([added(AT, 'late-a')], ASA_FW.address, 'a', AT + S);
      service.accountEvents();
      await vi.advanceTimersByTimeAsync(1100);
      expect(attribution()).toContain('by an unnamed actor');
      await side.ingest([ran(AT + 2 * S, 'jdoe', '10.1.1.4', 'CLI', cmd('late-a'))], ASA_FW.address, 'a', AT + 10 * S);
      await vi.advanceTimersByTimeAsync(15_000);
      expect(attribution()).toMatch(/ by jdoe from 10\.1\.1\.4 over CLI, /);
    } finally {
      vi.useRealTimers();
      await service.stop();
      db.close();
      await side.close();
    }
  });
});
