// The estate's reconciliation (src/reconcile/estate.ts) over its data access (EstateStore) on both
// engines: pulls recorded through the pull store, syslog activity as ingest keeps it (per
// collector on PostgreSQL), a roster; the same runs must raise, refresh and resolve the same
// findings with the same reasons on SQLite and PostgreSQL.

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Digest } from '../../src/pull/digest.js';
import { PullError } from '../../src/pull/errors.js';
import type { HostKey } from '../../src/pull/hostkeys.js';
import { NotLeader, reconcileEstate } from '../../src/reconcile/estate.js';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import type { ReconcileOptions } from '../../src/reconcile/run.js';
import type { LocalAccount } from '../../src/types.js';
import { describeEngines } from '../support/engines.js';
import { openReconStores, type ReconStores } from '../support/recon-stores.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-20T08:00:00Z');
const roster = parseRosterYaml('accounts:\n  - { name: jdoe, devices: ["*"], privilege: 15, type: human }\n', 'roster.yaml');
const devices = [
  { name: 'sw1', platform: 'cisco-ios', groups: [] },
  { name: 'sw2', platform: 'cisco-ios', groups: [] },
];
const options = (now: number): ReconcileOptions => ({
  roster, devices, dormantDays: 90, silentHours: 24, requiredChecks: [], collectorAddresses: ['192.0.2.10'], skewMs: 300_000, now,
});

const hostKey: HostKey = (() => {
  const blob = createHash('sha256').update('sw').digest();
  return { type: 'ssh-ed25519', blob, fingerprint: 'SHA256:sw' };
})();
const user = (name: string, privilege: string): LocalAccount => ({ name, privilege, roles: [], credentials: ['secret'], lines: [`username ${name} privilege ${privilege} secret 9 <redacted>`] });
const digestOf = (accounts: LocalAccount[]): Digest => {
  const text = ['hostname sw', ...accounts.map((a) => a.lines[0]), 'logging host 192.0.2.10', 'aaa accounting commands 15 default start-stop group tacacs+'].join('\n');
  return { redacted: text, hash: createHash('sha256').update(text).digest('hex'), accounts };
};
const pulled = (device: string, at: number, accounts: LocalAccount[]) => ({
  device, platform: 'cisco-ios', startedAt: at - 1000, finishedAt: at, attempts: 1, digest: digestOf(accounts), hostKey, keySource: 'tofu' as const,
});

describeEngines('estate reconciliation', (engine) => {
  let e: ReconStores;
  beforeAll(async () => {
    const target = await engine.fresh();
    e = await openReconStores(target);
    // Syslog from sw1 as ingest keeps it: on PostgreSQL one row per collector that heard it.
    if (target.kind === 'sqlite') await e.run('INSERT INTO device_activity (device, source, first_seen, last_seen) VALUES (?, ?, ?, ?)', 'sw1', '192.0.2.1', T0 - 10 * HOUR, T0 + 2 * HOUR);
    else {
      await e.run('INSERT INTO device_activity (collector, device, source, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)', 'c1', 'sw1', '192.0.2.1', T0 - 40 * HOUR, T0 - 30 * HOUR);
      await e.run('INSERT INTO device_activity (collector, device, source, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)', 'c2', 'sw1', '192.0.2.1', T0 - 5 * HOUR, T0 + 2 * HOUR);
    }
  });
  afterAll(() => e.close());

  const findings = async (): Promise<unknown[]> =>
    e.rows(`SELECT kind, device, account, severity, status, occurrences FROM findings ORDER BY kind, device, account`);

  it('raises what the roster and the devices disagree on, once, and refreshes it on the next run', async () => {
    await e.pulls.recordSuccess(pulled('sw1', T0, [user('jdoe', '15'), user('intruder', '15')]));
    await e.pulls.recordFailure({ device: 'sw2', startedAt: T0 - 1000, finishedAt: T0, attempts: 1, error: new PullError('connect', 'connect ECONNREFUSED'), message: 'connect ECONNREFUSED', failuresBeforeFinding: 1 });

    const first = await reconcileEstate(e.estate, options(T0 + 3 * HOUR));
    expect(first).toMatchObject({ devices: 2, accounts: 2, audited: 1, conditions: { raised: 2, resolved: 0 }, pullFindingsResolved: 0 });
    // sw1's syslog is the latest over both collectors (2 hours before the run; c1 alone last heard it 33 hours before): no gap there.
    expect(await findings()).toEqual([
      { kind: 'pull-failed', device: 'sw2', account: '', severity: 'medium', status: 'open', occurrences: 1 },
      { kind: 'telemetry-gap', device: 'sw2', account: '', severity: expect.any(String) as string, status: 'open', occurrences: 1 },
      { kind: 'unauthorised-account', device: 'sw1', account: 'intruder', severity: expect.any(String) as string, status: 'open', occurrences: 1 },
    ]);
    const audit = await e.rows('SELECT checks FROM snapshot_audit');
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.checks as string)).toMatchObject({ collectors: ['192.0.2.10'] });

    const second = await reconcileEstate(e.estate, options(T0 + 4 * HOUR));
    expect(second.conditions).toMatchObject({ raised: 0, refreshed: 2, resolved: 0 });
    expect(second.audited).toBe(0);
    expect((await findings()).length).toBe(3);
  });

  it('resolves what no longer holds, with the pull that shows it, and leaves a finding a person resolved as they left it', async () => {
    await e.pulls.recordSuccess(pulled('sw1', T0 + 5 * HOUR, [user('jdoe', '15')]));
    await e.pulls.recordSuccess(pulled('sw2', T0 + 5 * HOUR, [user('jdoe', '15')]));
    const run = await reconcileEstate(e.estate, options(T0 + 6 * HOUR));
    expect(run.pullFindingsResolved).toBe(1);
    // intruder vanished between the pulls with no record of its removal: an unlogged change, as on SQLite's run.ts.
    expect(run.open).toEqual({ 'telemetry-gap': 1, 'unlogged-change': 1 });
    expect(run).toMatchObject({ changesJudged: 1, unlogged: 1 });
    const resolved = await e.rows(`SELECT kind, device, account, evidence FROM findings WHERE status = 'resolved' ORDER BY kind`);
    expect(resolved.map((r) => [r.kind, r.device, r.account])).toEqual([['pull-failed', 'sw2', ''], ['unauthorised-account', 'sw1', 'intruder']]);
    const why = resolved.map((r) => (JSON.parse(r.evidence as string) as { resolution: { reason: string } }).resolution.reason);
    expect(why[0]).toBe('the pull at 2026-11-20 13:00 UTC succeeded');
    expect(why[1]).toMatch(/^the pull at 2026-11-20 13:00 UTC \(snapshot \d+\) no longer shows the account$/);
    expect(await e.rows(`SELECT by, from_status, to_status FROM finding_history WHERE to_status = 'resolved' ORDER BY id`)).toEqual([
      { by: 'aaawatch', from_status: 'open', to_status: 'resolved' },
      { by: 'aaawatch', from_status: 'open', to_status: 'resolved' },
    ]);
  });

  it('a run that may no longer write (its leader lease lost) stops before writing anything', async () => {
    await e.pulls.recordSuccess(pulled('sw1', T0 + 7 * HOUR, [user('jdoe', '15'), user('late', '1')]));
    const before = await findings();
    await expect(reconcileEstate(e.estate, options(T0 + 8 * HOUR), () => false)).rejects.toBeInstanceOf(NotLeader);
    expect(await findings()).toEqual(before);
  });
});
