// The rows the accounts page and a case read, for a set of accounts, copied from PostgreSQL into
// an in-memory SQLite database with the SQLite schema, so that the population's and the cases'
// rules (src/reconcile/population.ts `populationRow`, cases.ts, timeline.ts) run over it as they run
// over the SQLite store: one implementation of audit rules, not a second one in async SQL (the same
// choice as the review's, pg-review.ts). Unlike the review's copy this one is bounded by the keys
// asked for: a page's candidates (tens to a thousand accounts), or one case.
//
// What is copied per account (device, name) is what those functions read: its pulled rows and
// their attributions, its findings with their history, and per device its latest snapshot (for the
// platform) and first syslog heard. A case's timeline adds its records (its latest account records
// up to the period's end and whatever their time, its last login, the sign-in each creating record
// may be attributed to, its latest sessions) and pulled changes (as many as the timeline shows). A
// page's rows read their records from PostgreSQL's answers themselves (`PageRecords`): a filtered
// page reads up to 200 records for each of tens of accounts, and copying them into the copy and
// reading them back out was most of a `source=syslog` page's CPU at 10M records. Every read runs in
// the caller's transaction.

import Database from 'better-sqlite3';
import type pg from 'pg';
import { madeBySql, type PulledState } from '../../reconcile/held.js';
import {
  ACCOUNT_ACTIONS, accountKey, DEFAULT_SKEW_MS, RECORDS_READ, RowCache, SESSION_WINDOW_MS, type AccountKey, type CommandLite, type LoginLite, type RecordLite,
} from '../../reconcile/population.js';
import { RENAMES_FOLLOWED, type RenamePartner } from '../../reconcile/renames.js';
import { openDatabase, type Db } from '../../store/db.js';
import { RECORD_COLUMNS } from '../../store/schema/ingest.js';
import { keyEquals } from '../../store/pg/text-keys.js';
import { PULLED_STATE_SQL, pulledStateFromRow, RECEIPT_SQL } from '../../reconcile/store.js';
import { EVENT_COPY, insertAll, madeOf, NAMING_KEYS, NAMING_SQL, namingArgs, sqliteRecord, untold, type Row } from './pg-review.js';

/** Entries per source a timeline shows (timeline.ts). */
const TIMELINE_PER_SOURCE = 100;

let emptyImage: Buffer | undefined;

/** A new in-memory database with the SQLite schema: made once per process, then copied from its image. */
function emptyStore(): Db {
  if (!emptyImage) {
    const db = openDatabase(':memory:');
    emptyImage = db.serialize();
    db.close();
  }
  const db = new Database(emptyImage);
  // The copy holds rows whose parents it does not need (an account's snapshots, a change's account).
  db.pragma('foreign_keys = OFF');
  return db;
}

const PAIRS = 'unnest($1::text[], $2::text[]) AS k(device, name)';
// Names are looked up as the prefix indexes answer them (src/store/pg/text-keys.ts).
/** A record `e` of the account `k`. */
const ON_ACCOUNT = `${keyEquals('e.device', 'k.device')} AND ${keyEquals('e.target', 'k.name')}`;
/** A record `e` on `k`'s device by `actor`. */
const ON_ACTOR = (actor: string): string => `${keyEquals('e.device', 'k.device')} AND ${keyEquals('e.actor', actor)}`;
const columnsOf = (db: Db, table: string): string[] => db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[];
const RECORD_SELECT = [...EVENT_COPY.map((c) => `e.${c}`), 'e.body'].join(', ');
/**
 * An account record `e` made by the period's end `$3` as the skew rule places it, `$4` the skew
 * (held.ts madeBySql): read through the account index by stamp, up to STAMP_MARGIN_MS past the end.
 */
const MADE_BY_END = madeBySql('e.', '$3::bigint', '$4::bigint');
/** A case's records: each account's latest made by `$3` (as many as populationRow reads), and its latest whatever their time (as many as the timeline shows). */
const CASE_RECORDS_SQL = `SELECT e.* FROM ${PAIRS} CROSS JOIN LATERAL (
     SELECT ${RECORD_SELECT} FROM events e WHERE ${ON_ACCOUNT} AND e.kind = 'account' AND e.${ACCOUNT_ACTIONS} AND ${MADE_BY_END}
      ORDER BY e.time DESC, e.id DESC LIMIT ${RECORDS_READ}) e
   UNION SELECT e.* FROM ${PAIRS} CROSS JOIN LATERAL (
     SELECT ${RECORD_SELECT} FROM events e WHERE ${ON_ACCOUNT} AND e.kind = 'account'
      ORDER BY e.time DESC, e.id DESC LIMIT ${TIMELINE_PER_SOURCE}) e`;

const LOGIN = "e.kind = 'session' AND e.action IN ('login', 'session.start')";
/** A login `e` of `k`'s account (the actor named as the account) made by `$3` as placed with the skew `skew` (held.ts madeBySql), the latest first. */
const loginsOfAccount = (skew: string): string => `${LOGIN} AND ${ON_ACTOR('k.name')} AND ${madeBySql('e.', '$3::bigint', skew)} ORDER BY e.time DESC`;
/** A sign-in `e` naming an address by `m.actor` on `m.device` in the window before `m.at`, the latest first (population.ts `creatorAddress`). */
const SIGN_IN_BEFORE = `${LOGIN} AND ${keyEquals('e.device', 'm.device')} AND ${keyEquals('e.actor', 'm.actor')}
        AND e.time <= m.at AND e.time >= m.at - ${SESSION_WINDOW_MS} AND e.actor_address IS NOT NULL ORDER BY e.time DESC`;

/** What a row reads of an account record (population.ts `RecordLite`), then the exact values of one whose text held a NUL (sqliteRecord). */
const ROW_RECORD = ['id', 'action', 'time', 'platform', 'actor', 'actor_address', 'path', 'privilege', 'role', 'grp'] as const;
/** The latest RECORDS_READ account records made by $3 (skew $4) of each account ($1 devices, $2 names), as arrays led by the account's place, then the body and the receipt. */
const ACCOUNT_RECORDS_SQL = `SELECT k.i, ${ROW_RECORD.map((col) => `e.${col}`).join(', ')}, e.body, ${RECEIPT_SQL('e.')} FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(device, name, i) CROSS JOIN LATERAL (
  SELECT * FROM events e WHERE ${ON_ACCOUNT} AND e.kind = 'account' AND e.${ACCOUNT_ACTIONS} AND ${MADE_BY_END}
   ORDER BY e.time DESC, e.id DESC LIMIT ${RECORDS_READ}) e`;
const FROM_BODY = ROW_RECORD.map((c) => (RECORD_COLUMNS as readonly string[]).indexOf(c));
const TARGET_IN_BODY = (RECORD_COLUMNS as readonly string[]).indexOf('target');

/** The other half of each rename record (`$1`: ids; population.ts RENAME_PARTNER_SQL, one lateral look a record): the asked id, then the partner's id, time, name and exact body. */
const RENAME_PARTNERS_SQL = `SELECT m.id, p.id, p.time, p.target, p.body FROM unnest($1::bigint[]) AS m(id) JOIN events r ON r.id = m.id CROSS JOIN LATERAL (
   SELECT p.id, p.time, p.target, p.body FROM events p WHERE p.time = r.time AND p.device = r.device AND p.raw = r.raw AND p.kind = 'account' AND p.id <> r.id
      AND p.action = CASE r.action WHEN 'account.create' THEN 'account.delete' ELSE 'account.create' END
      AND (CASE r.action WHEN 'account.create' THEN r.technique ELSE p.technique END) = 'T1098'
    ORDER BY abs(p.id - r.id) LIMIT 1) p`;

/** What a row reads of a command record (population.ts `CommandLite`), then the exact values of one whose text held a NUL. */
const ROW_COMMAND = ['id', 'time', 'actor', 'path', 'actor_address', 'command'] as const;
const COMMAND_FROM_BODY = ROW_COMMAND.map((c) => (RECORD_COLUMNS as readonly string[]).indexOf(c));

/**
 * A case's sign-ins: each account's last made by `$3` (skew `$7`), and for a creating record that names no
 * address (`$4`–`$6`: its device, actor, time), its actor's latest sign-in with one in the window
 * before it; and each account's latest sessions (as many as the timeline shows).
 */
const CASE_SESSIONS_SQL = `SELECT e.* FROM ${PAIRS} CROSS JOIN LATERAL (SELECT ${RECORD_SELECT} FROM events e WHERE ${loginsOfAccount('$7::bigint')} LIMIT 1) e
   UNION SELECT e.* FROM unnest($4::text[], $5::text[], $6::bigint[]) AS m(device, actor, at) CROSS JOIN LATERAL (
     SELECT ${RECORD_SELECT} FROM events e WHERE ${SIGN_IN_BEFORE} LIMIT 1) e
   UNION SELECT e.* FROM ${PAIRS} CROSS JOIN LATERAL (
     SELECT ${RECORD_SELECT} FROM events e WHERE ${ON_ACTOR('k.name')} AND e.kind = 'session'
      ORDER BY e.time DESC, e.id DESC LIMIT ${TIMELINE_PER_SOURCE}) e`;


/**
 * What a page's rows read of the records, from PostgreSQL's answers for its candidates (the
 * statements population.ts `RowCache` asks SQLite, over every candidate at once): each account's
 * latest account records up to the period's end, its last login, and where each creating record's
 * actor signed in from. A row asking of an account this page did not read is a fault, not an
 * account without records.
 */
export class PageRecords extends RowCache {
  private readonly records = new Map<string, RecordLite[]>();
  private readonly logins = new Map<string, LoginLite | undefined>();
  private readonly addresses = new Map<number, string | null>();
  private readonly commands = new Map<number, CommandLite[]>();
  private readonly partners = new Map<number, RenamePartner | undefined>();
  /** What a pull said each old name held at its rename (`pulledKey`). */
  private readonly pulled = new Map<string, PulledState | undefined>();

  /** Read them for `keys` up to `to` (the period's end; its records placed with `skewMs`), in place of the last keys read. */
  async read(c: pg.ClientBase, keys: readonly AccountKey[], to: number, skewMs: number): Promise<void> {
    this.records.clear();
    this.logins.clear();
    this.addresses.clear();
    this.commands.clear();
    this.partners.clear();
    this.pulled.clear();
    const arrays = async (sql: string, args: unknown[]): Promise<unknown[][]> => (await c.query<unknown[]>({ text: sql, values: args, rowMode: 'array' })).rows;
    const pairs = [keys.map((k) => k.device), keys.map((k) => k.account), to];
    const lists = keys.map((k) => {
      const list: RecordLite[] = [];
      this.records.set(accountKey(k.device, k.account), list);
      this.logins.set(accountKey(k.device, k.account), undefined);
      return list;
    });
    // As arrays, each naming its account by its place in `keys` (objects, or the names, per row cost
    // a filtered page more CPU than reading the records did).
    const rows = await arrays(
      ACCOUNT_RECORDS_SQL,
      [...pairs, skewMs],
    );
    const actorAt = 1 + ROW_RECORD.indexOf('actor');
    const unaddressed: Array<{ device: string; actor: unknown; at: number; id: number }> = [];
    const commandless: Array<{ device: string; actor: unknown; account: string; at: number; id: number }> = [];
    for (const r of rows) {
      const record = recordOf(r);
      const i = Number(r[0]) - 1;
      lists[i]!.push(record);
      // Its creator's sign-in is found by the names as stored.
      if (record.action === 'account.create' && r[actorAt] !== null && record.actor_address === null) unaddressed.push({ device: keys[i]!.device, actor: r[actorAt], at: record.time, id: record.id });
      if (record.action === 'account.create' && record.path === null) commandless.push({ device: keys[i]!.device, actor: r[actorAt], account: keys[i]!.account, at: record.time, id: record.id });
    }
    // Oldest first, as populationRow takes them.
    for (const list of lists) list.sort((a, b) => a.time - b.time || a.id - b.id);
    await this.readRenames(arrays, keys, lists, to, skewMs);
    for (const [device, name, id, time] of await arrays(`SELECT k.device, k.name, e.id, e.time FROM ${PAIRS} CROSS JOIN LATERAL (SELECT e.id, e.time FROM events e WHERE ${loginsOfAccount('$4::bigint')} LIMIT 1) e`, [...pairs, skewMs])) {
      this.logins.set(accountKey(device as string, name as string), { id: id as number, time: time as number });
    }
    for (const u of unaddressed) this.addresses.set(u.id, null);
    if (unaddressed.length > 0) {
      const found = await arrays(
        `SELECT m.id, e.actor_address FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) AS m(device, actor, at, id) CROSS JOIN LATERAL (
           SELECT e.actor_address FROM events e WHERE ${SIGN_IN_BEFORE} LIMIT 1) e`,
        [unaddressed.map((u) => u.device), unaddressed.map((u) => u.actor), unaddressed.map((u) => u.at), unaddressed.map((u) => u.id)],
      );
      for (const [id, address] of found) this.addresses.set(id as number, address as string);
    }
    for (const u of commandless) this.commands.set(u.id, []);
    if (commandless.length > 0) {
      // Each record's commands, led by its place in `commandless`.
      const found = await arrays(
        `SELECT m.i, ${ROW_COMMAND.map((col) => `e.${col}`).join(', ')}, e.body FROM ${NAMING_KEYS} CROSS JOIN LATERAL (
           SELECT * FROM events e WHERE ${NAMING_SQL}) e`,
        namingArgs(commandless.map((u) => ({ device: u.device, actor: u.actor, account: u.account, time: u.at }))),
      );
      for (const r of found) {
        const body = r[1 + ROW_COMMAND.length];
        const exact = typeof body === 'string' ? (JSON.parse(body) as unknown[]) : undefined;
        const v = ROW_COMMAND.map((_, i) => (exact && COMMAND_FROM_BODY[i]! >= 0 ? (exact[COMMAND_FROM_BODY[i]!] ?? null) : r[1 + i]));
        this.commands.get(commandless[Number(r[0]) - 1]!.id)!.push({ id: v[0] as number, time: v[1] as number, actor: v[2] as string | null, path: v[3] as string | null, actor_address: v[4] as string | null, command: v[5] as string | null });
      }
    }
  }

  /**
   * Each making and deletion's other half of a rename, and the records of every old name a making
   * renamed and what a pull said it held at the rename, followed back RENAMES_FOLLOWED renames:
   * what populationRow's syslogHolding reads of an old name (renames.ts renameLives over
   * population.ts RowCache.renamePartner, accountRecords, pulledAt), read here as a page's own
   * records are.
   */
  private async readRenames(arrays: (sql: string, args: unknown[]) => Promise<unknown[][]>, keys: readonly AccountKey[], lists: readonly RecordLite[][], to: number, skewMs: number): Promise<void> {
    let asked = keys.map((k, i) => ({ device: k.device, records: lists[i]! }));
    for (let depth = 0; asked.length > 0; depth++) {
      const devices = new Map<number, string>();
      for (const { device, records } of asked) {
        for (const r of records) {
          if (r.action !== 'account.create' && r.action !== 'account.delete') continue;
          devices.set(r.id, device);
          this.partners.set(r.id, undefined);
        }
      }
      if (devices.size === 0) return;
      const olds: AccountKey[] = [];
      const states: Array<{ device: string; name: string; at: number }> = [];
      for (const [id, pid, time, target, body] of await arrays(RENAME_PARTNERS_SQL, [[...devices.keys()]])) {
        const exact = typeof body === 'string' ? ((JSON.parse(body) as unknown[])[TARGET_IN_BODY] as string) : (target as string);
        this.partners.set(Number(id), { id: Number(pid), time: Number(time), target: exact });
        const device = devices.get(Number(id))!;
        if (depth >= RENAMES_FOLLOWED) continue;
        // A making's partner is the old name's deletion: its records and its pulled state then are what the new name starts from.
        states.push({ device, name: exact, at: Number(time) });
        if (!this.records.has(accountKey(device, exact)) && !olds.some((k) => k.device === device && k.account === exact)) olds.push({ device, account: exact });
      }
      for (const st of states) this.pulled.set(pulledKey(st.device, st.name, st.at), undefined);
      if (states.length > 0) {
        const found = await arrays(
          `SELECT m.i, c.at, c.after FROM unnest($1::text[], $2::text[], $3::bigint[]) WITH ORDINALITY AS m(device, name, at, i) CROSS JOIN LATERAL (
             ${PULLED_STATE_SQL.replace('device = ? AND name = ? AND at <= ?', 'device = m.device AND name = m.name AND at <= m.at')}) c`,
          [states.map((st) => st.device), states.map((st) => st.name), states.map((st) => st.at)],
        );
        for (const [i, at, after] of found) {
          const st = states[Number(i) - 1]!;
          this.pulled.set(pulledKey(st.device, st.name, st.at), pulledStateFromRow({ at: at as number, after: after as string | null }));
        }
      }
      if (olds.length === 0) return;
      const read = olds.map((k) => {
        const list: RecordLite[] = [];
        this.records.set(accountKey(k.device, k.account), list);
        return list;
      });
      const rows = await arrays(
        ACCOUNT_RECORDS_SQL,
        [olds.map((k) => k.device), olds.map((k) => k.account), to, skewMs],
      );
      for (const r of rows) read[Number(r[0]) - 1]!.push(recordOf(r));
      for (const list of read) list.sort((a, b) => a.time - b.time || a.id - b.id);
      asked = olds.map((k, i) => ({ device: k.device, records: read[i]! }));
    }
  }

  override renamePartner(_db: Db, _device: string, r: RecordLite): RenamePartner | undefined {
    if (r.action !== 'account.create' && r.action !== 'account.delete') return undefined;
    return known(this.partners, r.id);
  }

  override pulledAt(_db: Db, device: string, name: string, at: number): PulledState | undefined {
    return known(this.pulled, pulledKey(device, name, at));
  }

  override accountRecords(_db: Db, device: string, account: string): RecordLite[] {
    return known(this.records, accountKey(device, account));
  }

  override lastLogin(_db: Db, device: string, account: string): LoginLite | undefined {
    return known(this.logins, accountKey(device, account));
  }

  override creatorAddress(_db: Db, _device: string, make: RecordLite): string | null {
    return known(this.addresses, make.id);
  }

  override commandsNaming(_db: Db, _device: string, make: RecordLite): CommandLite[] {
    return known(this.commands, make.id);
  }
}

/** A record as a row reads it from a row of the records' lateral query (the account's place, ROW_RECORD, body, receipt), its exact values from the body where it has one. */
function recordOf(r: unknown[]): RecordLite {
  const body = r[1 + ROW_RECORD.length];
  const received = r[2 + ROW_RECORD.length];
  const exact = typeof body === 'string' ? (JSON.parse(body) as unknown[]) : undefined;
  const v = ROW_RECORD.map((_, i) => (exact && FROM_BODY[i]! >= 0 ? (exact[FROM_BODY[i]!] ?? null) : r[1 + i]));
  return {
    id: v[0] as number, action: v[1] as string, time: v[2] as number, platform: v[3] as string, actor: v[4] as string | null,
    actor_address: v[5] as string | null, path: v[6] as string | null, privilege: v[7] as string | null, role: v[8] as string | null, grp: v[9] as string | null,
    received_at: received === null || received === undefined ? (v[2] as number) : Number(received),
  };
}

const pulledKey = (device: string, name: string, at: number): string => `${accountKey(device, name)}\u0000${at}`;

function known<K, V>(m: ReadonlyMap<K, V>, key: K): V {
  if (!m.has(key)) throw new Error('a row of the accounts page asked of records its page did not read');
  return m.get(key)!;
}

/**
 * Copy what `keys`' rows read into a new in-memory store, their records aside (`PageRecords`);
 * `to`: the period's end. `timeline`: also what a case's timeline reads, records and all. The
 * caller closes the store.
 */
export async function copyForAccounts(c: pg.ClientBase, keys: readonly AccountKey[], to: number, o: { timeline?: boolean; skewMs?: number } = {}): Promise<Db> {
  const db = emptyStore();
  try {
    if (keys.length === 0) return db;
    const rows = async (sql: string, args: unknown[]): Promise<Row[]> => (await c.query<Row>(sql, args)).rows;
    const devices = keys.map((k) => k.device);
    const names = keys.map((k) => k.account);
    const put = (table: string, found: Row[]): void => {
      if (found.length === 0) return;
      insertAll(db, table, columnsOf(db, table).filter((col) => col in found[0]!), found);
    };

    // The name as the (device, name prefix) index answers it: joined on the whole name alone,
    // PostgreSQL read every pulled account per chunk (40,000 at bench:scale-web's store, 13–25 ms → 0.2).
    const accounts = await rows(`SELECT a.* FROM ${PAIRS} JOIN accounts a ON a.device = k.device AND ${keyEquals('a.name', 'k.name')}`, [devices, names]);
    put('accounts', accounts);
    const accountIds = accounts.map((a) => a.id);
    put('change_attribution', await rows('SELECT * FROM change_attribution WHERE account_id = ANY($1::bigint[])', [accountIds]));

    if (o.timeline) {
      const records = await rows(CASE_RECORDS_SQL, [devices, names, to, o.skewMs ?? DEFAULT_SKEW_MS]);
      const creates = records.filter((r) => r.action === 'account.create' && r.actor !== null && r.actor_address === null);
      const sessions = await rows(CASE_SESSIONS_SQL, [devices, names, to, creates.map((r) => r.device), creates.map((r) => r.actor), creates.map((r) => r.time), o.skewMs ?? DEFAULT_SKEW_MS]);
      const told = untold(records);
      const commands = told.length ? await rows(`SELECT e.* FROM ${NAMING_KEYS} CROSS JOIN LATERAL (SELECT ${RECORD_SELECT} FROM events e WHERE ${NAMING_SQL}) e`, namingArgs(told.map(madeOf))) : [];
      const seen = new Set<unknown>();
      put('events', [...records, ...sessions, ...commands].filter((r) => !seen.has(r.id) && seen.add(r.id)).map(sqliteRecord));
    }

    const findings = await rows(`SELECT f.* FROM ${PAIRS} JOIN findings f ON ${keyEquals('f.device', 'k.device')} AND ${keyEquals('f.account', 'k.name')}`, [devices, names]);
    put('findings', findings);
    put('finding_history', await rows('SELECT * FROM finding_history WHERE finding_id = ANY($1::bigint[])', [findings.map((f) => f.id)]));

    const onDevices = [...new Set(devices)];
    put(
      'snapshots',
      (await rows('SELECT DISTINCT ON (device) id, device, platform, taken_at, hash, bytes FROM snapshots WHERE device = ANY($1::text[]) ORDER BY device, id DESC', [onDevices]))
        .map((s) => ({ ...s, config: '' })),
    );
    // What a syslog-only row asks of the pulls (population.ts PULL_AFTER_SQL): each device's pull
    // state, and per account the first successful runs started after its latest account record's
    // stamp and after its receipt, each plus the skew: the row places the record by one of them
    // (judge.ts judgedAfter) and finds, among these, the run that reconciliation judged it by.
    put('pull_state', await rows('SELECT * FROM pull_state WHERE device = ANY($1::text[])', [onDevices]));
    // And the run that first showed each pulled row (finished at its first_seen): a creation made
    // after it read the configuration is not the row's making (population.ts, store.ts PULL_READ_SQL).
    const firstPulls = await rows(
      `SELECT DISTINCT p.id, p.device, p.started_at, p.finished_at, p.attempts, p.outcome, p.snapshot_id, p.read_at FROM unnest($1::text[], $2::bigint[]) AS a(device, at)
         JOIN pull_runs p ON p.device = a.device AND p.finished_at = a.at AND p.outcome <> 'failed'`,
      [accounts.map((a) => a.device), accounts.map((a) => a.first_seen)],
    );
    const runs = new Set<unknown>();
    put(
      'pull_runs',
      [...firstPulls, ...await rows(
        `SELECT DISTINCT p.id, p.device, p.started_at, p.finished_at, p.attempts, p.outcome, p.snapshot_id, p.read_at FROM ${PAIRS}
           CROSS JOIN LATERAL (SELECT e.time, ${RECEIPT_SQL('e.')} FROM events e WHERE ${ON_ACCOUNT} AND e.kind = 'account' AND e.${ACCOUNT_ACTIONS} AND ${MADE_BY_END}
                                ORDER BY e.time DESC, e.id DESC LIMIT 1) l
           CROSS JOIN LATERAL (VALUES (l.time), (l.received_at)) AS placed(at)
           CROSS JOIN LATERAL (SELECT * FROM pull_runs p WHERE p.device = k.device AND p.outcome <> 'failed' AND p.started_at > placed.at + $4 AND p.finished_at <= $3
                                ORDER BY p.started_at, p.id LIMIT 1) p`,
        [devices, names, to, o.skewMs ?? DEFAULT_SKEW_MS],
      )].filter((r) => !runs.has(r.id) && runs.add(r.id)),
    );
    put(
      'device_activity',
      await rows(
        `SELECT device, (array_agg(source ORDER BY last_seen DESC))[1] AS source, min(first_seen) AS first_seen, max(last_seen) AS last_seen
           FROM device_activity WHERE device = ANY($1::text[]) GROUP BY device`,
        [onDevices],
      ),
    );
    if (o.timeline) {
      put(
        'account_changes',
        await rows(
          `SELECT c.* FROM ${PAIRS} CROSS JOIN LATERAL (
             SELECT * FROM account_changes c WHERE c.device = k.device AND c.name = k.name ORDER BY c.at DESC, c.id DESC LIMIT ${TIMELINE_PER_SOURCE}) c`,
          [devices, names],
        ),
      );
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
