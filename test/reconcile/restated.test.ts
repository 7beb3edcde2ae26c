// A `username` re-issued for an account that already holds what it states grants nothing: no
// `account-created` ("account given privilege") finding, on either reconciliation (SQLite's run and
// reconcileEstate over an EstateStore). The account's holding is what the latest pull before the
// record showed, carried forward by the account records since. Real ingest over UDP, real pulls
// from the SSH emulator replaying an IOS-XE recording.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseCreationsEstate } from '../../src/reconcile/estate.js';
import { sqliteEstateStore } from '../../src/reconcile/estate-store.js';
import { RosterIndex } from '../../src/reconcile/evaluate.js';
import { heldBefore, restatesHeld } from '../../src/reconcile/held.js';
import type { StoredRecord } from '../../src/reconcile/model.js';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import { raiseCreations } from '../../src/reconcile/run.js';
import type { DeviceRef } from '../../src/reconcile/scope.js';
import { setState } from '../../src/reconcile/store.js';
import { createHash } from 'node:crypto';
import type { HostKey } from '../../src/pull/hostkeys.js';
import type { LocalAccount } from '../../src/types.js';
import { describeEngines } from '../support/engines.js';
import { openReconStores, type ReconStores } from '../support/recon-stores.js';
import { IOS_C9200, iosLine, SKEW_MS, startPipeline, withUsers, type Pipeline } from './support.js';

const ROSTER = 'administrators: [jdoe]\naccounts:\n  - { name: jdoe, devices: ["*"], privilege: 15, type: human, owner: Jane, approval: ACC-1 }\n';
let p: Pipeline;
let seq = 1;
const cmd = (user: string, text: string, t = Date.now()): string => iosLine(seq++, 'core-sw1', t, 'PARSER-5-CFGLOG_LOGGEDCMD', `User:${user}  logged command:${text}`);
const open = (): Array<{ account: string; severity: string; summary: string }> =>
  p.db.prepare(`SELECT account, severity, summary FROM findings WHERE kind = 'account-created' AND status <> 'resolved' ORDER BY account`).all() as Array<{ account: string; severity: string; summary: string }>;

beforeAll(async () => {
  p = await startPipeline(ROSTER);
  // jdoe holds privilege 15 and bob privilege 1 at the pull; `rocks` is in the recording without a privilege.
  const r = await p.pull('core-sw1', withUsers(IOS_C9200(), 'username jdoe privilege 15 secret 9 $9$aaaaaaaaaaaaaa$bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 'username bob privilege 1 secret 9 $9$aaaaaaaaaaaaaa$ccccccccccccccccccccccccccccccccccccccccccc'));
  expect(r.outcome).toBe('changed');
});
afterAll(async () => {
  await p?.stop();
});

describe('a username re-issued for an account that holds it', () => {
  it('is no account-created finding; a privilege it did not hold is one, and a restatement after it adds none', async () => {
    const t = Date.now() + 1000;
    await p.send(
      [
        cmd('mallory', 'username jdoe privilege 15 secret *', t),
        cmd('mallory', 'username bob privilege 15 secret *', t + 1000),
        cmd('mallory', 'username bob privilege 15 secret *', t + 2000),
        cmd('mallory', 'username carol privilege 15 secret *', t + 3000),
        // rocks holds IOS's default, privilege 1, though its line states none: restating it grants nothing.
        cmd('mallory', 'username rocks privilege 1 secret *', t + 4000),
      ],
      8,
    );
    const actions = p.db.prepare(`SELECT target, action FROM events WHERE kind = 'account' ORDER BY id`).all();
    expect(actions).toEqual([
      { target: 'jdoe', action: 'account.modify' },
      { target: 'bob', action: 'account.modify' },
      { target: 'bob', action: 'account.modify' },
      { target: 'carol', action: 'account.create' },
      { target: 'rocks', action: 'account.modify' },
    ]);
    // The running service judges them as serve does (within seconds of the records).
    const deadline = Date.now() + 15_000;
    while (!open().some((f) => f.account === 'carol')) {
      if (Date.now() > deadline) throw new Error('no finding for carol');
      await new Promise((r) => setTimeout(r, 50));
    }
    await p.service.stop();
    const sqlite = open();
    expect(sqlite.map((f) => [f.account, f.severity])).toEqual([['bob', 'critical'], ['carol', 'critical']]);
    expect(sqlite[0]!.summary).toMatch(/^account given privilege on core-sw1: bob by mallory/);
    // The second bob record restates the first: the grant's evidence is the first.
    const bobEvidence = JSON.parse((p.db.prepare(`SELECT evidence FROM findings WHERE account = 'bob'`).get() as { evidence: string }).evidence) as { events: number[] };
    const bobRecords = (p.db.prepare(`SELECT id FROM events WHERE kind = 'account' AND target = 'bob' ORDER BY id`).all() as Array<{ id: number }>).map((r) => r.id);
    expect(bobEvidence.events).toContain(bobRecords[0]);
    expect(bobEvidence.events).not.toContain(bobRecords[1]);

    // The same again, from the start: SQLite's steps, then the EstateStore interface (PostgreSQL's leader runs this path).
    const index = new RosterIndex(parseRosterYaml(ROSTER, 'roster.yaml'));
    const devices = new Map<string, DeviceRef>([['core-sw1', { name: 'core-sw1', platform: 'cisco-ios', groups: [] }]]);
    const again = (): void => {
      p.db.prepare(`DELETE FROM finding_history`).run();
      p.db.prepare(`DELETE FROM findings`).run();
      setState(p.db, 'events.created', 0);
    };
    again();
    raiseCreations(p.db, index, devices, SKEW_MS);
    expect(open().map((f) => [f.account, f.severity])).toEqual([['bob', 'critical'], ['carol', 'critical']]);
    again();
    await raiseCreationsEstate(sqliteEstateStore(p.db), index, devices, () => {}, Date.now(), SKEW_MS);
    expect(open().map((f) => [f.account, f.severity])).toEqual([['bob', 'critical'], ['carol', 'critical']]);
  });
});

describe('heldBefore', () => {
  const T = Date.UTC(2026, 11, 5, 8);
  const rec = (id: number, action: string, time: number, o: Partial<StoredRecord> = {}): StoredRecord => ({ id, kind: 'account', action, time, device: 'sw', platform: 'cisco-nxos', target: 'u', ...o });

  it('carries the pulled state forward through deletions, creations, grants and revocations', () => {
    const pulled = { at: T, facts: { privilege: '15', roles: ['network-admin'], credentials: [] } };
    const r = rec(9, 'account.modify', T + 100, { role: 'network-admin' });
    expect(restatesHeld(r, heldBefore(r, pulled, []))).toBe(true);
    // Records before the pull are in its state already; one later revoking the role means the record gives it again.
    expect(restatesHeld(r, heldBefore(r, pulled, [rec(1, 'privilege.revoke', T - 5, { role: 'network-admin' })]))).toBe(true);
    expect(restatesHeld(r, heldBefore(r, pulled, [rec(2, 'privilege.revoke', T + 5, { role: 'network-admin' })]))).toBe(false);
    expect(restatesHeld(r, heldBefore(r, pulled, [rec(3, 'account.delete', T + 5)]))).toBe(false);
    expect(restatesHeld(r, heldBefore(r, pulled, [rec(3, 'account.delete', T + 5), rec(4, 'account.create', T + 6, { role: 'network-admin' })]))).toBe(true);
    // A later record (or the record itself) says nothing of what was held before it.
    expect(restatesHeld(r, heldBefore(r, pulled, [rec(10, 'account.delete', T + 100), rec(11, 'account.delete', T + 200), r]))).toBe(true);
    // The pull showed the account gone; nothing since: nothing held.
    expect(restatesHeld(r, heldBefore(r, { at: T, facts: null }, []))).toBe(false);
    // A privilege it did not hold, or one beside a role it held.
    const more = rec(9, 'account.modify', T + 100, { role: 'network-admin', privilege: '7' });
    expect(restatesHeld(more, heldBefore(more, pulled, []))).toBe(false);
    // An IOS account whose pulled line states no privilege holds privilege 1 (IOS's default, as its Accounts row
    // says); one holding a role holds no default.
    const unstated = { at: T, facts: { roles: [], credentials: [] } };
    const one = rec(9, 'account.modify', T + 100, { platform: 'cisco-ios', privilege: '1' });
    expect(restatesHeld(one, heldBefore(one, unstated, []))).toBe(true);
    const fifteen = rec(9, 'account.modify', T + 100, { platform: 'cisco-ios', privilege: '15' });
    expect(restatesHeld(fifteen, heldBefore(fifteen, unstated, []))).toBe(false);
    const withRole = { at: T, facts: { roles: ['network-operator'], credentials: [] } };
    const nx = rec(9, 'account.modify', T + 100, { privilege: '1' });
    expect(restatesHeld(nx, heldBefore(nx, withRole, []))).toBe(false);
    // A FortiOS profile syslog names bare is the one the pull read with its grant: re-stated, and revoked by that name.
    const hd = { at: T, facts: { roles: ['helpdesk (admin read-write)'], credentials: [] } };
    const bare = rec(9, 'privilege.change', T + 100, { platform: 'fortinet-fortios', role: 'helpdesk' });
    expect(restatesHeld(bare, heldBefore(bare, hd, []))).toBe(true);
    expect(restatesHeld(bare, heldBefore(bare, hd, [rec(5, 'privilege.revoke', T + 5, { platform: 'fortinet-fortios', role: 'helpdesk' })]))).toBe(false);
    // Creations and deletions are never restatements.
    const create = rec(9, 'account.create', T + 100, { privilege: '15' });
    expect(restatesHeld(create, heldBefore(create, pulled, []))).toBe(false);
  });
});

describeEngines('an account\'s pulled state as of a time (EstateStore.pulledStateAt)', (engine) => {
  let e: ReconStores;
  beforeAll(async () => {
    e = await openReconStores(await engine.fresh());
  });
  afterAll(() => e?.close());

  it('is the latest pull at or before the time: held, changed, removed', async () => {
    const T = Date.UTC(2026, 11, 5, 8);
    const hostKey: HostKey = { type: 'ssh-ed25519', blob: createHash('sha256').update('sw').digest(), fingerprint: 'SHA256:sw' };
    const user = (name: string, privilege: string, roles: string[] = []): LocalAccount => ({ name, privilege, roles, credentials: ['secret'], lines: [`username ${name} privilege ${privilege}`] });
    const pull = async (at: number, accounts: LocalAccount[]): Promise<void> => {
      const text = accounts.map((a) => a.lines[0]).join('\n');
      await e.pulls.recordSuccess({
        device: 'sw1', platform: 'cisco-nxos', startedAt: at - 1000, finishedAt: at, attempts: 1, hostKey, keySource: 'tofu',
        digest: { redacted: text, hash: createHash('sha256').update(text).digest('hex'), accounts },
      });
    };
    await pull(T, [user('jdoe', '15', ['network-admin'])]);
    await pull(T + 60_000, [user('jdoe', '1')]);
    await pull(T + 120_000, []);
    expect(await e.estate.pulledStateAt('sw1', 'jdoe', T - 1)).toBeUndefined();
    expect(await e.estate.pulledStateAt('sw1', 'jdoe', T)).toMatchObject({ facts: { privilege: '15', roles: ['network-admin'] } });
    expect(await e.estate.pulledStateAt('sw1', 'jdoe', T + 60_000 - 1)).toMatchObject({ facts: { privilege: '15' } });
    expect(await e.estate.pulledStateAt('sw1', 'jdoe', T + 60_000)).toMatchObject({ facts: { privilege: '1', roles: [] } });
    expect(await e.estate.pulledStateAt('sw1', 'jdoe', T + 200_000)).toMatchObject({ facts: null });
    expect((await e.estate.pulledStateAt('sw1', 'jdoe', T + 200_000))!.at).toBe(T + 120_000);
    expect(await e.estate.pulledStateAt('sw2', 'jdoe', T + 200_000)).toBeUndefined();
  });
});
