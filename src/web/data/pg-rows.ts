// The rows the accounts page and a case read, for a set of accounts, copied from PostgreSQL into
// an in-memory SQLite database with the SQLite schema, so that the population's and the cases'
// rules (src/reconcile/population.ts `populationRow`, cases.ts, timeline.ts) run over it as they run
// over the SQLite store: one implementation of audit rules, not a second one in async SQL (the same
// choice as the review's, pg-review.ts). Unlike the review's copy this one is bounded by the keys
// asked for: a page's candidates (tens to a thousand accounts), or one case.
//
// What is copied per account (device, name) is exactly what those functions read, and no less:
// its pulled rows and their attributions, its latest account records up to the period's end (as
// many as populationRow reads), its last login and the sign-in each creating record may be
// attributed to, its findings with their history, and per device its latest snapshot (for the
// platform) and first syslog heard. A case's timeline adds its latest records, sessions and pulled
// changes (as many as the timeline shows). Every read runs in the caller's transaction.

import Database from 'better-sqlite3';
import type pg from 'pg';
import type { AccountKey } from '../../reconcile/population.js';
import { ACCOUNT_ACTIONS, RECORDS_READ } from '../../reconcile/population.js';
import { openDatabase, type Db } from '../../store/db.js';
import { RECORD_COLUMNS } from '../../store/pg/schema.js';
import { keyEquals } from '../../store/pg/text-keys.js';
import { EVENT_COPY, insertAll, sqliteRecord, type Row } from './pg-review.js';

/** How far back from a creating record its actor's sign-in is looked for (population.ts `sessionAddress`). */
const SESSION_WINDOW_MS = 12 * 3_600_000;
/** Entries per source a timeline shows (timeline.ts). */
const TIMELINE_PER_SOURCE = 100;

/**
 * The record indexes a page's rules use (population.ts names them, INDEXED BY); a page's copy drops
 * the others before its rows go in: a filtered page copies up to 200 records for each of tens of
 * accounts, and each index more cost every insert (in-memory inserts were about a third of a
 * `source=syslog` page's CPU at 10M records). A case's timeline reads by more, so its copy keeps them all.
 * Logins are read from events_by_login and its tail (src/store/index-moves.ts): a copy moves none,
 * so its logins are all in the tail, read once a page.
 */
const PAGE_RECORD_INDEXES = new Set(['events_device_target']);

const emptyImages = new Map<'page' | 'case', Buffer>();

/** A new in-memory database with the SQLite schema (lean for a page): migrated once per process, then copied from its image. */
function emptyStore(kind: 'page' | 'case'): Db {
  let image = emptyImages.get(kind);
  if (!image) {
    const db = openDatabase(':memory:');
    if (kind === 'page') {
      const unused = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL").pluck().all() as string[])
        .filter((name) => !PAGE_RECORD_INDEXES.has(name));
      for (const name of unused) db.exec(`DROP INDEX "${name}"`);
    }
    image = db.serialize();
    emptyImages.set(kind, image);
    db.close();
  }
  const db = new Database(image);
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
 * What the population's rules read of a record (population.ts `RecordLite`, a login's time, a
 * sign-in's address) and what it is found by, for a page's copy: a grown store holds hundreds of
 * account records per account, and their raw messages and hashes are not read. The body: the exact
 * values of a record whose text held a NUL (sqliteRecord). A case's timeline copies whole records.
 */
const PAGE_RECORD = ['id', 'kind', 'action', 'time', 'device', 'platform', 'actor', 'actor_address', 'target', 'privilege', 'role', 'grp', 'path'] as const;
const ROW_SELECT = [...PAGE_RECORD, 'body'].map((c) => `e.${c}`).join(', ');

/** Each account's latest records up to `$3` (as many as populationRow reads); a timeline's also its latest whatever their time. */
const recordsSql = (select: string, timeline: boolean): string => `SELECT e.* FROM ${PAIRS} CROSS JOIN LATERAL (
     SELECT ${select} FROM events e WHERE ${ON_ACCOUNT} AND e.kind = 'account' AND e.${ACCOUNT_ACTIONS} AND e.time <= $3
      ORDER BY e.time DESC, e.id DESC LIMIT ${RECORDS_READ}) e
   ${timeline ? `UNION SELECT e.* FROM ${PAIRS} CROSS JOIN LATERAL (
     SELECT ${RECORD_SELECT} FROM events e WHERE ${ON_ACCOUNT} AND e.kind = 'account'
      ORDER BY e.time DESC, e.id DESC LIMIT ${TIMELINE_PER_SOURCE}) e` : ''}`;

/**
 * The sign-ins read: each account's last up to `$3`, and for a creating record that names no
 * address (`$4`–`$6`: its device, actor, time), its actor's latest sign-in with one in the window
 * before it; a timeline's also each account's latest sessions.
 */
const sessionsSql = (select: string, timeline: boolean): string => `SELECT e.* FROM ${PAIRS} CROSS JOIN LATERAL (
     SELECT ${select} FROM events e WHERE e.kind = 'session' AND e.action IN ('login', 'session.start') AND ${ON_ACTOR('k.name')} AND e.time <= $3
      ORDER BY e.time DESC LIMIT 1) e
   UNION SELECT e.* FROM unnest($4::text[], $5::text[], $6::bigint[]) AS m(device, actor, at) CROSS JOIN LATERAL (
     SELECT ${select} FROM events e WHERE e.kind = 'session' AND e.action IN ('login', 'session.start') AND ${keyEquals('e.device', 'm.device')} AND ${keyEquals('e.actor', 'm.actor')}
        AND e.time <= m.at AND e.time >= m.at - ${SESSION_WINDOW_MS} AND e.actor_address IS NOT NULL
      ORDER BY e.time DESC LIMIT 1) e
   ${timeline ? `UNION SELECT e.* FROM ${PAIRS} CROSS JOIN LATERAL (
     SELECT ${RECORD_SELECT} FROM events e WHERE ${ON_ACTOR('k.name')} AND e.kind = 'session'
      ORDER BY e.time DESC, e.id DESC LIMIT ${TIMELINE_PER_SOURCE}) e` : ''}`;

/**
 * A page's records (PAGE_RECORD's columns, then the body) into the copy: the hashes and arrival
 * SQLite's schema wants stand in empty (the rules never read them); a record whose text held a NUL
 * takes its exact values from its chain body (pg-review.ts `sqliteRecord`); a record read twice
 * (a sign-in both last and near a creation) once.
 */
function putPageRecords(db: Db, rows: unknown[][]): void {
  if (rows.length === 0) return;
  const insert = db.prepare(
    `INSERT OR IGNORE INTO events (${PAGE_RECORD.join(', ')}, received_at, transport, prev_hash, hash) VALUES (${PAGE_RECORD.map(() => '?').join(', ')}, 0, '', x'', x'')`,
  );
  const fromBody = PAGE_RECORD.map((c) => (RECORD_COLUMNS as readonly string[]).indexOf(c));
  db.transaction(() => {
    for (const r of rows) {
      const body = r[PAGE_RECORD.length];
      r.length = PAGE_RECORD.length;
      if (typeof body === 'string') {
        const exact = JSON.parse(body) as unknown[];
        fromBody.forEach((i, col) => {
          if (i >= 0) r[col] = exact[i] ?? null;
        });
      }
      insert.run(r);
    }
  })();
}

/**
 * Copy what `keys`' rows read into a new in-memory store; `to`: the period's end. `timeline`:
 * also what a case's timeline reads. The caller closes the store.
 */
export async function copyForAccounts(c: pg.ClientBase, keys: readonly AccountKey[], to: number, o: { timeline?: boolean } = {}): Promise<Db> {
  const db = emptyStore(o.timeline ? 'case' : 'page');
  try {
    if (keys.length === 0) return db;
    const rows = async (sql: string, args: unknown[]): Promise<Row[]> => (await c.query<Row>(sql, args)).rows;
    const devices = keys.map((k) => k.device);
    const names = keys.map((k) => k.account);
    const put = (table: string, found: Row[]): void => {
      if (found.length === 0) return;
      insertAll(db, table, columnsOf(db, table).filter((col) => col in found[0]!), found);
    };

    const accounts = await rows(`SELECT a.* FROM ${PAIRS} JOIN accounts a ON a.device = k.device AND a.name = k.name`, [devices, names]);
    put('accounts', accounts);
    const accountIds = accounts.map((a) => a.id);
    put('change_attribution', await rows('SELECT * FROM change_attribution WHERE account_id = ANY($1::bigint[])', [accountIds]));

    if (o.timeline) {
      const records = await rows(recordsSql(RECORD_SELECT, true), [devices, names, to]);
      const creates = records.filter((r) => r.action === 'account.create' && r.actor !== null && r.actor_address === null);
      const sessions = await rows(sessionsSql(RECORD_SELECT, true), [devices, names, to, creates.map((r) => r.device), creates.map((r) => r.actor), creates.map((r) => r.time)]);
      const seen = new Set<unknown>();
      put('events', [...records, ...sessions].filter((r) => !seen.has(r.id) && seen.add(r.id)).map(sqliteRecord));
    } else {
      // A page copies up to 200 records for each of tens of accounts: read as arrays in the insert's
      // column order and inserted as they come (objects spread per row cost a filtered page more
      // CPU than SQLite's inserts did).
      const arrays = async (sql: string, args: unknown[]): Promise<unknown[][]> => (await c.query<unknown[]>({ text: sql, values: args, rowMode: 'array' })).rows;
      const records = await arrays(recordsSql(ROW_SELECT, false), [devices, names, to]);
      const at = (name: (typeof PAGE_RECORD)[number]): number => PAGE_RECORD.indexOf(name);
      const creates = records.filter((r) => r[at('action')] === 'account.create' && r[at('actor')] !== null && r[at('actor_address')] === null);
      const sessions = await arrays(sessionsSql(ROW_SELECT, false), [
        devices, names, to, creates.map((r) => r[at('device')]), creates.map((r) => r[at('actor')]), creates.map((r) => r[at('time')]),
      ]);
      putPageRecords(db, [...records, ...sessions]);
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
