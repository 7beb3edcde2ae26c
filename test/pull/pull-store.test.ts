// The pull store's contract (src/pull/pull-store.ts), run against both engines: a SQLite file and
// a throwaway PostgreSQL cluster. The same outcomes recorded through the same calls must leave the
// same snapshots, accounts, changes, host keys, runs, state and findings, read back with one SQL.

import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Digest } from '../../src/pull/digest.js';
import { HostKeyChanged, PullError } from '../../src/pull/errors.js';
import type { HostKey } from '../../src/pull/hostkeys.js';
import { raiseFindingPg } from '../../src/store/pg/findings.js';
import { inTransaction } from '../../src/store/pg/transaction.js';
import type { LocalAccount } from '../../src/types.js';
import { describeEngines } from '../support/engines.js';
import { openReconStores, type ReconStores } from '../support/recon-stores.js';

const key = (seed: string): HostKey => {
  const blob = createHash('sha256').update(seed).digest();
  return { type: 'ssh-ed25519', blob, fingerprint: `SHA256:${blob.toString('base64').replace(/=+$/, '')}` };
};
const account = (name: string, privilege: string, roles: string[] = []): LocalAccount => ({
  name, privilege, roles, credentials: ['secret'], lines: [`username ${name} privilege ${privilege} secret 9 <redacted>`],
});
const digestOf = (accounts: LocalAccount[], text = accounts.map((a) => a.lines[0]).join('\n')): Digest => ({
  redacted: text, hash: createHash('sha256').update(text).digest('hex'), accounts,
});
const success = (at: number, accounts: LocalAccount[], hostKey = key('one')) => ({
  device: 'sw1', platform: 'cisco-ios', startedAt: at - 500, finishedAt: at, attempts: 1, digest: digestOf(accounts), hostKey, keySource: 'tofu' as const,
});
const failure = (at: number, error: PullError) => ({
  device: 'sw1', startedAt: at - 500, finishedAt: at, attempts: 1, error, message: error.message, failuresBeforeFinding: 2,
});

describeEngines('pull store', (engine) => {
    let e: ReconStores;
    let database = '';
    beforeAll(async () => {
      const target = await engine.fresh();
      if (target.kind === 'postgres') database = target.database;
      e = await openReconStores(target);
    });
    afterAll(() => e.close());

    it('records snapshots only when the configuration changed, and every account change between two of them', async () => {
      const first = await e.pulls.recordSuccess(success(1_000, [account('admin', '15'), account('ops', '5')]));
      expect(first).toEqual({ changed: true, snapshotId: expect.any(Number) as number, accounts: { added: 2, removed: 0, changed: 0 } });
      const same = await e.pulls.recordSuccess(success(2_000, [account('admin', '15'), account('ops', '5')]));
      expect(same).toEqual({ changed: false, snapshotId: first.snapshotId, accounts: { added: 0, removed: 0, changed: 0 } });
      const third = await e.pulls.recordSuccess(success(3_000, [account('admin', '15'), account('ops', '15'), account('temp', '1')]));
      expect(third.changed).toBe(true);
      expect(third.accounts).toEqual({ added: 1, removed: 0, changed: 1 });
      const fourth = await e.pulls.recordSuccess(success(4_000, [account('admin', '15'), account('ops', '15')]));
      expect(fourth.accounts).toEqual({ added: 0, removed: 1, changed: 0 });

      expect(await e.rows('SELECT id, taken_at FROM snapshots ORDER BY id')).toEqual([
        { id: first.snapshotId, taken_at: 1_000 }, { id: third.snapshotId, taken_at: 3_000 }, { id: fourth.snapshotId, taken_at: 4_000 },
      ]);
      expect(await e.rows('SELECT name, change, at, before, after, from_snapshot_id, to_snapshot_id FROM account_changes ORDER BY id')).toEqual([
        { name: 'admin', change: 'added', at: 1_000, before: null, after: '{"privilege":"15","roles":[],"credentials":["secret"]}', from_snapshot_id: null, to_snapshot_id: first.snapshotId },
        { name: 'ops', change: 'added', at: 1_000, before: null, after: '{"privilege":"5","roles":[],"credentials":["secret"]}', from_snapshot_id: null, to_snapshot_id: first.snapshotId },
        {
          name: 'ops', change: 'changed', at: 3_000, before: '{"privilege":"5","roles":[],"credentials":["secret"]}',
          after: '{"privilege":"15","roles":[],"credentials":["secret"]}', from_snapshot_id: first.snapshotId, to_snapshot_id: third.snapshotId,
        },
        { name: 'temp', change: 'added', at: 3_000, before: null, after: '{"privilege":"1","roles":[],"credentials":["secret"]}', from_snapshot_id: first.snapshotId, to_snapshot_id: third.snapshotId },
        { name: 'temp', change: 'removed', at: 4_000, before: '{"privilege":"1","roles":[],"credentials":["secret"]}', after: null, from_snapshot_id: third.snapshotId, to_snapshot_id: fourth.snapshotId },
      ]);
      expect(await e.rows('SELECT name, privilege, first_seen, last_seen, removed_at FROM accounts ORDER BY id')).toEqual([
        { name: 'admin', privilege: '15', first_seen: 1_000, last_seen: 4_000, removed_at: null },
        { name: 'ops', privilege: '15', first_seen: 1_000, last_seen: 4_000, removed_at: null },
        { name: 'temp', privilege: '1', first_seen: 3_000, last_seen: 3_000, removed_at: 4_000 },
      ]);
      expect(await e.rows('SELECT device, last_attempt, last_success, snapshot_id, failures, last_error FROM pull_state')).toEqual([
        { device: 'sw1', last_attempt: 4_000, last_success: 4_000, snapshot_id: fourth.snapshotId, failures: 0, last_error: null },
      ]);
      expect((await e.rows('SELECT outcome FROM pull_runs ORDER BY id')).map((r) => r.outcome)).toEqual(['changed', 'unchanged', 'changed', 'changed']);
      const pinned = await e.pulls.hostKey('sw1');
      expect(pinned).toMatchObject({ device: 'sw1', source: 'tofu', pinned_at: 1_000, last_seen: 4_000, fingerprint: key('one').fingerprint });
      expect(pinned!.key.equals(key('one').blob)).toBe(true);
      expect(await e.pulls.lastRunStarted('sw1')).toBe(3_500);
      expect(await e.pulls.lastRunStarted('nowhere')).toBeUndefined();
    });

    it('counts failures in a row, raises pull-failed once and refreshes it, and keeps a changed key waiting with its finding', async () => {
      const refused = new PullError('connect', `connect ECONNREFUSED; the device said password ${randomBytes(4).toString('hex')}`);
      expect(await e.pulls.recordFailure(failure(5_000, refused))).toBe(1);
      expect(await e.rows(`SELECT kind FROM findings`)).toEqual([]);
      expect(await e.pulls.recordFailure(failure(6_000, refused))).toBe(2);
      expect(await e.pulls.recordFailure(failure(7_000, refused))).toBe(3);
      const runs = await e.rows(`SELECT id FROM pull_runs WHERE outcome = 'failed' ORDER BY id DESC`);
      const [pullFailed] = await e.rows(`SELECT kind, severity, status, occurrences, first_seen, last_seen, evidence FROM findings WHERE kind = 'pull-failed'`);
      expect(pullFailed).toMatchObject({ kind: 'pull-failed', severity: 'medium', status: 'open', occurrences: 2, first_seen: 6_000, last_seen: 7_000 });
      expect((JSON.parse(pullFailed!.evidence as string) as { runs: number[] }).runs.sort()).toEqual(runs.map((r) => r.id).sort());

      const changed = new HostKeyChanged(key('two'), [key('one').fingerprint]);
      expect(await e.pulls.recordFailure(failure(8_000, changed))).toBe(4);
      expect(await e.rows('SELECT device, fingerprint, first_seen, last_seen FROM host_key_changes')).toEqual([
        { device: 'sw1', fingerprint: key('two').fingerprint, first_seen: 8_000, last_seen: 8_000 },
      ]);
      expect(await e.rows(`SELECT kind, severity, occurrences FROM findings ORDER BY id`)).toEqual([
        { kind: 'pull-failed', severity: 'medium', occurrences: 2 },
        { kind: 'host-key-changed', severity: 'high', occurrences: 1 },
      ]);
      expect(await e.rows(`SELECT to_status, severity, by FROM finding_history ORDER BY id`)).toEqual([
        { to_status: 'open', severity: 'medium', by: 'aaawatch' },
        { to_status: 'open', severity: 'high', by: 'aaawatch' },
      ]);
      expect(await e.rows('SELECT failures FROM pull_state')).toEqual([{ failures: 4 }]);
    });

    it('accepts the waiting key only as checked, once, and pins it with who accepted it', async () => {
      await expect(e.pulls.acceptHostKey('sw1', 'jane', 9_000, key('one').fingerprint)).rejects.toThrow(`the key waiting for sw1 is ${key('two').fingerprint}, not ${key('one').fingerprint}; nothing was accepted`);
      expect((await e.pulls.hostKeys()).waiting.map((k) => k.fingerprint)).toEqual([key('two').fingerprint]);
      const accepted = await e.pulls.acceptHostKey('sw1', 'jane', 9_000, key('two').fingerprint);
      expect(accepted).toMatchObject({ device: 'sw1', fingerprint: key('two').fingerprint, first_seen: 8_000, last_seen: 8_000 });
      const { pinned, waiting } = await e.pulls.hostKeys();
      expect(waiting).toEqual([]);
      expect(pinned).toMatchObject([{ device: 'sw1', fingerprint: key('two').fingerprint, source: 'accepted', pinned_by: 'jane', pinned_at: 9_000, last_seen: 9_000 }]);
      expect(pinned[0]!.key.equals(key('two').blob)).toBe(true);
      await expect(e.pulls.acceptHostKey('sw1', 'jane', 9_500)).rejects.toThrow('no changed host key is waiting for sw1 (a pull records one when the key differs)');
    });

    it('marks pulls under way, ends them by id, and clears marks that expired when another is made', async () => {
      await e.pulls.markUnderWay('killed', 1_000, 2_000);
      const kept = await e.pulls.markUnderWay('slow', 1_500, 10_000);
      const last = await e.pulls.markUnderWay('sw9', 3_000, 4_000);
      expect(await e.rows('SELECT device, started_at, expires_at FROM pulls_under_way ORDER BY id')).toEqual([
        { device: 'slow', started_at: 1_500, expires_at: 10_000 }, { device: 'sw9', started_at: 3_000, expires_at: 4_000 },
      ]);
      await e.pulls.endMarks([kept, last]);
      expect(await e.rows('SELECT device FROM pulls_under_way')).toEqual([]);
    });

    it('prunes runs started before a time', async () => {
      expect(await e.pulls.pruneRuns(3_000)).toBe(3);
      expect((await e.rows('SELECT started_at FROM pull_runs ORDER BY id')).map((r) => r.started_at)).toEqual([3_500, 4_500, 5_500, 6_500, 7_500]);
    });

    it('records no role change where the ranking reads the same: an upgrade reading a class resolved, a grant spelt otherwise', async () => {
      // Junos class ops with `permissions all` (parsers/juniper-junos/classes.ts): a version before plat20 stored bob as `ops`.
      const junos = (at: number, roles: string[], text: string, credentials: LocalAccount['credentials'] = ['password']) => ({
        ...success(at, []), device: 'mx1', platform: 'juniper-junos',
        digest: digestOf([{ name: 'bob', roles, credentials, lines: ['set system login user bob class ops'] }], text),
      });
      const classAll = 'set system login class ops permissions all\nset system login user bob class ops';
      expect((await e.pulls.recordSuccess(junos(10_000, ['ops'], classAll))).accounts).toEqual({ added: 1, removed: 0, changed: 0 });
      // The same text read by this version: the device did not change, so no change; the stored roles take the new reading.
      expect((await e.pulls.recordSuccess(junos(11_000, ['ops (permissions all)'], classAll))).accounts).toEqual({ added: 0, removed: 0, changed: 0 });
      expect(await e.rows(`SELECT roles FROM accounts WHERE device = 'mx1'`)).toEqual([{ roles: '["ops (permissions all)"]' }]);
      // all swapped for admin-control: another grant that ranks the same (15, allowed as ops).
      const classControl = 'set system login class ops permissions admin-control\nset system login user bob class ops';
      expect((await e.pulls.recordSuccess(junos(12_000, ['ops (permissions admin-control)'], classControl))).accounts).toEqual({ added: 0, removed: 0, changed: 0 });
      // The added row was read from classAll: it takes the better reading of that text, not admin-control's (other text).
      expect(await e.rows(`SELECT after FROM account_changes WHERE device = 'mx1' AND change = 'added'`)).toEqual([{ after: '{"roles":["ops (permissions all)"],"credentials":["password"]}' }]);
      // The grant taken away ranks otherwise: a change.
      const classView = 'set system login class ops permissions view\nset system login user bob class ops';
      expect((await e.pulls.recordSuccess(junos(13_000, ['ops'], classView))).accounts).toEqual({ added: 0, removed: 0, changed: 1 });
      // Credential kinds are compared even when the text is the same (a secret's value is redacted before hashing).
      expect((await e.pulls.recordSuccess(junos(14_000, ['ops'], classView, ['none']))).accounts).toEqual({ added: 0, removed: 0, changed: 1 });
      expect(await e.rows(`SELECT change, at, before, after FROM account_changes WHERE device = 'mx1' AND change = 'changed' ORDER BY id`)).toEqual([
        { change: 'changed', at: 13_000, before: '{"roles":["ops (permissions admin-control)"],"credentials":["password"]}', after: '{"roles":["ops"],"credentials":["password"]}' },
        { change: 'changed', at: 14_000, before: '{"roles":["ops"],"credentials":["password"]}', after: '{"roles":["ops"],"credentials":["none"]}' },
      ]);
    });

    it('an upgrade reading the same text otherwise: the pulled state since says what the account row says; a change of text is a change row', async () => {
      // A version that read dave's line as privilege 1 pulled it; this one reads the same text as 15 (no syslog between).
      const text = 'hostname sw2\nusername dave privilege 15 secret 9 <redacted>';
      const pull = (at: number, privilege: string, t = text) => ({ ...success(at, []), device: 'sw2', digest: digestOf([account('dave', privilege)], t) });
      const state = async (at: number): Promise<string | undefined> => (await e.estate.pulledStateAt('sw2', 'dave', at))?.facts?.privilege;
      expect((await e.pulls.recordSuccess(pull(20_000, '1'))).accounts).toEqual({ added: 1, removed: 0, changed: 0 });
      expect(await state(20_500)).toBe('1');
      expect((await e.pulls.recordSuccess(pull(21_000, '15'))).accounts).toEqual({ added: 0, removed: 0, changed: 0 });
      // No change row (the device did not change), and the reads agree: the account row, and its state since (the held check's).
      expect(await e.rows(`SELECT privilege FROM accounts WHERE device = 'sw2'`)).toEqual([{ privilege: '15' }]);
      expect(await e.rows(`SELECT change, after FROM account_changes WHERE device = 'sw2' ORDER BY id`)).toEqual([{ change: 'added', after: '{"privilege":"15","roles":[],"credentials":["secret"]}' }]);
      expect(await state(21_500)).toBe('15');
      // The device changed the text: a change row with both readings; the row before it keeps what it read.
      expect((await e.pulls.recordSuccess(pull(22_000, '1', 'hostname sw2\nusername dave privilege 1 secret 9 <redacted>'))).accounts).toEqual({ added: 0, removed: 0, changed: 1 });
      expect((await e.pulls.recordSuccess(pull(23_000, '15', 'hostname sw2\nusername dave privilege 15 secret 9 <redacted>'))).accounts).toEqual({ added: 0, removed: 0, changed: 1 });
      expect(await e.rows(`SELECT change, at, before, after FROM account_changes WHERE device = 'sw2' ORDER BY id`)).toEqual([
        { change: 'added', at: 20_000, before: null, after: '{"privilege":"15","roles":[],"credentials":["secret"]}' },
        { change: 'changed', at: 22_000, before: '{"privilege":"15","roles":[],"credentials":["secret"]}', after: '{"privilege":"1","roles":[],"credentials":["secret"]}' },
        { change: 'changed', at: 23_000, before: '{"privilege":"1","roles":[],"credentials":["secret"]}', after: '{"privilege":"15","roles":[],"credentials":["secret"]}' },
      ]);
      expect([await state(22_500), await state(23_500)]).toEqual(['1', '15']);
    });

    // Several collectors on one store: PostgreSQL only (one SQLite file has one writer).
    if (engine.kind === 'postgres') {
      it('the same finding raised from many connections at the same moment is one finding, refreshed by the rest', async () => {
        const finding = { kind: 'pull-failed', severity: 'medium' as const, device: 'race1', summary: 'failed', evidence: { runs: [1] }, at: 1 };
        const pools = [0, 1].map(() => new pg.Pool({ connectionString: engine.cluster()!.url.replace(/\/postgres$/, '/' + database), max: 10 }));
        await Promise.all(Array.from({ length: 20 }, (_, i) => inTransaction(pools[i % 2]!, (c) => raiseFindingPg(c, { ...finding, at: i + 1, evidence: { runs: [i] } }))));
        await Promise.all(pools.map((p) => p.end()));
        const rows = await e.rows(`SELECT occurrences, evidence FROM findings WHERE device = 'race1'`);
        expect(rows).toHaveLength(1);
        expect(rows[0]!.occurrences).toBe(20);
        // A run list is the latest raiser's (mergeEvidence merges events and snapshots only).
        expect((JSON.parse(rows[0]!.evidence as string) as { runs: number[] }).runs).toHaveLength(1);
      });
    }
});

