// The lifecycle API the command line and the web call: transitions with who, why and when;
// what is refused; acceptances that expire; findings that follow their conditions.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Condition } from '../../src/reconcile/evaluate.js';
import { raiseFinding } from '../../src/reconcile/findings.js';
import {
  accept, acknowledge, findingHistory, getFinding, latestDecision, listFindings, reopen, reopenExpired, resolve, TransitionError,
} from '../../src/reconcile/lifecycle.js';
import { syncConditions } from '../../src/reconcile/sync.js';
import { openDatabase, type Db } from '../../src/store/db.js';

let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

const T = Date.UTC(2026, 10, 20, 9, 0);
const raise = (account = 'bob', severity: 'low' | 'medium' | 'high' = 'high', at = T): number =>
  raiseFinding(db, { kind: 'unauthorised-account', severity, device: 'core-sw1', account, summary: `${account} is not on the roster`, evidence: { events: [1] }, at }).id;

describe('transitions', () => {
  it('open → acknowledged → accepted → resolved, each with who, why and when', () => {
    const id = raise();
    acknowledge(db, id, { by: 'auditor1', path: { kind: 'web', user: 'auditor1' }, reason: 'investigating', at: T + 1000 });
    const accepted = accept(db, id, { by: 'netlead', path: { kind: 'web', user: 'netlead' }, reason: 'vendor access until the migration ends', until: T + 86_400_000, at: T + 2000 });
    expect(accepted).toMatchObject({ status: 'accepted', acceptedUntil: T + 86_400_000 });
    resolve(db, id, { by: 'netlead', path: { kind: 'web', user: 'netlead' }, reason: 'account removed, CHG-77', at: T + 3000 });
    expect(findingHistory(db, id).map((h) => [h.at - T, h.by, h.from, h.to, h.reason, h.until, h.severity])).toEqual([
      [0, 'aaawatch', null, 'open', null, null, 'high'],
      [1000, 'auditor1', 'open', 'acknowledged', 'investigating', null, 'high'],
      [2000, 'netlead', 'acknowledged', 'accepted', 'vendor access until the migration ends', T + 86_400_000, 'high'],
      [3000, 'netlead', 'accepted', 'resolved', 'account removed, CHG-77', null, 'high'],
    ]);
    expect(latestDecision(db, id)).toEqual({ reviewer: 'netlead', decision: 'resolved', decidedAt: T + 3000, reason: 'account removed, CHG-77', until: null });
    expect(getFinding(db, id)!.acceptedUntil).toBeNull();
  });

  it('an account changed again after a decision reopens its account-created or unlogged-change; a condition seen again does not', () => {
    const created = (events: number[], at: number, severity: 'high' | 'critical' = 'high') =>
      raiseFinding(db, { kind: 'account-created', severity, device: 'lnx1', account: 'bob', summary: 'bob added to sudo', evidence: { events }, at }).id;
    const id = created([1], T);
    accept(db, id, { by: 'netlead', path: { kind: 'web', user: 'netlead' }, reason: 'lab host', until: T + 86_400_000, at: T + 1000 });
    const unauthorised = raise('bob');
    acknowledge(db, unauthorised, { by: 'auditor1', path: { kind: 'web', user: 'auditor1' }, reason: 'investigating', at: T + 1000 });
    // bob added to wheel after the acceptance: another grant (a restatement raises none).
    expect(created([2], T + 5000, 'critical')).toBe(id);
    expect(getFinding(db, id)).toMatchObject({ status: 'open', acceptedUntil: null, severity: 'critical', occurrences: 2 });
    expect(findingHistory(db, id).slice(2).map((h) => [h.at - T, h.by, h.from, h.to, h.reason, h.severity])).toEqual([
      [5000, 'aaawatch', 'accepted', 'accepted', 'severity raised from high to critical', 'critical'],
      [5000, 'aaawatch', 'accepted', 'open', 'the account changed again after the decision', 'critical'],
    ]);
    // The roster finding is the same condition seen again: the acknowledgement stands.
    raise('bob', 'high', T + 6000);
    expect(getFinding(db, unauthorised)!.status).toBe('acknowledged');
  });

  it('refuses what is not a decision an auditor could rely on', () => {
    const id = raise();
    const refused = (f: () => unknown): string => {
      try {
        f();
      } catch (err) {
        expect(err).toBeInstanceOf(TransitionError);
        return (err as Error).message;
      }
      throw new Error('allowed');
    };
    expect(refused(() => acknowledge(db, id, { by: ' ', path: { kind: 'web', user: ' ' }, reason: 'x' }))).toBe('say who decides (--by NAME)');
    expect(refused(() => acknowledge(db, id, { by: 'AAAWATCH', path: { kind: 'web', user: 'AAAWATCH' }, reason: 'x' }))).toBe('"aaawatch" is reserved for automatic changes; give your own name');
    expect(refused(() => acknowledge(db, id, { by: 'eve\u001b[2J', path: { kind: 'web', user: 'eve\u001b[2J' }, reason: 'x' }))).toBe('the reviewer name must be at most 200 printable characters');
    expect(refused(() => acknowledge(db, id, { by: 'eve', path: { kind: 'web', user: 'eve' }, reason: '' }))).toBe('give a reason (--reason TEXT): auditors read it');
    expect(refused(() => accept(db, id, { by: 'eve', path: { kind: 'web', user: 'eve' }, reason: 'x', until: T - 1, at: T }))).toBe('--until 2026-11-20T08:59:59Z is not in the future');
    expect(refused(() => acknowledge(db, id, { by: 'eve', path: { kind: 'web', user: 'eve' }, reason: 'x', until: T + 1 }))).toBe('--until applies to accept only');
    expect(refused(() => reopen(db, id, { by: 'eve', path: { kind: 'web', user: 'eve' }, reason: 'x' }))).toBe(`finding ${id} is open; it cannot become open`);
    expect(refused(() => acknowledge(db, 999, { by: 'eve', path: { kind: 'web', user: 'eve' }, reason: 'x' }))).toBe('no finding 999');
    resolve(db, id, { by: 'eve', path: { kind: 'web', user: 'eve' }, reason: 'fixed' });
    expect(refused(() => acknowledge(db, id, { by: 'eve', path: { kind: 'web', user: 'eve' }, reason: 'x' }))).toBe(`finding ${id} is resolved; a condition that returns is raised as a new finding`);
    // Nothing refused reached the history.
    expect(findingHistory(db, id).map((h) => h.to)).toEqual(['open', 'resolved']);
  });

  it('an acceptance that expires reopens the finding; a person can also take it back', () => {
    const a = raise('a');
    const b = raise('b');
    accept(db, a, { by: 'netlead', path: { kind: 'web', user: 'netlead' }, reason: 'r', until: T + 10_000, at: T });
    accept(db, b, { by: 'netlead', path: { kind: 'web', user: 'netlead' }, reason: 'r', until: T + 50_000, at: T });
    expect(reopenExpired(db, T + 10_000)).toEqual([a]);
    expect(getFinding(db, a)).toMatchObject({ status: 'open', acceptedUntil: null });
    expect(findingHistory(db, a).at(-1)).toMatchObject({ by: 'aaawatch', from: 'accepted', to: 'open', reason: 'acceptance expired 2026-11-20T09:00:10Z (accepted by netlead)' });
    expect(getFinding(db, b)!.status).toBe('accepted');
    // Taken back while it stands (asof19: a decision at a time after it ran out finds it open already).
    reopen(db, b, { by: 'ciso', path: { kind: 'web', user: 'ciso' }, reason: 'not acceptable after all', at: T + 20_000 });
    expect(getFinding(db, b)!.status).toBe('open');
  });

  it('lists by status, kind, severity, device and account', () => {
    const a = raise('a', 'low');
    raise('b', 'high');
    acknowledge(db, a, { by: 'x', path: { kind: 'web', user: 'x' }, reason: 'y' });
    expect(listFindings(db, { status: 'acknowledged' }).map((f) => f.account)).toEqual(['a']);
    expect(listFindings(db, { severity: 'high' }).map((f) => f.account)).toEqual(['b']);
    expect(listFindings(db, { account: 'b', device: 'core-sw1', kind: 'unauthorised-account' })).toHaveLength(1);
    expect(listFindings(db, { status: ['open', 'acknowledged'], limit: 1 })).toHaveLength(1);
  });
});

describe('raising', () => {
  it('one open finding per kind, device and account; a higher severity is an escalation on the record', () => {
    const id = raise('bob', 'medium', T);
    expect(raise('bob', 'medium', T + 1)).toBe(id);
    expect(raise('bob', 'high', T + 2)).toBe(id);
    expect(getFinding(db, id)).toMatchObject({ severity: 'high', occurrences: 3, lastSeen: T + 2 });
    expect(findingHistory(db, id).map((h) => [h.from, h.to, h.severity, h.reason])).toEqual([
      [null, 'open', 'medium', null],
      ['open', 'open', 'high', 'severity raised from medium to high'],
    ]);
    resolve(db, id, { by: 'x', path: { kind: 'web', user: 'x' }, reason: 'y' });
    expect(raise('bob')).not.toBe(id);
  });

  it('a refresh from an earlier record keeps the latest last seen, and a lower severity keeps severity and summary', () => {
    const f = (severity: 'low' | 'medium' | 'high', at: number, events: number[], attribution?: string): number =>
      raiseFinding(db, { kind: 'account-created', severity, device: 'core-sw1', account: 'bob', summary: `bob ${severity} at ${at - T}`, evidence: { events }, at, ...(attribution ? { attribution } : {}) }).id;
    const id = f('medium', T + 5000, [1], 'by jdoe');
    // Earlier and lower: only the count, the evidence and updated_at move (updated_at is the record's time).
    expect(f('low', T + 1000, [2])).toBe(id);
    expect(getFinding(db, id)).toMatchObject({
      severity: 'medium', summary: 'bob medium at 5000', lastSeen: T + 5000, firstSeen: T + 5000, occurrences: 2, updatedAt: T + 1000,
      attribution: 'by jdoe', evidence: { events: [1, 2] },
    });
    // Earlier but higher: severity and summary escalate, last seen stays.
    expect(f('high', T + 2000, [3], 'by asmith')).toBe(id);
    expect(getFinding(db, id)).toMatchObject({ severity: 'high', summary: 'bob high at 2000', lastSeen: T + 5000, occurrences: 3, attribution: 'by asmith', evidence: { events: [1, 2, 3] } });
    // Later and the same severity: last seen moves, the summary stays.
    expect(f('high', T + 9000, [3])).toBe(id);
    expect(getFinding(db, id)).toMatchObject({ severity: 'high', summary: 'bob high at 2000', lastSeen: T + 9000, occurrences: 4, updatedAt: T + 9000, evidence: { events: [1, 2, 3] } });
    expect(findingHistory(db, id).map((h) => [h.from, h.to, h.severity])).toEqual([[null, 'open', 'medium'], ['open', 'open', 'high']]);
  });
});

describe('findings follow their conditions', () => {
  const condition = (account: string, over: Partial<Condition> = {}): Condition => ({
    kind: 'unauthorised-account', severity: 'medium', device: 'core-sw1', account, summary: `${account} is not on the roster`, evidence: { accounts: [1] }, at: T, ...over,
  });
  const kinds = new Set(['unauthorised-account']);

  it('raised, refreshed without noise, updated and escalated when they change, resolved with the evidence of why', () => {
    const first = syncConditions(db, kinds, [condition('a'), condition('b')], () => undefined, T);
    expect(first).toEqual({ raised: 2, escalated: 0, refreshed: 0, resolved: 0 });
    const again = syncConditions(db, kinds, [condition('a'), condition('b', { severity: 'high', summary: 'b (privilege 15) is not on the roster' })], () => undefined, T + 1000);
    expect(again).toEqual({ raised: 0, escalated: 1, refreshed: 2, resolved: 0 });
    const [b] = listFindings(db, { account: 'b' });
    expect(b).toMatchObject({ severity: 'high', summary: 'b (privilege 15) is not on the roster', occurrences: 2, lastSeen: T + 1000 });
    const [a] = listFindings(db, { account: 'a' });
    expect(a).toMatchObject({ occurrences: 1, lastSeen: T + 1000 });
    acknowledge(db, a!.id, { by: 'auditor1', path: { kind: 'web', user: 'auditor1' }, reason: 'looking', at: T + 1500 });
    // a is gone: resolved, keeping its evidence and adding why; b cannot be judged now and stays.
    const gone = syncConditions(db, kinds, [], (f) => (f.account === 'a' ? { reason: 'the pull at … no longer shows the account', snapshots: [9] } : undefined), T + 2000);
    expect(gone.resolved).toBe(1);
    expect(getFinding(db, a!.id)).toMatchObject({
      status: 'resolved',
      evidence: { accounts: [1], resolution: { at: '2026-11-20T09:00:02Z', reason: 'the pull at … no longer shows the account', snapshots: [9] } },
    });
    expect(findingHistory(db, a!.id).map((h) => [h.by, h.from, h.to])).toEqual([['aaawatch', null, 'open'], ['auditor1', 'open', 'acknowledged'], ['aaawatch', 'acknowledged', 'resolved']]);
    expect(getFinding(db, b!.id)!.status).toBe('open');
  });

  it('thousands at once, in bounded transactions', () => {
    const many = Array.from({ length: 4500 }, (_, i) => condition(`u${i}`));
    expect(syncConditions(db, kinds, many, () => undefined, T).raised).toBe(4500);
    expect(syncConditions(db, kinds, many.slice(0, 10), () => ({ reason: 'gone' }), T + 1).resolved).toBe(4490);
  });
});
