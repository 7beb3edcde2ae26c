// The review document and its exports on PostgreSQL. The review's rules (the population, what a
// finding's decision was at the period's end, what the evidence pack cites) are one implementation,
// src/reconcile/population.ts and src/report/*, written over a SQLite handle; a second one in
// async SQL would be a second reading of the same audit rules, free to drift from the first, and the
// document must be the same from every node and every engine. So the rows those functions read are
// copied, in one REPEATABLE READ transaction (one moment of the shared store), into an in-memory
// SQLite database with the SQLite schema, and the same functions run over it. What is copied is
// bounded by what a review reads: findings and their history, account records (events with a target)
// up to the period's end (a day past it, held.ts STAMP_MARGIN_MS), the sign-ins those may be attributed to, the records findings cite, each
// device's first and last syslog, the period's activity log, and what pulls keep up to the period's
// end (pull state, snapshots, accounts, account changes and their attribution). The counts the header gives for the whole store
// (records in the period, placed by the skew rule as the rows are, every collector's chain head) are read from PostgreSQL itself.

import type pg from 'pg';
import type { Config } from '../../config/schema.js';
import { madeBySql, madeWithinSql, STAMP_MARGIN_MS } from '../../reconcile/held.js';
import { namingSpan } from '../../reconcile/judge.js';
import { NAMING_READ } from '../../reconcile/store.js';
import type { Roster } from '../../reconcile/roster.js';
import { buildDocument, iso, type ExportDocument, type ExportHeader, type ExportOptions } from '../../report/document.js';
import { RECORD_CHAIN_DDL } from '../../report/evidence.js';
import { DEFAULT_PERIOD_DAYS } from '../../report/period.js';
import { writeExport, type ExportName } from '../../report/render.js';
import { openDatabase, type Db } from '../../store/db.js';
import { keyEquals } from '../../store/pg/text-keys.js';
import { RECORD_COLUMNS } from '../../store/schema/ingest.js';
import type { ExportWriter } from './access.js';

/** The record columns a copy carries (SQLite's `events`), and `body` for a record that held a NUL (sqliteRecord). */
export const EVENT_COPY = [
  'id', ...RECORD_COLUMNS, 'received_at', 'transport', 'source', 'time_text', 'prev_hash', 'hash', 'raw_bytes', 'truncated',
] as const;

export type Row = Record<string, unknown>;

/** The creating records NAMING_SQL reads the commands of: `m(device, actor, account, after, upto, i)` from $1–$5 (namingArgs), `i` each one's place. */
export const NAMING_KEYS = 'unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[]) WITH ORDINALITY AS m(device, actor, account, after, upto, i)';

/**
 * Command records `e` on `m.device` by `m.actor` (anyone's, when the record names no actor) whose
 * text holds `m.account`, in (`m.after`, `m.upto`], at most NAMING_READ: what population.ts
 * `commandsNaming` reads of a creating record that names no path.
 */
export const NAMING_SQL = `${keyEquals('e.device', 'm.device')} AND (m.actor IS NULL OR ${keyEquals('e.actor', 'm.actor')}) AND e.kind = 'command'
        AND strpos(e.command, m.account) > 0 AND e.time > m.after AND e.time <= m.upto ORDER BY e.time DESC, e.id DESC LIMIT ${NAMING_READ}`;

/** NAMING_KEYS' arrays for creating records: the span each is read in is reconciliation's (judge.ts namingSpan). */
export function namingArgs(made: ReadonlyArray<{ device: unknown; actor: unknown; account: unknown; time: number }>): unknown[][] {
  const spans = made.map((r) => namingSpan(r.time));
  return [made.map((r) => r.device), made.map((r) => r.actor), made.map((r) => r.account), spans.map((s) => s.from), spans.map((s) => s.to)];
}

/** A creating record's row as namingArgs takes it. */
export const madeOf = (r: Row): { device: unknown; actor: unknown; account: unknown; time: number } => ({ device: r.device, actor: r.actor, account: r.target, time: Number(r.time) });

/** Creating records that name no path: their change's command may (population.ts `creationCommand`). */
export const untold = (records: readonly Row[]): Row[] =>
  records.filter((r) => r.kind === 'account' && r.action === 'account.create' && r.path === null);

/** The pull tables a review reads (the population, its platforms and attributions, the pack's diffs), and which rows. */
const PULLED: ReadonlyArray<readonly [string, string]> = [
  ['snapshots', 'WHERE taken_at <= $1 ORDER BY id'],
  ['pull_state', ''],
  // Successful runs: when a pull no longer showed a syslog-only account (population.ts PULL_AFTER_SQL).
  ['pull_runs', "WHERE outcome <> 'failed' AND finished_at <= $1 ORDER BY id"],
  ['accounts', 'WHERE first_seen <= $1 ORDER BY id'],
  ['account_changes', 'WHERE at <= $1 ORDER BY id'],
  ['change_attribution', ''],
];

export function insertAll(db: Db, table: string, columns: readonly string[], rows: readonly Row[]): void {
  if (rows.length === 0) return;
  const insert = db.prepare(`INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  db.transaction(() => {
    for (const r of rows) insert.run(...columns.map((c) => r[c] ?? null));
  })();
}

/** A record as SQLite holds it: a text that carried a NUL comes back from its exact chain body. */
export function sqliteRecord(r: Row): Row {
  const out: Row = { ...r, received_at: r.received_at ?? 0, transport: r.transport ?? '' };
  if (typeof r.body === 'string') {
    const body = JSON.parse(r.body) as unknown[];
    RECORD_COLUMNS.forEach((c, i) => (out[c] = body[i] ?? null));
  }
  return out;
}

function citedIds(evidence: string): number[] {
  try {
    const v = JSON.parse(evidence) as { events?: unknown };
    return Array.isArray(v.events) ? v.events.filter((n): n is number => Number.isSafeInteger(n)) : [];
  } catch {
    return [];
  }
}

interface StoreFigures {
  records: number;
  inPeriod: number;
  heads: Array<{ collector: string; seq: number; head: string; lastId: number }>;
  stored: ExportHeader['stored'];
}

async function copyForReview(c: pg.PoolClient, db: Db, from: number, to: number, skewMs: number): Promise<StoreFigures> {
  const rows = async (sql: string, args: unknown[] = []): Promise<Row[]> => (await c.query<Row>(sql, args)).rows;
  const findings = await rows('SELECT * FROM findings ORDER BY id');
  insertAll(db, 'findings', ['id', 'kind', 'severity', 'device', 'account', 'status', 'summary', 'technique', 'evidence', 'first_seen', 'last_seen', 'occurrences', 'accepted_until', 'updated_at', 'attribution'], findings);
  insertAll(db, 'finding_history', ['id', 'finding_id', 'at', 'by', 'from_status', 'to_status', 'reason', 'until', 'severity', 'ticket', 'path', 'path_user', 'path_token'], await rows('SELECT * FROM finding_history ORDER BY id'));
  const cited = [...new Set(findings.flatMap((f) => citedIds(String(f.evidence))))];
  const columns = [...EVENT_COPY.map((col) => `e.${col}`), 'e.body', 'e.collector', 'e.seq'].join(', ');
  const pulled = (await rows("SELECT 1 FROM pg_tables WHERE tablename = 'accounts' AND schemaname = current_schema()")).length > 0;
  // Sign-ins: those of the accounts' makers (the address a creation names none of), and each account's
  // latest by the period's end (its last login, population.ts `lastLogin`): of every account a
  // record names and, where pulls ran, every account they found. Before, only the makers' were
  // copied, so an account's own last login was missing from a PostgreSQL export unless it had
  // made an account itself. Records with a target are copied up to STAMP_MARGIN_MS past the end, and
  // sign-ins too: the population places them (held.ts madeBySql), and one from a clock running ahead
  // is stamped past it; each account's latest sign-in is the latest so placed by the end.
  const events = await rows(
    `SELECT ${columns} FROM events e WHERE e.target IS NOT NULL AND e.time <= $1::bigint + ${STAMP_MARGIN_MS}
     UNION
     SELECT ${columns} FROM events e WHERE e.kind = 'session' AND e.action IN ('login', 'session.start') AND e.time <= $1::bigint + ${STAMP_MARGIN_MS}
        AND (e.device, e.actor) IN (SELECT device, actor FROM events WHERE target IS NOT NULL AND actor IS NOT NULL)
     UNION
     SELECT * FROM (SELECT DISTINCT ON (e.device, e.actor) ${columns} FROM events e
       WHERE e.kind = 'session' AND e.action IN ('login', 'session.start') AND ${madeBySql('e.', '$1::bigint', '$3::bigint')}
         AND (e.device, e.actor) IN (SELECT device, target FROM events WHERE target IS NOT NULL${pulled ? ' UNION SELECT device, name FROM accounts' : ''})
       ORDER BY e.device, e.actor, e.time DESC, e.id DESC) last
     UNION
     SELECT ${columns} FROM events e WHERE e.id = ANY($2::bigint[])`,
    [to, cited, skewMs],
  );
  const creates = untold(events);
  const copied = new Set(events.map((e) => e.id));
  const commands = creates.length
    ? (await rows(`SELECT e.* FROM ${NAMING_KEYS} CROSS JOIN LATERAL (SELECT ${columns} FROM events e WHERE ${NAMING_SQL}) e`, namingArgs(creates.map(madeOf))))
      .filter((e) => !copied.has(e.id) && copied.add(e.id))
    : [];
  insertAll(db, 'events', EVENT_COPY, [...events, ...commands].map(sqliteRecord));
  // Each record's collector and place in that collector's chain, which the pack's records give
  // (SQLite's events have neither: one collector, its chain in id order).
  db.exec(RECORD_CHAIN_DDL);
  insertAll(db, 'record_chain', ['id', 'collector', 'seq'], [...events, ...commands]);
  insertAll(
    db, 'device_activity', ['device', 'source', 'first_seen', 'last_seen'],
    await rows(
      `SELECT device, (array_agg(source ORDER BY last_seen DESC))[1] AS source, min(first_seen) AS first_seen, max(last_seen) AS last_seen
         FROM device_activity GROUP BY device`,
    ),
  );
  insertAll(db, 'web_audit', ['id', 'at', 'user', 'address', 'action', 'detail', 'prev_hash', 'hash'], await rows('SELECT * FROM web_audit WHERE at >= $1 AND at <= $2 ORDER BY id', [from, to]));
  // What pulls keep (src/store/schema/pull.ts, the columns of SQLite's), where a collector has pulled.
  for (const [table, where] of PULLED) {
    if ((await rows("SELECT 1 FROM pg_tables WHERE tablename = $1 AND schemaname = current_schema()", [table])).length === 0) continue;
    const found = await rows(`SELECT * FROM ${table} ${where}`, where.includes('$1') ? [to] : []);
    const columns = (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]).filter((col) => found.length > 0 && col in found[0]!);
    insertAll(db, table, columns, found);
  }
  // In the period as the skew rule places a record (held.ts madeWithinSql), as the rows are: SQLite's count in document.ts.
  const counts = (await rows(
    `SELECT count(*) AS records, count(*) FILTER (WHERE ${madeWithinSql('', '$1::bigint', '$2::bigint', '$3::bigint')}) AS "inPeriod", min(time) AS "firstRecord" FROM events`,
    [from, to, skewMs],
  ))[0]!;
  // The copy holds snapshots up to the period's end only: the store's first is read here (null where no collector has pulled).
  const pulls = (await rows("SELECT 1 FROM pg_tables WHERE tablename = 'snapshots' AND schemaname = current_schema()")).length > 0;
  const firstSnapshot = pulls ? (await rows('SELECT min(taken_at) AS t FROM snapshots'))[0]!.t : null;
  const heads = await rows(
    `SELECT h.collector, h.seq, encode(h.hash, 'hex') AS head, (SELECT id FROM events e WHERE e.collector = h.collector AND e.seq = h.seq) AS "lastId"
       FROM chain_heads h ORDER BY h.collector`,
  );
  const when = (t: unknown): string | null => (t === null || t === undefined ? null : iso(Number(t)));
  return { records: Number(counts.records), inPeriod: Number(counts.inPeriod), heads: heads as unknown as StoreFigures['heads'], stored: { firstRecord: when(counts.firstRecord), firstSnapshot: when(firstSnapshot) } };
}

/** The header's store-wide figures, from PostgreSQL: every record, and every collector's chain. */
function withStoreFigures(doc: ExportDocument, f: StoreFigures): ExportDocument {
  const latest = [...f.heads].filter((h) => h.lastId !== null).sort((a, b) => b.lastId - a.lastId)[0];
  return {
    ...doc,
    header: {
      ...doc.header,
      sources: doc.header.sources.map((s) => (s.name === 'syslog records' ? { ...s, rows: f.inPeriod } : s)),
      chain: {
        records: f.records,
        lastId: latest?.lastId ?? null,
        head: latest?.head ?? null,
        collectors: f.heads.map((h) => ({ collector: h.collector, records: h.seq, head: h.head })),
      },
      stored: f.stored,
    },
  };
}

export async function pgReview<T>(pool: pg.Pool, config: Config, roster: Roster | undefined, o: ExportOptions, use: (doc: ExportDocument, write: ExportWriter) => Promise<T>): Promise<T> {
  const to = o.to ?? o.now;
  const from = o.from ?? to - DEFAULT_PERIOD_DAYS * 86_400_000;
  const db = openDatabase(':memory:');
  // A copy of rows PostgreSQL holds without foreign keys (retention may have removed what one names).
  db.pragma('foreign_keys = OFF');
  try {
    const c = await pool.connect();
    let figures: StoreFigures;
    try {
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      figures = await copyForReview(c, db, from, to, config.reconcile.attributionSkewSeconds * 1000);
      await c.query('COMMIT');
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
    const doc = withStoreFigures(buildDocument(db, config, roster, { ...o, from, to }), figures);
    return await use(doc, (name: ExportName, key, sink, archive) => writeExport(name, db, doc, key, sink, archive));
  } finally {
    db.close();
  }
}
