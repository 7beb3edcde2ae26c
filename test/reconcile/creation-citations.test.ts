// Who made an account, and the records that show it, when one administrator makes several accounts
// seconds apart: each account's finding, its Accounts row (the page, its case and the export's
// review) cite only records about that account on that device — its own account records, the
// commands that name it, and its creator's sign-in — never the commands that made the others; and
// an account made from ASDM says so (`over web GUI`, path `gui`) from the 111010 line of its
// change, which 502101 lacks. Both engines: records written by each engine's own store writer,
// reconciled as production runs it (run.ts on SQLite, the estate leader on PostgreSQL), read
// through each engine's web data access.
//
// Lines in the shapes of the real devices' logs (test/corpus: ASA 111008/111010/502101/605005 as
// Cisco's ASA syslog guide prints them, with `logging device-id hostname`; IOS archive logging;
// NX-OS accounting; Junos UI_CMDLINE_READ_LINE); names and addresses invented. The ASA's lines
// come in both orders: the commands before 502101 (fw1) and after it (fw2).

import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Digest } from '../../src/pull/digest.js';
import type { HostKey } from '../../src/pull/hostkeys.js';
import { commandNames } from '../../src/reconcile/attribution.js';
import { RosterIndex } from '../../src/reconcile/evaluate.js';
import type { PopulationContext, PopulationRow } from '../../src/reconcile/population.js';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import type { ReconcileOptions } from '../../src/reconcile/run.js';
import type { LocalAccount } from '../../src/types.js';
import { configSchema } from '../../src/config/schema.js';
import { describeEngines } from '../support/engines.js';
import { postgresSide, sqliteSide, type Side } from '../support/reconcile-sides.js';
import { tempDir } from '../support/temp.js';
import { iosLine } from './support.js';

const S = 1000;
const MIN = 60 * S;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 10, 20, 9, 0);
const AT = T0 + 10 * MIN;
const ROSTER = 'administrators: [jdoe]\naccounts:\n  - { name: jdoe, devices: ["*"], privilege: 15, type: human }\n';
const ROSTER_FILE = join(tempDir(), 'roster.yaml');
writeFileSync(ROSTER_FILE, ROSTER);
// The export hashes the roster file it was given.
const roster = parseRosterYaml(ROSTER, ROSTER_FILE);
const DEVICES = [
  { name: 'fw1', platform: 'cisco-asa', address: '192.0.2.11' },
  { name: 'fw2', platform: 'cisco-asa', address: '192.0.2.12' },
  { name: 'r1', platform: 'cisco-ios', address: '192.0.2.13' },
  { name: 'nx1', platform: 'cisco-nxos', address: '192.0.2.14' },
  { name: 'mx1', platform: 'juniper-junos', address: '192.0.2.15' },
];
const options = (now: number): ReconcileOptions => ({
  roster, devices: DEVICES.map((d) => ({ name: d.name, platform: d.platform, groups: [] })), dormantDays: 90, silentHours: 24 * 365, requiredChecks: [],
  collectorAddresses: ['192.0.2.10'], skewMs: 5 * MIN, now, senders: { inventory: DEVICES.map((d) => ({ name: d.name, address: d.address })), relays: [] },
});

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');
const hms = (d: Date): string => `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
/** ASA with `logging timestamp` and `logging device-id hostname`. */
const asa = (host: string, t: number, tag: string, text: string): string => {
  const d = new Date(t);
  return `<166>${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${d.getUTCFullYear()} ${hms(d)} ${host} : %${tag}: ${text}`;
};
let seq = 1;
const ios = (t: number, tag: string, text: string): string => iosLine(seq++, 'r1', t, tag, text);
/** NX-OS's accounting log as it sends it by syslog. */
const nxos = (t: number, text: string): string => {
  const d = new Date(t);
  return `<190>${d.getUTCFullYear()} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${hms(d)} nx1 %AAA-6-AAA_ACCOUNTING_MESSAGE: ${text}`;
};
const junos = (t: number, user: string, command: string): string => {
  const d = new Date(t);
  return `<189>${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${hms(d)} mx1 mgd[4242]: UI_CMDLINE_READ_LINE: User '${user}', command '${command} '`;
};

/** jdoe signs in to an ASA over SSH, then makes tac1 on the CLI, tac2 (502101 alone), tac3 from ASDM; `commandsFirst`: each 111008/111010 before its 502101. */
function asaLines(host: string, commandsFirst: boolean): string[] {
  const made = (t: number, name: string, commands: string[]): string[] => {
    const added = asa(host, t, 'ASA-5-502101', `New user added to local dbase: Uname: ${name} Priv: 15 Encpass: ***** Executed by: jdoe`);
    return commandsFirst ? [...commands, added] : [added, ...commands];
  };
  const cmd = (name: string): string => `username ${name} password ***** privilege 15`;
  return [
    asa(host, AT - MIN, 'ASA-6-605005', `Login permitted from 10.1.1.4/51234 to management:192.0.2.1/ssh for user "jdoe"`),
    ...made(AT, 'tac1', [
      asa(host, AT, 'ASA-5-111008', `User 'jdoe' executed the '${cmd('tac1')}' command.`),
      asa(host, AT, 'ASA-5-111010', `User 'jdoe', running 'CLI' from IP 10.1.1.4, executed '${cmd('tac1')}'`),
    ]),
    ...made(AT + 3 * S, 'tac2', []),
    ...made(AT + 6 * S, 'tac3', [asa(host, AT + 6 * S, 'ASA-5-111010', `User 'jdoe', running 'ASDM' from IP 10.1.1.5, executed '${cmd('tac3')}'`)]),
  ];
}

const LINES: Record<string, string[]> = {
  fw1: asaLines('fw1', true),
  fw2: asaLines('fw2', false),
  r1: [
    ios(AT - MIN, 'SEC_LOGIN-5-LOGIN_SUCCESS', 'Login Success [user: jdoe] [Source: 10.1.2.3] [localport: 22] at 09:09:00 UTC Fri Nov 20 2026'),
    ...['tac1', 'tac2', 'tac3'].map((n, i) => ios(AT + i * 2 * S, 'PARSER-5-CFGLOG_LOGGEDCMD', `User:jdoe  logged command:username ${n} privilege 15 secret 9 $9$AbCdEfGhIjKlMn$SECRETSECRETSECRETSECRETSECRETSECRETSECRE`)),
  ],
  // Made in the other order: tac3 first.
  nx1: ['tac3', 'tac2', 'tac1'].map((n, i) => nxos(AT + i * 2 * S, `update:10.1.3.4@pts/0:jdoe:configure terminal ; username ${n} password 5 $5$Kd1L$abc role network-admin (SUCCESS)`)),
  mx1: ['tac1', 'tac2', 'tac3'].map((n, i) => junos(AT + i * 2 * S, 'jdoe', `set system login user ${n} class super-user`)),
};

/** How each account was made, as its row must say: path, and the address it was made from. */
const EXPECTED: Record<string, Record<string, { path: string | null; from: string | null }>> = {
  fw1: { tac1: { path: 'cli', from: '10.1.1.4' }, tac2: { path: null, from: '10.1.1.4' }, tac3: { path: 'gui', from: '10.1.1.5' } },
  fw2: { tac1: { path: 'cli', from: '10.1.1.4' }, tac2: { path: null, from: '10.1.1.4' }, tac3: { path: 'gui', from: '10.1.1.5' } },
  r1: { tac1: { path: 'cli', from: '10.1.2.3' }, tac2: { path: 'cli', from: '10.1.2.3' }, tac3: { path: 'cli', from: '10.1.2.3' } },
  nx1: { tac1: { path: 'cli', from: '10.1.3.4' }, tac2: { path: 'cli', from: '10.1.3.4' }, tac3: { path: 'cli', from: '10.1.3.4' } },
  mx1: { tac1: { path: 'cli', from: null }, tac2: { path: 'cli', from: null }, tac3: { path: 'cli', from: null } },
};

const hostKey: HostKey = { type: 'ssh-ed25519', blob: createHash('sha256').update('fw1').digest(), fingerprint: 'SHA256:fw1' };
const asaUser = (name: string): LocalAccount => ({ name, privilege: '15', roles: [], credentials: ['password'], lines: [`username ${name} password <redacted> pbkdf2 privilege 15`] });
/** fw1 pulled an hour later holding the three: its rows are pulled ones, their creation the pull's attribution. */
function fw1Pull(at: number): Parameters<Side['pulls']['recordSuccess']>[0] {
  const accounts = ['jdoe', 'tac1', 'tac2', 'tac3'].map(asaUser);
  const text = ['hostname fw1', ...accounts.map((a) => a.lines[0]), 'logging host inside 192.0.2.10'].join('\n');
  const digest: Digest = { redacted: text, hash: createHash('sha256').update(text).digest('hex'), accounts };
  return { device: 'fw1', platform: 'cisco-asa', startedAt: at - S, finishedAt: at, attempts: 1, digest, hostKey, keySource: 'tofu' as const };
}

interface Cited {
  device: string;
  kind: string;
  action: string;
  actor: string | null;
  target: string | null;
  command: string | null;
}

/** Whether a record is about `account` on `device`: its own account record, a command naming it, or its creator's sign-in there. */
function about(r: Cited, device: string, account: string): boolean {
  if (r.device !== device) return false;
  if (r.kind === 'account') return r.target === account;
  if (r.kind === 'command') return r.command !== null && commandNames(r.command, account);
  return r.kind === 'session' && r.actor === 'jdoe' && (r.action === 'login' || r.action === 'session.start');
}

describeEngines('records cited for accounts made seconds apart', (engine) => {
  let side: Side;
  let ctx: PopulationContext;
  const cited = async (ids: readonly number[]): Promise<Cited[]> => {
    const out: Cited[] = [];
    for (const id of ids) out.push(...((await side.rows('SELECT device, kind, action, actor, target, command FROM events WHERE id = ?', id)) as unknown as Cited[]));
    expect(out).toHaveLength(ids.length);
    return out;
  };

  beforeAll(async () => {
    const target = await engine.fresh();
    side = target.kind === 'sqlite' ? sqliteSide(target.path) : await postgresSide(target);
    await side.run(options(T0 - HOUR));
    for (const d of DEVICES) await side.ingest(LINES[d.name]!, d.address, 'a', AT + MIN);
    await side.pulls.recordSuccess(fw1Pull(T0 + HOUR));
    await side.run(options(T0 + 2 * HOUR));
    ctx = { roster: new RosterIndex(roster), inventory: new Map(DEVICES.map((d) => [d.name, { name: d.name, platform: d.platform, groups: [] }])), dormantDays: 90, from: T0 - HOUR, to: T0 + 3 * HOUR };
  });
  afterAll(() => side?.close());

  it('each account-created finding cites only records about its own account', async () => {
    const found = (await side.rows(`SELECT device, account, attribution, evidence FROM findings WHERE kind = 'account-created' ORDER BY device, account`)) as Array<{ device: string; account: string; attribution: string; evidence: string }>;
    expect(found.map((f) => `${f.device}/${f.account}`)).toEqual(['fw1/tac1', 'fw1/tac2', 'fw1/tac3', 'fw2/tac1', 'fw2/tac2', 'fw2/tac3', 'mx1/tac1', 'mx1/tac2', 'mx1/tac3', 'nx1/tac1', 'nx1/tac2', 'nx1/tac3', 'r1/tac1', 'r1/tac2', 'r1/tac3']);
    for (const f of found) {
      const records = await cited((JSON.parse(f.evidence) as { events: number[] }).events);
      expect(records.filter((r) => !about(r, f.device, f.account)), `${f.device}/${f.account}`).toEqual([]);
      expect(records.some((r) => r.kind === 'account' && r.target === f.account)).toBe(true);
    }
    const sentence = (device: string, account: string): string => found.find((f) => f.device === device && f.account === account)!.attribution;
    expect(sentence('fw2', 'tac3')).toMatch(/^tac3 \(privilege 15\) on fw2 created 2026-11-20 09:10 UTC by jdoe from 10\.1\.1\.5 over web GUI, recorded by device log, /);
    expect(sentence('fw2', 'tac2')).toMatch(/^tac2 \(privilege 15\) on fw2 created 2026-11-20 09:10 UTC by jdoe from 10\.1\.1\.4, recorded by device log, /);
    expect(sentence('fw1', 'tac1')).toMatch(/ by jdoe from 10\.1\.1\.4 over CLI, /);
  });

  // jdoe, held at the first pull with no record of its making, is the device's baseline: not judged.
  it('the pull attributes each account to its own records, ASDM as the web GUI', async () => {
    expect(await side.rows(`SELECT name, explained, actor, actor_address, path FROM change_attribution WHERE device = 'fw1' ORDER BY name`)).toEqual([
      { name: 'tac1', explained: 1, actor: 'jdoe', actor_address: '10.1.1.4', path: 'cli' },
      { name: 'tac2', explained: 1, actor: 'jdoe', actor_address: '10.1.1.4', path: null },
      { name: 'tac3', explained: 1, actor: 'jdoe', actor_address: '10.1.1.5', path: 'gui' },
    ]);
    for (const a of (await side.rows(`SELECT name, evidence FROM change_attribution WHERE device = 'fw1' AND explained = 1`)) as Array<{ name: string; evidence: string }>) {
      const records = await cited((JSON.parse(a.evidence) as { events: number[] }).events);
      expect(records.filter((r) => !about(r, 'fw1', a.name)), a.name).toEqual([]);
    }
  });

  /** Each tac row's creation and records, checked against EXPECTED. */
  async function checkRows(rows: readonly PopulationRow[], where: string): Promise<void> {
    const tacs = rows.filter((r) => r.account.startsWith('tac'));
    expect(tacs.map((r) => `${r.device}/${r.account}`).sort(), where).toEqual(Object.entries(EXPECTED).flatMap(([d, accounts]) => Object.keys(accounts).map((a) => `${d}/${a}`)).sort());
    for (const r of tacs) {
      const want = EXPECTED[r.device]![r.account]!;
      expect({ by: r.createdBy, path: r.createdPath, from: r.createdFrom, source: r.source }, `${where} ${r.device}/${r.account}`)
        .toEqual({ by: 'jdoe', path: want.path, from: want.from, source: r.device === 'fw1' ? 'pulled' : 'syslog' });
      const records = await cited(r.records);
      expect(records.filter((x) => !about(x, r.device, r.account)), `${where} ${r.device}/${r.account}`).toEqual([]);
      // The command that tells the path is among them.
      if (want.path === 'gui') expect(records.some((x) => x.kind === 'command' && x.command?.startsWith(`username ${r.account} `))).toBe(true);
    }
  }

  it('the Accounts page, each account\'s case and the export cite only its own records, and say ASDM\'s path', async () => {
    const access = await side.access();
    const page = await access.populationPage(ctx, {}, undefined, 100);
    await checkRows(page.rows, 'page');
    for (const r of page.rows.filter((x) => x.account.startsWith('tac'))) {
      const c = await access.caseModel({ device: r.device, account: r.account }, ctx);
      expect(c?.row, `case ${r.device}/${r.account}`).toEqual(r);
    }
    const config = configSchema.parse({ store: { path: join(tempDir(), 'unused.db') }, devices: DEVICES.map((d) => ({ name: d.name, address: d.address, platform: d.platform })) });
    const rows = await access.review(config, roster, { now: T0 + 3 * HOUR, from: ctx.from, to: ctx.to, by: 'test' }, async (doc) => doc.rows);
    await checkRows(rows, 'export');
  });
});
