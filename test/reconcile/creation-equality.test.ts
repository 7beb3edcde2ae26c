// account-created's passes read records through the index tables as arrays, look open findings
// up a chunk at a time and write findings in bounded transactions; what they write must be what
// the plain way writes: every account record read from `events` itself, its actor's login and
// commands found by scanning `events`, and each finding raised on its own with raiseFinding. The
// two are run over the same records (bursts of creations on several devices, logins and commands
// before and after them, inside and outside the look-backs, repeats and escalations, names no
// device should send) and every findings and history row compared.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isCreation } from '../../src/reconcile/created.js';
import { RosterIndex } from '../../src/reconcile/evaluate.js';
import { raiseFinding, raiseFindings, type NewFinding } from '../../src/reconcile/findings.js';
import { heldBefore, restatesHeld } from '../../src/reconcile/held.js';
import { CORROBORATING_PER_SIDE, creationFindingFor, creationGroups, namedMaking, SAME_CHANGE_MS, SESSION_LOOKBACK_MS, sessionLookups } from '../../src/reconcile/judge.js';
import type { StoredRecord } from '../../src/reconcile/model.js';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import { raiseCreations } from '../../src/reconcile/run.js';
import type { DeviceRef } from '../../src/reconcile/scope.js';
import { setState } from '../../src/reconcile/store.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { IndexMover } from '../../src/store/index-moves.js';
import { mulberry32 } from '../support/random.js';
import { SKEW_MS } from './support.js';

const T = Date.UTC(2026, 10, 20, 9, 0);
const MIN = 60_000;

interface Row {
  kind: 'account' | 'command' | 'session';
  action: string;
  time: number;
  device: string;
  platform?: string;
  actor?: string | null;
  address?: string | null;
  target?: string | null;
  privilege?: string | null;
  role?: string | null;
  group?: string | null;
  path?: string | null;
  command?: string | null;
}

const DEVICES: Array<{ name: string; platform: string }> = [
  { name: 'core-sw1', platform: 'cisco-ios' },
  { name: 'core-sw2', platform: 'cisco-ios' },
  { name: 'edge-fw1', platform: 'cisco-asa' },
  { name: 'mx1', platform: 'juniper-junos' },
  { name: '10.9.0.7', platform: 'tac-plus' },
  { name: 'bastion', platform: 'linux' },
];
const ACTORS = ['jdoe', 'netops', 'svc-ansible', 'mallory'];
/** Names no device should send, which the look-ups and the findings must still keep apart. */
const HOSTILE = ["o'brien", 'a"b', 'tab\there', 'nul\u0000x', 'zwj\u200dx', 'ünï', '%_', 'x'.repeat(300)];

/** Records: bursts of creations, with the actors' logins and commands around them. */
function records(seed: number): Row[] {
  // The same records in the same order, whatever the run.
  const r = mulberry32(seed);
  const one = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const out: Row[] = [];
  let n = 0;
  const made: Array<{ device: string; platform: string; target: string }> = [];
  for (let burst = 0; burst < 6; burst++) {
    const start = T + burst * 20 * MIN;
    for (let i = 0; i < 120; i++) {
      const d = { ...one(DEVICES) };
      const actor = r() < 0.1 ? null : one(ACTORS);
      // Stamps out of order, as relays deliver them.
      const t = start + i * 1000 + Math.floor((r() - 0.5) * 4 * MIN);
      const u = r();
      if (actor && u < 0.15) out.push({ kind: 'session', action: r() < 0.5 ? 'login' : 'session.start', time: t - Math.floor(r() * 20 * 3_600_000 * r()), device: d.name, platform: d.platform, actor, address: r() < 0.8 ? `10.0.${burst}.${i}` : null });
      else if (actor && u < 0.45) out.push({ kind: 'command', action: 'command', time: t + Math.floor((r() - 0.5) * 3 * MIN), device: d.name, platform: d.platform, actor, command: r() < 0.5 ? 'show run' : `username u${i} privilege 15`, path: r() < 0.5 ? 'tacacs' : null });
      else {
        // A repeat of an earlier name on its device: the finding is refreshed, maybe escalated.
        const again = r() < 0.25 && made.length ? one(made) : undefined;
        const target = again ? again.target : r() < 0.05 ? one(HOSTILE) : `acct${n++}`;
        if (again) Object.assign(d, { name: again.device, platform: again.platform });
        else made.push({ device: d.name, platform: d.platform, target });
        const action = one(['account.create', 'account.create', 'privilege.change', 'group.add_member', 'account.modify', 'password.change', 'account.delete']);
        out.push({
          kind: 'account', action, time: t, device: d.name, platform: d.platform, actor, target: r() < 0.03 ? null : target,
          address: r() < 0.2 ? '192.0.2.9' : null,
          privilege: action === 'privilege.change' || (action === 'account.modify' && r() < 0.5) ? one(['1', '7', '15']) : null,
          role: action === 'account.create' && r() < 0.2 ? one(['network-admin', 'operator', 'super-user']) : null,
          group: action === 'group.add_member' ? one(['wheel', 'users', 'sudo']) : null,
          path: r() < 0.3 ? 'tacacs' : null,
        });
        // The AAA server's accounting of the same change at the same instant, and records on the
        // edges of the look-ups: a command at the span's ends, a login at the look-back's start.
        if (actor && r() < 0.3) {
          const edge = one([0, SAME_CHANGE_MS, -SAME_CHANGE_MS, SAME_CHANGE_MS + 1]);
          out.push({ kind: 'command', action: 'command', time: t + edge, device: d.name, platform: d.platform, actor, command: 'username x', path: 'tacacs' });
          if (r() < 0.3) out.push({ kind: 'session', action: 'login', time: t - SESSION_LOOKBACK_MS, device: d.name, platform: d.platform, actor, address: '10.1.1.1' });
        }
      }
    }
  }
  return out;
}

function fill(db: Db, rows: readonly Row[]): void {
  const insert = db.prepare(
    `INSERT INTO events (kind, action, time, device, platform, actor, actor_address, target, privilege, role, grp, path, command, received_at, transport, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'tcp', x'00', x'00')`,
  );
  db.transaction(() => {
    for (const r of rows) {
      insert.run(r.kind, r.action, r.time, r.device, r.platform ?? 'cisco-ios', r.actor ?? null, r.address ?? null, r.target ?? null, r.privilege ?? null,
        r.role ?? null, r.group ?? null, r.path ?? null, r.command ?? null, r.time);
    }
  })();
  // Into the index tables, as the store thread moves what it stored (src/store/index-moves.ts).
  new IndexMover(db).moveAll();
}

const COLUMNS = 'id, kind, action, time, device, platform, actor, actor_address, target, privilege, role, grp, path, technique, command';
type Plain = Record<string, string | number | null>;

function plainRecord(r: Plain): StoredRecord {
  const out: StoredRecord = { id: r.id as number, kind: r.kind as StoredRecord['kind'], action: r.action as string, time: r.time as number, device: r.device as string, platform: r.platform as string };
  if (r.actor !== null) out.actor = r.actor as string;
  if (r.actor_address !== null) out.actorAddress = r.actor_address as string;
  if (r.target !== null) out.target = r.target as string;
  if (r.privilege !== null) out.privilege = r.privilege as string;
  if (r.role !== null) out.role = r.role as string;
  if (r.grp !== null) out.group = r.grp as string;
  if (r.path !== null) out.path = r.path as string;
  if (r.technique !== null) out.technique = r.technique as string;
  if (r.command !== null) out.command = r.command as string;
  return out;
}

/**
 * The plain way: account records 100 at a time from `events` (as a pass steps), the actor's latest
 * login with an address in the look-back and its nearest commands each side by scanning `events`,
 * every finding raised on its own in one transaction per step.
 */
function plainCreations(db: Db, devices: ReadonlyMap<string, DeviceRef>, index: RosterIndex | undefined): void {
  const accounts = db.prepare(`SELECT ${COLUMNS} FROM events WHERE kind = 'account' ORDER BY id`).all() as Plain[];
  const login = db.prepare(
    `SELECT ${COLUMNS} FROM events WHERE kind = 'session' AND action IN ('login', 'session.start') AND device = ? AND actor = ? AND time >= ? AND time <= ?
       AND actor_address IS NOT NULL ORDER BY time DESC, id DESC LIMIT 1`,
  );
  const before = db.prepare(`SELECT ${COLUMNS} FROM events WHERE kind = 'command' AND device = ? AND actor = ? AND time <= ? AND time >= ? ORDER BY time DESC, id DESC LIMIT ?`);
  const after = db.prepare(`SELECT ${COLUMNS} FROM events WHERE kind = 'command' AND device = ? AND actor = ? AND time > ? AND time <= ? ORDER BY time, id LIMIT ?`);
  for (let i = 0; i < accounts.length; i += 100) {
    // A record that only restates what its account held (src/reconcile/held.ts): no pulls here, so its earlier records alone say.
    const restated = (r: StoredRecord): boolean => restatesHeld(r, heldBefore(r, undefined, accounts.map(plainRecord).filter((e) => e.device === r.device && e.target === r.target)));
    const step = accounts.slice(i, i + 100).map(plainRecord).filter((r) => isCreation(r) && !restated(r));
    db.transaction(() => {
      for (const made of creationGroups(step, devices)) {
        // A making naming no actor takes the one its other records name, stored before or after it (judge.ts namedMaking).
        const g = namedMaking(made, accounts.map(plainRecord));
        const found = new Map<number, StoredRecord>();
        const device = g.judged.device;
        for (const l of sessionLookups([g.judged])) {
          const s = login.get(device, l.actor, l.time - SESSION_LOOKBACK_MS, l.time) as Plain | undefined;
          if (s) found.set(s.id as number, plainRecord(s));
          if (!l.commands) continue;
          const b = (before.all(device, l.actor, l.time, l.time - SAME_CHANGE_MS, CORROBORATING_PER_SIDE) as Plain[]).reverse();
          const a = after.all(device, l.actor, l.time, l.time + SAME_CHANGE_MS, CORROBORATING_PER_SIDE) as Plain[];
          for (const c of [...b, ...a]) found.set(c.id as number, plainRecord(c));
        }
        raiseFinding(db, creationFindingFor(g, devices, index, [...found.values()]));
      }
    })();
  }
}

/** Every findings and history row, in id order. */
function written(db: Db): { findings: unknown[]; history: unknown[] } {
  return {
    findings: db.prepare('SELECT * FROM findings ORDER BY id').all(),
    history: db.prepare('SELECT * FROM finding_history ORDER BY id').all(),
  };
}

const ROSTER = parseRosterYaml(
  `
administrators: [jdoe]
automation: [svc-ansible]
changeWindows:
  - name: upgrade
    ticket: CHG1
    start: 2026-11-20T09:30:00Z
    end: 2026-11-20T10:10:00Z
    devices: [core-*]
`,
  'roster.yaml',
);

let a: Db;
let b: Db;
beforeEach(() => {
  a = openDatabase(':memory:');
  b = openDatabase(':memory:');
});
afterEach(() => {
  a.close();
  b.close();
});

describe('account-created against the plain way', () => {
  const devices = new Map<string, DeviceRef>(DEVICES.slice(0, 4).map((d) => [d.name, { name: d.name, platform: d.platform, groups: [] }]));

  for (const seed of [1, 2, 3]) {
    for (const limit of [500, 137]) {
      it(`writes the same findings and history (seed ${seed}, passes of ${limit} account records)`, () => {
        const rows = records(seed);
        fill(a, rows);
        fill(b, rows);
        // An open finding from before (refreshed) and a resolved one (a new finding is raised beside it).
        for (const db of [a, b]) {
          db.prepare(`INSERT INTO findings (kind, severity, device, account, status, summary, evidence, first_seen, last_seen, occurrences, updated_at)
                      VALUES ('account-created', 'low', 'core-sw1', 'acct1', 'open', 'before', '{"events":[1]}', ?, ?, 1, ?),
                             ('account-created', 'high', 'core-sw2', 'acct2', 'resolved', 'before', '{"events":[2]}', ?, ?, 1, ?)`).run(T, T, T, T, T, T);
          setState(db, 'events.created', 0);
        }
        for (let more = true; more; ) more = raiseCreations(a, new RosterIndex(ROSTER), devices, SKEW_MS, limit).more;
        plainCreations(b, devices, new RosterIndex(ROSTER));
        const got = written(a);
        expect(got.findings.length).toBeGreaterThan(200);
        // Refreshed, escalated and attributed findings are among them, not only new ones.
        expect(a.prepare(`SELECT count(*) FROM findings WHERE occurrences > 1`).pluck().get()).toBeGreaterThan(10);
        expect(a.prepare(`SELECT count(*) FROM finding_history WHERE from_status IS NOT NULL`).pluck().get()).toBeGreaterThan(0);
        expect(a.prepare(`SELECT count(*) FROM findings WHERE attribution LIKE '% from 10.0.%'`).pluck().get()).toBeGreaterThan(0);
        expect(got).toEqual(written(b));
      });
    }
  }
});

describe('raiseFindings', () => {
  const finding = (account: string, severity: NewFinding['severity'], at: number, events: number[]): NewFinding => ({
    kind: 'account-created', severity, device: 'core-sw1', account, summary: `${account} ${severity}`, attribution: `by jdoe ${at}`, evidence: { events }, at,
  });

  it('writes a list naming the same finding twice as one at a time would', () => {
    const list = [finding('x', 'low', T, [1]), finding('y', 'medium', T, [2]), finding('x', 'critical', T + 1, [3]), finding('nul\u0000x', 'low', T, [4])];
    a.transaction(() => raiseFindings(a, list))();
    b.transaction(() => {
      for (const f of list) raiseFinding(b, f);
    })();
    expect(a.prepare(`SELECT count(*) FROM findings`).pluck().get()).toBe(3);
    expect(written(a)).toEqual(written(b));
  });

  it('writes more findings than one look-up takes, each seeing the open ones before it', () => {
    for (const db of [a, b]) db.transaction(() => raiseFinding(db, finding('k7', 'low', T, [7])))();
    const list = Array.from({ length: 300 }, (_, i) => finding(`k${i}`, i % 3 ? 'medium' : 'low', T + i, [i]));
    a.transaction(() => raiseFindings(a, list))();
    b.transaction(() => {
      for (const f of list) raiseFinding(b, f);
    })();
    expect(written(a)).toEqual(written(b));
  });

  it('refuses to write outside a transaction', () => {
    expect(() => raiseFindings(a, [finding('x', 'low', T, [1])])).toThrow(/inside a transaction/);
  });
});
