// The web's data access on PostgreSQL (several collectors, one store): the same statements as
// SQLite where SQL allows (findings' and records' pages are built by the same functions, with `?`
// turned into `$n`), separate where it does not (arrays instead of json_each, a row lock instead of
// SQLite's write lock, counts summed over collectors). Records carry the collector that received them.

import pg from 'pg';
import type { Config } from '../../config/schema.js';
import { caseDecisionApplies, noOpenCase, type CaseOutcome } from '../../reconcile/cases.js';
import { ALLOWED, checkRequest, TransitionError, type Decision, type TransitionRequest } from '../../reconcile/lifecycle.js';
import { findingNow, type FindingRow as StoredFindingRow, type FindingStatus, type Severity } from '../../reconcile/findings.js';
import { reopenEndedPg } from '../../store/pg/findings.js';
import type { Roster } from '../../reconcile/roster.js';
import { pathColumns } from '../../reconcile/decision-path.js';
import { storedActivityDetail, storedDecisionText } from '../../reconcile/reviewer-text.js';
import type { ExportDocument, ExportOptions } from '../../report/document.js';
import type { CounterRow } from '../../store/queries.js';
import { createTables } from '../../store/pg/migrate.js';
import { WEB_TABLES } from '../../store/schema/web.js';
import { keyEquals, prefixEquals } from '../../store/pg/text-keys.js';
import { inTransaction as inPgTransaction } from '../../store/pg/transaction.js';
import { toPage, type Direction, type Page } from '../paging.js';
import type { PgChainedLog } from '../../store/pg/purge.js';
import { activityBody, activityHash, checkActivity, GENESIS, rechainedActivity, rewrittenActivity, type ActivityStart, randomToken, type ActivityChainReport, type ActivityRow, sha256, TOKEN_DAYS, type AuditEntry, type ExpiredToken, type Role, type Session, type WebUser, type WebUserRow } from '../store.js';
import type { ActivityInput, ExportWriter, SessionLimits, UserListRow, WebAccess } from './access.js';
import { DEVICE_NAMES_SQL, NATIVE_DEVICES_SHOWN, type InventoryDevice, type NativeSenderSummary, type UnverifiedSender } from './devices.js';
import { allDeviceHealthPg, deviceListPg, deviceViewPg, snapshotPairPg } from './pg-devices.js';
import { EVENT_COLUMNS, eventsPage, eventsWhere, TEXT_COLUMNS, textMatches, textSearchPage, TEXT_SCAN_BUDGET, type EventQuery, type EventRow, type EventWithRaw } from './events.js';
import { edgeId, findingRowNow, findingsEdgeSql, findingsPage, findingsPageSql, HISTORY_COLUMNS, LIST_COLUMNS, OPEN_FINDING_COUNTS, type FindingQuery, type FindingRow, type HistoryRow } from './findings.js';
import type { HourCount } from './overview.js';
import { readCase } from './cases.js';
import { listCasesPg } from './pg-cases.js';
import { ordersByteWise, populationPagePg } from './pg-population.js';
import { pgReview } from './pg-review.js';
import { skewOf } from '../../reconcile/population.js';
import { copyForAccounts, PageRecords } from './pg-rows.js';
import { pgLimitSteps } from './limits.js';

/** bigint columns (ids, epoch ms, counts) as numbers: every value aaawatch stores in one is below 2^53. */
export const PG_NUMBERS: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format ?? 'text'))) as pg.CustomTypesConfig['getTypeParser'],
};

/** `?` placeholders (the SQLite statements') as PostgreSQL's `$1, $2, …`; none of them sits inside a string. */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** An arbitrary constant naming the activity log's chain lock among the database's advisory locks. */
const ACTIVITY_LOCK = 0x61617761;


/**
 * The audit trail's WHERE (events.ts `eventsWhere`, SQLite's), with each name it looks up stated
 * as the prefix indexes answer it (text-keys.ts): the prefix's condition is added, the whole
 * name's kept. A search by account states what the store makes true, that only account records
 * carry one (src/store/batch.ts): the planner then reads the account records' (device, target,
 * time, id) index, and a search for another kind of record by account is answered from the
 * statement alone, where it read and rejected each of the account's records (5,000 rows, 215
 * buffers, 1.4 ms → none; test-sized store, EXPLAIN ANALYZE in BENCHMARKS.md).
 */
function keyedEventsWhere(query: EventQuery, dir: Direction): ReturnType<typeof eventsWhere> {
  const plain = eventsWhere(query, dir);
  const named = (['device', 'actor', 'target'] as const).filter((c) => query[c] !== undefined && query[c] !== '');
  if (named.length === 0) return plain;
  const accounts = named.includes('target') ? [`kind = 'account'`] : [];
  return {
    ...plain,
    whereSql: `${plain.whereSql} AND ${[...named.map((c) => prefixEquals(c, '?::text')), ...accounts].join(' AND ')}`,
    args: [...plain.args, ...named.map((c) => query[c]!)],
  };
}

/**
 * Make the web's tables (src/store/schema/web.ts) where they are missing. When web_audit_start is
 * made, the activity log's entries older than its chain (copied from a SQLite store before that
 * store recorded them) are recorded in it: after that, an entry without a hash outside them is a
 * break. Nodes starting together record the same entries; the first insert stands.
 */
export async function createWebTables(pool: pg.Pool): Promise<void> {
  const had = (await pool.query("SELECT 1 FROM pg_tables WHERE tablename = 'web_audit_start' AND schemaname = current_schema()")).rowCount !== 0;
  await createTables(pool, WEB_TABLES);
  if (had) return;
  await pool.query(
    `INSERT INTO web_audit_start (one, last_id, entries)
       SELECT 1, max(id), count(*) FROM web_audit
        WHERE hash IS NULL AND id < coalesce((SELECT min(id) FROM web_audit WHERE hash IS NOT NULL), 9223372036854775807)
       HAVING count(*) > 0
     ON CONFLICT (one) DO NOTHING`,
  );
}

/**
 * The activity log's chain on PostgreSQL (one for every node), as `aaawatch verify` checks it on
 * SQLite; undefined when no web has run on this database yet.
 */
/** Whether the web's activity log is in this database (a store only ingest wrote has none). */
const hasActivityLog = async (c: pg.ClientBase): Promise<boolean> => (await c.query("SELECT to_regclass('web_audit') IS NOT NULL AS there")).rows[0]!.there === true;

const activityText = async (c: pg.ClientBase): Promise<AuditEntry[]> => (await c.query<AuditEntry>('SELECT id, "user", address, detail FROM web_audit ORDER BY id')).rows;

/**
 * The activity log as `aaawatch purge-secret` on PostgreSQL sees it (src/store/pg/purge.ts
 * PgChainedLog), as SQLite's `activityLog`: the entries a rewrite changes rewritten in the purge's
 * transaction and the chain recomputed from the first of them, its writers (logActivity's lock)
 * held meanwhile; the purge itself is logged after, on the new head.
 */
export const activityLogPg: PgChainedLog = {
  table: 'web_audit',
  lock: async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [ACTIVITY_LOCK]);
  },
  changed: async (c, rewrite) => ((await hasActivityLog(c)) ? [...rewrittenActivity(await activityText(c), rewrite).keys()] : []),
  async broken(c) {
    if (!(await hasActivityLog(c))) return undefined;
    const started = (await c.query("SELECT to_regclass('web_audit_start') IS NOT NULL AS there")).rows[0]!.there === true;
    const start = started ? (await c.query<ActivityStart>('SELECT last_id, entries FROM web_audit_start')).rows[0] : undefined;
    const r = checkActivity((await c.query<ActivityRow>('SELECT id, at, "user", address, action, detail, prev_hash, hash FROM web_audit ORDER BY id')).rows, start);
    return r.ok ? undefined : `is broken at entry ${r.broken!.id} (${r.broken!.reason})`;
  },
  async rewrite(c, rewrite) {
    if (!(await hasActivityLog(c))) return;
    const changes = rewrittenActivity(await activityText(c), rewrite);
    if (changes.size === 0) return;
    const from = Math.min(...changes.keys());
    const rows = (await c.query<ActivityRow>('SELECT id, at, "user", address, action, detail, prev_hash, hash FROM web_audit WHERE id >= $1 ORDER BY id', [from])).rows;
    const next = rechainedActivity(rows, changes);
    await c.query(
      `UPDATE web_audit w SET "user" = v.u, address = v.a, detail = v.d, prev_hash = v.p, hash = v.h
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bytea[], $6::bytea[]) AS v(id, u, a, d, p, h) WHERE w.id = v.id`,
      [next.map((e) => e.id), next.map((e) => e.user), next.map((e) => e.address), next.map((e) => e.detail), next.map((e) => e.prev_hash), next.map((e) => e.hash)],
    );
  },
};

export async function verifyActivityPg(pool: pg.Pool): Promise<ActivityChainReport | undefined> {
  const exists = await pool.query("SELECT 1 FROM pg_tables WHERE tablename = 'web_audit' AND schemaname = current_schema()");
  if (exists.rowCount === 0) return undefined;
  // An activity log is people's actions (thousands of entries, not millions): read whole.
  const started = await pool.query("SELECT 1 FROM pg_tables WHERE tablename = 'web_audit_start' AND schemaname = current_schema()");
  const start = started.rowCount === 0 ? undefined : (await pool.query<ActivityStart>('SELECT last_id, entries FROM web_audit_start')).rows[0];
  return checkActivity((await pool.query<ActivityRow>('SELECT id, at, "user", address, action, detail, prev_hash, hash FROM web_audit ORDER BY id')).rows, start);
}

interface LockedFinding {
  id: number;
  status: FindingStatus;
  severity: Severity;
  accepted_until: number | null;
}

/**
 * A locked finding as it stands at the decision: an acceptance that ran out is reopened first, as
 * reconciliation would have (its history says so), and the decision is taken on an open finding.
 */
async function reopenIfEnded(c: pg.PoolClient, f: LockedFinding, at: number): Promise<LockedFinding> {
  if (f.status !== 'accepted' || f.accepted_until === null || f.accepted_until > at) return f;
  await reopenEndedPg(c, { id: f.id, severity: f.severity, accepted_until: f.accepted_until }, at);
  return { ...f, status: 'open', accepted_until: null };
}

/** A decision on a finding whose row the transaction holds locked: its status, and the history row saying who, when and why. */
async function applyDecision(c: pg.PoolClient, f: LockedFinding, to: Decision, req: TransitionRequest, at: number): Promise<void> {
  const until = to === 'accepted' ? req.until! : null;
  await c.query('UPDATE findings SET status = $1, accepted_until = $2, updated_at = $3 WHERE id = $4', [to, until, at, f.id]);
  const p = pathColumns(req.path);
  // What the reviewer typed is stored with its secrets redacted (reviewer-text.ts), as on SQLite.
  const text = storedDecisionText(req);
  await c.query(
    'INSERT INTO finding_history (finding_id, at, by, from_status, to_status, reason, until, severity, ticket, path, path_user, path_token) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)',
    [f.id, at, req.by.trim(), f.status, to, text.reason, until, f.severity, text.ticket, p.path, p.path_user, p.path_token],
  );
}

/**
 * Data access over `pool` (made with PG_NUMBERS as its types); `close` ends the pool when `owned`.
 * `clock`: the time findings are read as of (an acceptance that ran out by then is open).
 */
export function pgAccess(pool: pg.Pool, owned = false, clock: () => number = Date.now): WebAccess {
  const q = async <R extends pg.QueryResultRow>(sql: string, args: unknown[] = []): Promise<R[]> => (await pool.query<R>(sql, args)).rows;
  const one = async <R extends pg.QueryResultRow>(sql: string, args: unknown[] = []): Promise<R | undefined> => (await q<R>(sql, args))[0];
  const inTransaction = <T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> => inPgTransaction(pool, work);
  // A note of when a token or session was last used: a failed write does not refuse the request.
  const bookkeeping = (sql: string, args: unknown[]): Promise<void> => pool.query(sql, args).then(() => undefined, () => undefined);

  const findUser = (name: string): Promise<WebUserRow | undefined> =>
    one<WebUserRow>('SELECT id, name, role, password, created_at, updated_at FROM web_users WHERE name = $1', [name]);

  const eventsWithRaw = async (ids: readonly number[]): Promise<EventWithRaw[]> => {
    if (ids.length === 0) return [];
    return q<EventWithRaw>(
      `SELECT e.id, e.kind, e.action, e.time, e.device, e.platform, e.actor, e.actor_address, e.target, e.privilege,
              e.role, e.grp, e.path, e.technique, e.command, e.session, e.raw, e.received_at, e.transport, e.source, e.time_text,
              e.truncated, (e.raw_bytes IS NOT NULL)::int AS escaped, e.collector
         FROM events e WHERE e.id = ANY($1::bigint[]) ORDER BY e.time, e.id`,
      [ids],
    );
  };
  /** A read of one moment of the shared store: a read-only snapshot on one connection. */
  const readSnapshot = <T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> => inPgTransaction(pool, work, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  /** Whether the database orders text byte-wise (asked once). */
  let byteOrder: Promise<boolean> | undefined;

  const getFinding = async (id: number): Promise<FindingRow | undefined> => {
    const r = await one<FindingRow>(`SELECT ${LIST_COLUMNS} FROM findings WHERE id = $1`, [id]);
    return r && findingRowNow(r, clock());
  };

  return {
    engine: 'postgres',

    findUser,
    userCount: async () => (await one<{ n: number }>('SELECT count(*) AS n FROM web_users'))!.n,
    listUsers: (at) =>
      q<UserListRow>(
        `SELECT u.id, u.name, u.role, u.created_at,
                (SELECT count(*) FROM web_tokens t WHERE t.user_id = u.id AND t.expires_at > $1) AS tokens,
                (SELECT min(expires_at) FROM web_tokens t WHERE t.user_id = u.id AND t.expires_at > $1) AS "tokensExpire",
                (SELECT count(*) FROM web_sessions s WHERE s.user_id = u.id) AS sessions
           FROM web_users u ORDER BY u.name`,
        [at],
      ),
    saveUser: (name, role: Role, passwordHash, at, replace) =>
      inTransaction(async (c) => {
        const existing = (await c.query<{ id: number }>('SELECT id FROM web_users WHERE name = $1 FOR UPDATE', [name])).rows[0];
        if (existing && !replace) throw new Error(`user ${name} exists (use --replace to set a new role and password)`);
        if (existing) {
          await c.query('UPDATE web_users SET role = $1, password = $2, updated_at = $3 WHERE id = $4', [role, passwordHash, at, existing.id]);
          // A new role or password ends the sessions and API tokens issued before it (src/web/store.ts saveUser).
          await c.query('DELETE FROM web_sessions WHERE user_id = $1', [existing.id]);
          await c.query('DELETE FROM web_tokens WHERE user_id = $1', [existing.id]);
          return 'updated' as const;
        }
        await c.query('INSERT INTO web_users (name, role, password, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)', [name, role, passwordHash, at]);
        return 'added' as const;
      }),
    removeUser: (name) =>
      inTransaction(async (c) => {
        const user = (await c.query<{ id: number }>('DELETE FROM web_users WHERE name = $1 RETURNING id', [name])).rows[0];
        if (!user) return false;
        // SQLite's ON DELETE CASCADE, said here: the tables carry no foreign keys.
        await c.query('DELETE FROM web_tokens WHERE user_id = $1', [user.id]);
        await c.query('DELETE FROM web_sessions WHERE user_id = $1', [user.id]);
        return true;
      }),
    createToken: async (userId, label, at, expiresAt = at + TOKEN_DAYS * 86_400_000) => {
      const token = `aaw_${randomToken()}`;
      await pool.query('INSERT INTO web_tokens (user_id, label, hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [userId, label, sha256(token), at, expiresAt]);
      return token;
    },
    revokeTokens: async (userId) => (await pool.query('DELETE FROM web_tokens WHERE user_id = $1', [userId])).rowCount ?? 0,
    userByToken: async (token, at): Promise<WebUser | undefined> => {
      const row = await one<WebUser & { token_id: number; token_label: string; expires_at: number | null }>(
        'SELECT u.id, u.name, u.role, t.id AS token_id, t.label AS token_label, t.expires_at FROM web_tokens t JOIN web_users u ON u.id = t.user_id WHERE t.hash = $1',
        [sha256(token)],
      );
      if (!row || row.expires_at === null || row.expires_at <= at) return undefined;
      await bookkeeping('UPDATE web_tokens SET last_used = $1 WHERE id = $2', [at, row.token_id]);
      return { id: row.id, name: row.name, role: row.role, token: { id: row.token_id, label: row.token_label } };
    },
    expiredToken: async (token, at): Promise<ExpiredToken | undefined> => {
      const row = await one<{ user: string; label: string; expiredAt: number | null }>(
        'SELECT u.name AS user, t.label, t.expires_at AS "expiredAt" FROM web_tokens t JOIN web_users u ON u.id = t.user_id WHERE t.hash = $1 AND (t.expires_at IS NULL OR t.expires_at <= $2)',
        [sha256(token), at],
      );
      return row ? { user: row.user, label: row.label, expiredAt: row.expiredAt === null ? null : Number(row.expiredAt) } : undefined;
    },
    createSession: async (userId, at) => {
      const id = randomToken();
      const csrf = randomToken();
      await pool.query('INSERT INTO web_sessions (hash, user_id, csrf, created_at, last_seen) VALUES ($1, $2, $3, $4, $4)', [sha256(id), userId, csrf, at]);
      return { id, csrf };
    },
    touchSession: async (id, at, limits: SessionLimits): Promise<Session | undefined> => {
      const hash = sha256(id);
      const row = await one<{ csrf: string; created_at: number; last_seen: number; id: number; name: string; role: Role }>(
        'SELECT s.csrf, s.created_at, s.last_seen, u.id, u.name, u.role FROM web_sessions s JOIN web_users u ON u.id = s.user_id WHERE s.hash = $1',
        [hash],
      );
      if (!row) return undefined;
      if (at - row.last_seen > limits.idleMs || at - row.created_at > limits.maxMs) {
        await pool.query('DELETE FROM web_sessions WHERE hash = $1', [hash]);
        return undefined;
      }
      // Written at most once a minute: a page load is several requests.
      if (at - row.last_seen > 60_000) await bookkeeping('UPDATE web_sessions SET last_seen = $1 WHERE hash = $2', [at, hash]);
      return { user: { id: row.id, name: row.name, role: row.role }, csrf: row.csrf, created_at: row.created_at, last_seen: row.last_seen };
    },
    endSession: async (id) => {
      await pool.query('DELETE FROM web_sessions WHERE hash = $1', [sha256(id)]);
    },
    pruneSessions: async (at, limits) =>
      (await pool.query('DELETE FROM web_sessions WHERE last_seen < $1 OR created_at < $2', [at - limits.idleMs, at - limits.maxMs])).rowCount ?? 0,
    limitStep: pgLimitSteps(pool),

    logActivity: (e: ActivityInput) =>
      inTransaction(async (c) => {
        const detail = JSON.stringify(storedActivityDetail(e.detail));
        // One chain for every node: the lock orders writers, the head is read under it.
        await c.query('SELECT pg_advisory_xact_lock($1)', [ACTIVITY_LOCK]);
        const prev = (await c.query<{ hash: Buffer }>('SELECT hash FROM web_audit WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1')).rows[0]?.hash ?? GENESIS;
        const hash = activityHash(prev, activityBody(e.at, e.user, e.address, e.action, detail));
        await c.query('INSERT INTO web_audit (at, "user", address, action, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7)', [e.at, e.user, e.address, e.action, detail, prev, hash]);
      }),
    activity: async (dir: Direction, limit): Promise<Page<AuditEntry>> => {
      const newer = 'after' in dir;
      const at = 'after' in dir ? dir.after.id : 'before' in dir ? dir.before.id : undefined;
      const rows = await q<AuditEntry>(
        `SELECT id, at, "user", address, action, detail, prev_hash, hash FROM web_audit ${at === undefined ? '' : newer ? 'WHERE id > $2' : 'WHERE id < $2'} ORDER BY id ${newer ? 'ASC' : 'DESC'} LIMIT $1`,
        at === undefined ? [limit + 1] : [limit + 1, at],
      );
      return toPage(rows, limit, dir, (r) => ({ time: r.id, id: r.id }));
    },

    listFindings: async (query: FindingQuery, dir, limit) => {
      const id = edgeId(dir);
      const at = clock();
      const edge = id === undefined ? undefined : (await pool.query({ text: numbered(findingsEdgeSql(query, at)), values: [id], rowMode: 'array' })).rows[0] as unknown[] | undefined;
      // A position naming no finding: refused by the route (findings.ts listFindings).
      if (id !== undefined && edge === undefined) return { rows: [], stale: true };
      const { sql, args } = findingsPageSql(query, dir, edge, limit, false, at);
      return findingsPage((await q<FindingRow>(numbered(sql), args)).map((r) => findingRowNow(r, at)), dir, limit);
    },
    getFinding,
    findingHistory: (id) =>
      q<HistoryRow>(`SELECT ${HISTORY_COLUMNS} FROM finding_history WHERE finding_id = $1 ORDER BY at, id`, [id]),
    openFindingCounts: () =>
      q<{ kind: string; severity: Severity; status: FindingStatus; n: number }>(OPEN_FINDING_COUNTS('$1::bigint'), [clock()]),
    decide: async (id: number, to: Decision, req: TransitionRequest) => {
      const at = req.at ?? Date.now();
      checkRequest(to, req, at);
      await inTransaction(async (c) => {
        // The row lock orders this decision against another node's and against reconciliation's update.
        const locked = (await c.query<LockedFinding>('SELECT id, status, severity, accepted_until FROM findings WHERE id = $1 FOR UPDATE', [id])).rows[0];
        if (!locked) throw new TransitionError(`no finding ${id}`);
        const current = await reopenIfEnded(c, locked, at);
        if (!ALLOWED[current.status].has(to)) {
          throw new TransitionError(
            current.status === 'resolved' ? `finding ${id} is resolved; a condition that returns is raised as a new finding` : `finding ${id} is ${current.status}; it cannot become ${to}`,
          );
        }
        await applyDecision(c, current, to, req, at);
      });
    },
    insertFinding: async (f: Omit<StoredFindingRow, 'id'>) =>
      (await one<{ id: number }>(
        `INSERT INTO findings (kind, severity, device, account, status, summary, technique, attribution, evidence, first_seen, last_seen, occurrences, accepted_until, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
        [f.kind, f.severity, f.device, f.account, f.status, f.summary, f.technique, f.attribution, f.evidence, f.first_seen, f.last_seen, f.occurrences, f.accepted_until, f.updated_at],
      ))!.id,

    searchEvents: async (query: EventQuery, dir: Direction, limit: number): Promise<Page<EventRow>> => {
      const { whereSql, args, order } = keyedEventsWhere(query, dir);
      const sql = numbered(`SELECT ${EVENT_COLUMNS}, collector FROM events ${whereSql} ORDER BY ${order} LIMIT ?`);
      if (!query.text) return eventsPage(await q<EventRow>(sql, [...args, limit + 1]), dir, limit);
      const needle = query.text.toLowerCase();
      // The same bounded scan as SQLite's, filtered in the server: a row whose text columns are
      // ASCII is matched there (lower() folds ASCII as JavaScript does); one holding other
      // characters, and the last row read, come back to be matched by textSearchPage as on SQLite.
      // A needle beyond ASCII reads every row scanned.
      const ascii = /^[\x00-\x7f]*$/.test(needle);
      const candidate = ascii
        ? TEXT_COLUMNS.map((c) => `(octet_length(${c}) <> char_length(${c}) OR strpos(lower(${c}), $${args.length + 2}) > 0)`).join(' OR ')
        : 'true';
      if (ascii) {
        // Most searches fill their page long before the budget: the server stops at the page's
        // worth of candidates. One that does not reads the budget to its end in the same statement,
        // which returns then every candidate and the budget's last row, each with its place: the
        // page from these alone (a search matching nothing read the budget twice: 330 → 100 ms at 2M
        // records). Only when candidates that do not match (text beyond ASCII) filled the read is
        // the scan read again.
        const first = await q<EventRow & { n: number }>(
          `SELECT * FROM (SELECT s.*, row_number() OVER (ORDER BY ${order}) AS n FROM (${sql}) s) w
            WHERE ${candidate} OR n = $${args.length + 1} LIMIT $${args.length + 3}`,
          [...args, TEXT_SCAN_BUDGET, needle, limit + 2],
        );
        const hits = first.filter((r) => textMatches(r, needle));
        if (hits.length > limit) return eventsPage(hits.map(({ n: _n, ...r }) => r), dir, limit);
        if (first.length < limit + 2) {
          const page = textSearchPage(first, query.text, dir, limit, (r) => r.n);
          return { ...page, rows: page.rows.map(({ n: _n, ...r }) => r) };
        }
      }
      const scanned = await q<EventRow & { n: number }>(
        `WITH scan AS (SELECT ${EVENT_COLUMNS}, collector, row_number() OVER (ORDER BY ${order}) AS n FROM (${sql}) s)
         SELECT * FROM scan WHERE ${candidate} OR n = (SELECT max(n) FROM scan) ORDER BY n`,
        [...args, TEXT_SCAN_BUDGET, ...(ascii ? [needle] : [])],
      );
      const page = textSearchPage(scanned, query.text, dir, limit, (r) => r.n);
      return { ...page, rows: page.rows.map(({ n: _n, ...r }) => r) };
    },
    eventsWithRaw,

    counters: () => q<CounterRow>('SELECT name, sum(value)::bigint AS value, max(updated_at) AS updated_at FROM counters GROUP BY name ORDER BY name'),
    recordsPerHour: async (now: number, hours: number): Promise<HourCount[]> => {
      const end = Math.floor(now / 3_600_000) + 1;
      const start = end - hours;
      const rows = await q<{ h: number; n: number }>('SELECT time / 3600000 AS h, count(*) AS n FROM events WHERE time >= $1 AND time < $2 GROUP BY h', [start * 3_600_000, end * 3_600_000]);
      const byHour = new Map(rows.map((r) => [r.h, r.n]));
      const out: HourCount[] = [];
      for (let h = start; h < end; h++) out.push({ hour: h * 3_600_000, records: byHour.get(h) ?? 0 });
      return out;
    },
    allDeviceHealth: (inventory) => allDeviceHealthPg(pool, inventory, clock()),
    unverifiedSenders: async (inventory: readonly InventoryDevice[], limit: number): Promise<{ rows: UnverifiedSender[]; total: number }> => {
      const names = inventory.map((d) => d.name);
      // Syslog's last-heard rows and native accounting filed under a name (data/devices.ts HEARD_SQL).
      const heard = `SELECT device, min(first_seen) AS first_seen, max(last_seen) AS last_seen FROM (
                       SELECT device, first_seen, last_seen FROM device_activity
                       UNION ALL SELECT device, first_seen, last_accepted FROM native_senders WHERE accepted > 0) u
                      WHERE NOT (device = ANY($1::text[])) AND device NOT IN (SELECT device FROM pull_state) GROUP BY device`;
      const total = (await one<{ n: number }>(`SELECT count(*) AS n FROM (${heard}) h`, [names]))!.n;
      const rows = await q<UnverifiedSender>(
        `SELECT h.device, h.first_seen AS "firstSeen", h.last_seen AS "lastSeen",
                ARRAY(SELECT source FROM (SELECT source, last_seen FROM device_senders s WHERE s.device = h.device
                                          UNION ALL SELECT source, last_accepted FROM native_senders n WHERE n.device = h.device AND n.accepted > 0) x
                       GROUP BY source ORDER BY max(last_seen) DESC LIMIT 5) AS senders,
                (SELECT count(*) FROM (SELECT 1 FROM events e WHERE ${keyEquals('e.device', 'h.device')} LIMIT 10000) x) AS records
           FROM (${heard}) h ORDER BY h.last_seen DESC, h.device LIMIT $2`,
        [names, limit],
      );
      return { rows, total };
    },
    nativeSenders: async (limit: number): Promise<{ rows: NativeSenderSummary[]; total: number }> => {
      const total = (await one<{ n: number }>('SELECT count(*) AS n FROM (SELECT DISTINCT transport, source FROM native_senders) s', []))!.n;
      // A sender heard by two collectors is one sender (data/devices.ts nativeSenders).
      const rows = await q<NativeSenderSummary>(
        `SELECT transport, source, count(DISTINCT device) AS "deviceCount", sum(accepted)::bigint AS accepted, sum(bad_key)::bigint AS "badKey", sum(named)::bigint AS named,
                sum(malformed)::bigint AS malformed, max(last_malformed) AS "lastMalformed", max(last_seen) AS "lastSeen",
                ARRAY(SELECT device FROM native_senders d WHERE d.transport = s.transport AND d.source = s.source
                       GROUP BY device ORDER BY max(last_seen) DESC, device COLLATE "C" LIMIT ${NATIVE_DEVICES_SHOWN}) AS devices,
                (SELECT last_malformed_reason FROM native_senders d WHERE d.transport = s.transport AND d.source = s.source AND d.last_malformed IS NOT NULL
                  ORDER BY last_malformed DESC, device COLLATE "C", collector COLLATE "C" LIMIT 1) AS "lastMalformedReason"
           FROM native_senders s GROUP BY transport, source ORDER BY "lastSeen" DESC, source COLLATE "C", transport LIMIT $1`,
        [limit],
      );
      return { rows, total };
    },
    deviceList: (inventory, after, limit) => deviceListPg(pool, inventory, after, limit, clock()),
    device: (inventory, name, diff) => deviceViewPg(pool, inventory, name, diff, clock()),
    deviceNames: async () => (await q<{ device: string }>(DEVICE_NAMES_SQL, [])).map((r) => r.device),
    snapshotPair: (device, ids) => snapshotPairPg(pool, device, ids),

    populationPage: async (ctx, filter, after, limit) => {
      byteOrder ??= ordersByteWise(pool);
      const bytes = await byteOrder;
      return readSnapshot((c) => populationPagePg(c, bytes, ctx, filter, after, limit));
    },
    listCases: (query, after, limit) => listCasesPg(pool, query, after, limit, clock()),
    caseModel: async (key, ctx) => {
      const found = await readSnapshot(async (c) => {
        const db = await copyForAccounts(c, [key], ctx.to, { timeline: true, skewMs: ctx.skewMs });
        // The row reads its records as the population page's do: a renamed account's old names are not in the copy.
        const cache = new PageRecords();
        if (key.account) await cache.read(c, [key], ctx.to, skewOf(ctx));
        try {
          return readCase(db, key, ctx, clock(), cache);
        } finally {
          db.close();
        }
      });
      return found && { ...found.model, records: await eventsWithRaw(found.cited) };
    },
    decideCases: async (keys, to, req) => {
      const at = req.at ?? Date.now();
      checkRequest(to, req, at);
      return inTransaction(async (c) => {
        const outcomes: CaseOutcome[] = [];
        for (const key of keys) {
          const outcome: CaseOutcome = { ...key, decided: [], skipped: [] };
          // Locked in id order, as every decision locks: two bulk decisions never wait on each other in a circle.
          const open = (await c.query<LockedFinding>(
            `SELECT id, status, severity, accepted_until FROM findings WHERE ${keyEquals('device', '$1::text')} AND ${keyEquals('account', '$2::text')} AND status <> 'resolved' ORDER BY id FOR UPDATE`,
            [key.device, key.account],
          )).rows;
          if (open.length === 0) throw noOpenCase(key);
          for (const locked of open) {
            // As it stands at the decision (an acceptance that ran out is open), as SQLite's decideCases reads it;
            // one the decision applies to is reopened first (reopenIfEnded), then decided.
            const { status } = findingNow({ status: locked.status, acceptedUntil: locked.accepted_until }, at);
            if (!caseDecisionApplies(status, to)) {
              outcome.skipped.push({ id: locked.id, why: `already ${status}` });
              continue;
            }
            await applyDecision(c, await reopenIfEnded(c, locked, at), to, { ...req, at }, at);
            outcome.decided.push(locked.id);
          }
          outcomes.push(outcome);
        }
        return outcomes;
      });
    },

    review: <T>(config: Config, roster: Roster | undefined, o: ExportOptions, use: (doc: ExportDocument, write: ExportWriter) => Promise<T>): Promise<T> => pgReview(pool, config, roster, o, use),

    close: async () => {
      if (owned) await pool.end();
    },
  };
}
