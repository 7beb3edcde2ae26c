// The reconciliation without I/O: accounts against the roster, logins, must-exist accounts and
// telemetry, as conditions with their severity, summary and evidence.

import { describe, expect, it } from 'vitest';
import { evaluate, RosterIndex, type EvaluationInput } from '../../src/reconcile/evaluate.js';
import type { DeviceInfo, PresentAccount } from '../../src/reconcile/model.js';
import { parseRosterYaml } from '../../src/reconcile/roster.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 22, 12, 0);

const roster = new RosterIndex(
  parseRosterYaml(
    `
accounts:
  - { name: jdoe, devices: ["*"], privilege: 15, type: human, owner: Jane Doe, approval: ACC-1 }
  - { name: ops, groups: [core], privilege: 1, type: shared, approval: ACC-2 }
  - { name: ops, platforms: [juniper-junos], privilege: read-only, type: shared, approval: ACC-3 }
  - { name: temp, devices: [core-*], privilege: 15, type: vendor, expires: 2026-11-01, approval: ACC-4 }
  - { name: later, devices: ["*"], privilege: 1, type: human, start: 2026-12-01 }
  - { name: bg, devices: ["*"], privilege: 15, type: break-glass }
  - { name: svc, devices: [core-sw1], privilege: 1, type: service }
`,
    'roster.yaml',
  ),
);

const ios = (name: string, over: Partial<DeviceInfo> = {}): DeviceInfo => ({
  name, platform: 'cisco-ios', groups: ['core'], lastPull: NOW - 3_600_000, snapshotId: 7, firstSyslog: NOW - 200 * DAY, lastSyslog: NOW - 60_000, audit: [], ...over,
});
let nextId = 1;
const account = (device: string, name: string, privilege?: string, roles: string[] = [], firstSeen = NOW - 120 * DAY): PresentAccount => ({
  id: nextId++, device, name, ...(privilege !== undefined ? { privilege } : {}), roles, firstSeen, lastSeen: NOW - 3_600_000, firstSnapshotId: 2, lastSnapshotId: 7,
});

function run(o: Partial<Omit<EvaluationInput, 'devices'>> & { devices: DeviceInfo[] }) {
  return evaluate({
    now: NOW, roster, accounts: [],
    settings: { dormantDays: 90, silentHours: 24, requiredChecks: ['command-accounting', 'config-logging', 'logging-host'] },
    ...o,
    devices: new Map(o.devices.map((d) => [d.name, d])),
  });
}
/** The accounts, each with a login yesterday. */
const recent = (accounts: PresentAccount[]): PresentAccount[] => accounts.map((a) => ({ ...a, lastLogin: { time: NOW - DAY, eventId: a.id * 10 } }));

describe('accounts against the roster', () => {
  it('each way an account can stand, with severity by privilege', () => {
    const accounts = [
      account('core-sw1', 'jdoe', '15'),
      account('core-sw1', 'ops', '15'),
      account('core-sw1', 'temp', '15'),
      account('core-sw1', 'later'),
      account('core-sw1', 'stranger'),
      account('core-sw1', 'root', '15'),
      account('core-sw1', 'bg', '15'),
      account('core-sw1', 'svc'),
    ];
    const r = run({ devices: [ios('core-sw1')], accounts: recent(accounts) });
    expect(r.assessments.map((a) => [a.account.name, a.match])).toEqual([
      ['jdoe', 'authorised'], ['ops', 'privilege above roster'], ['temp', 'expired'], ['later', 'not yet valid'],
      ['stranger', 'not on roster'], ['root', 'not on roster'], ['bg', 'authorised'], ['svc', 'authorised'],
    ]);
    expect(r.conditions.map((c) => [c.kind, c.account, c.severity, c.technique])).toEqual([
      ['privilege-mismatch', 'ops', 'high', 'T1098'],
      ['expired-authorisation', 'temp', 'high', 'T1078.003'],
      ['unauthorised-account', 'later', 'medium', 'T1136.001'],
      ['unauthorised-account', 'stranger', 'medium', 'T1136.001'],
      ['unauthorised-account', 'root', 'high', 'T1136.001'],
    ]);
    const [mismatch, expired, later] = r.conditions;
    expect(mismatch!.summary).toBe('ops on core-sw1 holds privilege 15; the roster allows privilege 1 (roster.yaml:4, approval ACC-2)');
    expect(mismatch!.evidence).toMatchObject({ accounts: [2], snapshots: [2, 7], roster: ['roster.yaml:4'], held: 'privilege 15', allowed: 'privilege 1' });
    expect(expired!.summary).toBe('temp (privilege 15) on core-sw1 is still present; its authorisation expired 2026-11-01 (roster.yaml:6, approval ACC-4)');
    expect(later!.summary).toBe('later (privilege 1) on core-sw1 is present before its authorisation starts on 2026-12-01 (roster.yaml:7)');
  });

  it('an entry for other devices only is said to be so; per-platform entries use that platform’s roles', () => {
    const accounts = [account('edge-fw1', 'svc'), account('mx1', 'ops', undefined, ['read-only']), account('mx2', 'ops', undefined, ['super-user'])];
    const junos = (name: string): DeviceInfo => ({ ...ios(name), platform: 'juniper-junos', groups: [] });
    const r = run({ devices: [ios('edge-fw1', { groups: ['edge'] }), junos('mx1'), junos('mx2')], accounts: recent(accounts) });
    expect(r.conditions.filter((c) => c.kind !== 'missing-account').map((c) => c.summary)).toEqual([
      'svc (privilege 1) on edge-fw1 is on the roster only for other devices (roster.yaml:9)',
      'ops on mx2 holds class super-user; the roster allows class read-only (roster.yaml:5, approval ACC-3)',
    ]);
  });

  it('without a roster nothing is judged against one', () => {
    const r = run({ devices: [ios('core-sw1')], accounts: [account('core-sw1', 'stranger')], roster: undefined });
    expect(r.assessments[0]!.match).toBe('no roster');
    expect(r.conditions.filter((c) => c.kind !== 'dormant-account')).toEqual([]);
  });
});

describe('dormancy', () => {
  it('days since the last login, or since one could have been seen; break-glass accounts exempt', () => {
    const stale = { ...account('core-sw1', 'jdoe', '15'), lastLogin: { time: NOW - 95 * DAY, eventId: 77 } };
    const never = account('core-sw1', 'svc');
    const newcomer = account('core-sw1', 'ops', '1', [], NOW - 10 * DAY);
    const bg = account('core-sw1', 'bg', '15');
    const r = run({ devices: [ios('core-sw1')], accounts: [stale, never, newcomer, bg] });
    expect(r.conditions.map((c) => [c.kind, c.account, c.severity])).toEqual([
      ['dormant-account', 'jdoe', 'medium'],
      ['dormant-account', 'svc', 'low'],
    ]);
    expect(r.conditions[0]!.summary).toBe('jdoe (privilege 15) on core-sw1: no login for 95 days (last 2026-08-19 12:00 UTC; limit 90)');
    expect(r.conditions[0]!.evidence.events).toEqual([77]);
    expect(r.conditions[1]!.summary).toBe('svc (privilege 1) on core-sw1: no login seen in 120 days of records (limit 90)');
    expect(r.assessments.map((a) => a.inactiveDays)).toEqual([95, 120, 10, 120]);
  });

  it('a device that never sent syslog cannot tell; CIS’s 45 days is a setting', () => {
    const a = account('core-sw1', 'jdoe', '15');
    expect(run({ devices: [ios('core-sw1', { firstSyslog: undefined, lastSyslog: undefined })], accounts: [a] }).conditions.filter((c) => c.kind === 'dormant-account')).toEqual([]);
    const settings = { dormantDays: 45, silentHours: 24, requiredChecks: [] };
    const seen = { ...a, lastLogin: { time: NOW - 50 * DAY, eventId: 1 } };
    expect(run({ devices: [ios('core-sw1')], accounts: [seen], settings }).conditions.map((c) => c.kind)).toEqual(['dormant-account', 'missing-account']);
  });
});

describe('devices', () => {
  it('a must-exist account missing where it applies, judged only once the device was pulled', () => {
    const r = run({ devices: [ios('core-sw1'), ios('new-sw9', { lastPull: undefined, snapshotId: undefined })] });
    expect(r.conditions.filter((c) => c.kind === 'missing-account').map((c) => [c.device, c.account, c.technique])).toEqual([['core-sw1', 'bg', 'T1531']]);
    expect(r.conditions.find((c) => c.kind === 'missing-account')!.summary).toBe('bg (break-glass, must exist, roster.yaml:8) is not on core-sw1 as of the pull at 2026-11-22 11:00 UTC');
  });

  it('telemetry: silent, never heard, and the configuration checks that are required', () => {
    const checks = [
      { check: 'command-accounting' as const, ok: false, detail: 'no accounting' },
      { check: 'config-logging' as const, ok: true, detail: 'ok' },
      { check: 'logging-host' as const, ok: false, detail: 'no `logging host …`' },
    ];
    const r = run({
      roster: undefined,
      devices: [
        ios('quiet', { lastSyslog: NOW - 30 * 3_600_000 }),
        ios('mute', { firstSyslog: undefined, lastSyslog: undefined }),
        ios('blind', { audit: checks }),
        ios('fine'),
      ],
      settings: { dormantDays: 90, silentHours: 24, requiredChecks: ['config-logging', 'command-accounting'] },
    });
    expect(r.conditions.map((c) => [c.device, c.severity, c.summary])).toEqual([
      ['quiet', 'medium', 'quiet is a blind spot: no syslog for 30 hours (last 2026-11-21 06:00 UTC)'],
      ['mute', 'medium', 'mute is a blind spot: no syslog received from it'],
      // logging-host is not required here, so only the accounting gap counts.
      ['blind', 'low', 'blind is a blind spot: command-accounting: no accounting'],
    ]);
    expect(r.conditions[2]!.evidence).toEqual({ snapshots: [7], checks: [{ check: 'command-accounting', detail: 'no accounting' }], lastSyslog: new Date(NOW - 60_000).toISOString() });
  });

  it('native accounting (TACACS+, RADIUS) arriving here: heard without syslog, and auditable without a logging host', () => {
    const noHost = [
      { check: 'command-accounting' as const, ok: true, detail: 'aaa accounting commands 15 default start-stop group tacacs+' },
      { check: 'logging-host' as const, ok: false, detail: 'no `logging host …`' },
    ];
    const noAccounting = [{ check: 'command-accounting' as const, ok: false, detail: 'no accounting' }, noHost[1]!];
    const r = run({
      roster: undefined,
      devices: [
        ios('native-only', { firstSyslog: undefined, lastSyslog: undefined, lastNative: NOW - 3_600_000, audit: noHost }),
        ios('native-long-ago', { firstSyslog: undefined, lastSyslog: undefined, lastNative: NOW - 30 * 3_600_000, audit: noHost }),
        ios('native-no-commands', { lastNative: NOW - 60_000, audit: noAccounting }),
      ],
    });
    expect(r.conditions.map((c) => [c.device, c.severity, c.summary])).toEqual([
      // Native accounting that stopped is no longer heard: the logging host counts again.
      ['native-long-ago', 'medium', 'native-long-ago is a blind spot: no syslog received from it; logging-host: no `logging host …`'],
      // Only the logging host is waived: command accounting must still be configured.
      ['native-no-commands', 'low', 'native-no-commands is a blind spot: command-accounting: no accounting'],
    ]);
  });
});
