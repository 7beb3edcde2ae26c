// What an account held just before a record about it: the state the latest pull before the record
// showed, carried forward by the account records stored since. An IOS `username jdoe privilege 15
// secret …` re-issued for an account that already holds privilege 15 (a password change, a
// template pasted again) is stored as `account.modify` with privilege 15; it grants nothing, so it
// is no `account-created` ("account given privilege") finding. Only a record that states a
// privilege or role the account did not hold is one.

import type { AccountFacts } from '../pull/account-changes.js';
import { loginKey, type StoredRecord } from './model.js';
import { defaultPrivilegeOf, roleRule } from './privilege.js';
import { DAY_MS } from './text.js';

/** The privilege and roles an account holds; `undefined` where nothing says. */
export interface Held {
  privilege?: string;
  roles: string[];
}

/** The pulled state as of a time: the latest account change at or before it (`facts` null: the pull showed it removed). */
export interface PulledState {
  at: number;
  facts: AccountFacts | null;
}

/** What the held state is made of: a record's place in time, what it did and what it named. */
export type HeldRecord = Pick<StoredRecord, 'id' | 'time' | 'action' | 'privilege' | 'role'>;

/** Records that may restate what an account holds (the others are judged as they are). */
export function mayRestate(r: StoredRecord): boolean {
  return (r.action === 'account.modify' || r.action === 'privilege.change') && (r.privilege !== undefined || r.role !== undefined);
}

/**
 * What the account held just before `r`: the pulled state, then each earlier record (oldest first,
 * after the pull) applied to it. Undefined when nothing is known (never pulled, nothing recorded)
 * or the account was gone.
 */
export function heldBefore(r: HeldRecord & Pick<StoredRecord, 'platform'>, pulled: PulledState | undefined, records: readonly HeldRecord[]): Held | undefined {
  // The account's records name its roles as syslog does, on the candidate's platform.
  const rule = roleRule(r.platform);
  let held: Held | undefined = pulled?.facts ? { ...(pulled.facts.privilege !== undefined ? { privilege: pulled.facts.privilege } : {}), roles: [...pulled.facts.roles] } : undefined;
  for (const e of records) {
    if (e.id === r.id || e.time > r.time || (e.time === r.time && e.id > r.id)) continue;
    if (pulled && e.time < pulled.at) continue;
    if (e.action === 'account.delete') held = undefined;
    else if (e.action === 'account.create') held = { ...(e.privilege !== undefined ? { privilege: e.privilege } : {}), roles: e.role !== undefined ? [e.role] : [] };
    else if (e.action === 'account.modify' || e.action === 'privilege.change') {
      held ??= { roles: [] };
      if (e.privilege !== undefined) held.privilege = e.privilege;
      if (e.role !== undefined) held.roles = [...rule.given(held.roles, e.role).roles];
    } else if (e.action === 'privilege.revoke' && held) {
      // What was taken away is no longer held, by its name (a bare `helpdesk` takes a pulled `helpdesk (admin
      // read-write)`); a revocation that does not say what is taken leaves nothing certain.
      if (e.role !== undefined) held.roles = held.roles.filter((x) => !rule.takes(e.role!, x));
      if (e.privilege !== undefined || e.role === undefined) delete held.privilege;
      if (e.role === undefined && e.privilege === undefined) held = undefined;
    }
  }
  return held;
}

/** Whether `r` states only what the account already held: every privilege and role it names. */
export function restatesHeld(r: StoredRecord, held: Held | undefined): boolean {
  if (!held || !mayRestate(r)) return false;
  // An account whose configuration states no privilege holds its platform's default (IOS's `username rocks
  // secret …` is privilege 1, as the Accounts row shows it): `username rocks privilege 1 …` re-issued after
  // a pull of it read as "account given privilege" (found with a command-line pull seen by two serve nodes).
  const privilege = held.privilege ?? (held.roles.length === 0 ? defaultPrivilegeOf(r.platform) : undefined);
  if (r.privilege !== undefined && r.privilege !== privilege) return false;
  if (r.role !== undefined && !holdsRole(r, held)) return false;
  return true;
}

/**
 * Whether a creation (`account.create`) makes an account that a pull already showed held (`held`:
 * the pull's state before it, pulledBeforeMaking) with what it states. The reader stores a
 * `username` for an account it does not know as a creation, and a running `serve` knows a
 * command-line pull's accounts only once it has read it (up to a second later, pulled-accounts.ts):
 * a re-issue inside that second, or logged while the pull was still storing, was account-created
 * (issue 15 item 7). It creates nothing; a privilege or role the pull did not show is still one.
 */
export function remakesHeld(r: StoredRecord, held: Held | undefined): boolean {
  if (!held || r.action !== 'account.create') return false;
  return r.privilege === held.privilege && (r.role === undefined || holdsRole(r, held));
}

/** Whether `held` holds the role `r` states, by what the role is (privilege.ts roleRule), not its text. */
function holdsRole(r: Pick<StoredRecord, 'platform' | 'role'>, held: Held): boolean {
  const { restates } = roleRule(r.platform);
  return held.roles.some((x) => restates(r.role!, x));
}

/** A record the held check reads for: one that may restate (or a creation that may remake), naming an account. */
export type Candidate = StoredRecord & { target: string };

/** The records of a step the held check reads for (the others cannot restate). */
export function restateCandidates(records: readonly StoredRecord[]): Candidate[] {
  return records.filter((r): r is Candidate => (mayRestate(r) || r.action === 'account.create') && r.target !== undefined);
}

/**
 * When a record's change happened, to tell which pull judges it: its device's stamp, or its receipt
 * when the two disagree by more than the skew (a device clock off, or local time without a zone),
 * as store.ts accountRecordsFor places a record by its receipt. Kept beside the creation check,
 * which places records by it too (judge.ts imports this module, not the other way round).
 */
export function placedAt(time: number, receivedAt: number, skewMs: number): number {
  return Math.abs(time - receivedAt) > skewMs ? receivedAt : time;
}

/** When a record was made as far as its times tell: the earlier of where it is placed (placedAt) and its receipt (pulledBeforeMaking). */
export function madeAt(time: number, receivedAt: number, skewMs: number): number {
  return Math.min(placedAt(time, receivedAt, skewMs), receivedAt);
}

/**
 * How far from a span a record's stamp is looked for, to be placed inside it by its receipt: a
 * device on local time without a zone is off by 14 hours at most. A clock off by more places its
 * records by their stamps (judge.ts CREATIONS_STAMP_MARGIN_MS, madeBySql).
 */
export const STAMP_MARGIN_MS = DAY_MS;

/**
 * madeAt in SQL, both engines, over a record `e` (`e.` or ''), `skew` the skew in ms (a parameter or
 * a literal): its receipt as RECEIPT_SQL gives it (an imported file's is its stamp), and a
 * PostgreSQL row that has none (its column allows NULL) placed by its stamp. Where a period
 * picks records (population.ts, pg-rows.ts, pg-population.ts), as madeAt places those read.
 */
export const madeAtSql = (e: string, skew: string): string =>
  `(CASE WHEN ${e}transport = 'file' OR ${e}received_at IS NULL THEN ${e}time WHEN abs(${e}time - ${e}received_at) > ${skew} THEN ${e}received_at
     WHEN ${e}time < ${e}received_at THEN ${e}time ELSE ${e}received_at END)`;

/**
 * A record `e` made by `to` (a period's end) as madeAt places it, in SQL: `stamp` the stamp's
 * column where an index holds it (SQLite's events_by_target `d.time`), else `e.`'s. Records
 * stamped after `to` are looked at up to STAMP_MARGIN_MS (a clock running ahead, received before
 * the end), so an index on the stamp still bounds the read; those stamped before it and received
 * after it by a clock running behind (by more than the skew) are left out.
 */
export const madeBySql = (e: string, to: string, skew: string, stamp = `${e}time`): string =>
  `${stamp} <= ${to} + ${STAMP_MARGIN_MS} AND ${madeAtSql(e, skew)} <= ${to}`;

/** Whether a record read with its receipt was made by `to` (a period's end) as madeBySql says: the same rule over a record in hand. */
export function madeBy(time: number, receivedAt: number, to: number, skewMs: number): boolean {
  return time <= to + STAMP_MARGIN_MS && madeAt(time, receivedAt, skewMs) <= to;
}

/**
 * A record `e` made since `from` (a period's start) as madeAt places it, in SQL: madeBySql's other
 * side. Records stamped up to STAMP_MARGIN_MS before `from` are looked at (a clock running behind,
 * received after the start), so an index on the stamp bounds the read; a clock off by more places
 * its records by their stamps, as at the end.
 */
const madeSinceSql = (e: string, from: string, skew: string, stamp = `${e}time`): string =>
  `${stamp} >= ${from} - ${STAMP_MARGIN_MS} AND ${madeAtSql(e, skew)} >= ${from}`;

/** Whether a record read with its receipt was made since `from` (a period's start) as madeSinceSql says. */
export function madeSince(time: number, receivedAt: number, from: number, skewMs: number): boolean {
  return time >= from - STAMP_MARGIN_MS && madeAt(time, receivedAt, skewMs) >= from;
}

/** A record `e` made within the period `from`–`to` as madeAt places it, in SQL (madeSinceSql and madeBySql): what a period's counts count. */
export const madeWithinSql = (e: string, from: string, to: string, skew: string): string =>
  `${madeSinceSql(e, from, skew)} AND ${madeBySql(e, to, skew)}`;

/**
 * Whether a creation is the making of an account a pull showed held, the pull having read the
 * configuration at `pullRead` (the first pull that showed it; store.ts pullReadSql): one made after
 * that (madeAt) restates what the pull found (pulledBeforeMaking judges it so), and neither the
 * Accounts row's "created by" nor the pull's `added` change names its actor (issue 15 item 7). One
 * made between the pull's start and its reading is the making of what it read.
 */
export function makesPulled(time: number, receivedAt: number, pullRead: number, skewMs: number): boolean {
  return madeAt(time, receivedAt, skewMs) <= pullRead;
}

/** An account change as the creation check reads it: the pull's state, `read` when its pull read the configuration (store.ts pullReadSql). */
export interface PulledChange extends PulledState {
  read: number;
}

/**
 * The pulled state a creation (`account.create`) is judged against: that of the latest pull that
 * *read the configuration* before the record was made, as far as its times tell — the earlier of
 * where it is placed (placedAt: its receipt when its stamp is off by more than the skew) and its
 * receipt. A pull connects and logs in, then sends its configuration command (seconds after its
 * start), and commits at its end (account_changes.at): a re-issue logged while the device printed
 * the configuration or the pull stored it is placed after the reading, not after the commit, and an
 * account really made during the login is placed before it, a creation (judged against the start,
 * it was read as held). The stamp alone is not enough: a clock running ahead stamped a real
 * creation after the pull that found it (test/reconcile/skewed-clock), and a record is never made
 * after it is received. Its `at` is the pull's reading, from which the records after it are applied
 * (heldBefore). `changes`: the account's, by (at, id).
 */
export function pulledBeforeMaking(time: number, receivedAt: number, changes: readonly PulledChange[], skewMs: number): PulledState | undefined {
  const before = madeAt(time, receivedAt, skewMs);
  let out: PulledState | undefined;
  for (const c of changes) if (c.read < before) out = { at: c.read, facts: c.facts };
  return out;
}

/**
 * An account's records a step's held check reads: those on `device` naming `target` with a time
 * after `lo`, before the latest candidate (`hi`, `hiId`: by time, then id) — what comes at or
 * after it changes no candidate's held state — and of an action heldBefore applies.
 */
export interface HistoryRange {
  device: string;
  target: string;
  lo: number;
  hi: number;
  hiId: number;
}

/** The actions heldBefore applies; an account's other records (password changes, group members) change nothing it holds. */
export const HELD_ACTIONS = ['account.create', 'account.modify', 'privilege.change', 'privilege.revoke', 'account.delete'] as const;

/**
 * The ranges of records to read for candidates, one an account: from the earliest of its
 * candidates' pulls (or from the start, where one was never pulled) to its latest candidate, so
 * each candidate's own range (from its pull to just before it, as heldBefore applies them) is inside it.
 * `pulled` is each candidate's pulled state, by its place in the list (a creation's: pulledBeforeMaking).
 */
export function historyRanges(candidates: readonly Candidate[], pulled: ReadonlyArray<PulledState | undefined>): Map<string, HistoryRange> {
  const out = new Map<string, HistoryRange>();
  candidates.forEach((r, i) => {
    const p = pulled[i];
    // A creation no pull showed held is not judged (restatingIds): none of its account's records are read for it.
    if (r.action === 'account.create' && !p?.facts) return;
    const lo = p ? p.at - 1 : Number.MIN_SAFE_INTEGER;
    const key = loginKey(r.device, r.target);
    const range = out.get(key);
    if (!range) out.set(key, { device: r.device, target: r.target, lo, hi: r.time, hiId: r.id });
    else {
      range.lo = Math.min(range.lo, lo);
      if (r.time > range.hi || (r.time === range.hi && r.id > range.hiId)) Object.assign(range, { hi: r.time, hiId: r.id });
    }
  });
  return out;
}

/** What the held check of a step reads: each candidate's pulled state (by place), each account's records in its range by (time, id). */
export interface HeldHistory {
  pulled: ReadonlyArray<PulledState | undefined>;
  records: ReadonlyMap<string, readonly HeldRecord[]>;
}

/** Records ordered as heldBefore applies them: by time, then id. */
export const byTimeThenId = (a: HeldRecord, b: HeldRecord): number => a.time - b.time || a.id - b.id;

/**
 * The ids of candidates that only restate what their account held. heldBefore applies an
 * account's records between the candidate's pull and the candidate itself, so the account's
 * records over all its candidates' ranges decide each as its own range would.
 */
export function restatingIds(candidates: readonly Candidate[], history: HeldHistory): Set<number> {
  const out = new Set<number>();
  candidates.forEach((r, i) => {
    const pulled = history.pulled[i];
    // A creation is judged only against a pull that showed the account: records alone say nothing of a pull's race.
    if (r.action === 'account.create' && !pulled?.facts) return;
    const held = heldBefore(r, pulled, history.records.get(loginKey(r.device, r.target)) ?? []);
    if (restatesHeld(r, held) || remakesHeld(r, held)) out.add(r.id);
  });
  return out;
}
