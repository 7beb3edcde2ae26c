// The audit trail: stored account, command and session records, searched by device, actor,
// target, kind, time range and text, newest first by event time, keyset-paged.

import type { EventColumns } from '../../store/chain.js';
import type { Db } from '../../store/db.js';
import { keyedColumns } from '../../store/index-moves.js';
import { toPage, type Cursor, type Direction, type Page } from '../paging.js';

export const EVENT_KINDS = ['account', 'command', 'session'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface EventQuery {
  device?: string;
  actor?: string;
  target?: string;
  kind?: EventKind;
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  /** Substring of the command, target, actor or actor address (case-insensitive for ASCII). */
  text?: string;
}

/** A stored record: its columns (src/store/chain.ts) with its id. */
export interface EventRow extends Omit<EventColumns, 'container'> {
  id: number;
  /** The collector that received it (PostgreSQL, where several write one store). */
  collector?: string;
}

export interface EventWithRaw extends EventRow {
  raw: string | null;
  received_at: number;
  transport: string;
  source: string | null;
  time_text: string | null;
  /** 1: only the start of the message was kept. */
  truncated: number;
  /** 1: the message was not UTF-8; `raw` is its escaped form (src/store/raw-bytes.ts). */
  escaped: number;
}

export const EVENT_COLUMNS = `id, kind, action, time, device, platform, actor, actor_address, target, privilege, role, grp, path,
  technique, command, session`;

/**
 * Rows a text search reads per request at most: a rare word in a million records would otherwise
 * scan them all. When the budget runs out the page says how far back it looked and offers to go on.
 */
export const TEXT_SCAN_BUDGET = 20_000;

/**
 * The filter, page edge and order of a search (`?` placeholders). `col` names each column where
 * it is read from an index table joined to events (src/store/index-moves.ts).
 */
export function eventsWhere(
  q: EventQuery,
  dir: Direction,
  col: (column: string) => string = (c) => c,
): { whereSql: string; args: Array<string | number>; order: string } {
  const time = col('time');
  const id = col('id');
  const where: string[] = [];
  const args: Array<string | number> = [];
  const eq = (column: string, value: string | undefined): void => {
    if (value === undefined || value === '') return;
    where.push(`${col(column)} = ?`);
    args.push(value);
  };
  eq('device', q.device);
  eq('actor', q.actor);
  eq('target', q.target);
  eq('kind', q.kind);
  if (q.from !== undefined) {
    where.push(`${time} >= ?`);
    args.push(q.from);
  }
  if (q.to !== undefined) {
    where.push(`${time} < ?`);
    args.push(q.to);
  }
  const newer = 'after' in dir;
  const at = 'after' in dir ? dir.after : 'before' in dir ? dir.before : undefined;
  if (at) {
    where.push(newer ? `(${time}, ${id}) > (?, ?)` : `(${time}, ${id}) < (?, ?)`);
    args.push(at.time, at.id);
  }
  return { whereSql: where.length ? `WHERE ${where.join(' AND ')}` : '', args, order: newer ? `${time} ASC, ${id} ASC` : `${time} DESC, ${id} DESC` };
}

const edge = (r: { time: number; id: number }): Cursor => ({ time: r.time, id: r.id });

/** A page of rows read in the direction asked (limit + 1 of them). */
export function eventsPage<T extends EventRow>(rows: T[], dir: Direction, limit: number): Page<T> {
  return toPage(rows, limit, dir, edge);
}

/**
 * A text search over rows read in order, at most TEXT_SCAN_BUDGET of them: those that contain the
 * text, and when the budget ran out without filling the page, where the next request goes on.
 */
/**
 * `place`: a row's place in the scan (1 for the first row read), where `scanned` holds only some of
 * the rows read (those a store chose as candidates, and always the last one read); by default
 * every row read is there, in order.
 */
export function textSearchPage<T extends EventRow>(scanned: Iterable<T>, text: string, dir: Direction, limit: number, place?: (row: T) => number): Page<T> {
  const needle = text.toLowerCase();
  const matches: T[] = [];
  let last: T | undefined;
  let count = 0;
  for (const row of scanned) {
    count = place ? place(row) : count + 1;
    last = row;
    if (textMatches(row, needle)) {
      matches.push(row);
      if (matches.length > limit) break;
    }
  }
  const budgetEdge = matches.length <= limit && count === TEXT_SCAN_BUDGET && last !== undefined ? edge(last) : undefined;
  return toPage(matches, limit, dir, edge, budgetEdge);
}

export function searchEvents(db: Db, q: EventQuery, dir: Direction, limit: number): Page<EventRow> {
  const { whereSql, args, order } = eventsWhere(q, dir);
  let sql = `SELECT ${EVENT_COLUMNS} FROM events ${whereSql} ORDER BY ${order} LIMIT ?`;
  let before: Array<string | number> = [];
  if (q.device) {
    // A device's records: its table (src/store/index-moves.ts) walked in order, and the records not
    // yet moved into it (a rowid range of events), merged.
    const t = eventsWhere(q, dir, (c) => (c === 'device' || c === 'time' || c === 'id' ? `d.${c}` : `e.${c}`));
    sql = `SELECT ${keyedColumns(EVENT_COLUMNS)} FROM events_by_device d JOIN events e ON e.id = d.id ${t.whereSql}
           UNION ALL
           SELECT ${EVENT_COLUMNS} FROM events_device_tail ${whereSql} ORDER BY ${order} LIMIT ?`;
    before = t.args;
  } else if (q.actor) {
    // An actor's records: its table, and the records not yet moved into it, merged.
    const t = eventsWhere(q, dir, (c) => (c === 'actor' || c === 'time' || c === 'id' || c === 'device' || c === 'kind' ? `d.${c}` : `e.${c}`));
    sql = `SELECT ${keyedColumns(EVENT_COLUMNS, ['id', 'actor', 'time', 'device', 'kind'])} FROM events_by_actor d JOIN events e ON e.id = d.id ${t.whereSql}
           UNION ALL
           SELECT ${EVENT_COLUMNS} FROM events_actor_tail ${whereSql} ORDER BY ${order} LIMIT ?`;
    before = t.args;
  } else if (q.target) {
    // An account's records on any device: the account records' table (device, target, time; src/store/index-moves.ts)
    // sought once per device that holds account records, the next device found in the same table
    // (a loose scan; the index by target alone cost an entry per account record, migration 019),
    // and the records not yet moved into it (account records only), merged.
    const keyed = ['id', 'device', 'target', 'time', 'action'];
    const t = eventsWhere(q, dir, (c) => (keyed.includes(c) ? `d.${c}` : `e.${c}`));
    sql = `WITH RECURSIVE devs(device) AS (
             SELECT min(device) FROM events_by_target
             UNION ALL
             SELECT (SELECT min(device) FROM events_by_target WHERE device > devs.device) FROM devs WHERE devs.device IS NOT NULL)
           SELECT ${keyedColumns(EVENT_COLUMNS, keyed)} FROM devs JOIN events_by_target d ON d.device = devs.device JOIN events e ON e.id = d.id ${t.whereSql}
           UNION ALL
           SELECT ${EVENT_COLUMNS} FROM events_target_tail ${whereSql} ORDER BY ${order} LIMIT ?`;
    before = t.args;
  }
  const bound = (n: number): Array<string | number> => [...before, ...args, n];
  if (!q.text) {
    const rows = db.prepare(sql).all(...bound(limit + 1)) as EventRow[];
    return eventsPage(rows, dir, limit);
  }
  // Bounded scan: the inner query walks the index in order for at most TEXT_SCAN_BUDGET rows,
  // the outer keeps those that contain the text. The last row scanned is where the next request
  // goes on when the page is not full.
  const scanned = db.prepare(sql).iterate(...bound(TEXT_SCAN_BUDGET)) as IterableIterator<EventRow>;
  return textSearchPage(scanned, q.text, dir, limit);
}

/** The columns a text search reads. */
export const TEXT_COLUMNS = ['command', 'target', 'actor', 'actor_address'] as const;

/** Case-insensitive for every script (SQLite's LIKE folds ASCII only); `needle` in lower case. */
export function textMatches(r: EventRow, needle: string): boolean {
  for (const v of [r.command, r.target, r.actor, r.actor_address]) {
    if (v !== null && v.toLowerCase().includes(needle)) return true;
  }
  return false;
}

/** Records by id with the raw messages they came from (finding evidence), in time order. */
export function eventsWithRaw(db: Db, ids: readonly number[]): EventWithRaw[] {
  if (ids.length === 0) return [];
  const rows = db
    .prepare(
      `SELECT e.id, e.kind, e.action, e.time, e.device, e.platform, e.actor, e.actor_address, e.target, e.privilege,
              e.role, e.grp, e.path, e.technique, e.command, e.session, e.raw, e.received_at, e.transport, e.source, e.time_text,
              e.truncated, e.raw_bytes IS NOT NULL AS escaped
         FROM json_each(?) j JOIN events e ON e.id = j.value
        ORDER BY e.time, e.id`,
    )
    .all(JSON.stringify(ids)) as EventWithRaw[];
  return rows;
}
