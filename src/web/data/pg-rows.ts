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
 */
const PAGE_RECORD_INDEXES = new Set(['events_device_target', 'events_logins']);

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

const columnsOf = (db: Db, table: string): string[] => db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[];
const RECORD_SELECT = [...EVENT_COPY.map((c) => `e.${c}`), 'e.body'].join(', ');
/**
 * What the population's rules read of a record (population.ts `RecordLite`, a login's time, a
 * sign-in's address) and what it is found by, for a page's copy: a grown store holds hundreds of
 * account records per account, and their raw messages and hashes are not read. The body: the exact
 * values of a record whose text held a NUL (sqliteRecord). A case's timeline copies whole records.
 */
const ROW_SELECT = ['id', 'kind', 'action', 'time', 'device', 'platform', 'actor', 'actor_address', 'target', 'privilege', 'role', 'grp', 'path', 'body']
  .map((c) => `e.${c}`).join(', ');
/** The hashes a record copied for a page's rules stands in with: SQLite's schema wants them, the rules never read them. */
const NO_HASH = Buffer.alloc(0);

/**
 * Copy what `keys`' rows read into a new in-memory store; `to`: the period's end. `timeline`:
 * also what a case's timeline reads. The caller closes the store.
 */
export async function copyForAccounts(c: pg.ClientBase, keys: readonly AccountKey[], to: number, o: { timeline?: boolean } = {}): Promise<Db> {
  const db = emptyStore(o.timeline ? 'case' : 'page');
  try {
    if (keys.length === 0) return db;
    const rows = async (sql: string, args: unknown[]): Promise<Row[]> => (await c.query<Row>(sql, args)).rows;
    const select = o.timeline ? RECORD_SELECT : ROW_SELECT;
    const devices = keys.map((k) => k.device);
    const names = keys.map((k) => k.account);
    const pairs = 'unnest($1::text[], $2::text[]) AS k(device, name)';
    const put = (table: string, found: Row[]): void => {
      if (found.length === 0) return;
      insertAll(db, table, columnsOf(db, table).filter((col) => col in found[0]!), found);
    };

    const accounts = await rows(`SELECT a.* FROM ${pairs} JOIN accounts a ON a.device = k.device AND a.name = k.name`, [devices, names]);
    put('accounts', accounts);
    const accountIds = accounts.map((a) => a.id);
    put('change_attribution', await rows('SELECT * FROM change_attribution WHERE account_id = ANY($1::bigint[])', [accountIds]));

    const records = await rows(
      `SELECT e.* FROM ${pairs} CROSS JOIN LATERAL (
         SELECT ${select} FROM events e WHERE e.device = k.device AND e.target = k.name AND e.kind = 'account' AND e.${ACCOUNT_ACTIONS} AND e.time <= $3
          ORDER BY e.time DESC, e.id DESC LIMIT ${RECORDS_READ}) e
       ${o.timeline ? `UNION SELECT e.* FROM ${pairs} CROSS JOIN LATERAL (
         SELECT ${RECORD_SELECT} FROM events e WHERE e.device = k.device AND e.target = k.name AND e.kind = 'account'
          ORDER BY e.time DESC, e.id DESC LIMIT ${TIMELINE_PER_SOURCE}) e` : ''}`,
      [devices, names, to],
    );
    // The sign-ins read: each account's last up to `to`, and for a creating record that names no
    // address, its actor's latest sign-in with one in the window before it.
    const creates = records.filter((r) => r.action === 'account.create' && r.actor !== null && r.actor_address === null);
    const sessions = await rows(
      `SELECT e.* FROM ${pairs} CROSS JOIN LATERAL (
         SELECT ${select} FROM events e WHERE e.kind = 'session' AND e.action IN ('login', 'session.start') AND e.device = k.device AND e.actor = k.name AND e.time <= $3
          ORDER BY e.time DESC LIMIT 1) e
       UNION SELECT e.* FROM unnest($4::text[], $5::text[], $6::bigint[]) AS m(device, actor, at) CROSS JOIN LATERAL (
         SELECT ${select} FROM events e WHERE e.kind = 'session' AND e.action IN ('login', 'session.start') AND e.device = m.device AND e.actor = m.actor
            AND e.time <= m.at AND e.time >= m.at - ${SESSION_WINDOW_MS} AND e.actor_address IS NOT NULL
          ORDER BY e.time DESC LIMIT 1) e
       ${o.timeline ? `UNION SELECT e.* FROM ${pairs} CROSS JOIN LATERAL (
         SELECT ${RECORD_SELECT} FROM events e WHERE e.actor = k.name AND e.device = k.device AND e.kind = 'session'
          ORDER BY e.time DESC, e.id DESC LIMIT ${TIMELINE_PER_SOURCE}) e` : ''}`,
      [devices, names, to, creates.map((r) => r.device), creates.map((r) => r.actor), creates.map((r) => r.time)],
    );
    const seen = new Set<unknown>();
    const whole = (r: Row): Row => (o.timeline ? r : { ...r, prev_hash: NO_HASH, hash: NO_HASH });
    put('events', [...records, ...sessions].filter((r) => !seen.has(r.id) && seen.add(r.id)).map((r) => sqliteRecord(whole(r))));

    const findings = await rows(`SELECT f.* FROM ${pairs} JOIN findings f ON f.device = k.device AND f.account = k.name`, [devices, names]);
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
          `SELECT c.* FROM ${pairs} CROSS JOIN LATERAL (
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
