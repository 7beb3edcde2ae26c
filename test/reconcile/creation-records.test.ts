// What account-created reads: the records that may create an account, picked out in SQL, with the
// position it keeps; and an actor's commands nearest a record, in one statement or, for a busy
// actor, two.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isCreation } from '../../src/reconcile/created.js';
import { raiseCreations } from '../../src/reconcile/run.js';
import { commandsNear, creationRecordsAfter, getState, setState } from '../../src/reconcile/store.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { IndexMover } from '../../src/store/index-moves.js';
import { SKEW_MS } from './support.js';

const T = Date.UTC(2026, 10, 20, 9, 0);
let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

interface Row {
  kind: 'account' | 'command' | 'session';
  action: string;
  time?: number;
  device?: string;
  platform?: string;
  actor?: string | null;
  target?: string | null;
  privilege?: string | null;
  role?: string | null;
  grp?: string | null;
  command?: string | null;
}

function insert(r: Row): number {
  const id = Number(
    db.prepare(
      `INSERT INTO events (kind, action, time, device, platform, actor, target, privilege, role, grp, command, received_at, transport, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'tcp', x'00', x'00')`,
    ).run(r.kind, r.action, r.time ?? T, r.device ?? 'core-sw1', r.platform ?? 'cisco-ios', r.actor ?? 'jdoe', r.target ?? null, r.privilege ?? null, r.role ?? null, r.grp ?? null, r.command ?? null, r.time ?? T).lastInsertRowid,
  );
  // Into the index tables, as the store thread moves what it stored (src/store/index-moves.ts).
  new IndexMover(db).moveAll();
  return id;
}

describe('creationRecordsAfter', () => {
  // Every account action the readers give, with and without what makes a modification a grant.
  const forms: Row[] = [
    { kind: 'account', action: 'account.create', target: 'a1' },
    { kind: 'account', action: 'account.create', target: null },
    { kind: 'account', action: 'account.modify', target: 'a2' },
    { kind: 'account', action: 'account.modify', target: 'a3', privilege: '15' },
    { kind: 'account', action: 'account.modify', target: 'a4', role: 'network-admin' },
    { kind: 'account', action: 'account.delete', target: 'a5' },
    { kind: 'account', action: 'password.change', target: 'a6' },
    { kind: 'account', action: 'privilege.change', target: 'a7', privilege: '15' },
    { kind: 'account', action: 'group.add_member', target: 'a8' },
    { kind: 'account', action: 'group.remove_member', target: 'a9' },
    { kind: 'command', action: 'command', command: 'username x privilege 15' },
    { kind: 'session', action: 'login' },
  ];

  it('takes no role or privilege taken away as a creation, whatever it names', () => {
    insert({ kind: 'account', action: 'privilege.revoke', target: 'r1', role: 'network-admin' });
    insert({ kind: 'account', action: 'privilege.revoke', target: 'r2', privilege: '15' });
    const grant = insert({ kind: 'account', action: 'privilege.change', target: 'r3', privilege: '15' });
    expect(creationRecordsAfter(db, 0, 100).records.map((r) => r.id)).toEqual([grant]);
    expect(isCreation({ id: 0, kind: 'account', action: 'privilege.revoke', time: T, device: 'core-sw1', platform: 'cisco-ios', target: 'r1', role: 'network-admin', privilege: '15' })).toBe(false);
  });

  it('leaves out only what isCreation turns away, and keeps the position past the records it left out', () => {
    const ids = forms.map(insert);
    const all = db.prepare(`SELECT id, kind, action, time, device, platform, actor, target, privilege, role FROM events`).all() as Array<Record<string, unknown>>;
    const creations = all
      .map((r) => ({ ...r, target: r.target ?? undefined, privilege: r.privilege ?? undefined, role: r.role ?? undefined }) as Parameters<typeof isCreation>[0])
      .filter(isCreation)
      .map((r) => r.id);
    expect(creations.length).toBe(5);
    const { records, through } = creationRecordsAfter(db, 0, 100);
    expect(records.filter(isCreation).map((r) => r.id)).toEqual(creations);
    expect(records.map((r) => r.id)).toEqual(creations);
    // The last account record (a group removal, not a creation) is where the next step starts.
    expect(through).toBe(ids[9]);
    expect(creationRecordsAfter(db, through, 100)).toEqual({ records: [], through });
  });

  it('steps through `limit` account records at a time, whatever they hold', () => {
    const ids = forms.map(insert);
    const steps: Array<{ ids: number[]; through: number }> = [];
    for (let after = 0; ; ) {
      const step = creationRecordsAfter(db, after, 3);
      if (step.through === after) break;
      steps.push({ ids: step.records.map((r) => r.id), through: step.through });
      after = step.through;
    }
    expect(steps).toEqual([
      { ids: [ids[0]!], through: ids[2]! },
      { ids: [ids[3]!, ids[4]!], through: ids[5]! },
      { ids: [ids[7]!, ids[8]!], through: ids[8]! },
      { ids: [], through: ids[9]! },
    ]);
  });
});

describe('commandsNear', () => {
  const cmd = (seconds: number, actor = 'jdoe', device = 'core-sw1'): number =>
    insert({ kind: 'command', action: 'command', time: T + seconds * 1000, actor, device, command: `cmd ${seconds}` });

  it('the nearest three on each side within the span, oldest first, of that actor on that device', () => {
    const near = [-70, -50, -40, -30, -20, 0, 5, 10, 20, 30, 61].map((s) => cmd(s));
    cmd(1, 'other');
    cmd(2, 'jdoe', 'core-sw2');
    insert({ kind: 'account', action: 'account.create', time: T + 3000, target: 'x' });
    const ids = commandsNear(db, 'core-sw1', 'jdoe', T, 60_000, 3).map((r) => r.id);
    // -40, -30, -20 and 0 (at `at` counts as before); 5, 10, 20 after; -70 and 61 outside the span.
    expect(ids).toEqual([near[3], near[4], near[5], near[6], near[7], near[8]]);
  });

  it('an actor with more commands in the span than one look reads gets the same nearest ones', () => {
    const ids: number[] = [];
    for (let s = -59; s <= 59; s += 2) ids.push(cmd(s));
    const got = commandsNear(db, 'core-sw1', 'jdoe', T, 60_000, 3).map((r) => r.id);
    // -5, -3, -1 before; 1, 3, 5 after.
    expect(got).toEqual(ids.slice(27, 33));
    expect(commandsNear(db, 'core-sw1', 'jdoe', T - 58_000, 60_000, 2).map((r) => r.id)).toEqual(ids.slice(0, 3));
  });
});

describe('raiseCreations', () => {
  it('writes a pass of several 100-record steps as the steps one by one would: the same findings, escalations and position', () => {
    // 250 account records: two full steps and a part. x0 is created in the first step and given
    // privilege 15 in the third (an escalation, with its history row); the rest are distinct.
    insert({ kind: 'account', action: 'account.create', target: 'x0' });
    for (let i = 1; i < 249; i++) insert({ kind: 'account', action: i % 2 ? 'account.create' : 'password.change', target: `x${i}`, time: T + i });
    const last = insert({ kind: 'account', action: 'privilege.change', target: 'x0', privilege: '15', time: T + 249 });
    setState(db, 'events.created', 0);
    expect(raiseCreations(db, undefined, new Map(), SKEW_MS, 500)).toEqual({ raised: 125 + 1, more: false, unnamed: false, waiting: false });
    expect(getState(db, 'events.created')).toBe(last);
    const findings = db.prepare(`SELECT account, severity, occurrences, evidence FROM findings WHERE kind = 'account-created' ORDER BY id`).all() as Array<{ account: string; severity: string; occurrences: number; evidence: string }>;
    expect(findings).toHaveLength(125);
    expect(findings[0]).toMatchObject({ account: 'x0', severity: 'critical', occurrences: 2 });
    expect((JSON.parse(findings[0]!.evidence) as { events: number[] }).events).toEqual([1, last]);
    const history = db.prepare(`SELECT h.from_status, h.to_status, h.severity FROM finding_history h JOIN findings f ON f.id = h.finding_id WHERE f.account = 'x0' ORDER BY h.id`).all();
    expect(history).toEqual([
      { from_status: null, to_status: 'open', severity: 'medium' },
      { from_status: 'open', to_status: 'open', severity: 'critical' },
    ]);
  });

  it('judges an account\'s records in one pass by the one granting full administration, not by whichever came last', () => {
    // `usermod -aG sudo,docker sam` writes sudo's line, then docker's (shadow-utils, one line per
    // group): one pass reads both, and the finding was judged on docker's alone: high, the sudo
    // grant by no authorised administrator not critical. The same for a UID 0 account deleted and
    // made again without it within the pass.
    const linux = { kind: 'account' as const, device: 'web1', platform: 'linux', actor: null };
    const sudo = insert({ ...linux, action: 'group.add_member', target: 'sam', grp: 'sudo' });
    const docker = insert({ ...linux, action: 'group.add_member', target: 'sam', grp: 'docker', time: T + 1 });
    insert({ ...linux, action: 'account.create', target: 'toor', privilege: 'uid=0', time: T + 2 });
    insert({ ...linux, action: 'account.create', target: 'toor', time: T + 3 });
    setState(db, 'events.created', 0);
    raiseCreations(db, undefined, new Map(), SKEW_MS, 500);
    const findings = db.prepare(`SELECT account, severity, summary, evidence FROM findings WHERE kind = 'account-created' ORDER BY account`).all() as Array<{ account: string; severity: string; summary: string; evidence: string }>;
    expect(findings.map((f) => [f.account, f.severity])).toEqual([['sam', 'critical'], ['toor', 'critical']]);
    expect(findings[0]!.summary).toContain('full administrative rights');
    // Every record of the pass is still its evidence.
    expect((JSON.parse(findings[0]!.evidence) as { events: number[] }).events).toEqual(expect.arrayContaining([sudo, docker]));
  });

  it('stops after `limit` account records and goes on from there', () => {
    for (let i = 0; i < 250; i++) insert({ kind: 'account', action: 'account.create', target: `y${i}`, time: T + i });
    setState(db, 'events.created', 0);
    expect(raiseCreations(db, undefined, new Map(), SKEW_MS, 200)).toEqual({ raised: 200, more: true, unnamed: false, waiting: false });
    expect(getState(db, 'events.created')).toBe(200);
    expect(raiseCreations(db, undefined, new Map(), SKEW_MS, 200)).toEqual({ raised: 50, more: false, unnamed: false, waiting: false });
    expect((db.prepare(`SELECT count(*) AS n FROM findings`).get() as { n: number }).n).toBe(250);
  });
});
