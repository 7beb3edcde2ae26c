// What pulls leave in the database: a snapshot only when the redacted configuration changed
// (volatile lines and re-encrypted secrets are not changes), history with unified diffs, accounts
// with first seen / last seen / removed at and every change between two snapshots, host keys
// pinned on first use or preloaded from known_hosts, a changed key stopping the pull with a
// finding until a person accepts it, and `pull-failed` after repeated failures.

import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { snapshotDiff } from '../../src/pull/diff.js';
import { parseKnownHosts } from '../../src/pull/known-hosts.js';
import { sqlitePullStore, type PullStore } from '../../src/pull/pull-store.js';
import { acceptHostKey } from '../../src/pull/record.js';
import { pullDevice } from '../../src/pull/run.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { accountChanges, getHostKey, getHostKeyChange, getPullState, getSnapshot, listAccounts, listSnapshots, noteHostKeyChange } from '../../src/store/pull.js';
import { corpusPath } from '../support/corpus.js';
import { hostKey, startEmulator, type RunningEmulator } from '../support/emulator/device.js';
import { capturingLogger, emulatedTarget, pullContext } from '../support/emulator/targets.js';
import { loadTranscript, type Transcript } from '../support/emulator/transcript.js';
import { tempDir } from '../support/temp.js';
import { holdWriteLock } from '../support/write-lock.js';
import ssh2 from 'ssh2';

const IOS = loadTranscript(corpusPath('ssh-sessions', 'ios#C9200L-24P-4G_17.09.04a#simulation.yaml'));
const DEVICE = 'lab-sw1';

/** The recording with its configuration edited, as if the device had been reconfigured. */
function edited(t: Transcript, edit: (config: string) => string): Transcript {
  return { ...t, exchanges: t.exchanges.map((e) => (e.command === 'show running-config' ? { ...e, response: edit(e.response) } : e)) };
}

let db: Db;
const running: RunningEmulator[] = [];
beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => {
  vi.useRealTimers();
  db.close();
});
afterAll(async () => {
  for (const e of running) await e.close();
});

async function pullOnce(t: Transcript, o: { hostKey?: string; ctx?: ReturnType<typeof pullContext> } = {}): ReturnType<typeof pullDevice> {
  const emu = await startEmulator({ transcript: t, ...(o.hostKey ? { hostKey: o.hostKey } : {}) });
  running.push(emu);
  return pullDevice(o.ctx ?? pullContext(db), emulatedTarget(emu.port, 'cisco-ios', { name: DEVICE }));
}

function findings(kind: string): Array<{ id: number; occurrences: number; summary: string; evidence: string; severity: string }> {
  return db.prepare('SELECT id, occurrences, summary, evidence, severity FROM findings WHERE kind = ?').all(kind) as Array<{
    id: number; occurrences: number; summary: string; evidence: string; severity: string;
  }>;
}

describe('snapshots', () => {
  it('stores the first pull, not an identical one, nor one that differs only in volatile lines', async () => {
    const first = await pullOnce(IOS);
    expect(first.outcome).toBe('changed');
    expect((await pullOnce(IOS)).outcome).toBe('unchanged');
    const volatile = edited(IOS, (c) => c.replace('at 09:37:40 CEST Tue Aug 20 2024 by oxidized', 'at 11:00:00 CEST Wed Aug 21 2024 by jdoe').replace('20546 bytes', '20612 bytes'));
    expect((await pullOnce(volatile)).outcome).toBe('unchanged');
    // A changed secret is not visible after redaction either.
    expect((await pullOnce(edited(IOS, (c) => c.replace('SECRET_ENABLE', 'SECRET_ENABLX')))).outcome).toBe('unchanged');
    expect(listSnapshots(db, DEVICE)).toHaveLength(1);
    const state = getPullState(db, DEVICE)!;
    expect(state.snapshot_id).toBe(first.snapshotId);
    expect(state.failures).toBe(0);
  });

  it('keeps history and diffs any two snapshots', async () => {
    await pullOnce(IOS);
    const vlan4 = (c: string): string => c.replace('vlan 3\n name three', 'vlan 3\n name three\n!\nvlan 4\n name four');
    await pullOnce(edited(IOS, vlan4));
    await pullOnce(edited(IOS, (c) => vlan4(c).replace('ip ssh version 2', 'ip ssh version 2\nip ssh time-out 60')));
    const snaps = listSnapshots(db, DEVICE);
    expect(snaps).toHaveLength(3);
    const diff = snapshotDiff(getSnapshot(db, snaps[0]!.id)!, getSnapshot(db, snaps[2]!.id)!);
    expect(diff).toMatch(/^--- lab-sw1 snapshot \d+/m);
    expect(diff).toContain('+vlan 4\n');
    expect(diff).toContain('+ip ssh time-out 60\n');
    expect(diff).not.toContain('SECRET');
  });
});

describe('accounts', () => {
  it('first seen, last seen, removed at, and each change with the snapshots it lies between', async () => {
    const first = await pullOnce(IOS);
    expect(first.accounts).toEqual({ added: 2, removed: 0, changed: 0 });
    const baseline = accountChanges(db, DEVICE);
    expect(baseline.map((c) => [c.name, c.change, c.from_snapshot_id])).toEqual([
      ['oxidized', 'added', null],
      ['rocks', 'added', null],
    ]);

    const second = await pullOnce(
      edited(IOS, (c) =>
        c
          .replace('username rocks secret 9', 'username rocks privilege 15 secret 9')
          .replace('username oxidized secret 9 $9$xxxxxxxxxxSECRET_OXIDIZEDxxxxxxxxx\n', '')
          .replace('!\ntransceiver type all', 'username backdoor privilege 15 password 0 Sneaky-Pass-1\n!\ntransceiver type all'),
      ),
    );
    expect(second.accounts).toEqual({ added: 1, removed: 1, changed: 1 });
    const changes = accountChanges(db, DEVICE).slice(2);
    expect(changes.map((c) => [c.name, c.change, c.from_snapshot_id, c.to_snapshot_id])).toEqual([
      ['rocks', 'changed', first.snapshotId, second.snapshotId],
      ['backdoor', 'added', first.snapshotId, second.snapshotId],
      ['oxidized', 'removed', first.snapshotId, second.snapshotId],
    ]);
    expect(JSON.parse(changes[0]!.before!)).toEqual({ roles: [], credentials: ['secret'] });
    expect(JSON.parse(changes[0]!.after!)).toEqual({ privilege: '15', roles: [], credentials: ['secret'] });

    const present = listAccounts(db, { device: DEVICE });
    expect(present.map((a) => a.name)).toEqual(['backdoor', 'rocks']);
    const backdoor = present.find((a) => a.name === 'backdoor')!;
    expect(JSON.parse(backdoor.lines)).toEqual(['username backdoor privilege 15 password 0 <redacted>']);
    const all = listAccounts(db, { device: DEVICE, removed: true });
    const gone = all.find((a) => a.name === 'oxidized')!;
    expect(gone.removed_at).not.toBeNull();
    expect(gone.removed_snapshot_id).toBe(second.snapshotId);

    // Seen again unchanged a minute later: last_seen moves, first_seen does not.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 60_000 });
    await pullOnce(edited(IOS, (c) => c.replace('username rocks secret 9', 'username rocks privilege 15 secret 9').replace('username oxidized secret 9 $9$xxxxxxxxxxSECRET_OXIDIZEDxxxxxxxxx\n', '').replace('!\ntransceiver type all', 'username backdoor privilege 15 password 0 Sneaky-Pass-1\n!\ntransceiver type all')));
    const again = listAccounts(db, { device: DEVICE }).find((a) => a.name === 'rocks')!;
    expect(again.first_seen).toBe(present.find((a) => a.name === 'rocks')!.first_seen);
    expect(again.last_seen).toBeGreaterThan(again.first_seen);

    // An account that comes back is a new presence, with its own first seen.
    await pullOnce(IOS);
    const oxidized = listAccounts(db, { device: DEVICE, removed: true }).filter((a) => a.name === 'oxidized');
    expect(oxidized).toHaveLength(2);
    expect(oxidized[1]!.removed_at).toBeNull();
  });
});

describe('host keys', () => {
  it('pins the first key (TOFU, with the time); a changed key stops the pull, raises host-key-changed, and waits for acceptance', async () => {
    const first = await pullOnce(IOS);
    expect(first.outcome).toBe('changed');
    const pinned = getHostKey(db, DEVICE)!;
    expect(pinned.source).toBe('tofu');
    expect(pinned.pinned_at).toBeGreaterThan(0);

    const otherKey = hostKey('ed25519', true);
    const refused = await pullOnce(IOS, { hostKey: otherKey });
    expect(refused.outcome).toBe('failed');
    expect(refused.failure).toBe('host-key-changed');
    expect(refused.attempts).toBe(1);
    const waiting = getHostKeyChange(db, DEVICE)!;
    expect(waiting.fingerprint).not.toBe(pinned.fingerprint);
    const [finding] = findings('host-key-changed');
    expect(finding!.severity).toBe('high');
    expect(finding!.summary).toContain(waiting.fingerprint);
    expect(finding!.summary).toContain(pinned.fingerprint);

    // Still refused on the next run (one finding, seen twice); nothing stored meanwhile.
    expect((await pullOnce(IOS, { hostKey: otherKey })).failure).toBe('host-key-changed');
    expect(findings('host-key-changed')[0]!.occurrences).toBe(2);
    expect(listSnapshots(db, DEVICE)).toHaveLength(1);

    expect(() => acceptHostKey(db, DEVICE, 'jdoe', Date.now(), 'SHA256:not-the-one')).toThrow(/nothing was accepted/);
    acceptHostKey(db, DEVICE, 'jdoe', Date.now(), waiting.fingerprint);
    const accepted = getHostKey(db, DEVICE)!;
    expect([accepted.source, accepted.pinned_by, accepted.fingerprint]).toEqual(['accepted', 'jdoe', waiting.fingerprint]);
    expect((await pullOnce(IOS, { hostKey: otherKey })).outcome).toBe('unchanged');
  });

  it('a known_hosts file wins: its key is trusted on first contact, any other is refused', async () => {
    const key = ssh2.utils.parseKey(hostKey('ed25519'));
    if (key instanceof Error) throw key;
    const emu = await startEmulator({ transcript: IOS });
    running.push(emu);
    const line = `[127.0.0.1]:${emu.port} ${key.type} ${key.getPublicSSH().toString('base64')}`;
    const ctx = { ...pullContext(db), knownHosts: parseKnownHosts(`# preloaded\n${line}\n`) };
    const target = emulatedTarget(emu.port, 'cisco-ios', { name: DEVICE });
    expect((await pullDevice(ctx, target)).outcome).toBe('changed');
    expect(getHostKey(db, DEVICE)!.source).toBe('known_hosts');

    const other = await startEmulator({ transcript: IOS, hostKey: hostKey('ed25519', true) });
    running.push(other);
    const otherLine = `[127.0.0.1]:${other.port} ${key.type} ${key.getPublicSSH().toString('base64')}`;
    const refused = await pullDevice({ ...ctx, knownHosts: parseKnownHosts(otherLine) }, emulatedTarget(other.port, 'cisco-ios', { name: 'lab-sw2' }));
    expect(refused.failure).toBe('host-key-changed');
  });
});

describe('a pull under way', () => {
  // Reconciliation judges a creation logged while a pull reads its device once the pull has stored
  // what it read (src/reconcile/under-way.ts): the mark stands while the device prints its
  // configuration and goes when the outcome is stored, failed or not.
  const marks = (): Array<{ device: string }> => db.prepare('SELECT device FROM pulls_under_way').all() as Array<{ device: string }>;

  it('is marked from before the login until its outcome is stored, and a failed one too', async () => {
    const seen: Array<Array<{ device: string }>> = [];
    const emu = await startEmulator({ transcript: IOS, atLogin: async () => void seen.push(marks()) });
    running.push(emu);
    expect((await pullDevice(pullContext(db), emulatedTarget(emu.port, 'cisco-ios', { name: DEVICE }))).outcome).toBe('changed');
    expect(seen).toEqual([[{ device: DEVICE }]]);
    expect(marks()).toEqual([]);

    const ctx = pullContext(db, { pull: { retries: 1, retryDelaySeconds: 0.02 } });
    const closed = await startEmulator({ transcript: IOS });
    const port = closed.port;
    await closed.close();
    expect((await pullDevice(ctx, emulatedTarget(port, 'cisco-ios', { name: 'gone', timeouts: { connect: 500 } }))).attempts).toBe(2);
    expect(marks()).toEqual([]);
  });
});

describe('failures', () => {
  it('retries what may pass, then records the failure; `pull-failed` after N failed runs in a row; a success resets the count', async () => {
    const ctx = pullContext(db, { pull: { retries: 2, retryDelaySeconds: 0.02, failuresBeforeFinding: 3 } });
    const closed = await startEmulator({ transcript: IOS });
    const port = closed.port;
    await closed.close();
    const target = emulatedTarget(port, 'cisco-ios', { name: DEVICE, timeouts: { connect: 500 } });
    for (let run = 1; run <= 4; run++) {
      const r = await pullDevice(ctx, target);
      expect([r.outcome, r.failure, r.attempts]).toEqual(['failed', 'connect', 3]);
      expect(findings('pull-failed')).toHaveLength(run >= 3 ? 1 : 0);
    }
    const [finding] = findings('pull-failed');
    expect(finding!.occurrences).toBe(2);
    expect(JSON.parse(finding!.evidence)).toMatchObject({ failure: 'connect', failures: 4 });
    expect(getPullState(db, DEVICE)!.failures).toBe(4);

    const ok = await pullOnce(IOS, { ctx });
    expect(ok.outcome).toBe('changed');
    expect(getPullState(db, DEVICE)!.failures).toBe(0);
  });
});

describe('a pull under a lease (collectors sharing a store)', () => {
  it('records nothing, success or failure, once its lease ran out in the middle of it', async () => {
    const emu = await startEmulator({ transcript: IOS });
    running.push(emu);
    const { log, lines } = capturingLogger();
    const ctx = pullContext(db, { log });
    for (const target of [emulatedTarget(emu.port, 'cisco-ios', { name: DEVICE }), emulatedTarget(1, 'cisco-ios', { name: 'refused', timeouts: { connect: 500 } })]) {
      const lease = new AbortController();
      const pulling = pullDevice(ctx, target, lease.signal);
      // Lost while connecting: after this the outcome belongs to no one.
      lease.abort();
      const r = await pulling;
      expect(r).toMatchObject({ device: target.device.name, outcome: 'failed', error: expect.stringContaining('pull lease ran out') as string });
    }
    expect(db.prepare('SELECT count(*) AS n FROM pull_runs').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM snapshots').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM pull_state').get()).toEqual({ n: 0 });
    expect(lines.join('')).toContain('nothing recorded');
    // The same pull with its lease held throughout is recorded.
    expect((await pullDevice(ctx, emulatedTarget(emu.port, 'cisco-ios', { name: DEVICE }), new AbortController().signal)).outcome).toBe('changed');
    expect(db.prepare('SELECT count(*) AS n FROM pull_runs').get()).toEqual({ n: 1 });
  });
});

describe('beside another writer (serve storing, another command)', () => {
  it('waits its turn for the write lock, then records the outcome; so does a host key accepted', async () => {
    // A connection holding the lock while the outcome's transaction reads and then writes: begun
    // DEFERRED, its write was refused at once (SQLITE_BUSY, no busy handler for a reader's upgrade)
    // and the pull stored as "connect: cannot connect: SQLITE_BUSY" (pull22).
    const path = join(tempDir('aaawatch-pull-lock-'), 'aaawatch.db');
    const file = openDatabase(path);
    try {
      const real = sqlitePullStore(file);
      let released: Promise<void> | undefined;
      const store: PullStore = {
        ...real,
        recordSuccess: async (s) => {
          released = (await holdWriteLock(path, 300)).released;
          return real.recordSuccess(s);
        },
      };
      const emu = await startEmulator({ transcript: IOS });
      running.push(emu);
      const r = await pullDevice({ ...pullContext(file), store }, emulatedTarget(emu.port, 'cisco-ios', { name: DEVICE }));
      expect(released).toBeDefined();
      await released;
      expect(r).toMatchObject({ outcome: 'changed', accounts: { added: 2 } });
      expect(file.prepare('SELECT outcome, failure FROM pull_runs').all()).toEqual([{ outcome: 'changed', failure: null }]);

      noteHostKeyChange(file, { device: DEVICE, key_type: 'ssh-ed25519', key: Buffer.from('new key'), fingerprint: 'SHA256:new' }, Date.now());
      const held = await holdWriteLock(path, 300);
      expect(acceptHostKey(file, DEVICE, 'jdoe', Date.now(), 'SHA256:new').fingerprint).toBe('SHA256:new');
      await held.released;
      expect(getHostKey(file, DEVICE)).toMatchObject({ fingerprint: 'SHA256:new', source: 'accepted' });
    } finally {
      file.close();
    }
  });

  it('a store that cannot take the outcome is a failed result naming the store and the cause, not a device failure', async () => {
    const emu = await startEmulator({ transcript: IOS });
    running.push(emu);
    const { log, lines } = capturingLogger();
    const ctx = pullContext(db, { log });
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    const store: PullStore = { ...ctx.store, where: '/var/lib/aaawatch/aaawatch.db', recordSuccess: () => Promise.reject(busy) };
    const r = await pullDevice({ ...ctx, store }, emulatedTarget(emu.port, 'cisco-ios', { name: DEVICE }));
    expect(r).toMatchObject({ device: DEVICE, outcome: 'failed', attempts: 1 });
    expect(r.failure).toBeUndefined();
    expect(r.error).toBe(
      'not recorded: the store at /var/lib/aaawatch/aaawatch.db could not take the outcome: database is locked (SQLITE_BUSY): another connection ' +
        "(serve's store or reconciliation, its web, or another command) held the write lock for more than 5 s, and nothing of this was written",
    );
    // Nothing recorded of it: not a failed run blaming the device's connection.
    expect(db.prepare('SELECT count(*) AS n FROM pull_runs').get()).toEqual({ n: 0 });
    expect(lines.join('')).toContain('pull could not be recorded');
  });
});
