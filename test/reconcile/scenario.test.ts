// A timeline played through the whole pipeline: IOS syslog lines into a real ingest service over
// UDP, configuration pulls from the SSH emulator replaying a real IOS-XE recording (edited the way
// the device's configuration would change), the roster from a file, and the findings that come
// out — raised, attributed, escalated, accepted, reopened and resolved. The clock is the test's:
// Date is faked (and keeps running) so device stamps, pulls and reconciliation share one timeline.

import dgram from 'node:dgram';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { syslogDestinationSchema } from '../../src/config/reconcile.js';
import { parseSyslog } from '../../src/ingest/header.js';
import { SD_ID } from '../../src/reconcile/alerts.js';
import { findingHistory, accept, acknowledge } from '../../src/reconcile/lifecycle.js';
import { populationRow } from '../../src/reconcile/population.js';
import { populationContext } from '../../src/report/document.js';
import { reconcileSetup } from '../../src/reconcile/setup.js';
import { edited, IOS_C9200, iosLine, startPipeline, withUsers, type Pipeline } from './support.js';

const T0 = Date.UTC(2026, 10, 20, 9, 0); // Friday 20 November 2026, 09:00 UTC
const MIN = 60_000;
const HOUR = 60 * MIN;

const ROSTER = `
administrators: [jdoe]
automation: [oxidized]
changeWindows:
  - name: core work
    ticket: CHG-1001
    start: 2026-11-20T09:00:00Z
    end: 2026-11-20T12:00:00Z
    devices: [core-*]
accounts:
  - { name: oxidized, devices: ["*"], privilege: 15, type: service, owner: Backup team, approval: ACC-1, approver: CISO }
  - { name: rocks, devices: [core-sw1], privilege: 1, type: human, owner: R. Ocks, department: NetEng, approval: ACC-2, approver: Head of Networks }
  - { name: alice, devices: [core-*], privilege: 1, type: human, owner: Alice Example, approval: ACC-3, approver: Head of Networks, expires: 2026-11-21 }
  - { name: breakglass, devices: ["*"], privilege: 15, type: break-glass, owner: Head of Networks, approval: ACC-4 }
`;

// core-sw1: the recording as it is (no accounting, no archive logging, no logging host) plus the break-glass account.
const CORE_BASE = withUsers(IOS_C9200(), 'username breakglass privilege 15 secret 9 $9$xxxxxxxxxxSECRET_BREAKGLASSxxxxxxx');
// edge-sw2: the same recording made auditable the way Cisco documents it.
const EDGE = edited(IOS_C9200(), (c) =>
  c
    .replace('aaa session-id common', 'aaa accounting commands 15 default start-stop group tacacs+\naaa session-id common')
    .replace('logging buffered 65536 informational', 'logging buffered 65536 informational\nlogging host 192.0.2.10')
    .replace('!\ntransceiver type all', '!\narchive\n log config\n  logging enable\n  notify syslog contenttype plaintext\n  hidekeys\n!\ntransceiver type all'),
);

let p: Pipeline;
let siem: dgram.Socket;
const alerts: string[] = [];
let seq = 100;
const at = (t: number): void => {
  vi.setSystemTime(t);
};
const line = (host: string, t: number, tag: string, text: string): string => iosLine(seq++, host, t, tag, text);
const login = (host: string, t: number, user: string, from: string): string =>
  line(host, t, 'SEC_LOGIN-5-LOGIN_SUCCESS', `Login Success [user: ${user}] [Source: ${from}] [localport: 22] at ${new Date(t).toISOString().slice(11, 19)} UTC ${new Date(t).toUTCString().slice(0, 3)} Nov ${new Date(t).getUTCDate()} 2026`);
const command = (host: string, t: number, user: string, cmd: string): string => line(host, t, 'PARSER-5-CFGLOG_LOGGEDCMD', `User:${user}  logged command:${cmd}`);
const run = (): ReturnType<Pipeline['service']['run']> => p.service.run();
const one = (kind: string, account?: string, device = 'core-sw1') => {
  const list = p.findings(kind).filter((f) => f.device === device && (account === undefined || f.account === account));
  expect(list, `${kind} ${device} ${account ?? ''}`).toHaveLength(1);
  return list[0]!;
};

/** Poll (real time) until `check` holds: for what the ingest hook does on its own. */
async function eventually(check: () => boolean, ms = 5000): Promise<number> {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > ms) throw new Error('not in time');
    await new Promise((r) => setTimeout(r, 20));
  }
  return performance.now() - start;
}

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: T0, shouldAdvanceTime: true });
  // The SIEM: a UDP syslog receiver.
  siem = dgram.createSocket('udp4');
  siem.on('message', (m) => alerts.push(m.toString('utf8')));
  siem.bind(0, '127.0.0.1');
  await once(siem, 'listening');
  p = await startPipeline(ROSTER, (c) => {
    c.reconcile.alerts.syslog = [syslogDestinationSchema.parse({ name: 'siem', host: '127.0.0.1', port: (siem.address() as AddressInfo).port })];
    c.devices = [
      { name: 'core-sw1', address: '192.0.2.11', platform: 'cisco-ios', groups: ['core'], port: 22, pull: true },
      { name: 'edge-sw2', address: '192.0.2.12', platform: 'cisco-ios', groups: ['edge'], port: 22, pull: true },
    ];
  });
});
afterAll(async () => {
  await p?.stop();
  siem?.close();
  vi.useRealTimers();
});

describe('a week on two switches', () => {
  it('baseline: the first pulls are held against the roster and the devices checked for auditability', async () => {
    await p.send([login('core-sw1', T0, 'oxidized', '192.0.2.10'), login('edge-sw2', T0, 'oxidized', '192.0.2.10')], 2);
    expect((await p.pull('core-sw1', CORE_BASE)).outcome).toBe('changed');
    expect((await p.pull('edge-sw2', EDGE)).outcome).toBe('changed');
    const o = run();
    expect(o.accounts).toBe(5);
    // A device's first pull is its baseline: nothing there is an unlogged change.
    expect(p.findings('unlogged-change')).toEqual([]);
    // rocks is approved for core-sw1 only.
    const rocks = one('unauthorised-account', 'rocks', 'edge-sw2');
    expect(rocks.severity).toBe('medium');
    expect(rocks.summary).toMatch(/^rocks \(privilege 1\) on edge-sw2 is on the roster only for other devices \(.*roster\.yaml:\d+\)$/);
    expect(p.findings('unauthorised-account').filter((f) => f.device === 'core-sw1')).toEqual([]);
    // The break-glass account must exist everywhere.
    expect(one('missing-account', 'breakglass', 'edge-sw2').summary).toContain('breakglass (break-glass, must exist');
    // The real recording logs nothing anywhere useful; the edited one does.
    const gap = one('telemetry-gap', '');
    expect(gap.summary).toContain('command-accounting: no `aaa accounting commands 15');
    expect(gap.summary).toContain('config-logging: configuration commands are not sent to syslog: missing archive › log config');
    expect(gap.summary).toContain('logging-host: no `logging host …`');
    expect(p.findings('telemetry-gap').filter((f) => f.device === 'edge-sw2')).toEqual([]);
  });

  it('an authorised administrator creates an account inside a change window: account-created, low, within seconds', async () => {
    const t = T0 + 30 * MIN;
    at(t);
    const lines = [login('core-sw1', t - MIN, 'jdoe', '10.1.2.3'), command('core-sw1', t, 'jdoe', 'username alice privilege 1 secret *')];
    await p.send(lines, 3);
    // No reconciliation run: the ingest hook alone raises it.
    await eventually(() => p.findings('account-created').length === 1);
    const f = one('account-created', 'alice');
    expect(f.severity).toBe('low');
    expect(f.summary).toBe('account created on core-sw1: alice by jdoe (jdoe is an authorised administrator, inside change window "core work")');
    expect(f.attribution).toBe(
      'alice (privilege 1) on core-sw1 created 2026-11-20 09:30 UTC by jdoe from 10.1.2.3 over CLI, recorded by device log, inside change window "core work" (ticket CHG-1001)',
    );
    expect(f.technique).toBe('T1136.001');
    // The account record, the command record of the same line, and jdoe's login.
    expect(f.evidence.events).toHaveLength(3);
  });

  it('the next pull shows alice: her creation is attributed, she is authorised, nothing is unlogged', async () => {
    at(T0 + HOUR);
    await p.pull('core-sw1', withUsers(CORE_BASE, 'username alice privilege 1 secret 9 $9$xxxxxxxxxxSECRET_ALICExxxxxxxxxxxx'));
    at(T0 + HOUR + 6 * MIN); // past attributionSkewSeconds: late syslog can no longer change the verdict
    const o = run();
    expect(o.changesJudged).toBe(1);
    expect(o.unlogged).toBe(0);
    expect(p.findings('unauthorised-account').filter((f) => f.account === 'alice')).toEqual([]);
    const setup = reconcileSetup(p.config);
    const row = populationRow(p.db, populationContext(p.config, setup.roster, Date.now() - 90 * 86_400_000, Date.now()), { device: 'core-sw1', account: 'alice' })!;
    expect(row).toMatchObject({
      device: 'core-sw1', source: 'pulled', state: 'present', type: 'human', privilege: 'privilege 1', rosterMatch: 'authorised', owner: 'Alice Example', approvalRef: 'ACC-3',
      approver: 'Head of Networks', createdAt: Date.UTC(2026, 10, 20, 9, 30), createdBy: 'jdoe', createdFrom: '10.1.2.3', createdPath: 'cli',
    });
    expect(row.findings.map((f) => [f.kind, f.status])).toEqual([['account-created', 'open']]);
  });

  it('her privilege is raised from 1 to 15: the record refreshes account-created, the pull raises privilege-mismatch', async () => {
    const t = T0 + 70 * MIN;
    at(t);
    await p.send([command('core-sw1', t, 'jdoe', 'username alice privilege 15 secret *')], 2);
    await eventually(() => one('account-created', 'alice').occurrences === 2);
    at(T0 + 90 * MIN);
    await p.pull('core-sw1', withUsers(CORE_BASE, 'username alice privilege 15 secret 9 $9$xxxxxxxxxxSECRET_ALICExxxxxxxxxxxx'));
    at(T0 + 100 * MIN);
    run();
    const m = one('privilege-mismatch', 'alice');
    expect(m.severity).toBe('high');
    expect(m.summary).toMatch(/^alice on core-sw1 holds privilege 15; the roster allows privilege 1 \(.*roster\.yaml:\d+, approval ACC-3\)$/);
    const change = p.db.prepare(`SELECT sentence, explained FROM change_attribution WHERE name = 'alice' AND change = 'changed'`).get() as { sentence: string; explained: number };
    expect(change.explained).toBe(1);
    expect(change.sentence).toBe(
      'alice on core-sw1 changed (privilege 1 → privilege 15) 2026-11-20 10:10 UTC by jdoe from 10.1.2.3 over CLI, recorded by device log, inside change window "core work" (ticket CHG-1001)',
    );
  });

  it('someone else creates a privilege-15 account at night: account-created critical, and unauthorised-account attributed to them', async () => {
    const night = Date.UTC(2026, 10, 21, 2, 13); // Saturday 02:13 UTC
    at(night);
    await p.send([login('core-sw1', night - 2 * MIN, 'mallory', '198.51.100.7'), command('core-sw1', night, 'mallory', 'username backdoor privilege 15 secret *')], 3);
    await eventually(() => p.findings('account-created').some((f) => f.account === 'backdoor'));
    const created = one('account-created', 'backdoor');
    expect(created.severity).toBe('critical');
    expect(created.summary).toBe(
      'account created on core-sw1: backdoor by mallory (mallory is not an authorised administrator, outside any change window, granting full administrative rights)',
    );
    // …and the SIEM has it, as RFC 5424 with the finding in structured data, without waiting for a reconciliation.
    await eventually(() => alerts.some((a) => a.includes('account="backdoor"')));
    const alert = parseSyslog(alerts.find((a) => a.includes('account="backdoor"'))!, { receivedAt: Date.now(), transport: 'udp' });
    expect(alert.severity).toBe(2);
    expect(alert.sd?.[SD_ID]).toMatchObject({ kind: 'account-created', severity: 'critical', device: 'core-sw1', event: 'new' });
    expect(alert.message).toContain('by mallory from 198.51.100.7');
    at(night + 17 * MIN);
    await p.pull('core-sw1', withUsers(CORE_BASE, 'username alice privilege 15 secret 9 $9$xxxxxxxxxxSECRET_ALICExxxxxxxxxxxx', 'username backdoor privilege 15 secret 9 $9$xxxxxxxxxxSECRET_BACKDOORxxxxxxxxx'));
    at(night + 25 * MIN);
    run();
    // Not on the roster with full administration, made by someone who may not: critical.
    const u = one('unauthorised-account', 'backdoor');
    expect(u.severity).toBe('critical');
    expect(u.summary).toBe(
      'backdoor (privilege 15) on core-sw1 is not on the roster; full administrative rights granted by someone not on the authorised administrators list, outside any change window',
    );
    expect(u.attribution).toBe(
      'backdoor (privilege 15) on core-sw1 created 2026-11-21 02:13 UTC by mallory from 198.51.100.7 over CLI, recorded by device log, outside any change window',
    );
    expect(p.findings('unlogged-change')).toEqual([]);
  });

  it('an account added while logging is switched off: unlogged-change', async () => {
    const t = Date.UTC(2026, 10, 21, 3, 0);
    at(t);
    await p.pull(
      'core-sw1',
      withUsers(CORE_BASE, 'username alice privilege 15 secret 9 $9$xxxxxxxxxxSECRET_ALICExxxxxxxxxxxx', 'username backdoor privilege 15 secret 9 $9$xxxxxxxxxxSECRET_BACKDOORxxxxxxxxx', 'username ghost privilege 15 secret 9 $9$xxxxxxxxxxSECRET_GHOSTxxxxxxxxxxxx'),
    );
    at(t + 2 * MIN);
    expect(run().changesJudged).toBe(0); // not yet: a late record could still arrive
    at(t + 6 * MIN);
    const o = run();
    expect(o.unlogged).toBe(1);
    // Privilege 15 with no record of who granted it: critical.
    const u = one('unlogged-change', 'ghost');
    expect(u.severity).toBe('critical');
    expect(u.technique).toBe('T1136.001');
    expect(u.summary).toBe(
      'ghost (privilege 15) on core-sw1 appeared between the pulls of 2026-11-21 02:30 UTC and 2026-11-21 03:00 UTC; no record explains it: a logging blind spot or tampering (full administrative rights with no record of who granted them)',
    );
    expect(one('unauthorised-account', 'ghost').severity).toBe('critical');
    expect(one('unauthorised-account', 'ghost').attribution).toContain('no record explains it');
    // The snapshots it lies between are the evidence, and no secret is in the finding.
    expect(u.evidence.snapshots).toHaveLength(2);
    expect(JSON.stringify(p.findings())).not.toMatch(/SECRET_/);
  });

  it('an account deleted by an administrator: the deletion is attributed, nothing raised', async () => {
    const t = Date.UTC(2026, 10, 21, 4, 0);
    at(t);
    await p.send([command('core-sw1', t, 'jdoe', 'no username rocks')], 2);
    at(t + 30 * MIN);
    await p.pull(
      'core-sw1',
      edited(withUsers(CORE_BASE, 'username alice privilege 15 secret 9 $9$xxxxxxxxxxSECRET_ALICExxxxxxxxxxxx', 'username backdoor privilege 15 secret 9 $9$xxxxxxxxxxSECRET_BACKDOORxxxxxxxxx', 'username ghost privilege 15 secret 9 $9$xxxxxxxxxxSECRET_GHOSTxxxxxxxxxxxx'), (c) =>
        c.replace(/username rocks [^\n]*\n/, ''),
      ),
    );
    at(t + 40 * MIN);
    const o = run();
    expect(o.unlogged).toBe(0);
    const removed = p.db.prepare(`SELECT sentence FROM change_attribution WHERE name = 'rocks' AND change = 'removed'`).get() as { sentence: string };
    expect(removed.sentence).toBe('rocks (privilege 1) on core-sw1 deleted 2026-11-21 04:00 UTC by jdoe over CLI, recorded by device log, outside any change window');
  });

  it('lifecycle: acknowledge, accept with an end, and the roster entry expiring', async () => {
    const backdoor = one('unauthorised-account', 'backdoor');
    acknowledge(p.db, backdoor.id, { by: 'auditor1', path: { kind: 'web', user: 'auditor1' }, reason: 'investigating with the SOC' });
    const gap = one('telemetry-gap', '');
    accept(p.db, gap.id, { by: 'netlead', path: { kind: 'web', user: 'netlead' }, reason: 'logging rollout CHG-2000 covers core-sw1', until: Date.UTC(2026, 10, 23, 23, 59) });
    expect(one('telemetry-gap', '').status).toBe('accepted');

    // Sunday: alice's authorisation ended on the 21st.
    const sunday = Date.UTC(2026, 10, 22, 9, 30);
    at(sunday);
    await p.send([login('core-sw1', sunday - 5 * MIN, 'oxidized', '192.0.2.10')], 1);
    run();
    const expired = one('expired-authorisation', 'alice');
    expect(expired.summary).toMatch(/^alice \(privilege 15\) on core-sw1 is still present; its authorisation expired 2026-11-21 \(/);
    // The privilege-mismatch no longer applies: resolved by aaawatch, with why.
    const mismatch = p.findings('privilege-mismatch', ['resolved']).find((f) => f.account === 'alice')!;
    expect(mismatch.evidence.resolution).toMatchObject({ reason: expect.stringContaining('no longer applies: the account is now "expired"') });
    expect(findingHistory(p.db, mismatch.id).at(-1)).toMatchObject({ by: 'aaawatch', from: 'open', to: 'resolved' });
  });

  it('a device goes silent, and telemetry-gap follows it; syslog again resolves it', async () => {
    const f = one('telemetry-gap', '', 'edge-sw2');
    expect(f.summary).toBe('edge-sw2 is a blind spot: no syslog for 48 hours (last 2026-11-20 09:00 UTC)');
    expect(f.severity).toBe('medium');
    const t = Date.UTC(2026, 10, 22, 10, 0);
    at(t);
    await p.send([login('edge-sw2', t, 'oxidized', '192.0.2.10')], 1);
    run();
    expect(p.findings('telemetry-gap').filter((x) => x.device === 'edge-sw2')).toEqual([]);
    expect(p.findings('telemetry-gap', ['resolved']).find((x) => x.id === f.id)!.evidence.resolution).toMatchObject({ reason: 'syslog arrives and the configuration checks pass' });
  });

  it('an acceptance that expires reopens the finding; removing the accounts resolves theirs, keeping the evidence', async () => {
    const wednesday = Date.UTC(2026, 10, 25, 9, 0);
    at(wednesday);
    await p.send(
      [
        login('core-sw1', wednesday, 'jdoe', '10.1.2.3'),
        login('edge-sw2', wednesday, 'oxidized', '192.0.2.10'),
        command('core-sw1', wednesday + MIN, 'jdoe', 'no username backdoor'),
        command('core-sw1', wednesday + MIN, 'jdoe', 'no username ghost'),
      ],
      6,
    );
    await p.pull(
      'core-sw1',
      edited(withUsers(CORE_BASE, 'username alice privilege 15 secret 9 $9$xxxxxxxxxxSECRET_ALICExxxxxxxxxxxx'), (c) => c.replace(/username rocks [^\n]*\n/, '')),
    );
    at(wednesday + 10 * MIN);
    const o = run();
    expect(o.reopened).toBe(1);
    const gap = one('telemetry-gap', '');
    expect(gap.status).toBe('open');
    expect(findingHistory(p.db, gap.id).map((h) => [h.by, h.from, h.to])).toEqual([
      ['aaawatch', null, 'open'],
      ['netlead', 'open', 'accepted'],
      ['aaawatch', 'accepted', 'open'],
    ]);
    const backdoor = p.findings('unauthorised-account', ['resolved']).find((f) => f.account === 'backdoor')!;
    expect(backdoor.evidence.resolution).toMatchObject({ reason: expect.stringMatching(/^the pull at 2026-11-25 09:0\d UTC \(snapshot \d+\) no longer shows the account$/) });
    // Critical from the run that attributed its creation to mallory.
    expect(findingHistory(p.db, backdoor.id).map((h) => [h.by, h.to, h.severity])).toEqual([
      ['aaawatch', 'open', 'critical'],
      ['auditor1', 'acknowledged', 'critical'],
      ['aaawatch', 'resolved', 'critical'],
    ]);
    // The creation was attributed and kept.
    expect(backdoor.attribution).toContain('by mallory from 198.51.100.7');
    expect(o.unlogged).toBe(0);
  });
});
