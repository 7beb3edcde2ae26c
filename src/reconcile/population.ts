// The population an auditor samples from (PCI DSS 8.2, NIST AC-2): one row per device and account
// that existed at any time in the review period — found by a pull, seen only in syslog (a
// `useradd` on a host nobody pulls, a `username` on a device whose pull fails), or removed during
// the period — and every must-exist account a pulled device lacks. Each row says how the account
// stands against the roster (as of the period's end), who created it, when, from where and by
// which path, its last login, its findings with the decisions taken on them, and the records and
// snapshots that show it.
//
// Plain functions over a database handle (read only: a worker with a read-only connection can run
// them). Rows come in (device, account) order, keyset-paged: a page reads a bounded number of
// candidates, so filters on computed columns (roster match, findings) never scan the whole store.

import type { Db } from '../store/db.js';
import { commandNames, SAME_CHANGE_MS } from './attribution.js';
import { keyedColumns } from '../store/index-moves.js';
import { Memo, rosterStanding, type RosterIndex, type RosterMatch } from './evaluate.js';
import type { FindingStatus, Severity } from './findings.js';
import { SEVERITY_RANK, statusNowSql } from './findings.js';
import { SYSTEM_ACTOR } from './lifecycle.js';
import { pathFromColumns, pathJson, type PathColumns, type PathView } from './decision-path.js';
import { allowanceOf, grantsSuperuser, roleRule } from './privilege.js';
import type { AccountType } from './roster.js';
import type { DeviceRef, ScopeTest } from './scope.js';
import { judgedAfter, namingSpan } from './judge.js';
import { madeAtSql, madeBy, madeBySql, madeSince, makesPulled, STAMP_MARGIN_MS, type PulledState } from './held.js';
import { renameLives, type RenamePartner } from './renames.js';
import { NAMING_READ, PULL_READ_SQL, pullReadFrom, pulledStateAt, RECEIPT_SQL, stmt } from './store.js';
import { DAY_MS } from './text.js';

/** Where the account is known from: a pull (syslog may show it too), syslog records alone, or the roster alone (missing). */
export type AccountSource = 'pulled' | 'syslog' | 'roster';
/** As of the period's end: held, gone (removed during the period), or required but absent. */
export type AccountState = 'present' | 'removed' | 'missing';

export interface RowDecision {
  by: string;
  /** The status it moved the finding to. */
  to: FindingStatus;
  at: number;
  reason: string | null;
  until: number | null;
  ticket: string | null;
  /** How it reached aaawatch (decision-path.ts): an auditor tells a signed-in decision from a typed --by. */
  path: PathView;
}

export interface RowFinding {
  id: number;
  kind: string;
  severity: Severity;
  status: FindingStatus;
  summary: string;
  firstSeen: number;
  lastSeen: number;
  acceptedUntil: number | null;
  /** The latest decision a person took on it within the period. */
  decision: RowDecision | null;
}

export interface PopulationRow {
  device: string;
  account: string;
  inInventory: boolean;
  platform: string;
  source: AccountSource;
  state: AccountState;
  /** `privilege 15`, `class super-user`; empty for a missing account. */
  privilege: string;
  /** Full administration (privilege 15, UID 0, a superuser role or group). */
  superuser: boolean;
  rosterMatch: RosterMatch | 'missing';
  /** What the roster allows, when an entry governs it. */
  allowed: string | null;
  type: AccountType | null;
  owner: string | null;
  department: string | null;
  approvalRef: string | null;
  approver: string | null;
  /** The roster entry (`file:line`). */
  rosterRef: string | null;
  /** When the governing entry's authorisation ends. */
  expires: number | null;
  createdAt: number | null;
  createdBy: string | null;
  createdFrom: string | null;
  /** cli, rest, netconf, gui, tacacs, radius, os, cloud. */
  createdPath: string | null;
  /** The attribution sentence of its creation (or of its appearing unexplained). */
  attribution: string | null;
  firstSeen: number | null;
  lastSeen: number | null;
  removedAt: number | null;
  removedBy: string | null;
  /** The attribution sentence of its removal. */
  removal: string | null;
  /** The latest privilege, role or right taken away from it within the period (`role Global Administrator`), when, and by whom. */
  revoked: string | null;
  revokedAt: number | null;
  revokedBy: string | null;
  lastLogin: number | null;
  daysInactive: number | null;
  /** Findings unresolved at the period's end, and those resolved within it; the worst first. */
  findings: RowFinding[];
  /** Stored records that show it: creation, the grants of what it holds, removal, logins, and its findings' evidence (bounded). */
  records: number[];
  snapshots: number[];
}

/** What every population read needs: the roster, the inventory, the period. */
export interface PopulationContext {
  roster: RosterIndex | undefined;
  /** Inventory devices by name. */
  inventory: ReadonlyMap<string, DeviceRef>;
  dormantDays: number;
  /** The review period, epoch ms: accounts present at any time in [from, to]. */
  from: number;
  to: number;
  /**
   * How long after a record a pull may still not show what the record did (the configuration's
   * attributionSkewSeconds): a syslog-only account a pull lacks is gone only when the pull came
   * later than this after its latest record. Default DEFAULT_SKEW_MS.
   */
  skewMs?: number;
  /**
   * Every finding of the period by account (`device\0account`), with the records it cites, when the
   * caller has read them all already (an export): rows then take theirs from here, not one query each.
   */
  findings?: ReadonlyMap<string, ReadonlyArray<RowFinding & { records: readonly number[] }>>;
  /**
   * A sorted view's read (web/accounts.ts `sortedPopulation`): given a row with its standing,
   * privilege and findings (creation, removal, last login and cited records not yet read), true when
   * the row cannot be among the rows the view keeps — it is then returned as it is, to be counted,
   * not shown; the rest of the row (about half its cost, see BENCHMARKS.md "bench:web") is not read.
   */
  countOnly?: (partial: PopulationRow) => boolean;
}

export const accountKey = (device: string, account: string): string => `${device}\u0000${account}`;

export const ROSTER_MATCHES = ['authorised', 'not on roster', 'privilege above roster', 'expired', 'not yet valid', 'missing', 'no roster'] as const;

/** Filters over the population; each optional. */
export interface PopulationFilter {
  /** Exact device name. */
  device?: string;
  /** Devices, groups and platforms in scope (the exports' scope picker). */
  scope?: ScopeTest;
  /** Substring of the account name (case-insensitive). */
  account?: string;
  roster?: RosterMatch | 'missing';
  source?: AccountSource;
  state?: AccountState;
  type?: AccountType;
  /** `open`: with findings not yet resolved; `none`: without. */
  findings?: 'open' | 'none';
  /** At least this severity among its unresolved findings. */
  severity?: Severity;
}

export interface AccountKey {
  device: string;
  account: string;
}

export interface PopulationPage {
  rows: PopulationRow[];
  /** Where the next page starts (exclusive), when there may be more. */
  next?: AccountKey;
  /** Set when the page stopped after its budget of candidates without filling: more may match further on. */
  budgetSpent?: boolean;
}

/** reconcile.attributionSkewSeconds' default, for a context that names none. */
export const DEFAULT_SKEW_MS = 300_000;

/** The skew a period's records are placed with (held.ts madeAt). */
export const skewOf = (ctx: Pick<PopulationContext, 'skewMs'>): number => ctx.skewMs ?? DEFAULT_SKEW_MS;

/** A successful pull: when it finished, and the snapshot it read. */
export interface PullLite {
  at: number;
  snapshot: number | null;
}

/**
 * The first successful pull of a device started after `after` and finished by `to`: its runs, and
 * its pull state (the latest success, which outlives the runs' retention), read only when the pull
 * state says there was a success after `after`. Runs by the start-time index: by the (device, id)
 * one, a device pulled hourly for a year cost 1.1–1.8 ms CPU a syslog-only row (8,760 runs, load 9).
 * One statement for both stores: PostgreSQL's rows are copied into a store of their own
 * (src/web/data/pg-rows.ts) and read by it.
 */
export const PULL_AFTER_SQL = `SELECT at, snapshot FROM (
    SELECT * FROM (SELECT finished_at AS at, snapshot_id AS snapshot, id FROM pull_runs INDEXED BY pull_runs_started
     WHERE started_at > :after AND device = :device AND outcome <> 'failed' AND finished_at <= :to ORDER BY started_at LIMIT 1)
    UNION ALL
    SELECT last_success, snapshot_id, 0 FROM pull_state WHERE device = :device AND last_success > :after AND last_success <= :to)
  ORDER BY at, id LIMIT 1`;
const LATEST_SUCCESS_SQL = 'SELECT last_success FROM pull_state WHERE device = ?';

/** Candidates a page reads at most: a filter that matches nothing costs this, not the whole store. */
export const PAGE_BUDGET = 1000;
/** Records cited per row at most (the evidence pack carries them). */
const RECORDS_PER_ROW = 50;
/** Account records read per account to work out its state and privilege. */
export const RECORDS_READ = 200;
/** How far back from a creating record that names no address its actor's sign-in is looked for. */
export const SESSION_WINDOW_MS = 12 * 3_600_000;
const KEY_CHUNK = 500;

/** SQLite orders text by its UTF-8 bytes; JavaScript by UTF-16 units. Merged lists use SQLite's order. */
export function utf8Compare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function keyCompare(a: AccountKey, b: AccountKey): number {
  return utf8Compare(a.device, b.device) || utf8Compare(a.account, b.account);
}

// --- Keys ----------------------------------------------------------------------------------------

export const ACCOUNT_ACTIONS = `action NOT IN ('group.create', 'group.delete')`;

/**
 * An account record's entry in events_by_target that may have been made by the period's end
 * (:to, :skew; held.ts madeBySql): by its stamp alone, or, stamped within STAMP_MARGIN_MS after
 * the end (a clock running ahead), by its record's receipt. One stamped by the end and received
 * after it (a clock running behind) stays a candidate: its row reads its records as placed
 * (`RowCache.accountRecords`), and a row with none is no row. Only entries stamped after the end
 * read their record, so a period ending now reads none more than before.
 */
const MADE_BY_END = `(time <= :to OR (time <= :to + ${STAMP_MARGIN_MS} AND (SELECT ${madeAtSql('e.', ':skew')} FROM events e WHERE e.id = events_by_target.id) <= :to))`;

/** Accounts a pull showed or syslog named, in (device, account) order after `after`, a chunk at a time. */
function* storedKeys(db: Db, ctx: PopulationContext, device: string | undefined, after: AccountKey | undefined): Generator<AccountKey> {
  const onDevice = device === undefined ? '' : 'AND device = :device';
  // The account records' keys from their table's entries alone (the action carried), and from the
  // records not yet moved into it (src/store/index-moves.ts; account records only, a range of
  // events_accounts), read again for each chunk.
  const sql = `SELECT device, name FROM accounts
      WHERE (device, name) > (:d, :n) AND first_seen <= :to AND (removed_at IS NULL OR removed_at >= :from) ${onDevice}
    UNION
    SELECT device, target FROM events_by_target
      WHERE (device, target) > (:d, :n) AND ${ACCOUNT_ACTIONS} AND ${MADE_BY_END} ${onDevice}
    UNION
    SELECT device, target FROM events_target_tail
      WHERE (device, target) > (:d, :n) AND ${ACCOUNT_ACTIONS} AND ${madeBySql('', ':to', ':skew')} ${onDevice}
    ORDER BY 1, 2 LIMIT :limit`;
  // Without a cursor, from the start: every stored name sorts after the empty one.
  let at = after ?? { device: '', account: '' };
  for (;;) {
    const args: Record<string, string | number> = { d: at.device, n: at.account, to: ctx.to, from: ctx.from, skew: skewOf(ctx), limit: KEY_CHUNK };
    if (device !== undefined) args.device = device;
    const rows = stmt(db, sql).raw().all(args) as Array<[string, string]>;
    for (const [d, n] of rows) yield { device: d, account: n };
    if (rows.length < KEY_CHUNK) return;
    const last = rows[rows.length - 1]!;
    at = { device: last[0], account: last[1] };
  }
}

/** Must-exist roster accounts that a pulled inventory device lacks, in key order: what each engine's store says is pulled and present. */
export function missingOf(ctx: PopulationContext, device: string | undefined, pulled: (device: string) => boolean, present: (device: string, name: string) => boolean): AccountKey[] {
  if (!ctx.roster?.mustExist.length) return [];
  const out: AccountKey[] = [];
  for (const d of ctx.inventory.values()) {
    if (device !== undefined && d.name !== device) continue;
    if (!pulled(d.name)) continue;
    for (const { entry, test } of ctx.roster.mustExist) {
      if (test(d) && !present(d.name, entry.name)) out.push({ device: d.name, account: entry.name });
    }
  }
  return out.sort(keyCompare);
}

function missingKeys(db: Db, ctx: PopulationContext, device: string | undefined): AccountKey[] {
  const present = stmt(db, 'SELECT 1 FROM accounts WHERE device = ? AND name = ? AND removed_at IS NULL LIMIT 1');
  const pulled = stmt(db, 'SELECT 1 FROM pull_state WHERE device = ? AND last_success IS NOT NULL');
  return missingOf(ctx, device, (d) => pulled.get(d) !== undefined, (d, n) => present.get(d, n) !== undefined);
}

/** Stored keys (in key order) and missing ones merged, without repeats. */
export function* mergeCandidates(stored: Iterable<AccountKey>, missing: readonly AccountKey[]): Generator<AccountKey & { missing: boolean }> {
  let i = 0;
  for (const k of stored) {
    while (i < missing.length && keyCompare(missing[i]!, k) < 0) yield { ...missing[i++]!, missing: true };
    // A must-exist account that a removed row also names is still missing now: one row, the missing one.
    if (i < missing.length && keyCompare(missing[i]!, k) === 0) continue;
    yield { ...k, missing: false };
  }
  while (i < missing.length) yield { ...missing[i++]!, missing: true };
}

/** Every candidate key after `after`, stored and missing merged, without repeats. */
function candidateKeys(db: Db, ctx: PopulationContext, device: string | undefined, after: AccountKey | undefined): Generator<AccountKey & { missing: boolean }> {
  return mergeCandidates(storedKeys(db, ctx, device, after), missingKeys(db, ctx, device).filter((k) => !after || keyCompare(k, after) > 0));
}

// --- One row -------------------------------------------------------------------------------------

interface AccountRowLite {
  id: number;
  privilege: string | null;
  roles: string;
  first_seen: number;
  last_seen: number;
  removed_at: number | null;
  first_snapshot_id: number;
  last_snapshot_id: number;
  removed_snapshot_id: number | null;
}

/** An account record as a row reads it. */
/**
 * The creation record naming its maker of the same making as `make`, which names none (judge.ts
 * namedMaking, sameMaking): the account's creations within SAME_CHANGE_MS of it stating nothing
 * otherwise, when they name one person.
 */
function sameMakingNamer<R extends RecordLite>(records: readonly R[], make: R): R | undefined {
  const agree = (a: string | null, b: string | null): boolean => a === null || b === null || a === b;
  const named = records.filter((r) => r.actor !== null && r.action === make.action && Math.abs(r.time - make.time) <= SAME_CHANGE_MS
    && agree(r.privilege, make.privilege) && agree(r.role, make.role) && agree(r.grp, make.grp) && agree(r.path, make.path));
  if (!named.length || new Set(named.map((r) => r.actor)).size !== 1) return undefined;
  return named.reduce((a, b) => (b.time > a.time || (b.time === a.time && b.id > a.id) ? b : a));
}

export interface RecordLite {
  id: number;
  action: string;
  time: number;
  platform: string;
  actor: string | null;
  actor_address: string | null;
  path: string | null;
  privilege: string | null;
  role: string | null;
  grp: string | null;
  /** When it was received (an imported file's: its stamp, store.ts RECEIPT_SQL): where it is placed against pulls (held.ts placedAt). */
  received_at: number;
}

/**
 * A rename's two records (`usermod -l`, Windows 4781, CloudTrail UpdateUser newUserName): the
 * normalised records have no rename, so the parsers write the old name's `account.delete` and the
 * new name's `account.create` with technique T1098 (an account manipulated), both from one message:
 * same device, time and raw text. Given either (`?`: its id), the other: its id, time and name.
 */
export const RENAME_PARTNER_SQL = `SELECT p.id, p.time, p.target FROM events r JOIN events p ON p.time = r.time AND p.device = r.device AND p.raw = r.raw
   AND p.kind = 'account' AND p.id <> r.id AND p.action = CASE r.action WHEN 'account.create' THEN 'account.delete' ELSE 'account.create' END
 WHERE r.id = ? AND r.action IN ('account.create', 'account.delete') AND (CASE r.action WHEN 'account.create' THEN r.technique ELSE p.technique END) = 'T1098'
 ORDER BY abs(p.id - r.id) LIMIT 1`;

/** A command record as a row reads it: what may say how and from where a creating record's change was made. */
export interface CommandLite {
  id: number;
  time: number;
  actor: string | null;
  path: string | null;
  actor_address: string | null;
  command: string | null;
}

/** An account's last login: the record, and when. */
export interface LoginLite {
  id: number;
  time: number;
}

interface AttributionLite {
  explained: number;
  at: number | null;
  actor: string | null;
  actor_address: string | null;
  path: string | null;
  sentence: string;
  evidence: string;
}

function eventIds(evidence: string): number[] {
  try {
    const v = JSON.parse(evidence) as { events?: unknown };
    return Array.isArray(v.events) ? v.events.filter((x): x is number => Number.isSafeInteger(x)) : [];
  } catch {
    return [];
  }
}

const RECORD_LITE = ['id', 'action', 'time', 'platform', 'actor', 'actor_address', 'path', 'privilege', 'role', 'grp'] as const;

// A row's statements over the moved tables, made once: the statement cache is keyed by the text,
// and a text built for each call is hashed again each time (a page reads both for every candidate).
/** An account's latest account records made by :to (skew :skew; held.ts madeBySql), newest first. */
const MOVED_RECORDS_SQL = `SELECT ${keyedColumns(RECORD_LITE.join(', '), ['id', 'action', 'time'])}, ${RECEIPT_SQL('e.')} FROM events_by_target d JOIN events e ON e.id = d.id
    WHERE d.device = :device AND d.target = :account AND d.${ACCOUNT_ACTIONS} AND ${madeBySql('e.', ':to', ':skew', 'd.time')}
    ORDER BY d.time DESC, d.id DESC LIMIT ${RECORDS_READ}`;
/** An account's last login made by :to (skew :skew). */
const MOVED_LOGIN_SQL = `SELECT d.id, d.time FROM events_by_login d JOIN events e ON e.id = d.id
    WHERE d.device = :device AND d.actor = :account AND ${madeBySql('e.', ':to', ':skew', 'd.time')} ORDER BY d.time DESC, d.id DESC LIMIT 1`;

/** A login not yet moved into events_by_login. */
interface TailLogin {
  id: number;
  time: number;
  actor_address: string | null;
  /** Its receipt (RECEIPT_SQL): where a period's end places it (held.ts madeBy). */
  received_at: number;
}

/**
 * What many rows of one read share: privilege levels and allowances (Memo), and per device its
 * platform and first syslog — a page or an export reads each once, not once per account. And how a
 * row reads its records (its account records, its last login, where its creator signed in from):
 * from the store's handle here; a PostgreSQL page hands over those it read itself
 * (src/web/data/pg-rows.ts `PageRecords`) rather than copy thousands of records into the handle.
 */
export class RowCache {
  readonly memo = new Memo();
  private readonly platforms = new Map<string, string | undefined>();
  private readonly firstSyslog = new Map<string, number | undefined>();
  private tail: { db: Db; logins: Map<string, TailLogin[]> } | undefined;
  private tailAccounts: { db: Db; records: Map<string, Array<readonly [number, number, number]>> } | undefined;

  /**
   * An account's logins past the last move into events_by_login (src/store/index-moves.ts), newest
   * first: the tail is a rowid range of events read whole, so it is read once for the rows a
   * cache serves (a page, an export), not once per row; again for another database (a PostgreSQL
   * page copies each chunk of accounts into a database of its own, src/web/data/pg-population.ts).
   */
  tailLogins(db: Db, device: string, actor: string): readonly TailLogin[] {
    if (this.tail?.db !== db) {
      const logins = new Map<string, TailLogin[]>();
      const rows = stmt(db, `SELECT device, actor, id, time, actor_address, ${RECEIPT_SQL('')} FROM events_login_tail ORDER BY time DESC, id DESC`).iterate() as IterableIterator<TailLogin & { device: string; actor: string }>;
      for (const { device: d, actor: a, ...login } of rows) {
        const key = accountKey(d, a);
        const list = logins.get(key);
        if (list) list.push(login);
        else logins.set(key, [login]);
      }
      this.tail = { db, logins };
    }
    return this.tail.logins.get(accountKey(device, actor)) ?? [];
  }

  /** The first successful pull of a device after `after`, up to `to` (PULL_AFTER_SQL); none when the latest success is not later. */
  pullAfter(db: Db, device: string, after: number, to: number): PullLite | undefined {
    const latest = (stmt(db, LATEST_SUCCESS_SQL).get(device) as { last_success: number | null } | undefined)?.last_success;
    if (latest === undefined || latest === null || latest <= after) return undefined;
    return stmt(db, PULL_AFTER_SQL).get({ device, after, to }) as PullLite | undefined;
  }

  snapshotPlatform(db: Db, device: string): string | undefined {
    if (!this.platforms.has(device)) {
      this.platforms.set(device, (stmt(db, 'SELECT platform FROM snapshots WHERE device = ? ORDER BY id DESC LIMIT 1').get(device) as { platform: string } | undefined)?.platform);
    }
    return this.platforms.get(device);
  }

  firstHeard(db: Db, device: string): number | undefined {
    if (!this.firstSyslog.has(device)) {
      this.firstSyslog.set(device, (stmt(db, 'SELECT first_seen FROM device_activity WHERE device = ?').get(device) as { first_seen: number } | undefined)?.first_seen);
    }
    return this.firstSyslog.get(device);
  }

  /**
   * Ids, times and receipts (RECEIPT_SQL) of an account's account records past the last move into
   * events_by_target, newest first: read once for the rows a cache serves, as the logins' tail is
   * (account records only, as arrays: most accounts have none there, and a row reads its own by id).
   */
  private tailRecords(db: Db, device: string, account: string): ReadonlyArray<readonly [number, number, number]> {
    if (this.tailAccounts?.db !== db) {
      const records = new Map<string, Array<readonly [number, number, number]>>();
      const rows = stmt(db, `SELECT device, target, id, time, ${RECEIPT_SQL('')} FROM events_target_tail WHERE ${ACCOUNT_ACTIONS} ORDER BY time DESC, id DESC`)
        .raw()
        .iterate() as IterableIterator<[string, string, number, number, number]>;
      for (const [d, t, id, time, received] of rows) {
        const key = accountKey(d, t);
        const list = records.get(key);
        if (list) list.push([id, time, received]);
        else records.set(key, [[id, time, received]]);
      }
      this.tailAccounts = { db, records };
    }
    return this.tailAccounts.records.get(accountKey(device, account)) ?? [];
  }

  /**
   * The other half of a rename (RENAME_PARTNER_SQL): for the new name's making, the old name's
   * deletion; for the old name's deletion, the new name's making. Undefined for any other record.
   */
  renamePartner(db: Db, _device: string, r: RecordLite): RenamePartner | undefined {
    if (r.action !== 'account.create' && r.action !== 'account.delete') return undefined;
    return stmt(db, RENAME_PARTNER_SQL).get(r.id) as RenamePartner | undefined;
  }

  /** What a pull said an account held as of `at` (store.ts pulledStateAt), as the account-created finding reads an old name's. */
  pulledAt(db: Db, device: string, name: string, at: number): PulledState | undefined {
    return pulledStateAt(db, device, name, at);
  }

  /**
   * An account's latest account records made by `to` as the skew rule places them (held.ts
   * madeBySql, madeBy), at most RECORDS_READ, oldest first by stamp: its table's and its unmoved tail's.
   */
  accountRecords(db: Db, device: string, account: string, to: number, skewMs: number): RecordLite[] {
    const moved = stmt(db, MOVED_RECORDS_SQL).all({ device, account, to, skew: skewMs }) as RecordLite[];
    // A record moved after the tail was read (an export outside a transaction) is in both: once.
    const seen = new Set(moved.map((r) => r.id));
    const tail = this.tailRecords(db, device, account).filter(([id, time, received]) => madeBy(time, received, to, skewMs) && !seen.has(id)).map(([id]) => id);
    if (tail.length === 0) return moved.reverse();
    const newer = stmt(db, `SELECT ${RECORD_LITE.join(', ')}, ${RECEIPT_SQL('')} FROM events WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(tail)) as RecordLite[];
    return [...moved, ...newer]
      .sort((a, b) => b.time - a.time || b.id - a.id)
      .slice(0, RECORDS_READ)
      .reverse();
  }

  /**
   * An account's last login on its device made by `to` as placed with `skewMs` (held.ts madeBySql,
   * madeBy): the logins' table, or its unmoved tail where that holds a later one.
   */
  lastLogin(db: Db, device: string, account: string, to: number, skewMs: number): LoginLite | undefined {
    const moved = stmt(db, MOVED_LOGIN_SQL).get({ device, account, to, skew: skewMs }) as LoginLite | undefined;
    const tail = this.tailLogins(db, device, account).find((l) => madeBy(l.time, l.received_at, to, skewMs));
    return tail && (!moved || tail.time >= moved.time) ? { id: tail.id, time: tail.time } : moved;
  }

  /**
   * The command records on a creating record's device whose text holds the account's name, in the
   * span reconciliation reads them in (judge.ts namingSpan), by its actor (anyone's when it names
   * none: its maker is the one whose command names the account), at most NAMING_READ, as the
   * finding's store.ts commandsNaming reads them: the device's table and its unmoved tail. The row
   * keeps those that name the account (`creationCommand`). Read by a window and a cap over every
   * command, a burst of 200 other administrators' commands between a 502101 and its 111010 pushed
   * the 111010 out and left the row's maker unnamed while the finding named it.
   */
  commandsNaming(db: Db, device: string, make: RecordLite, account: string): CommandLite[] {
    return stmt(
      db,
      `SELECT id, time, actor, path, actor_address, command FROM (
         SELECT e.id, e.time, e.actor, e.path, e.actor_address, e.command FROM events_by_device d JOIN events e ON e.id = d.id
          WHERE d.device = :device AND d.time > :from AND d.time <= :to AND (:actor IS NULL OR e.actor = :actor) AND e.kind = 'command' AND instr(e.command, :account) > 0
         UNION
         SELECT id, time, actor, path, actor_address, command FROM events_device_tail
          WHERE device = :device AND time > :from AND time <= :to AND (:actor IS NULL OR actor = :actor) AND kind = 'command' AND instr(command, :account) > 0)
       ORDER BY time DESC, id DESC LIMIT ${NAMING_READ}`,
    ).all({ device, actor: make.actor, account, ...namingSpan(make.time) }) as CommandLite[];
  }

  /** The address of a creating record's actor (one named, the record naming no address) from their latest sign-in on the device in the 12 hours before it. */
  creatorAddress(db: Db, device: string, make: RecordLite & { actor: string }): string | null {
    const from = make.time - SESSION_WINDOW_MS;
    const moved = stmt(
      db,
      `SELECT d.time, e.actor_address FROM events_by_login d JOIN events e ON e.id = d.id
        WHERE d.device = ? AND d.actor = ? AND d.time <= ? AND d.time >= ? AND e.actor_address IS NOT NULL ORDER BY d.time DESC, d.id DESC LIMIT 1`,
    ).get(device, make.actor, make.time, from) as { time: number; actor_address: string } | undefined;
    const tail = this.tailLogins(db, device, make.actor).find((l) => l.time <= make.time && l.time >= from && l.actor_address !== null);
    return (tail && (!moved || tail.time >= moved.time) ? tail.actor_address : moved?.actor_address) ?? null;
  }
}

const RANK_SQL = `CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END`;

const FINDING_ORDER = (a: RowFinding, b: RowFinding): number => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.id - b.id;

/**
 * The row for one key, or undefined when the account did not exist in the period — or, given a
 * filter, when its standing (source, state, roster match, type) already fails it: the rest of the
 * row (creation, logins, findings) is read only for rows that may match.
 */
export function populationRow(db: Db, ctx: PopulationContext, key: AccountKey, missing = false, cache: RowCache = new RowCache(), filter?: PopulationFilter): PopulationRow | undefined {
  const memo = cache.memo;
  const { device, account } = key;
  const ref = ctx.inventory.get(device);
  const pulledRow = missing
    ? undefined
    : (stmt(db, 'SELECT id, privilege, roles, first_seen, last_seen, removed_at, first_snapshot_id, last_snapshot_id, removed_snapshot_id FROM accounts WHERE device = ? AND name = ? AND first_seen <= ? ORDER BY id DESC LIMIT 1')
        .get(device, account, ctx.to) as AccountRowLite | undefined);
  const pulled = pulledRow && (pulledRow.removed_at === null || pulledRow.removed_at >= ctx.from) ? pulledRow : undefined;
  const skewMs = skewOf(ctx);
  const records = missing ? [] : cache.accountRecords(db, device, account, ctx.to, skewMs);
  const latestRecord = records[records.length - 1];
  /** Whether a record was made within the period as the skew rule places it (held.ts madeSince; by the end, accountRecords). */
  const sinceStart = (r: RecordLite): boolean => madeSince(r.time, r.received_at, ctx.from, skewMs);
  let state: AccountState;
  let source: AccountSource;
  /** The pull that no longer shows a syslog-only account. */
  let lacking: PullLite | undefined;
  if (missing) {
    state = 'missing';
    source = 'roster';
  } else if (pulled) {
    source = 'pulled';
    state = pulled.removed_at !== null && pulled.removed_at <= ctx.to ? 'removed' : 'present';
    // Deleted since the last pull that showed it (the next pull not yet made, or failing): syslog says so first.
    if (state === 'present' && deletedSince(latestRecord, pulled.last_seen)) state = 'removed';
  } else {
    if (!latestRecord) return undefined;
    source = 'syslog';
    if (latestRecord.action === 'account.delete') {
      if (!sinceStart(latestRecord)) return undefined;
      state = 'removed';
    } else {
      // Syslog says it is there; a successful pull after its latest record (beyond the skew) that
      // does not show it says it is not (a pull that showed it would have made it a pulled row):
      // the pull reconciliation judges the record by (judge.ts judgedAfter), which raised the unlogged-change.
      lacking = cache.pullAfter(db, device, judgedAfter(latestRecord.time, latestRecord.received_at, skewMs), ctx.to);
      if (lacking && lacking.at < ctx.from) return undefined;
      state = lacking ? 'removed' : 'present';
    }
  }
  const platform = ref?.platform ?? cache.snapshotPlatform(db, device) ?? latestRecord?.platform ?? '';
  const deviceRef: DeviceRef = ref ?? { name: device, platform, groups: [] };

  // What it holds: the pull's privilege and roles, changed by the records since the last pull that
  // showed it (a grant the next pull has not seen yet); else what the records gave it.
  let holding: Holding = { privilege: undefined, roles: [] };
  if (pulled) {
    const start = { privilege: pulled.privilege ?? undefined, roles: pulled.roles === '[]' ? [] : (JSON.parse(pulled.roles) as string[]) };
    holding = pulled.removed_at === null ? foldHolding(start, records.filter((r) => r.time > pulled.last_seen), false) : start;
  } else if (!missing) holding = syslogHolding(db, cache, device, records, ctx.to, skewMs);
  const { privilege, roles } = holding;
  const held = missing ? undefined : memo.held(platform, privilege, roles);
  const superuser = !missing && grantsSuperuser(platform, privilege, roles);

  // Against the roster, as of the period's end.
  let rosterMatch: PopulationRow['rosterMatch'];
  let entry: ReturnType<typeof rosterStanding>['entry'];
  let allowed: string | null = null;
  if (missing) {
    rosterMatch = 'missing';
    entry = ctx.roster?.entriesFor(account, deviceRef).find((e) => e.mustExist);
    allowed = entry ? allowanceOf(platform, [entry]).label : null;
  } else {
    const standing = rosterStanding(ctx.roster, account, deviceRef, held!, ctx.to, memo);
    rosterMatch = standing.match;
    entry = standing.entry;
    allowed = standing.allowed?.label ?? null;
  }
  if (filter && !standingMatches({ source, state, rosterMatch, type: entry?.type ?? null }, filter)) return undefined;
  if (filter && (filter.findings !== undefined || filter.severity !== undefined)) {
    // The worst unresolved finding, from the cases index alone, before the rest of the row is read.
    const worst = (stmt(db, `SELECT max(${RANK_SQL}) AS rank FROM findings INDEXED BY findings_case WHERE device = ? AND account = ? AND status <> 'resolved'`).get(device, account) as { rank: number | null }).rank;
    if (!worstMatches(worst, filter)) return undefined;
  }

  // Its findings first: a sorted view's key may be them (ctx.countOnly).
  const found: ReadonlyArray<RowFinding & { records?: readonly number[] }> = ctx.findings ? (ctx.findings.get(accountKey(device, account)) ?? []) : rowFindings(db, ctx, device, account);
  const findings: RowFinding[] = ctx.findings ? found.map(({ records: _cites, ...f }) => f) : (found as RowFinding[]);
  const partial: PopulationRow = {
    device, account, inInventory: ref !== undefined, platform, source, state,
    privilege: held && held.facets.length ? held.label : '',
    superuser, rosterMatch, allowed,
    type: entry?.type ?? null, owner: entry?.owner ?? null, department: entry?.department ?? null, approvalRef: entry?.approval ?? null,
    approver: entry?.approver ?? null, rosterRef: entry?.ref ?? null, expires: entry?.expires ?? null,
    createdAt: null, createdBy: null, createdFrom: null, createdPath: null, attribution: null,
    firstSeen: null, lastSeen: null, removedAt: null, removedBy: null, removal: null, revoked: null, revokedAt: null, revokedBy: null,
    lastLogin: null, daysInactive: null, findings, records: [], snapshots: [],
  };
  if (ctx.countOnly?.(partial)) return partial;

  // Who created it (and removed it): the attribution of the pull's change, else the creating record.
  const cited = new Set<number>();
  const snapshots = new Set<number>();
  let created: Pick<PopulationRow, 'createdAt' | 'createdBy' | 'createdFrom' | 'createdPath' | 'attribution'> = { createdAt: null, createdBy: null, createdFrom: null, createdPath: null, attribution: null };
  let removedBy: string | null = null;
  let removal: string | null = null;
  let removedAt: number | null = null;
  if (pulled) {
    snapshots.add(pulled.first_snapshot_id);
    snapshots.add(pulled.last_snapshot_id);
    const attribution = (change: string): AttributionLite | undefined =>
      stmt(db, 'SELECT explained, at, actor, actor_address, path, sentence, evidence FROM change_attribution WHERE account_id = ? AND change = ? ORDER BY change_id DESC LIMIT 1')
        .get(pulled.id, change) as AttributionLite | undefined;
    const origin = attribution('added');
    if (origin) {
      created = { createdAt: origin.at, createdBy: origin.actor, createdFrom: origin.actor_address, createdPath: origin.path, attribution: origin.sentence };
      for (const id of eventIds(origin.evidence)) cited.add(id);
    }
    if (state === 'removed' && pulled.removed_at === null) {
      // Removed by a record after the last pull: when, by whom, as the record says.
      removedAt = latestRecord!.time;
      removedBy = latestRecord!.actor;
      cited.add(latestRecord!.id);
      const to = cache.renamePartner(db, device, latestRecord!);
      if (to) removal = `renamed to ${to.target}`;
    } else if (state === 'removed') {
      removedAt = pulled.removed_at;
      if (pulled.removed_snapshot_id !== null) snapshots.add(pulled.removed_snapshot_id);
      const gone = attribution('removed');
      if (gone) {
        removedBy = gone.actor;
        removal = gone.sentence;
        for (const id of eventIds(gone.evidence)) cited.add(id);
      }
    }
  }
  if (!missing && created.createdAt === null) {
    // The record that made its current presence: the latest creation at or before the period's end;
    // for a pulled row, one made by the time the pull that first showed it read the configuration
    // (held.ts makesPulled: a re-issue logged while the device printed it, or after, restates what
    // it found; issue 15 item 7).
    const read = pulled && records.some((r) => r.action === 'account.create')
      ? pullReadFrom(stmt(db, PULL_READ_SQL).get(device, pulled.first_seen, pulled.first_seen) as { read_at: number } | undefined, pulled.first_seen)
      : undefined;
    const make = [...records].reverse().find((r) => r.action === 'account.create' && (read === undefined || makesPulled(r.time, r.received_at, read, skewMs)));
    if (make) {
      // A record that names no path (an ASA's 502101) takes it, and the address it lacks, from its change's command (the
      // 111010 that says `running 'ASDM'` and from where). Only then: a lookup for every record without an address (IOS
      // archive logging's, whose commands have none either) was 15–51 µs, a fifth of a syslog-only row (load 24).
      // One that names no actor either (502101 without `Executed by:`) takes its maker from the same command, as the
      // finding's attribution does (attribution.ts `namedBy`): the one person whose command of the change names the account.
      const command = make.path === null ? creationCommand(cache.commandsNaming(db, device, make, account), make, account) : undefined;
      // One that names no actor (Linux's useradd line) takes the one person its making's other records name (auditd's
      // ADD_USER, AUID), as the finding does (judge.ts namedMaking).
      const namer = make.actor === null ? sameMakingNamer(records, make) : undefined;
      const maker = namer ?? make;
      const createdBy = maker.actor ?? command?.actor ?? null;
      const address = make.actor_address ?? maker.actor_address ?? command?.actor_address ?? (maker.actor ? cache.creatorAddress(db, device, { ...maker, actor: maker.actor }) : null);
      if (namer) cited.add(namer.id);
      const from = created.attribution === null ? cache.renamePartner(db, device, make) : undefined;
      created = {
        ...created, createdAt: make.time, createdBy, createdFrom: address, createdPath: make.path ?? maker.path ?? command?.path ?? null,
        attribution: from ? `renamed from ${from.target}` : created.attribution,
      };
      cited.add(make.id);
      if (command) cited.add(command.id);
    }
  }
  for (const id of holding.givenBy ?? []) cited.add(id);
  // The latest privilege taken away within the period, whichever source shows the account.
  const revocation = [...records].reverse().find((r) => r.action === 'privilege.revoke' && sinceStart(r));
  if (revocation) cited.add(revocation.id);
  if (source === 'syslog' && state === 'removed' && lacking) {
    // No record logs its removal (one would be the latest record): the pull is when it was found gone.
    removedAt = lacking.at;
    removal = `not found at the pull of ${new Date(lacking.at).toISOString().slice(0, 19)}Z${lacking.snapshot === null ? '' : ` (snapshot ${lacking.snapshot})`}; no record logs its removal`;
    if (lacking.snapshot !== null) snapshots.add(lacking.snapshot);
  } else if (source === 'syslog' && state === 'removed') {
    removedAt = latestRecord!.time;
    removedBy = latestRecord!.actor;
    cited.add(latestRecord!.id);
    const to = cache.renamePartner(db, device, latestRecord!);
    if (to) removal = `renamed to ${to.target}`;
  }

  // Last login on this device, up to the period's end.
  const login = missing ? undefined : cache.lastLogin(db, device, account, ctx.to, skewMs);
  if (login) cited.add(login.id);
  let daysInactive: number | null = null;
  if (login) daysInactive = Math.floor((ctx.to - login.time) / DAY_MS);
  else if (!missing) {
    const firstSyslog = cache.firstHeard(db, device);
    const since = pulled?.first_seen ?? records[0]?.time;
    if (firstSyslog !== undefined && since !== undefined) daysInactive = Math.max(0, Math.floor((ctx.to - Math.max(since, firstSyslog)) / DAY_MS));
  }

  for (const f of found) {
    const cites = f.records ?? eventIds((stmt(db, 'SELECT evidence FROM findings WHERE id = ?').get(f.id) as { evidence: string }).evidence);
    for (const id of cites.slice(-20)) cited.add(id);
  }
  const firstSeen = pulled?.first_seen ?? records[0]?.time ?? null;
  const lastSeen = pulled ? pulled.last_seen : (latestRecord?.time ?? null);
  return {
    ...partial,
    ...created,
    firstSeen, lastSeen, removedAt, removedBy, removal,
    revoked: revocation ? revokedText(revocation) : null, revokedAt: revocation?.time ?? null, revokedBy: revocation?.actor ?? null,
    lastLogin: login?.time ?? null, daysInactive,
    records: [...cited].sort((a, b) => a - b).slice(-RECORDS_PER_ROW),
    snapshots: [...snapshots].sort((a, b) => a - b),
  };
}

/**
 * Of the commands around a creating record that names no path, the one that is its change as the
 * device's command log tells it: naming the account and saying its path; the nearest in time.
 * Commands the same person typed about other accounts beside it are not about this one.
 */
function creationCommand(commands: readonly CommandLite[], make: RecordLite, account: string): CommandLite | undefined {
  const naming = commands.filter((c) => c.command !== null && commandNames(c.command, account));
  // A record naming no actor: its maker is the one person whose commands name the account; two leave it unknown.
  if (make.actor === null && new Set(naming.map((c) => c.actor)).size !== 1) return undefined;
  let best: CommandLite | undefined;
  for (const c of naming) {
    if (c.path === null && make.actor !== null) continue;
    if (!best || (best.path === null && c.path !== null) || ((best.path === null) === (c.path === null) && Math.abs(c.time - make.time) < Math.abs(best.time - make.time))) best = c;
  }
  return best;
}

interface Holding {
  privilege: string | undefined;
  roles: string[];
  /** The records that gave what is held (none for a pull's). */
  givenBy?: number[];
}

/** What a fold holds as it goes: the privilege, roles and groups, and the record that gave each. */
interface Folded {
  privilege: string | undefined;
  privilegeBy: number | undefined;
  roles: string[];
  groups: Set<string>;
  givenBy: Map<string, number>;
}

const NOTHING_HELD = (): Folded => ({ privilege: undefined, privilegeBy: undefined, roles: [], groups: new Set(), givenBy: new Map() });

/**
 * What a syslog-only account holds: its records folded from nothing, or, when its current life
 * began with a rename (RENAME_PARTNER_SQL), from what its old names held just before it
 * (renames.ts renameLives, as the account-created finding judges it: each old name's records, or
 * what a pull said it held then and its records since, oldest first), citing the records that
 * gave it. IAM, `usermod -l` and 4781 keep an account's policies, UID, groups and rights under the
 * new name: folded from nothing, `useradd -o -u 0 toor; usermod -l backup toor` listed backup with
 * no privilege, no superuser (ren15p), and a pulled UID 0 account renamed the same. `records`: the
 * account's, oldest first, made by `to` (the period's end) as placed with `skewMs`.
 */
function syslogHolding(db: Db, cache: RowCache, device: string, records: readonly RecordLite[], to: number, skewMs: number): Holding {
  // The current life: after the last deletion but a closing one (a removed row shows what it held when deleted).
  let life = 0;
  for (let i = records.length - 2; i >= 0; i--) {
    if (records[i]!.action === 'account.delete') {
      life = i + 1;
      break;
    }
  }
  const first = records[life];
  const lives = first
    ? renameLives(first, {
      partner: (m) => cache.renamePartner(db, device, m),
      records: (rename) => cache.accountRecords(db, device, rename.target, to, skewMs),
      pulled: (rename) => cache.pulledAt(db, device, rename.target, rename.time),
    })
    : [];
  let start = NOTHING_HELD();
  for (const old of [...lives].reverse()) {
    const pulled = old.pulled;
    start = pulled
      ? foldRecords(fromPull(pulled), old.records.filter((r) => r.time > pulled.at), false)
      : foldRecords(start, old.records, true);
  }
  return heldOf(foldRecords(start, lives.length ? records.slice(life) : records, true));
}

/** What a pull said an account held: nothing when it saw it gone. */
function fromPull(p: PulledState): Folded {
  return { ...NOTHING_HELD(), privilege: p.facts?.privilege, roles: [...(p.facts?.roles ?? [])] };
}

/**
 * A holding changed by account records, oldest first: privileges and roles given replace, those
 * taken away go, an account made again after a deletion holds none of them; groups joined and left
 * count as roles. `fromScratch`: the records are all there is (a syslog-only account), so a role
 * given replaces the roles; after a pull, it is added to them.
 */
function foldHolding(start: Holding, records: readonly RecordLite[], fromScratch: boolean): Holding {
  return heldOf(foldRecords({ ...NOTHING_HELD(), privilege: start.privilege, roles: [...start.roles] }, records, fromScratch));
}

function heldOf(f: Folded): Holding {
  const held = [...f.roles, ...f.groups.values()].filter((v, i, all) => all.indexOf(v) === i);
  const ids = held.map((v) => f.givenBy.get(v)).filter((id): id is number => id !== undefined);
  if (f.privilege !== undefined && f.privilegeBy !== undefined) ids.push(f.privilegeBy);
  return { privilege: f.privilege, roles: held, givenBy: ids };
}

function foldRecords(start: Folded, records: readonly RecordLite[], fromScratch: boolean): Folded {
  let { privilege, privilegeBy, roles } = start;
  roles = [...roles];
  const groups = new Set(start.groups);
  // Which record gave the privilege, each role and each group held: a row cites them, so an
  // account known from a grant alone (`usermod -u 0 bob`) shows the record that makes it a
  // superuser even with no finding citing it (records stored before reconciliation first ran,
  // an imported history).
  const givenBy = new Map(start.givenBy);
  /** Deleted: a removed row shows the privilege it had; one made again starts from what its making gives. */
  let deleted = false;
  for (const r of records) {
    // A making clears the groups, but the first record's: a rename's making (syslogHolding) keeps the old name's.
    if (r.action === 'account.create' && r !== records[0]) groups.clear();
    if (r.action === 'account.delete') deleted = true;
    else if (deleted) {
      // A UID 0 `toor` deleted and made again as UID 1010 was still shown as UID 0, a superuser.
      // The groups go with them, not at the deletion: a removed sudo member's row read
      // "superuser no", its privilege kept and its groups not (ren15q).
      privilege = undefined;
      privilegeBy = undefined;
      roles = [];
      groups.clear();
      deleted = false;
    }
    if (r.action === 'privilege.revoke') {
      // What was taken away is no longer held, by what it is (privilege.ts roleRule: a bare `helpdesk`
      // takes a pulled `helpdesk (admin read-write)`); a revocation naming neither leaves both as they were.
      if (r.privilege !== null && r.privilege === privilege) privilege = undefined;
      if (r.role !== null) roles = roles.filter((x) => !roleRule(r.platform).takes(r.role!, x));
      continue;
    }
    if (r.privilege !== null) {
      privilege = r.privilege;
      privilegeBy = r.id;
    }
    if (r.role !== null) {
      // A role re-stated is the one held (a pull's `helpdesk (admin read-write)` re-stated as syslog's bare
      // `helpdesk` was a second role on the row), cited by the record that stated it last.
      const given = fromScratch ? { roles: [r.role], as: r.role } : roleRule(r.platform).given(roles, r.role);
      roles = given.roles as string[];
      givenBy.set(given.as, r.id);
    }
    if (r.grp !== null && r.action === 'group.add_member') {
      groups.add(r.grp);
      givenBy.set(r.grp, r.id);
    }
    if (r.grp !== null && r.action === 'group.remove_member') {
      groups.delete(r.grp);
      // A group a pull read as a role (RouterOS `group=`, IOS-XR `group`) leaves by what it is too.
      if (!fromScratch) roles = roles.filter((x) => !roleRule(r.platform).takes(r.grp!, x));
    }
  }
  return { privilege, privilegeBy, roles, groups, givenBy };
}

/** Whether an account's latest record (up to the period's end) deletes it after the last pull that showed it present. */
function deletedSince(latest: RecordLite | undefined, lastPulled: number): latest is RecordLite {
  return latest !== undefined && latest.action === 'account.delete' && latest.time > lastPulled;
}

/** What a revocation took away, in words: `role Global Administrator`, `privilege 15`, else `a privilege`. */
function revokedText(r: RecordLite): string {
  const parts = [r.role !== null ? `role ${r.role}` : '', r.privilege !== null ? `privilege ${r.privilege}` : ''].filter(Boolean);
  return parts.length ? parts.join(', ') : 'a privilege';
}

/**
 * The findings of a period as they stood at its end (`:to`): raised by then, and unresolved then or
 * resolved within the period (from `:from`). A finding changed since `:to` has the status, severity
 * and acceptance end its history gives at `:to`, so a review of a past period shows what the
 * decisions it holds (taken up to `:to`) left, not what was decided since; an acceptance ended by
 * `:to` is open, as its reopening (written later) says. `and` narrows it
 * (static SQL over `f`).
 */
export function findingsAtEndSql(and = ''): string {
  const asOfEnd = (column: string, current: string, extra = '') =>
    `CASE WHEN f.updated_at <= :to THEN ${current} ELSE coalesce((SELECT ${column} FROM finding_history
       WHERE finding_id = f.id AND at <= :to${extra} ORDER BY at DESC, id DESC LIMIT 1), ${current}) END`;
  // An acceptance that ran out by :to is over then, whenever reconciliation writes the reopening
  // (every reconcile.schedule, so up to 15 minutes later, or never with serve stopped): read as open.
  return `SELECT id, kind, severity, device, account, summary, attribution, technique, first_seen, last_seen, evidence,
                 ${statusNowSql(':to')} AS status,
                 CASE WHEN status = 'accepted' AND NOT accepted_until <= :to THEN accepted_until END AS accepted_until
            FROM (SELECT f.id, f.kind, f.device, f.account, f.summary, f.attribution, f.technique, f.first_seen, f.last_seen, f.evidence,
                         ${asOfEnd('severity', 'f.severity', ' AND severity IS NOT NULL')} AS severity,
                         ${asOfEnd('to_status', 'f.status')} AS status,
                         ${asOfEnd('at', 'f.updated_at')} AS status_at,
                         ${asOfEnd('until', 'f.accepted_until', ' AND until IS NOT NULL')} AS accepted_until
                    FROM findings f WHERE f.first_seen <= :to ${and})
           WHERE status <> 'resolved' OR status_at >= :from`;
}

const ROW_FINDINGS_SQL = findingsAtEndSql('AND f.device = :device AND f.account = :account');

/** Findings on one account in the period, as they stood at its end, with the latest decision in the period. */
export function rowFindings(db: Db, ctx: Pick<PopulationContext, 'from' | 'to'>, device: string, account: string): RowFinding[] {
  const rows = stmt(db, ROW_FINDINGS_SQL).all({ device, account, to: ctx.to, from: ctx.from }) as Array<{
    id: number; kind: string; severity: Severity; status: FindingStatus; summary: string; first_seen: number; last_seen: number; accepted_until: number | null;
  }>;
  return rows
    .map((f) => ({
      id: f.id, kind: f.kind, severity: f.severity, status: f.status, summary: f.summary, firstSeen: f.first_seen, lastSeen: f.last_seen,
      acceptedUntil: f.accepted_until, decision: latestDecision(db, f.id, ctx.to),
    }))
    .sort(FINDING_ORDER);
}

/** The latest decision a person took on a finding up to `to`. */
export function latestDecision(db: Db, findingId: number, to: number): RowDecision | null {
  const d = stmt(db, 'SELECT by, to_status, at, reason, until, ticket, path, path_user, path_token FROM finding_history WHERE finding_id = ? AND by <> ? AND at <= ? ORDER BY at DESC, id DESC LIMIT 1')
    .get(findingId, SYSTEM_ACTOR, to) as ({ by: string; to_status: FindingStatus; at: number; reason: string | null; until: number | null; ticket: string | null } & PathColumns) | undefined;
  return d ? { by: d.by, to: d.to_status, at: d.at, reason: d.reason, until: d.until, ticket: d.ticket, path: pathJson(pathFromColumns(d)) } : null;
}

// --- Filters, pages, the whole ---------------------------------------------------------------------

const unresolved = (f: RowFinding): boolean => f.status !== 'resolved';

/** Whether the worst unresolved finding of an account (its severity rank, null for none) passes the findings and severity filters. */
export function worstMatches(worst: number | null, f: Pick<PopulationFilter, 'findings' | 'severity'>): boolean {
  if (f.findings === 'open' && worst === null) return false;
  if (f.findings === 'none' && worst !== null) return false;
  if (f.severity !== undefined && (worst === null || worst < SEVERITY_RANK[f.severity])) return false;
  return true;
}

/** The filters a row's standing alone decides. */
function standingMatches(r: Pick<PopulationRow, 'source' | 'state' | 'rosterMatch' | 'type'>, f: PopulationFilter): boolean {
  if (f.roster !== undefined && r.rosterMatch !== f.roster) return false;
  if (f.source !== undefined && r.source !== f.source) return false;
  if (f.state !== undefined && r.state !== f.state) return false;
  if (f.type !== undefined && r.type !== f.type) return false;
  return true;
}

export function matchesFilter(r: PopulationRow, f: PopulationFilter): boolean {
  if (f.account !== undefined && !r.account.toLowerCase().includes(f.account.toLowerCase())) return false;
  if (!standingMatches(r, f)) return false;
  const open = r.findings.filter(unresolved);
  if (f.findings === 'open' && open.length === 0) return false;
  if (f.findings === 'none' && open.length > 0) return false;
  if (f.severity !== undefined && !open.some((x) => SEVERITY_RANK[x.severity] >= SEVERITY_RANK[f.severity!])) return false;
  return true;
}

/** What a key alone decides: the scope, and the account name. */
export function inScope(ctx: PopulationContext, f: PopulationFilter, key: AccountKey): boolean {
  if (f.account !== undefined && !key.account.toLowerCase().includes(f.account.toLowerCase())) return false;
  if (!f.scope) return true;
  const ref = ctx.inventory.get(key.device) ?? { name: key.device, platform: '', groups: [] };
  return f.scope(ref);
}

/**
 * A page being filled, candidate by candidate, in key order: full at `limit` rows, or stopped after
 * `budget` candidates. Each engine hands it the candidates and the rows (SQLite from its handle,
 * PostgreSQL from the rows it copied for them).
 */
export class PageFill {
  private readonly rows: PopulationRow[] = [];
  private read = 0;
  private last: AccountKey | undefined;
  constructor(
    private readonly ctx: PopulationContext,
    private readonly f: PopulationFilter,
    private readonly after: AccountKey | undefined,
    private readonly limit: number,
    private readonly budget: number,
  ) {}

  /** The finished page, when it was finished before `k`; else `k` is taken (its row read by `rowOf` when in scope). */
  offer(k: AccountKey, rowOf: () => PopulationRow | undefined): PopulationPage | undefined {
    if (this.rows.length === this.limit) return { rows: this.rows, next: this.last };
    if (this.read >= this.budget) return { rows: this.rows, next: this.last ?? this.after, budgetSpent: true };
    this.read++;
    this.last = { device: k.device, account: k.account };
    if (!inScope(this.ctx, this.f, k)) return undefined;
    const row = rowOf();
    if (row && matchesFilter(row, this.f)) this.rows.push(row);
    return undefined;
  }

  /** The page once the candidates ran out. */
  end(): PopulationPage {
    return { rows: this.rows };
  }
}

/** One page of rows after `after`, reading at most `budget` candidates. */
export function populationPage(db: Db, ctx: PopulationContext, f: PopulationFilter, after: AccountKey | undefined, limit: number, budget = PAGE_BUDGET): PopulationPage {
  const cache = new RowCache();
  // One read transaction: the rows of a page describe one moment.
  return db.transaction((): PopulationPage => {
    const fill = new PageFill(ctx, f, after, limit, budget);
    for (const k of candidateKeys(db, ctx, f.device, after)) {
      const done = fill.offer(k, () => populationRow(db, ctx, k, k.missing, cache, f));
      if (done) return done;
    }
    return fill.end();
  })();
}

/** Every row matching `f`, in order (for exports). */
export function* population(db: Db, ctx: PopulationContext, f: PopulationFilter = {}): Generator<PopulationRow> {
  const cache = new RowCache();
  for (const k of candidateKeys(db, ctx, f.device, undefined)) {
    if (!inScope(ctx, f, k)) continue;
    const row = populationRow(db, ctx, k, k.missing, cache, f);
    if (row && matchesFilter(row, f)) yield row;
  }
}
