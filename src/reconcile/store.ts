// Data access for reconciliation: plain better-sqlite3 statements that read what pulls, ingest
// and earlier runs stored, and write attributions, audit results and positions. Findings are
// written by src/reconcile/sync.ts and src/reconcile/findings.ts.

import type { Statement } from 'better-sqlite3';
import type { EventColumns } from '../store/chain.js';
import type { Db } from '../store/db.js';
import { keyedColumns } from '../store/index-moves.js';
import type { AccountFacts } from '../pull/account-changes.js';
import { AccountTail } from './account-tail.js';
import type { AuditCheck } from './auditability.js';
import { byTimeThenId, HELD_ACTIONS, historyRanges, makesPulled, pulledBeforeMaking, restateCandidates, restatingIds, type Candidate, type HeldHistory, type HeldRecord, type PulledChange, type PulledState } from './held.js';
import { loginKey, type DeviceInfo, type Origin, type PresentAccount, type StoredRecord } from './model.js';
import type { PullRun } from './judge.js';
import type { OpenFinding } from './sync.js';
import type { DeviceRef } from './scope.js';
import type { PullsUnderWay } from './under-way.js';

const statements = new WeakMap<Db, Map<string, Statement>>();

/** Where a statement that gives rows as arrays is kept beside the same SQL's ordinary one (`raw()` changes a statement's mode). */
const RAW = '\0raw\0';

function prepared(db: Db, sql: string, raw: boolean): Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  const key = raw ? RAW + sql : sql;
  let s = cache.get(key);
  if (!s) cache.set(key, (s = raw ? db.prepare(sql).raw() : db.prepare(sql)));
  return s;
}

/** A prepared statement, prepared once per connection: reconciliation runs the same few thousands of times. */
export const stmt = (db: Db, sql: string): Statement => prepared(db, sql, false);

/**
 * A statement prepared once per connection that gives rows as arrays: better-sqlite3 builds an
 * object a row key by key, and for account-created's 15-column record rows that was half of
 * reading them (100 account records: 457 µs as objects, 242 as arrays; aaa-only, one thread).
 */
const rawStmt = (db: Db, sql: string): Statement => prepared(db, sql, true);

// --- Positions ------------------------------------------------------------------------------------

export type StateName = 'changes.judged' | 'events.created' | 'history.alerted' | 'pulls.seen' | 'pulls.vanished' | 'senders.seen';

export function getState(db: Db, name: StateName): number | undefined {
  return (stmt(db, 'SELECT value FROM reconcile_state WHERE name = ?').get(name) as { value: number } | undefined)?.value;
}

export function setState(db: Db, name: StateName, value: number): void {
  stmt(db, 'INSERT INTO reconcile_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(name, value);
}

/** The latest pull run's id, whoever pulled (0 when none): a run reads the pulls up to it. */
export function latestPullRun(db: Db): number {
  return (stmt(db, 'SELECT coalesce(max(id), 0) AS id FROM pull_runs').get() as { id: number }).id;
}

// --- Records --------------------------------------------------------------------------------------

export type EventRow = Omit<EventColumns, 'kind' | 'session' | 'container'> & { id: number; kind: StoredRecord['kind'] };

/** The record columns reconciliation reads (the same on both engines). */
export const EVENT_COLUMNS = 'id, kind, action, time, device, platform, actor, actor_address, target, privilege, role, grp, path, technique, command';
/** EVENT_COLUMNS through the device's table `d` joined to events `e` (src/store/index-moves.ts). */
const E_COLUMNS = keyedColumns(EVENT_COLUMNS);
const L_COLUMNS = keyedColumns(EVENT_COLUMNS, ['id', 'device', 'actor', 'time']);
/** EVENT_COLUMNS through the account records' table `d` (events_by_target) joined to events `e`. */
export const T_COLUMNS = keyedColumns(EVENT_COLUMNS, ['id', 'device', 'target', 'time', 'action']);

/** A row of EVENT_COLUMNS as an array (rawStmt), in that order. */
type EventValues = [
  id: number, kind: StoredRecord['kind'], action: string, time: number, device: string, platform: string, actor: string | null,
  actorAddress: string | null, target: string | null, privilege: string | null, role: string | null, group: string | null,
  path: string | null, technique: string | null, command: string | null,
];

/** recordFromRow for a row read as an array: the same record, property for property. */
function recordFromValues(v: EventValues): StoredRecord {
  const out: StoredRecord = { id: v[0], kind: v[1], action: v[2], time: v[3], device: v[4], platform: v[5] };
  if (v[6] !== null) out.actor = v[6];
  if (v[7] !== null) out.actorAddress = v[7];
  if (v[8] !== null) out.target = v[8];
  if (v[9] !== null) out.privilege = v[9];
  if (v[10] !== null) out.role = v[10];
  if (v[11] !== null) out.group = v[11];
  if (v[12] !== null) out.path = v[12];
  if (v[13] !== null) out.technique = v[13];
  if (v[14] !== null) out.command = v[14];
  return out;
}

export function recordFromRow(r: EventRow): StoredRecord {
  const out: StoredRecord = { id: r.id, kind: r.kind, action: r.action, time: r.time, device: r.device, platform: r.platform };
  if (r.actor !== null) out.actor = r.actor;
  if (r.actor_address !== null) out.actorAddress = r.actor_address;
  if (r.target !== null) out.target = r.target;
  if (r.privilege !== null) out.privilege = r.privilege;
  if (r.role !== null) out.role = r.role;
  if (r.grp !== null) out.group = r.grp;
  if (r.path !== null) out.path = r.path;
  if (r.technique !== null) out.technique = r.technique;
  if (r.command !== null) out.command = r.command;
  return out;
}

export function maxEventId(db: Db): number {
  return (stmt(db, 'SELECT coalesce(max(id), 0) AS id FROM events').get() as { id: number }).id;
}

/**
 * What `isCreation` (src/reconcile/created.ts) can accept, in SQL: it still judges each record;
 * this only leaves out, inside SQLite, the account records it would turn away (aaa-only: 60% of
 * them — logouts, password changes, deletions), which cost as much to read into objects as a
 * creation does.
 */
const MAY_CREATE = `target IS NOT NULL AND (action IN ('account.create', 'privilege.change', 'group.add_member') OR (action = 'account.modify' AND (privilege IS NOT NULL OR role IS NOT NULL)))`;

/**
 * The next `limit` account records after `afterId` as account-created sees them: those that may
 * create an account or give privilege, and `through`, the last account record's id the step
 * covered (the position to keep; `afterId` when there are none). The first statement reads only
 * the index; both see every record up to `through`, as ids are given in commit order by one writer.
 */
export function creationRecordsAfter(db: Db, afterId: number, limit: number): { records: StoredRecord[]; through: number } {
  // Up to the last move into the index tables (src/store/index-moves.ts): what attribution reads
  // about a record by device is then in them.
  const through = stmt(
    db,
    `SELECT max(id) FROM (SELECT id FROM events INDEXED BY events_accounts WHERE id > ? AND id <= (SELECT min(moved) FROM index_moves) AND kind = 'account' ORDER BY id LIMIT ?)`,
  ).pluck().get(afterId, limit) as number | null;
  if (through === null) return { records: [], through: afterId };
  const rows = rawStmt(db, `SELECT ${EVENT_COLUMNS} FROM events INDEXED BY events_accounts WHERE id > ? AND id <= ? AND kind = 'account' AND ${MAY_CREATE} ORDER BY id`).all(afterId, through) as EventValues[];
  return { records: rows.map(recordFromValues), through };
}

/**
 * Account records on a device naming an account, in (from, to]: the account records' table and its
 * unmoved tail (src/store/index-moves.ts), as a full run judges pulled changes while the store
 * thread keeps storing (the records of the last seconds are not moved yet).
 */
export function accountRecordsFor(db: Db, device: string, target: string, from: number, to: number): StoredRecord[] {
  const stamped = (
    stmt(
      db,
      `SELECT ${T_COLUMNS} FROM events_by_target d JOIN events e ON e.id = d.id
        WHERE d.device = :device AND d.target = :target AND d.time > :from AND d.time <= :to
       UNION ALL
       SELECT ${EVENT_COLUMNS} FROM events_target_tail WHERE device = :device AND target = :target AND time > :from AND time <= :to
       ORDER BY time, id`,
    ).all({ device, target, from, to }) as EventRow[]
  ).map(recordFromRow);
  // Then those whose device stamp lies outside and whose receipt inside (a skewed device clock,
  // model.ts receivedAt): every record of the account is read for it, and an account has few.
  // Not an imported file's: its receipt is when it was imported (RECEIPT_SQL).
  const received = stmt(
    db,
    `SELECT ${T_COLUMNS}, e.received_at FROM events_by_target d JOIN events e ON e.id = d.id
      WHERE d.device = :device AND d.target = :target AND (d.time <= :from OR d.time > :to) AND e.received_at > :from AND e.received_at <= :to AND e.transport <> 'file'
     UNION ALL
     SELECT ${EVENT_COLUMNS}, received_at FROM events_target_tail
      WHERE device = :device AND target = :target AND (time <= :from OR time > :to) AND received_at > :from AND received_at <= :to AND transport <> 'file'
     ORDER BY received_at, id`,
  ).all({ device, target, from, to }) as Array<EventRow & { received_at: number }>;
  return [...stamped, ...received.map(byReceipt)];
}

/**
 * Of an `added` change's account records, those a creation of which may explain it: every
 * creation made after the pull that found the account read the configuration (held.ts makesPulled:
 * a re-issue logged while the device printed it or the pull stored it, or after) is left out.
 * `receipts`: each record's receipt (RECEIPT_SQL) by id, for those picked by their stamp (a record
 * picked by its receipt carries it).
 */
export function makingRecords(c: Pick<PendingChange, 'change'>, account: readonly StoredRecord[], pullRead: number, receipts: ReadonlyMap<number, number>, skewMs: number): StoredRecord[] {
  if (c.change !== 'added') return [...account];
  return account.filter((r) => r.action !== 'account.create' || makesPulled(r.time, r.receivedAt ?? receipts.get(r.id) ?? r.time, pullRead, skewMs));
}

/** The creations among records that makingRecords judges by their receipt (those picked by their stamp carry none). */
export const stampedCreations = (c: Pick<PendingChange, 'change'>, account: readonly StoredRecord[]): number[] =>
  c.change === 'added' ? account.filter((r) => r.action === 'account.create' && r.receivedAt === undefined).map((r) => r.id) : [];

/** The receipts (RECEIPT_SQL) of records by id. */
export function receiptsOf(db: Db, ids: readonly number[]): Map<number, number> {
  if (!ids.length) return new Map();
  const rows = rawStmt(db, `SELECT id, ${RECEIPT_SQL('')} FROM events WHERE id IN (${ids.map(() => '?').join(',')})`).all(...ids) as Array<[number, number]>;
  return new Map(rows);
}

/** Pulls under way at `now`, as under-way.ts's PullsUnderWay reads them (both engines). */
export const PULLS_UNDER_WAY_SQL = 'SELECT device, min(started_at) AS started FROM pulls_under_way WHERE expires_at >= ? GROUP BY device';

export function pullsUnderWay(db: Db, now: number): PullsUnderWay {
  return new Map((stmt(db, PULLS_UNDER_WAY_SQL).all(now) as Array<{ device: string; started: number }>).map((r) => [r.device, r.started]));
}

/** When the pull that committed a change at `at` on `device` read the configuration (PULL_READ_SQL). */
export function pullRead(db: Db, device: string, at: number): number {
  return pullReadFrom(stmt(db, PULL_READ_SQL).get(device, at, at) as { read_at: number } | undefined, at);
}

/**
 * A record's receipt as placing it may use it (`e.` its events row): an imported file's records
 * were received when imported, long after what they record, so theirs is their stamp.
 */
export const RECEIPT_SQL = (e: string): string => `CASE WHEN ${e}transport = 'file' THEN ${e}time ELSE ${e}received_at END AS received_at`;

/** A record picked by its receipt (model.ts receivedAt), from its row. */
export function byReceipt(r: EventRow & { received_at: number | string }): StoredRecord {
  return { ...recordFromRow(r), receivedAt: Number(r.received_at) };
}

/** The pulled state of an account as of `at`: the latest account change at or before it (src/reconcile/held.ts). */
export const PULLED_STATE_SQL = 'SELECT at, after FROM account_changes WHERE device = ? AND name = ? AND at <= ? ORDER BY at DESC, id DESC LIMIT 1';

export function pulledStateFromRow(row: { at: number | string; after: string | null } | undefined): PulledState | undefined {
  return row ? { at: Number(row.at), facts: row.after ? (JSON.parse(row.after) as AccountFacts) : null } : undefined;
}

export function pulledStateAt(db: Db, device: string, name: string, at: number): PulledState | undefined {
  return pulledStateFromRow(stmt(db, PULLED_STATE_SQL).get(device, name, at) as { at: number; after: string | null } | undefined);
}

const HELD_IN = HELD_ACTIONS.map((a) => `'${a}'`).join(', ');
/** Keys (candidates, accounts, actors) read in one statement, at most: a step holds CREATION_BATCH (100) records. */
const KEYS_PER_STATEMENT = 128;
/** Tail records read by id in one statement (tailRows). */
const IDS_PER_STATEMENT = 512;

/**
 * `(?, ?, …), …` and its parameters for `rows`, each row led by its place in the list (`width`
 * columns in all), padded with rows of NULL (which match nothing) to a power of two so a few
 * statements serve every count.
 */
export function indexedValues(rows: ReadonlyArray<ReadonlyArray<string | number>>, width: number): { sql: string; params: Array<string | number | null> } {
  let size = 1;
  while (size < rows.length) size *= 2;
  const params: Array<string | number | null> = [];
  rows.forEach((r, i) => params.push(i, ...r));
  while (params.length < size * width) params.push(null);
  const row = `(${Array.from({ length: width }, () => '?').join(', ')})`;
  return { sql: Array.from({ length: size }, () => row).join(', '), params };
}

/** Each connection's view of the unmoved tail of account records (account-tail.ts). */
const tails = new WeakMap<Db, AccountTail>();

/**
 * The ids of the unmoved tail's account records of the accounts named. The tail has no index by
 * account (migration 020): a statement joining each key to it searched it once a key — naming a
 * creation write's unnamed makings that way took 4.1 s of the reconcile thread's 12 s busy on
 * aaa-only (--cpu-prof), 0.32 ms a making over a 2,900-record tail — and one scan of it a call (its
 * keys as an IN list) still cost ~1.9 µs a tail record each time: the connection's AccountTail
 * (account-tail.ts) reads each tail record once. Read before the table (tailRows says why).
 */
function tailIds(db: Db, accounts: ReadonlyArray<readonly [device: string, target: string]>): number[] {
  let tail = tails.get(db);
  if (!tail) tails.set(db, (tail = new AccountTail(db)));
  return tail.idsOf(accounts.map(([device, target]) => loginKey(device, target)));
}

/**
 * The records of tailIds (`columns` of `t`, and `where` on them) as stored now, but those the
 * caller's read of the index table gave (`read`): the tail is read first, so a record a move puts
 * in the table between the two reads is in one or both, never in neither. The callers sort the
 * rows into their windows.
 */
function tailRows<R extends { id: number }>(db: Db, columns: string, ids: readonly number[], read: ReadonlySet<number>, where = ''): R[] {
  const out: R[] = [];
  const todo = ids.filter((id) => !read.has(id));
  for (let i = 0; i < todo.length; i += IDS_PER_STATEMENT) {
    const v = indexedValues(todo.slice(i, i + IDS_PER_STATEMENT).map((id) => [id]), 2);
    out.push(...(stmt(db, `WITH k (i, id) AS (VALUES ${v.sql}) SELECT ${columns} FROM k JOIN events t ON t.id = k.id${where}`).all(...v.params) as R[]));
  }
  return out;
}

/**
 * What the held check reads for a step's candidates (src/reconcile/held.ts), in two statements a
 * chunk instead of two a candidate: each candidate's pulled state (PULLED_STATE_SQL's row), then
 * the records of each account named over the range its candidates need, from the account records'
 * table and its unmoved tail as accountRecordsFor reads them. One candidate alone took 30 µs
 * (pulled state 4, its records 26; aaa-only's lines stored twice, one thread). A creation's pulled
 * state is read apart (MAKING_PULLS_SQL, held.ts pulledBeforeMaking): by when its pull read the
 * configuration and its receipt, not its stamp.
 */
export function heldHistory(db: Db, candidates: readonly Candidate[], skewMs: number): HeldHistory {
  const pulled: Array<PulledState | undefined> = [];
  const makings = candidates.flatMap((r, i) => (r.action === 'account.create' ? [i] : []));
  for (let i = 0; i < makings.length; i += KEYS_PER_STATEMENT) {
    const chunk = makings.slice(i, i + KEYS_PER_STATEMENT);
    const v = indexedValues(chunk.map((c) => [candidates[c]!.id, candidates[c]!.device, candidates[c]!.target]), 4);
    const rows = rawStmt(db, `WITH k (i, id, device, name) AS (VALUES ${v.sql}) ${MAKING_PULLS_SQL}`).all(...v.params) as MakingPullRow[];
    for (const [k, made] of makingPulls(rows)) {
      const r = candidates[chunk[k]!]!;
      pulled[chunk[k]!] = pulledBeforeMaking(r.time, made.receivedAt, made.changes, skewMs);
    }
  }
  const others = candidates.flatMap((r, i) => (r.action === 'account.create' ? [] : [i]));
  for (let i = 0; i < others.length; i += KEYS_PER_STATEMENT) {
    const places = others.slice(i, i + KEYS_PER_STATEMENT);
    const chunk = places.map((c) => candidates[c]!);
    const v = indexedValues(chunk.map((r) => [r.device, r.target, r.time]), 4);
    const rows = rawStmt(
      db,
      `WITH k (i, device, name, at) AS (VALUES ${v.sql})
       SELECT k.i, c.at, c.after FROM k JOIN account_changes c
           ON c.id = (SELECT id FROM account_changes WHERE device = k.device AND name = k.name AND at <= k.at ORDER BY at DESC, id DESC LIMIT 1)`,
    ).all(...v.params) as Array<[i: number, at: number, after: string | null]>;
    for (const [k, at, after] of rows) pulled[places[k]!] = pulledStateFromRow({ at, after });
  }
  const ranges = [...historyRanges(candidates, pulled).entries()];
  const records = new Map<string, HeldRecord[]>(ranges.map(([key]) => [key, []]));
  for (let i = 0; i < ranges.length; i += KEYS_PER_STATEMENT) {
    const chunk = ranges.slice(i, i + KEYS_PER_STATEMENT);
    const v = indexedValues(chunk.map(([, r]) => [r.device, r.target, r.lo, r.hi, r.hiId]), 6);
    const tailed = tailIds(db, chunk.map(([, r]) => [r.device, r.target]));
    // Each row's privilege and role are a read of its events row (~3 µs, half of the whole): rows
    // of other actions, and the latest candidate's own, are left out by the index table alone.
    const rows = rawStmt(
      db,
      `WITH k (i, device, target, lo, hi, hi_id) AS (VALUES ${v.sql})
       SELECT k.i, d.id, d.time, d.action, e.privilege, e.role FROM k
         JOIN events_by_target d ON d.device = k.device AND d.target = k.target AND d.time > k.lo AND d.time <= k.hi
              AND (d.time < k.hi OR d.id < k.hi_id) AND d.action IN (${HELD_IN})
         JOIN events e ON e.id = d.id`,
    ).all(...v.params) as Array<[i: number, id: number, time: number, action: string, privilege: string | null, role: string | null]>;
    const add = (key: string, id: number, time: number, action: string, privilege: string | null, role: string | null): void => {
      const e: HeldRecord = { id, time, action };
      if (privilege !== null) e.privilege = privilege;
      if (role !== null) e.role = role;
      records.get(key)!.push(e);
    };
    for (const [k, id, time, action, privilege, role] of rows) add(chunk[k]![0], id, time, action, privilege, role);
    const tail = tailRows<EventRow>(db, 't.id, t.device, t.target, t.time, t.action, t.privilege, t.role', tailed, new Set(rows.map(([, id]) => id)), ` AND t.action IN (${HELD_IN})`);
    const byKey = new Map(chunk);
    for (const t of tail) {
      const key = loginKey(t.device, t.target!);
      // Not one of them now: purge-secret rewrote the account's name since it was read.
      const r = byKey.get(key);
      if (r && t.time > r.lo && t.time <= r.hi && (t.time < r.hi || t.id < r.hiId)) add(key, t.id, t.time, t.action, t.privilege, t.role);
    }
  }
  for (const list of records.values()) list.sort(byTimeThenId);
  return { pulled, records };
}

/**
 * When the successful pull that committed at `at` on `device` read the configuration (SQL
 * expressions): when it sent its configuration command (pull_runs.read_at, src/pull/session.ts
 * configuration: an account made between its start and then is in what it read, issue 15 item 7);
 * its start for a run stored without one (before schema 25), as such runs were judged; its finish
 * where its run was pruned, which only makes a judgement against it stricter.
 */
const pullReadSql = (device: string, at: string): string =>
  `coalesce((SELECT min(coalesce(p.read_at, p.started_at)) FROM pull_runs p WHERE p.device = ${device} AND p.finished_at = ${at} AND p.outcome <> 'failed'), ${at})`;

/**
 * What the creation check reads of each creation among a step's candidates (`k (i, id, device,
 * name)`, the same on both engines): its receipt (RECEIPT_SQL), and every change a pull saw of its
 * account (few: one a pull that changed it) with when that pull read the configuration (pullReadSql)
 * — the run that finished at the change's time; the change's own time where runs were pruned (a
 * later read, so never judged held on less). By (i, at, id); a creation whose account no pull saw
 * has one row with no change.
 */
export const MAKING_PULLS_SQL = `SELECT k.i, ${RECEIPT_SQL('e.')}, c.at, c.after, ${pullReadSql('c.device', 'c.at')} AS read_at
  FROM k JOIN events e ON e.id = k.id LEFT JOIN account_changes c ON c.device = k.device AND c.name = k.name
  ORDER BY k.i, c.at, c.id`;

/**
 * When the successful pull that committed at a time (`?`: device, its finish, its finish again)
 * read the configuration, as MAKING_PULLS_SQL reads it. The pull that first showed an account
 * (accounts.first_seen, an `added` change's at) is the one whose reading a creation is judged
 * against (held.ts makesPulled).
 */
export const PULL_READ_SQL = `SELECT ${pullReadSql('?', '?')} AS read_at`;

/** What PULL_READ_SQL's single row gives. */
export const pullReadFrom = (row: { read_at: number | string } | undefined, at: number): number => (row ? Number(row.read_at) : at);

/** A row of MAKING_PULLS_SQL as an array. */
export type MakingPullRow = [i: number, receivedAt: number | string, at: number | string | null, after: string | null, read: number | string | null];

/** MAKING_PULLS_SQL's rows as each creation's receipt and its account's pulled changes, by its place in the statement. */
export function makingPulls(rows: readonly MakingPullRow[]): Map<number, { receivedAt: number; changes: PulledChange[] }> {
  const out = new Map<number, { receivedAt: number; changes: PulledChange[] }>();
  for (const [i, receivedAt, at, after, read] of rows) {
    let made = out.get(i);
    if (!made) out.set(i, (made = { receivedAt: Number(receivedAt), changes: [] }));
    if (at !== null) made.changes.push({ ...pulledStateFromRow({ at, after })!, read: Number(read) });
  }
  return out;
}

/** EVENT_COLUMNS of the unmoved tail `t`. */
const TAIL_COLUMNS = EVENT_COLUMNS.split(', ').map((c) => `t.${c}`).join(', ');
/** Makings read in one statement by namingRecords: a creation write's 500 records at most. */
const WINDOWS_PER_STATEMENT = 512;

/**
 * For each making naming no actor (its id, device, account and action), the records that may name
 * its maker (judge.ts namedMaking, sameMaking): its account's records of the same action naming an
 * actor and stamped within (from, to], in making order, each list by time and id; read for a
 * creation write in two statements (run.ts named): the moved records by the index table, the tail's
 * by id (tailIds, tailRows). One accountRecordsFor a making took 7.4 s of the reconcile thread's
 * 11.8 s busy on mixed-random. Only those rows: every record of the account in the window, the
 * making's own among them, was an events row read (aaa-only's 17,268 unnamed makings in 206,794
 * records, most alone in their window: 12.6–15.5 µs a making, 3.9–4.3 so).
 */
export function namingRecords(db: Db, makings: ReadonlyArray<{ id: number; device: string; target: string; action: string; from: number; to: number }>): StoredRecord[][] {
  const out = makings.map((): StoredRecord[] => []);
  for (let i = 0; i < makings.length; i += WINDOWS_PER_STATEMENT) {
    const chunk = makings.slice(i, i + WINDOWS_PER_STATEMENT);
    const v = indexedValues(chunk.map((w) => [w.device, w.target, w.from, w.to, w.id, w.action]), 7);
    const tailed = tailIds(db, chunk.map((w) => [w.device, w.target]));
    // The making's own row names no actor: left out by the index table alone.
    const moved = stmt(
      db,
      `WITH k (i, device, target, lo, hi, id, action) AS (VALUES ${v.sql})
       SELECT k.i AS k, ${T_COLUMNS} FROM k JOIN events_by_target d ON d.device = k.device AND d.target = k.target AND d.time > k.lo AND d.time <= k.hi
           AND d.action = k.action AND d.id <> k.id
         JOIN events e ON e.id = d.id AND e.actor IS NOT NULL`,
    ).all(...v.params) as Array<EventRow & { k: number }>;
    for (const row of moved) out[i + row.k]!.push(recordFromRow(row));
    const byAccount = new Map<string, number[]>();
    chunk.forEach((w, k) => {
      const key = loginKey(w.device, w.target);
      const list = byAccount.get(key);
      if (list) list.push(i + k);
      else byAccount.set(key, [i + k]);
    });
    for (const row of tailRows<EventRow>(db, TAIL_COLUMNS, tailed, new Set(moved.map((r) => r.id)), ' AND t.actor IS NOT NULL')) {
      for (const w of byAccount.get(loginKey(row.device, row.target!)) ?? []) {
        const m = makings[w]!;
        if (row.id !== m.id && row.action === m.action && row.time > m.from && row.time <= m.to) out[w]!.push(recordFromRow(row));
      }
    }
  }
  for (const list of out) list.sort(byTimeThenId);
  return out;
}

/** The ids of a step's records that only restate what their account already held (no privilege given, no account made: src/reconcile/held.ts). */
export function restatingIn(db: Db, records: readonly StoredRecord[], skewMs: number): Set<number> {
  const candidates = restateCandidates(records);
  return candidates.length ? restatingIds(candidates, heldHistory(db, candidates, skewMs)) : new Set();
}

/**
 * Every account record, by device and target, each with its receipt (`receivedAt`, which judge.ts
 * recordsInSpan keeps only on a record picked by it): for judging many changes at once (a first
 * run over a large store).
 */
export function allAccountRecords(db: Db): Map<string, StoredRecord[]> {
  const out = new Map<string, StoredRecord[]>();
  for (const row of stmt(db, `SELECT ${EVENT_COLUMNS}, ${RECEIPT_SQL('')} FROM events WHERE target IS NOT NULL AND kind = 'account'`).iterate() as IterableIterator<EventRow & { received_at: number }>) {
    const key = loginKey(row.device, row.target!);
    const list = out.get(key);
    if (list) list.push(byReceipt(row));
    else out.set(key, [byReceipt(row)]);
  }
  return out;
}

/**
 * An actor's latest login or AAA session start on a device in [from, to] that says where it came
 * from: the session an account record is tied to.
 */
export function lastLoginOf(db: Db, device: string, actor: string, from: number, to: number): StoredRecord | undefined {
  // The logins' table without its unmoved tail, as commandsNear reads the device's: the account
  // records attributed are those up to the last move, so the logins stored before them are in it.
  const row = rawStmt(
    db,
    `SELECT ${L_COLUMNS} FROM events_by_login d JOIN events e ON e.id = d.id
      WHERE d.device = ? AND d.actor = ? AND d.time >= ? AND d.time <= ? AND e.actor_address IS NOT NULL ORDER BY d.time DESC LIMIT 1`,
  ).get(device, actor, from, to) as EventValues | undefined;
  return row && recordFromValues(row);
}

/** More of an actor's commands on a device within the span than account-created reads in one look. */
const NEAR_ROWS = 32;

/** Of an actor's commands in the span (fewer than NEAR_ROWS, by time and id), at most `perSide` each side of `at`. */
function nearest(rows: readonly EventValues[], at: number, perSide: number): StoredRecord[] {
  let cut = rows.findIndex((r) => r[3] > at);
  if (cut < 0) cut = rows.length;
  return [...rows.slice(Math.max(0, cut - perSide), cut), ...rows.slice(cut, cut + perSide)].map(recordFromValues);
}

/**
 * An actor's command records on a device nearest to `at`, at most `perSide` before and after it
 * within `span` ms: the AAA server's accounting of the same change is seconds from the device's
 * own record. Through the device's index: the device's records in the window are few, where the
 * actor's index held the actor's records on every device (an administrator, or an automation
 * account, works on hundreds). On aaa-only (10 administrators across 2,800 devices) the actor's
 * index took 98 µs per lookup and was 45% of the reconcile thread's time; the device's, 27 µs.
 * On SQLite the device's index is the table events_by_device (src/store/index-moves.ts), without
 * the unmoved tail: account-created takes account records up to the last move, so the commands
 * before them are in it; commands stored after the last move are seen by the next pass's records.
 */
export function commandsNear(db: Db, device: string, actor: string, at: number, span: number, perSide: number): StoredRecord[] {
  const where = `FROM events_by_device d JOIN events e ON e.id = d.id WHERE d.device = ? AND e.actor = ? AND e.kind = 'command'`;
  // Both sides in one statement, cut at `at` here: the two statements below took 46–73 µs a
  // lookup against 18–22 for this one (aaa-only creations, one thread, each alone in a process).
  // An actor with NEAR_ROWS commands or more in the span (automation) is read the two-sided way.
  const rows = rawStmt(db, `SELECT ${E_COLUMNS} ${where} AND d.time >= ? AND d.time <= ? ORDER BY d.time, d.id LIMIT ${NEAR_ROWS}`).all(device, actor, at - span, at + span) as EventValues[];
  if (rows.length < NEAR_ROWS) return nearest(rows, at, perSide);
  const before = rawStmt(db, `SELECT ${E_COLUMNS} ${where} AND d.time <= ? AND d.time >= ? ORDER BY d.time DESC, d.id DESC LIMIT ?`).all(device, actor, at, at - span, perSide);
  const after = rawStmt(db, `SELECT ${E_COLUMNS} ${where} AND d.time > ? AND d.time <= ? ORDER BY d.time, d.id LIMIT ?`).all(device, actor, at, at + span, perSide);
  return [...(before as EventValues[]).reverse(), ...(after as EventValues[])].map(recordFromValues);
}

/** An actor on a device at a time: what account-created looks up a session and commands for. */
export interface ActorAt {
  device: string;
  actor: string;
  time: number;
}

/**
 * A device row `d` of key `k` (sessionsAt) that may be k's actor's command, told by the actor's
 * table (src/store/index-moves.ts: every record naming an actor up to its move, its device and kind
 * carried; a purge's rewritten actor follows there) in one probe of its key, before the row's
 * events row is read: a row past that table's move is read as before. A key's span holds ~3.7 of its
 * device's records, most of them not its actor's commands (sessions, account records, others'
 * commands), each an events row read (an events page of 107 MB, seldom cached) to be turned away.
 * aaa-only's 10,280 keys, the commands' statement alone 23.3 / 24.0 → 16.5 / 16.6 µs a key, sessionsAt
 * whole 25.0–26.7 → 21.7–24.1 (medians of alternated runs, one thread, the same rows).
 */
const ACTOR_COMMAND = `(d.id > (SELECT moved FROM index_moves WHERE name = 'actor')
  OR EXISTS (SELECT 1 FROM events_by_actor a WHERE a.actor = k.actor AND a.time = d.time AND a.id = d.id AND a.kind = 'command'))`;

/** EVENT_COLUMNS of events `e`, after a key's place `k.i`. */
const KEYED_E_COLUMNS = `k.i, ${EVENT_COLUMNS.split(', ').map((c) => `e.${c}`).join(', ')}`;

/**
 * lastLoginOf (from `time - lookback` to `time`) and commandsNear (within `span` of `time`) for
 * many keys, in two statements a chunk: what each key gets is theirs, the same rows in the same
 * order (test/reconcile/sessions-batch.test.ts). A step's keys name different devices (aaa-only:
 * 10,069 devices in 10,280 look-ups), so nothing is shared but the statements: one a key took
 * 4.9 µs for the login and 21–25 for the commands, 1.7–2.7 and 19–21 a key in chunks of 100
 * (mixed-random's lines stored twice, one thread).
 */
export function sessionsAt(db: Db, keys: readonly ActorAt[], lookback: number, span: number, perSide: number): Array<{ login?: StoredRecord; commands: StoredRecord[] }> {
  const out = keys.map((): { login?: StoredRecord; commands: StoredRecord[] } => ({ commands: [] }));
  for (let i = 0; i < keys.length; i += KEYS_PER_STATEMENT) {
    const chunk = keys.slice(i, i + KEYS_PER_STATEMENT);
    const logins = indexedValues(chunk.map((k) => [k.device, k.actor, k.time - lookback, k.time]), 5);
    // The same ORDER BY as lastLoginOf's, so each key's look-up takes the same row.
    for (const [k, ...row] of rawStmt(
      db,
      `WITH k (i, device, actor, lo, hi) AS (VALUES ${logins.sql})
       SELECT ${KEYED_E_COLUMNS} FROM k JOIN events e ON e.id = (SELECT d.id FROM events_by_login d JOIN events x ON x.id = d.id
           WHERE d.device = k.device AND d.actor = k.actor AND d.time >= k.lo AND d.time <= k.hi AND x.actor_address IS NOT NULL ORDER BY d.time DESC LIMIT 1)`,
    ).all(...logins.params) as Array<[number, ...EventValues]>) out[i + k]!.login = recordFromValues(row);
    const near = indexedValues(chunk.map((k) => [k.device, k.actor, k.time - span, k.time + span]), 5);
    // Each key's first NEAR_ROWS commands, as commandsNear's first statement reads them; a device
    // row the actor's table holds (every record naming an actor up to its move) is read from events
    // only when that table holds it as the actor's command (ACTOR_COMMAND).
    const rows = rawStmt(
      db,
      `WITH k (i, device, actor, lo, hi) AS (VALUES ${near.sql})
       SELECT ${KEYED_E_COLUMNS} FROM k JOIN events e ON e.id IN (SELECT d.id FROM events_by_device d JOIN events x ON x.id = d.id
           WHERE d.device = k.device AND d.time >= k.lo AND d.time <= k.hi AND ${ACTOR_COMMAND}
             AND x.actor = k.actor AND x.kind = 'command' ORDER BY d.time, d.id LIMIT ${NEAR_ROWS})
       ORDER BY k.i, e.time, e.id`,
    ).all(...near.params) as Array<[number, ...EventValues]>;
    const byKey = new Map<number, EventValues[]>();
    for (const [k, ...row] of rows) {
      const list = byKey.get(k);
      if (list) list.push(row);
      else byKey.set(k, [row]);
    }
    for (const [k, list] of byKey) {
      const key = chunk[k]!;
      out[i + k]!.commands = list.length < NEAR_ROWS ? nearest(list, key.time, perSide) : commandsNear(db, key.device, key.actor, key.time, span, perSide);
    }
  }
  return out;
}

/**
 * Command records on a device in (from, to] that change configuration (read-only commands left
 * out), newest first: what a change without its own record may still be tied to.
 */
export function configurationRecords(db: Db, device: string, from: number, to: number): StoredRecord[] {
  const rows = stmt(
    db,
    // The device's table and its unmoved tail (src/store/index-moves.ts): a pulled change may be minutes old.
    `SELECT ${E_COLUMNS} FROM events_by_device d JOIN events e ON e.id = d.id
      WHERE d.device = :device AND d.time > :from AND d.time <= :to AND e.kind = 'command'
     UNION ALL
     SELECT ${EVENT_COLUMNS} FROM events_device_tail WHERE device = :device AND time > :from AND time <= :to AND kind = 'command'
     ORDER BY time DESC, id DESC LIMIT 200`,
  ).all({ device, from, to }) as EventRow[];
  return configurationChanges(rows.map(recordFromRow));
}

/**
 * Ids of the latest records (`limit`) from a sender naming a device in [from, to], `?` parameters:
 * :device, :from, :to, :source. The device's table and its unmoved tail (src/store/index-moves.ts).
 */
export const senderEvidenceSql = (limit: number): string => `SELECT id FROM (
    SELECT d.id, d.time FROM events_by_device d JOIN events e ON e.id = d.id
     WHERE d.device = :device AND d.time >= :from AND d.time <= :to AND e.source = :source
    UNION ALL
    SELECT id, time FROM events_device_tail WHERE device = :device AND time >= :from AND time <= :to AND source = :source
    ORDER BY time DESC, id DESC LIMIT ${limit})`;

/**
 * Command records on a device in (from, to] whose text holds `account` (commandNames' first test,
 * here in SQL): the same change's commands by whoever, for an account record naming no actor
 * (judge.ts unnamedSpans). Every command of the span had been read and decoded for each such record
 * (configurationRecords).
 */
/** Commands naming an account read at most for one record (commandsNaming, COMMANDS_NAMING; the Accounts row's population.ts `commandsNaming`). */
export const NAMING_READ = 200;

export function commandsNaming(db: Db, device: string, account: string, from: number, to: number): StoredRecord[] {
  const rows = stmt(
    db,
    // The device's table without its unmoved tail, as commandsNear reads it: an account record is
    // judged once moved, with the commands of its seconds. Reading the tail (a view scanning every
    // unmoved record, up to 20,000) for each such record kept aaa-only's reconcile thread at 9.3-15.5
    // us a message against 3.4-3.9 without these reads (quiet, 04:41-05:00).
    `SELECT ${E_COLUMNS} FROM events_by_device d JOIN events e ON e.id = d.id
      WHERE d.device = :device AND d.time > :from AND d.time <= :to AND e.kind = 'command' AND instr(e.command, :account) > 0
     ORDER BY d.time DESC, d.id DESC LIMIT ${NAMING_READ}`,
  ).all({ device, account, from, to }) as EventRow[];
  return rows.map(recordFromRow);
}

/**
 * A device row (`id`, an SQL expression) that is not an account record, tested in events_accounts
 * (the partial index of account records' ids, a few hundred KiB and read by every creation pass)
 * before its events row is read for its kind: the spans account-created reads commands in are
 * mostly account records (aaa-only: 80,471 device rows in the 17,268 spans of its makings naming no
 * actor, every one an account record of a Linux host), each an events row read (~1.7 µs) to be
 * turned away by its kind. An account record is never a command, so the rows kept are the same.
 */
const NOT_ACCOUNT = (id: string): string => `NOT EXISTS (SELECT 1 FROM events a INDEXED BY events_accounts WHERE a.kind = 'account' AND a.id = ${id})`;

/**
 * commandsNaming of each span (device, account, from, to), in order, read together: a creation
 * step's records naming no actor (run.ts sessionsOfEach) in one statement a KEYS_PER_STATEMENT, each
 * span's rows as commandsNaming's own statement picks and orders them. A statement a record was
 * 17–20 µs, about half of it the statement's own (aaa-only: 17,268 such records in 206,794, each span
 * ~5 of its device's records; batched, 8–10 µs a record). The span's account records are turned away
 * in events_accounts before their events rows are read (NOT_ACCOUNT): 14.8–15.3 → 5.8–6.4 µs a record
 * over aaa-only's 17,268, 44.2 → 10.9 over its lines stored twice (medians of alternated runs, one
 * thread, the same rows).
 */
export function commandsNamingEach(db: Db, spans: ReadonlyArray<{ device: string; account: string; from: number; to: number }>): StoredRecord[][] {
  const out = spans.map((): StoredRecord[] => []);
  for (let i = 0; i < spans.length; i += KEYS_PER_STATEMENT) {
    const v = indexedValues(spans.slice(i, i + KEYS_PER_STATEMENT).map((s) => [s.device, s.account, s.from, s.to]), 5);
    const rows = rawStmt(
      db,
      `WITH k (i, device, account, lo, hi) AS (VALUES ${v.sql})
       SELECT ${KEYED_E_COLUMNS} FROM k JOIN events e ON e.id IN (SELECT d.id FROM events_by_device d JOIN events x ON x.id = d.id
           WHERE d.device = k.device AND d.time > k.lo AND d.time <= k.hi AND ${NOT_ACCOUNT('d.id')} AND x.kind = 'command' AND instr(x.command, k.account) > 0
           ORDER BY d.time DESC, d.id DESC LIMIT ${NAMING_READ})
       ORDER BY k.i, e.time DESC, e.id DESC`,
    ).all(...v.params) as Array<[number, ...EventValues]>;
    for (const [k, ...row] of rows) out[i + k]!.push(recordFromValues(row));
  }
  return out;
}

/** The statement commandsNaming reads with on PostgreSQL, `?` parameters: device, from, to, account. */
export const COMMANDS_NAMING = `SELECT ${EVENT_COLUMNS} FROM events WHERE device = ? AND time > ? AND time <= ? AND kind = 'command' AND strpos(command, ?) > 0 ORDER BY time DESC, id DESC LIMIT ${NAMING_READ}`;

/** The statement configurationRecords reads with on PostgreSQL, `?` parameters: device, from, to. */
export const CONFIGURATION_RECORDS = `SELECT ${EVENT_COLUMNS} FROM events WHERE device = ? AND time > ? AND time <= ? AND kind = 'command' ORDER BY time DESC, id DESC LIMIT 200`;

/** Of a device's latest command records, the first 20 that change configuration (read-only commands left out). */
export function configurationChanges(records: readonly StoredRecord[]): StoredRecord[] {
  return records
    .filter((r) => !/^\s*(show|sh|display|terminal|term|ping|traceroute|exit|end|enable|disable|dir|more|!exec:|cli\b|info\b)/i.test(r.command ?? ''))
    .slice(0, 20);
}

// --- Accounts, changes and devices ----------------------------------------------------------------

/**
 * Every account the devices hold now, with its last login: one pass over the accounts, each
 * login found by its own seek in the logins' table (events_by_login) and in the logins not yet
 * moved into it (read once, grouped by device and actor), the rows read as arrays and turned into
 * objects one at a time — 200,000 accounts cost well under a second.
 */
export function* presentAccounts(db: Db): Generator<PresentAccount> {
  const latest = (column: string): string => `(SELECT d.${column} FROM events_by_login d WHERE d.device = a.device AND d.actor = a.name ORDER BY d.time DESC, d.id DESC LIMIT 1)`;
  const rows = stmt(
    db,
    `WITH tail AS MATERIALIZED (SELECT device, actor, max(time) AS time, id FROM events_login_tail GROUP BY device, actor)
     SELECT a.id, a.device, a.name, a.privilege, a.roles, a.first_seen, a.last_seen, a.first_snapshot_id, a.last_snapshot_id,
            ${latest('time')}, ${latest('id')}, t.time, t.id
       FROM accounts a LEFT JOIN tail t ON t.device = a.device AND t.actor = a.name
      WHERE a.removed_at IS NULL`,
  )
    .raw()
    .iterate() as IterableIterator<[number, string, string, string | null, string, number, number, number, number, number | null, number | null, number | null, number | null]>;
  for (const [id, device, name, privilege, roles, firstSeen, lastSeen, firstSnapshotId, lastSnapshotId, movedTime, movedId, tailTime, tailId] of rows) {
    const a: PresentAccount = { id, device, name, roles: roles === '[]' ? [] : (JSON.parse(roles) as string[]), firstSeen, lastSeen, firstSnapshotId, lastSnapshotId };
    if (privilege !== null) a.privilege = privilege;
    // A login not yet moved is newer by id, not always by time (stamps out of order).
    if (tailTime !== null && (movedTime === null || tailTime >= movedTime)) a.lastLogin = { time: tailTime, eventId: tailId! };
    else if (movedTime !== null) a.lastLogin = { time: movedTime, eventId: movedId! };
    yield a;
  }
}

export interface PendingChange {
  id: number;
  accountId: number;
  device: string;
  /** The platform of the snapshot that showed the change. */
  platform: string;
  name: string;
  change: 'added' | 'removed' | 'changed';
  at: number;
  before?: AccountFacts;
  after?: AccountFacts;
  fromSnapshotId: number | null;
  toSnapshotId: number;
}

export interface ChangeRow {
  id: number; account_id: number; device: string; platform: string; name: string; change: PendingChange['change']; at: number;
  before: string | null; after: string | null; from_snapshot_id: number | null; to_snapshot_id: number;
}

/** The statement a change is read with (the same on both engines). */
export const CHANGE_SELECT = `SELECT c.id, c.account_id, c.device, s.platform, c.name, c.change, c.at, c.before, c.after, c.from_snapshot_id, c.to_snapshot_id
  FROM account_changes c JOIN snapshots s ON s.id = c.to_snapshot_id`;

export function changeFromRow(r: ChangeRow): PendingChange {
  return {
    id: r.id, accountId: r.account_id, device: r.device, platform: r.platform, name: r.name, change: r.change, at: r.at,
    ...(r.before ? { before: JSON.parse(r.before) as AccountFacts } : {}),
    ...(r.after ? { after: JSON.parse(r.after) as AccountFacts } : {}),
    fromSnapshotId: r.from_snapshot_id, toSnapshotId: r.to_snapshot_id,
  };
}

/** Account changes recorded after `afterId`, oldest first. */
export function changesAfter(db: Db, afterId: number, limit: number): PendingChange[] {
  return (stmt(db, `${CHANGE_SELECT} WHERE c.id > ? ORDER BY c.id LIMIT ?`).all(afterId, limit) as ChangeRow[]).map(changeFromRow);
}

export function changeById(db: Db, id: number): PendingChange | undefined {
  const row = stmt(db, `${CHANGE_SELECT} WHERE c.id = ?`).get(id) as ChangeRow | undefined;
  return row ? changeFromRow(row) : undefined;
}

/** The successful pull of a device before `at` (when the account's previous state was seen). */
export function previousPullAt(db: Db, device: string, at: number, fromSnapshotId: number): number | undefined {
  const run = stmt(db, `SELECT max(finished_at) AS t FROM pull_runs WHERE device = ? AND outcome <> 'failed' AND finished_at < ?`)
    .get(device, at) as { t: number | null };
  if (run.t !== null) return run.t;
  // Runs are pruned after pull.runHistoryDays; the earlier snapshot's time is then the latest known bound.
  return (stmt(db, 'SELECT taken_at FROM snapshots WHERE id = ?').get(fromSnapshotId) as { taken_at: number } | undefined)?.taken_at;
}

// --- Syslog-made accounts a pull lacks (judge.ts vanishedFinding) ---------------------------------

/** The statement successful pull runs are read with, after an id (the same on both engines; `?`: after, limit). */
export const PULLS_AFTER = `SELECT id, device, started_at, finished_at, snapshot_id FROM pull_runs WHERE id > ? AND outcome <> 'failed' ORDER BY id LIMIT ?`;

export function pullRunFrom(r: { id: number | string; device: string; started_at: number | string; finished_at: number | string; snapshot_id: number | string | null }): PullRun {
  return { id: Number(r.id), device: r.device, startedAt: Number(r.started_at), finishedAt: Number(r.finished_at), snapshotId: r.snapshot_id === null ? null : Number(r.snapshot_id) };
}

/** Successful pull runs after `afterId`, oldest first. */
export function pullsAfter(db: Db, afterId: number, limit: number): PullRun[] {
  return (stmt(db, PULLS_AFTER).all(afterId, limit) as Parameters<typeof pullRunFrom>[0][]).map(pullRunFrom);
}

/**
 * When the successful pull of a device before one started at `startedAt` started (`?`: device,
 * started, device, started); once runs were pruned, the latest earlier snapshot's time; none
 * before: the device's first pull. The same on both engines.
 */
export const PREVIOUS_PULL_START = `SELECT coalesce(
    (SELECT max(started_at) FROM pull_runs WHERE device = ? AND outcome <> 'failed' AND started_at < ?),
    (SELECT max(taken_at) FROM snapshots WHERE device = ? AND taken_at < ?)) AS t`;

export function previousPullStart(db: Db, device: string, startedAt: number): number | undefined {
  const t = (stmt(db, PREVIOUS_PULL_START).get(device, startedAt, device, startedAt) as { t: number | null }).t;
  return t === null ? undefined : t;
}

/**
 * Records on a device stamped in [from, to) that log an account's creation, each with its receipt
 * (`receivedAt`: judge.ts loggedCreations places them by it where the stamp disagrees): the
 * device's table and its unmoved tail (src/store/index-moves.ts), as configurationRecords reads them.
 */
export function loggedCreationsOn(db: Db, device: string, from: number, to: number): Array<StoredRecord & { receivedAt: number }> {
  return (
    stmt(
      db,
      `SELECT ${E_COLUMNS}, ${RECEIPT_SQL('e.')} FROM events_by_device d JOIN events e ON e.id = d.id
        WHERE d.device = :device AND d.time >= :from AND d.time < :to AND e.kind = 'account' AND e.action = 'account.create'
       UNION ALL
       SELECT ${EVENT_COLUMNS}, ${RECEIPT_SQL('')} FROM events_device_tail WHERE device = :device AND time >= :from AND time < :to AND kind = 'account' AND action = 'account.create'
       ORDER BY time, id`,
    ).all({ device, from, to }) as Array<EventRow & { received_at: number }>
  ).map((r) => byReceipt(r) as StoredRecord & { receivedAt: number });
}

/**
 * Whether a pull finished at `at` held the account, or saw it go (account_changes' 'removed',
 * judged as a pulled change is): its accounts row then spans `at` (`?`: device, name, at, at).
 */
export const PULL_KNEW = 'SELECT 1 FROM accounts WHERE device = ? AND name = ? AND first_seen <= ? AND (removed_at IS NULL OR removed_at >= ?) LIMIT 1';

export function pullKnew(db: Db, device: string, name: string, at: number): boolean {
  return stmt(db, PULL_KNEW).get(device, name, at, at) !== undefined;
}

// --- Creations named later (run.ts namedLater) --------------------------------------------------

/**
 * Open `account-created` findings last seen since `?` whose sentence names neither maker nor path
 * (attribution.ts words it `by an unnamed actor, recorded by …`; judge.ts unnamedMaker decides):
 * those a later command may name (the same on both engines). A Linux tool's record names its path
 * (`over operating-system tools`), and the sudo command naming it is logged before it.
 */
export const UNNAMED_CREATIONS = `SELECT id, kind, device, account, severity, status, summary, attribution, evidence FROM findings
  WHERE kind = 'account-created' AND status <> 'resolved' AND last_seen >= ? AND attribution LIKE '%${'by an unnamed actor, recorded by'}%' ORDER BY id`;

/** Whether an attribution sentence names neither maker nor path (UNNAMED_CREATIONS' test). */
export const namesNoMaker = (sentence: string | undefined): boolean => sentence?.includes('by an unnamed actor, recorded by') === true;

export function unnamedCreations(db: Db, since: number): OpenFinding[] {
  return stmt(db, UNNAMED_CREATIONS).all(since) as OpenFinding[];
}

/** Records by id (a finding's evidence). */
export function recordsById(db: Db, ids: readonly number[]): StoredRecord[] {
  return (stmt(db, `SELECT ${EVENT_COLUMNS} FROM events WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`).all(JSON.stringify(ids)) as EventRow[]).map(recordFromRow);
}

/** An account's changes whose attribution names no maker though a record explains them (`?`: device, name; the same on both engines). */
export const UNNAMED_CHANGES = `${CHANGE_SELECT} JOIN change_attribution a ON a.change_id = c.id
  WHERE c.device = ? AND c.name = ? AND a.explained = 1 AND a.actor IS NULL ORDER BY c.id`;

export function unnamedChanges(db: Db, device: string, name: string): PendingChange[] {
  return (stmt(db, UNNAMED_CHANGES).all(device, name) as ChangeRow[]).map(changeFromRow);
}

export interface AttributionRow {
  changeId: number;
  accountId: number;
  device: string;
  name: string;
  change: string;
  explained: boolean;
  ambiguous: boolean;
  at?: number;
  actor?: string;
  actorAddress?: string;
  path?: string;
  window?: string;
  sentence: string;
  evidence: { events: number[]; snapshots: number[] };
}

export function saveAttribution(db: Db, a: AttributionRow): void {
  stmt(db, 
    `INSERT INTO change_attribution (change_id, account_id, device, name, change, explained, ambiguous, at, actor, actor_address, path, change_window, sentence, evidence)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (change_id) DO UPDATE SET explained = excluded.explained, ambiguous = excluded.ambiguous, at = excluded.at, actor = excluded.actor,
       actor_address = excluded.actor_address, path = excluded.path, change_window = excluded.change_window, sentence = excluded.sentence, evidence = excluded.evidence`,
  ).run(
    a.changeId, a.accountId, a.device, a.name, a.change, a.explained ? 1 : 0, a.ambiguous ? 1 : 0, a.at ?? null, a.actor ?? null,
    a.actorAddress ?? null, a.path ?? null, a.window ?? null, a.sentence, JSON.stringify(a.evidence),
  );
}

export interface OriginRow {
  account_id: number;
  explained: number;
  change_window: string | null;
  at: number | null;
  actor: string | null;
  actor_address: string | null;
  path: string | null;
  sentence: string;
  evidence: string;
}

export function originFrom(r: OriginRow): Origin {
  const o: Origin = { explained: r.explained === 1, sentence: r.sentence, events: (JSON.parse(r.evidence) as { events: number[] }).events };
  if (r.change_window !== null) o.window = r.change_window;
  if (r.at !== null) o.at = r.at;
  if (r.actor !== null) o.actor = r.actor;
  if (r.actor_address !== null) o.actorAddress = r.actor_address;
  if (r.path !== null) o.path = r.path;
  return o;
}

export const ORIGIN_SELECT = 'SELECT account_id, explained, change_window, at, actor, actor_address, path, sentence, evidence FROM change_attribution';

/** What is known of each account's creation: the attribution of the change that added it. */
export function origins(db: Db): Map<number, Origin> {
  const out = new Map<number, Origin>();
  for (const r of stmt(db, `${ORIGIN_SELECT} WHERE change = 'added' ORDER BY change_id`).iterate() as IterableIterator<OriginRow>) out.set(r.account_id, originFrom(r));
  return out;
}

/** The creation of one account, if attributed. */
export function originOf(db: Db, accountId: number): Origin | undefined {
  const r = stmt(db, `${ORIGIN_SELECT} WHERE account_id = ? AND change = 'added' ORDER BY change_id DESC LIMIT 1`).get(accountId) as OriginRow | undefined;
  return r ? originFrom(r) : undefined;
}

/** Inventory devices with what pulls, syslog and the audit of their latest snapshot say. */
export function deviceInfo(db: Db, inventory: readonly DeviceRef[]): Map<string, DeviceInfo> {
  const pulls = new Map(
    (stmt(db, 'SELECT device, last_success, snapshot_id FROM pull_state').all() as Array<{ device: string; last_success: number | null; snapshot_id: number | null }>).map((r) => [r.device, r]),
  );
  const activity = new Map(
    (stmt(db, 'SELECT device, first_seen, last_seen FROM device_activity').all() as Array<{ device: string; first_seen: number; last_seen: number }>).map((r) => [r.device, r]),
  );
  const audits = new Map(
    (stmt(db, 'SELECT snapshot_id, checks FROM snapshot_audit').all() as Array<{ snapshot_id: number; checks: string }>).map((r) => [r.snapshot_id, r.checks]),
  );
  const native = new Map(
    (stmt(db, 'SELECT device, max(last_accepted) AS last FROM native_senders WHERE last_accepted IS NOT NULL GROUP BY device').all() as Array<{ device: string; last: number }>)
      .map((r) => [r.device, r.last]),
  );
  return deviceInfoFrom(inventory, { pulls, activity, audits, native });
}

/** What deviceInfo reads, by device (or snapshot): each engine reads it its own way. */
export interface DeviceFacts {
  pulls: ReadonlyMap<string, { last_success: number | null; snapshot_id: number | null }>;
  /** First and last syslog from the device (over every collector, in a shared store). */
  activity: ReadonlyMap<string, { first_seen: number; last_seen: number }>;
  audits: ReadonlyMap<number, string>;
  native: ReadonlyMap<string, number>;
}

/** Inventory devices joined with what pulls, syslog and audits say of them. */
export function deviceInfoFrom(inventory: readonly DeviceRef[], { pulls, activity, audits, native }: DeviceFacts): Map<string, DeviceInfo> {
  const out = new Map<string, DeviceInfo>();
  for (const d of inventory) {
    const info: DeviceInfo = { name: d.name, platform: d.platform, groups: d.groups };
    const lastNative = native.get(d.name);
    if (lastNative !== undefined) info.lastNative = lastNative;
    const p = pulls.get(d.name);
    if (p?.last_success != null) info.lastPull = p.last_success;
    if (p?.snapshot_id != null) {
      info.snapshotId = p.snapshot_id;
      const checks = audits.get(p.snapshot_id);
      if (checks) info.audit = (JSON.parse(checks) as StoredAudit).checks;
    }
    const a = activity.get(d.name);
    if (a) {
      info.firstSyslog = a.first_seen;
      info.lastSyslog = a.last_seen;
    }
    out.set(d.name, info);
  }
  return out;
}

/** An audit as stored: the checks and the collector addresses they were judged against. */
export interface StoredAudit {
  collectors: string[];
  checks: AuditCheck[];
}

/** Latest snapshots (per pull_state) whose audit is missing or was judged against other collector addresses. */
export function snapshotsToAudit(db: Db, collectors: readonly string[]): Array<{ id: number; platform: string }> {
  const want = JSON.stringify([...collectors]);
  const rows = stmt(db, LATEST_SNAPSHOT_AUDITS).all() as Array<{ id: number; platform: string; checks: string | null }>;
  return rows.filter((r) => r.checks === null || JSON.stringify((JSON.parse(r.checks) as StoredAudit).collectors) !== want).map((r) => ({ id: r.id, platform: r.platform }));
}

/** The statement snapshotsToAudit reads with (no parameters, the same on both engines). */
export const LATEST_SNAPSHOT_AUDITS = `SELECT s.id, s.platform, a.checks FROM pull_state p JOIN snapshots s ON s.id = p.snapshot_id
       LEFT JOIN snapshot_audit a ON a.snapshot_id = s.id`;

export function snapshotConfig(db: Db, id: number): string | undefined {
  return (stmt(db, 'SELECT config FROM snapshots WHERE id = ?').get(id) as { config: string } | undefined)?.config;
}

export function saveAudit(db: Db, snapshotId: number, audit: StoredAudit): void {
  stmt(db, 'INSERT INTO snapshot_audit (snapshot_id, checks) VALUES (?, ?) ON CONFLICT (snapshot_id) DO UPDATE SET checks = excluded.checks').run(snapshotId, JSON.stringify(audit));
}

// --- Counters -------------------------------------------------------------------------------------

/** Add to a counter in the table `aaawatch stats` shows. */
export function count(db: Db, name: string, by = 1, at = Date.now()): void {
  stmt(db, 'INSERT INTO counters (name, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value, updated_at = excluded.updated_at').run(name, by, at);
}
