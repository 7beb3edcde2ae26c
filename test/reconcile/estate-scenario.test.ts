// One scenario, both engines, the same findings: syslog lines made into records by the real
// pipeline and written by each engine's own store writer (SQLite's BatchStore; on PostgreSQL
// PgBatchWriter as two collectors), pulls recorded through each engine's pull store, a roster, and
// reconciliation as it runs in production — run.ts `reconcile` on SQLite, the estate leader's
// `reconcileEstate` on PostgreSQL (and, on SQLite, `reconcileEstate` over the SQLite EstateStore too,
// which must agree with run.ts). What both must raise: account-created for a user made by a CLI
// command (the device's log) and accounted by tac_plus (the AAA server's syslog), attributed to the
// latest of those records with the actor's address from his login; the same account, once a pull
// shows it, attributed to it as well (on PostgreSQL the records received by collector a, the pulls
// made by collector b); an account a pull shows that no record made (unlogged-change); a device heard from an
// address that is not its own (sender-mismatch); and the alerts queued for them.

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Digest } from '../../src/pull/digest.js';
import type { HostKey } from '../../src/pull/hostkeys.js';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import type { ReconcileOptions } from '../../src/reconcile/run.js';
import type { LocalAccount } from '../../src/types.js';
import { describeEngines } from '../support/engines.js';
import { postgresSide, sqliteSide, type RunCounts, type Side } from '../support/reconcile-sides.js';
import { tempDir } from '../support/temp.js';
import { iosLine } from './support.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 10, 20, 9, 0);
const roster = parseRosterYaml('administrators: [jdoe]\naccounts:\n  - { name: jdoe, devices: ["*"], privilege: 15, type: human }\n', 'roster.yaml');
const devices = [
  { name: 'sw1', platform: 'cisco-ios', groups: [] },
  { name: 'sw2', platform: 'cisco-ios', groups: [] },
];
const options = (now: number): ReconcileOptions => ({
  roster, devices, dormantDays: 90, silentHours: 24 * 365, requiredChecks: [], collectorAddresses: ['192.0.2.10'], skewMs: 5 * MIN, now,
  senders: { inventory: [{ name: 'sw1', address: '192.0.2.1' }, { name: 'sw2', address: '192.0.2.2' }], relays: [] },
});

const hostKey: HostKey = { type: 'ssh-ed25519', blob: createHash('sha256').update('sw').digest(), fingerprint: 'SHA256:sw' };
const user = (name: string, privilege: string): LocalAccount => ({ name, privilege, roles: [], credentials: ['secret'], lines: [`username ${name} privilege ${privilege} secret 9 <redacted>`] });
const digestOf = (accounts: LocalAccount[]): Digest => {
  const text = ['hostname sw1', ...accounts.map((a) => a.lines[0]), 'logging host 192.0.2.10', 'aaa accounting commands 15 default start-stop group tacacs+'].join('\n');
  return { redacted: text, hash: createHash('sha256').update(text).digest('hex'), accounts };
};
const pulled = (at: number, accounts: LocalAccount[]) => ({
  device: 'sw1', platform: 'cisco-ios', startedAt: at - 1000, finishedAt: at, attempts: 1, digest: digestOf(accounts), hostKey, keySource: 'tofu' as const,
});

let seq = 1;
const ios = (host: string, t: number, tag: string, text: string): string => iosLine(seq++, host, t, tag, text);
/** jdoe logs in from 10.1.2.3 and makes ghost with full rights: the device's own log, and tac_plus's accounting of the command. */
const creation = (t: number): string[] => [
  ios('sw1', t - MIN, 'SEC_LOGIN-5-LOGIN_SUCCESS', 'Login Success [user: jdoe] [Source: 10.1.2.3] [localport: 22] at 09:09:00 UTC Fri Nov 20 2026'),
  ios('sw1', t, 'PARSER-5-CFGLOG_LOGGEDCMD', 'User:jdoe  logged command:username ghost privilege 15 secret 9 $9$AbCdEfGhIjKlMn$SECRETSECRETSECRETSECRETSECRETSECRETSECRE'),
];
/** tac_plus's accounting of the same command, as the AAA server sends it by syslog. */
const accounted = (t: number): string[] => {
  const stamp = new Date(t).toUTCString().slice(8, 11) + ' ' + new Date(t).toUTCString().slice(5, 7) + ' ' + new Date(t).toISOString().slice(11, 19);
  return [`<86>${stamp} tacsrv tac_plus[77]: sw1\tjdoe\ttty1\t10.1.2.3\tstop\ttask_id=5\ttimezone=UTC\tservice=shell\tpriv-lvl=15\tcmd=username ghost privilege 15 secret 0 Cleartext1 <cr>`];
};
/** A line naming sw2 that does not come from sw2's address. */
const forged = (t: number): string[] => [ios('sw2', t, 'SYS-5-CONFIG_I', 'Configured from console by vty0 (10.9.9.9)')];

/** A finding as both engines must give it: the record it is attributed to named by its command, not by an id each engine numbers its own way. */
interface Seen {
  kind: string;
  device: string;
  account: string;
  severity: string;
  status: string;
  attribution: string | null;
  records: string[];
}

/** What both engines must raise: the acceptance test of reconciliation on PostgreSQL. */
const EXPECTED: Seen[] = [
  {
    kind: 'account-created', device: 'sw1', account: 'ghost', severity: 'critical', status: 'open',
    attribution: 'ghost (privilege 15) on sw1 created 2026-11-20 09:10 UTC by jdoe from 10.1.2.3 over CLI (TACACS+ accounted), recorded by device log and TACACS+ accounting, outside any change window',
    records: [
      'account account.create by jdoe: username ghost privilege 15 secret 0 <redacted>',
      'account account.create by jdoe: username ghost privilege 15 secret 9 <redacted>',
      'command command by jdoe: username ghost privilege 15 secret 0 <redacted>',
      'command command by jdoe: username ghost privilege 15 secret 9 <redacted>',
      'session login by jdoe',
    ],
  },
  {
    kind: 'sender-mismatch', device: 'sw2', account: '', severity: 'high', status: 'open',
    attribution: null,
    records: [
      'command command by null: Configured from console by vty0 (10.9.9.9)',
    ],
  },
  {
    kind: 'telemetry-gap', device: 'sw1', account: '', severity: 'medium', status: 'resolved',
    attribution: null,
    records: [],
  },
  {
    kind: 'telemetry-gap', device: 'sw2', account: '', severity: 'medium', status: 'resolved',
    attribution: null,
    records: [],
  },
  {
    kind: 'unauthorised-account', device: 'sw1', account: 'ghost', severity: 'critical', status: 'open',
    attribution: 'ghost (privilege 15) on sw1 created 2026-11-20 09:10 UTC by jdoe from 10.1.2.3 over CLI (TACACS+ accounted), recorded by device log and TACACS+ accounting, outside any change window',
    records: [
      'account account.create by jdoe: username ghost privilege 15 secret 0 <redacted>',
      'account account.create by jdoe: username ghost privilege 15 secret 9 <redacted>',
      'command command by jdoe: username ghost privilege 15 secret 0 <redacted>',
      'command command by jdoe: username ghost privilege 15 secret 9 <redacted>',
      'session login by jdoe',
    ],
  },
  {
    kind: 'unauthorised-account', device: 'sw1', account: 'sneaky', severity: 'critical', status: 'open',
    attribution: 'sneaky (privilege 15) on sw1 appeared between the pulls of 2026-11-20 09:00 UTC and 2026-11-20 10:00 UTC; no record explains it (the configuration was changed by jdoe, last at 2026-11-20 09:10 UTC, without the command being logged)',
    records: [
      'command command by jdoe: username ghost privilege 15 secret 0 <redacted>',
      'command command by jdoe: username ghost privilege 15 secret 9 <redacted>',
    ],
  },
  {
    kind: 'unlogged-change', device: 'sw1', account: 'sneaky', severity: 'critical', status: 'open',
    attribution: 'sneaky (privilege 15) on sw1 appeared between the pulls of 2026-11-20 09:00 UTC and 2026-11-20 10:00 UTC; no record explains it (the configuration was changed by jdoe, last at 2026-11-20 09:10 UTC, without the command being logged)',
    records: [
      'command command by jdoe: username ghost privilege 15 secret 0 <redacted>',
      'command command by jdoe: username ghost privilege 15 secret 9 <redacted>',
    ],
  },
];

/** The scenario; returns each run's counts. */
async function play(side: Side): Promise<RunCounts[]> {
  // The first run on an empty store: account records from now on raise account-created.
  const runs = [await side.run(options(T0 - HOUR))];
  // sw2's telemetry gap accepted by a person until 10:30: it reopens at the next run, then resolves (sw2 is heard from).
  await side.exec(
    `INSERT INTO finding_history (finding_id, at, by, from_status, to_status, reason, until, severity)
     SELECT id, ?, 'netlead', 'open', 'accepted', 'known gap', ?, severity FROM findings WHERE kind = 'telemetry-gap' AND device = 'sw2'`,
    T0, T0 + 90 * MIN,
  );
  await side.exec(`UPDATE findings SET status = 'accepted', accepted_until = ?, updated_at = ? WHERE kind = 'telemetry-gap' AND device = 'sw2'`, T0 + 90 * MIN, T0);
  await side.pulls.recordSuccess(pulled(T0, [user('jdoe', '15')]));
  // Records of the creation reach collector a; the forged line collector b, which pulls.
  await side.ingest(creation(T0 + 10 * MIN), '192.0.2.1', 'a', T0 + 15 * MIN);
  await side.ingest(accounted(T0 + 10 * MIN + 5000), '192.0.2.50', 'a', T0 + 15 * MIN);
  await side.ingest(forged(T0 + 11 * MIN), '198.51.100.9', 'b', T0 + 15 * MIN);
  await side.pulls.recordSuccess(pulled(T0 + HOUR, [user('jdoe', '15'), user('ghost', '15'), user('sneaky', '15')]));
  runs.push(await side.run(options(T0 + 2 * HOUR)));
  await side.outbox.collect(['hook'], 'high', T0 + 2 * HOUR);
  return runs;
}

/** The findings, each attributed record told by what it says (ids are each engine's own). */
async function findingsOf(side: Side): Promise<Seen[]> {
  const out: Seen[] = [];
  for (const r of await side.rows('SELECT kind, device, account, severity, status, attribution, evidence FROM findings ORDER BY kind, device, account')) {
    const records: string[] = [];
    for (const id of (JSON.parse(r.evidence as string) as { events?: number[] }).events ?? []) {
      const [x] = (await side.rows('SELECT kind, action, actor, command FROM events WHERE id = ?', id)) as Array<{ kind: string; action: string; actor: string; command: string | null }>;
      records.push(`${x!.kind} ${x!.action} by ${x!.actor}${x!.command ? `: ${x!.command}` : ''}`);
    }
    out.push({
      kind: r.kind as string, device: r.device as string, account: r.account as string, severity: r.severity as string, status: r.status as string,
      attribution: (r.attribution as string | null) ?? null, records: records.sort(),
    });
  }
  return out;
}

async function alertsOf(side: Side): Promise<unknown[]> {
  return (await side.rows('SELECT destination, event, payload FROM alert_outbox ORDER BY id')).map((r) => {
    const f = (JSON.parse(r.payload as string) as { finding: { kind: string; device: string; account: string; severity: string } }).finding;
    return { destination: r.destination, event: r.event, kind: f.kind, device: f.device, account: f.account, severity: f.severity };
  });
}

const EXPECTED_ALERTS = [
  { destination: 'hook', event: 'new', kind: 'account-created', device: 'sw1', account: 'ghost', severity: 'critical' },
  { destination: 'hook', event: 'new', kind: 'unlogged-change', device: 'sw1', account: 'sneaky', severity: 'critical' },
  { destination: 'hook', event: 'new', kind: 'unauthorised-account', device: 'sw1', account: 'ghost', severity: 'critical' },
  { destination: 'hook', event: 'new', kind: 'unauthorised-account', device: 'sw1', account: 'sneaky', severity: 'critical' },
  { destination: 'hook', event: 'new', kind: 'sender-mismatch', device: 'sw2', account: '', severity: 'high' },
];

describeEngines('the same findings from the same records', (engine) => {
  let side: Side;
  let runs: RunCounts[];
  beforeAll(async () => {
    const target = await engine.fresh();
    side = target.kind === 'sqlite' ? sqliteSide(target.path) : await postgresSide(target);
    runs = await play(side);
  });
  afterAll(() => side?.close());

  it('raises account-created, attributes the account to its record, and raises unlogged-change and sender-mismatch', async () => {
    expect(await findingsOf(side)).toEqual(EXPECTED);
    expect(runs).toEqual([
      { reopened: 0, created: 0, changesJudged: 0, unlogged: 0, senderMismatches: 0 },
      { reopened: 1, created: 1, changesJudged: 2, unlogged: 1, senderMismatches: 1 },
    ]);
  });

  it('reopens an acceptance that ran out, naming who accepted it', async () => {
    expect(
      await side.rows(`SELECT h.by, h.from_status, h.to_status, h.reason FROM finding_history h JOIN findings f ON f.id = h.finding_id
        WHERE f.kind = 'telemetry-gap' AND f.device = 'sw2' ORDER BY h.id`),
    ).toEqual([
      { by: 'aaawatch', from_status: null, to_status: 'open', reason: null },
      { by: 'netlead', from_status: 'open', to_status: 'accepted', reason: 'known gap' },
      { by: 'aaawatch', from_status: 'accepted', to_status: 'open', reason: 'acceptance expired 2026-11-20T10:30:00Z (accepted by netlead)' },
      { by: 'aaawatch', from_status: 'open', to_status: 'resolved', reason: 'syslog arrives and the configuration checks pass' },
    ]);
  });

  it('the account is attributed to the record that made it, whichever collector received it', async () => {
    expect(await side.rows('SELECT name, explained, actor, actor_address, path FROM change_attribution ORDER BY name')).toEqual([
      { name: 'ghost', explained: 1, actor: 'jdoe', actor_address: '10.1.2.3', path: 'tacacs' },
      { name: 'sneaky', explained: 0, actor: null, actor_address: null, path: null },
    ]);
    if (engine.kind === 'postgres') {
      expect(await side.rows(`SELECT DISTINCT collector FROM events WHERE target = 'ghost'`)).toEqual([{ collector: 'a' }]);
      expect(await side.rows('SELECT DISTINCT collector FROM pull_runs')).toEqual([{ collector: 'b' }]);
    }
  });

  it('queues the same alerts: each finding of high severity and above, once', async () => {
    expect(await alertsOf(side)).toEqual(EXPECTED_ALERTS);
  });
});

describe('on SQLite, the estate\'s run and run.ts', () => {
  it('reconcileEstate over the SQLite EstateStore raises what run.ts raised', async () => {
    const dir = tempDir('aaawatch-estate-');
    const runTs = sqliteSide(join(dir, 'run-ts.db'), false);
    const estate = sqliteSide(join(dir, 'estate.db'), true);
    try {
      expect(await play(estate)).toEqual(await play(runTs));
      expect(await findingsOf(estate)).toEqual(EXPECTED);
      expect(await alertsOf(estate)).toEqual(EXPECTED_ALERTS);
    } finally {
      await runTs.close();
      await estate.close();
    }
  });
});
