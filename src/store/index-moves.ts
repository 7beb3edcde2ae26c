// Indexes of events kept as tables of the store's own, filled in sorted runs (migration 017,
// issues 14 and 18). A B-tree index takes one entry per record at insert time, on a page of its own
// once records name more keys than a commit has rows; here nothing is written per record at insert
// time, and every run of records (MOVE_EVERY, or whatever is left when ingest goes idle) is moved
// into each table sorted by its key, so a page read and written takes many entries. A move is one
// step a table (MOVE_STEP records at most), each its own transaction that also records how far the
// move got: a crash between steps leaves the tables and `index_moves` agreeing, and waiting
// TACACS+/RADIUS/RELP answers wait for one step at most. Queries read a table joined to events by
// id and, where they need the newest records, the records past the move (events_<name>_tail: a
// rowid range of events). SQLite only: PostgreSQL keeps its indexes.

import type { Statement } from 'better-sqlite3';
import type { Db } from './db.js';

/**
 * An index kept as a table: its key columns (the first is what a move is cut by; a record whose
 * first is NULL stays out), the record's id, and columns it carries besides; `where`, the records
 * it takes (a partial index's condition), every record when absent.
 */
export interface IndexTable {
  /** Its row in index_moves. */
  name: string;
  table: string;
  columns: readonly [string, ...string[]];
  carried?: readonly string[];
  where?: string;
}

/** The records events_by_login holds (migration 018). */
const LOGIN = `kind = 'session' AND action IN ('login', 'session.start')`;

export const INDEX_TABLES: readonly IndexTable[] = [
  { name: 'device', table: 'events_by_device', columns: ['device', 'time'] },
  { name: 'actor', table: 'events_by_actor', columns: ['actor', 'time'], carried: ['device', 'kind'] },
  { name: 'login', table: 'events_by_login', columns: ['device', 'actor', 'time'], where: `${LOGIN} AND actor IS NOT NULL` },
  // The account records (migration 020), their action carried for the population's keys.
  { name: 'target', table: 'events_by_target', columns: ['device', 'target', 'time'], carried: ['action'], where: `kind = 'account' AND target IS NOT NULL` },
];

/**
 * Unmoved records at which the store thread starts a move. A grown store (620,000 records) cost
 * 69–76 µs a record with the indexes, 36–38 moved every 20,000 and 51 every 2,000 (BENCHMARKS.md,
 * storecost): the larger the run, the more entries share a page.
 */
export const MOVE_EVERY = 20_000;
/**
 * Records one step (one transaction) moves into one table at most: a rowid range of events, its
 * entries sorted by SQLite's sorter on their way into the table. A run of MOVE_EVERY records is one
 * step a table, so its entries share pages as a run sorted whole does (WAL pages a record the
 * same). Sorting the run once into a temporary table and moving it a key range of 5,000 records a
 * step cost more (the temporary B-tree filled entry by entry, then read again): bench:store aaa-only
 * moves 4.0–4.3 → 3.3–3.4 µs a record fresh, 5.4–5.5 → 4.7 grown (--passes 3); the longest step
 * 22–24 → 28–31 ms of CPU fresh, 26–42 → 45 grown (store14d, 2026-12-05, load 8–14).
 */
export const MOVE_STEP = 20_000;

interface MoveState {
  moved: number;
  upto: number;
  key: string;
}

/** The moves of one connection. */
export class IndexMover {
  private readonly state;
  private readonly begin;
  private readonly head;
  private readonly done;
  /** Each table's step, prepared once. */
  private readonly steps = new Map<string, Statement<[number, number, string]>>();
  private readonly stepTx;

  constructor(
    private readonly db: Db,
    private readonly tables: readonly IndexTable[] = INDEX_TABLES,
    private readonly step = MOVE_STEP,
  ) {
    this.state = db.prepare('SELECT moved, upto, key FROM index_moves WHERE name = ?');
    this.begin = db.prepare('UPDATE index_moves SET upto = ?, key = ? WHERE name = ?');
    this.head = db.prepare('SELECT coalesce(max(id), 0) FROM events').pluck();
    this.done = db.prepare(`UPDATE index_moves SET moved = upto, key = '' WHERE name = ?`);
    this.stepTx = db.transaction((): void => this.moveOnce());
  }

  /** Records stored past the last move that finished, over every table. */
  unmoved(): number {
    return Math.max(0, (this.head.get() as number) - movedThrough(this.db));
  }

  /** One step of the move under way (one table's run), or the first of a new one (each table's next `step` records). */
  moveStep(): void {
    this.stepTx.immediate();
  }

  /** A move has steps left. */
  inProgress(): boolean {
    return this.db.prepare('SELECT 1 FROM index_moves WHERE upto > moved LIMIT 1').get() !== undefined;
  }

  /** Every record into every table, step by step and move by move (an import's end, a full run, a test). */
  moveAll(): void {
    do this.moveStep();
    while (this.inProgress() || this.unmoved() > 0);
  }

  private moveOnce(): void {
    let states = this.tables.map((t) => [t, this.state.get(t.name) as MoveState] as const);
    if (!states.some(([, s]) => s.upto > s.moved)) {
      const head = this.head.get() as number;
      for (const [t, s] of states) if (head > s.moved) this.begin.run(Math.min(head, s.moved + this.step), '', t.name);
      states = this.tables.map((t) => [t, this.state.get(t.name) as MoveState] as const);
    }
    const next = states.find(([, s]) => s.upto > s.moved);
    if (next) this.stepOf(next[0], next[1]);
  }

  /**
   * The run (moved, upto] of `t` into its table, sorted, and the table's position past it. `key >= ?`
   * leaves out records without the key; it is '' but for a move begun by a version that moved a
   * run in key ranges, whose records below `key` are in the table already.
   */
  private stepOf(t: IndexTable, s: MoveState): void {
    let step = this.steps.get(t.name);
    if (!step) {
      // Each table reads events itself: the run's columns read once into a table the four sorts
      // read cost as much (moves 4.35–4.67 against 4.35 µs a record, store14c, 2026-12-05).
      const key = t.columns[0];
      const cols = [...t.columns, 'id', ...(t.carried ?? [])].join(', ');
      const only = t.where ? ` AND ${t.where}` : '';
      step = this.db.prepare<[number, number, string]>(
        `INSERT INTO ${t.table} (${cols}) SELECT ${cols} FROM events WHERE id > ? AND id <= ? AND ${key} >= ?${only} ORDER BY ${[...t.columns, 'id'].join(', ')}`,
      );
      this.steps.set(t.name, step);
    }
    step.run(s.moved, s.upto, s.key);
    this.done.run(t.name);
  }
}

/**
 * `columns` of events (a comma-separated list) read through an index table `d` joined to events
 * as `e`: the table's own columns from the table, so a query ordered by them walks it in order
 * (SQLite cannot tell that e.time is d.time) and a UNION ALL with the tail merges without a sort.
 */
export function keyedColumns(columns: string, keyed: readonly string[] = ['id', 'device', 'time']): string {
  return columns
    .split(',')
    .map((c) => c.trim())
    .map((c) => (keyed.includes(c) ? `d.${c}` : `e.${c}`))
    .join(', ');
}

/** A stored record as a purge reads it: what its entries in the index tables are made of. */
interface EntryFields {
  id: number;
  time: number;
  device: string;
  kind: string;
  action: string;
  actor: string | null;
  target: string | null;
}

/**
 * A record's actor or account name was rewritten (a purge): its entries in the actor, login and
 * account tables follow, if it was there (a record not yet moved is moved with its new text).
 */
export function entriesRewritten(db: Db, r: EntryFields, now: { actor: string | null; target: string | null }): void {
  const { actor, target } = now;
  if (r.target !== null && r.target !== target) {
    const gone = db.prepare('DELETE FROM events_by_target WHERE device = ? AND target = ? AND time = ? AND id = ?').run(r.device, r.target, r.time, r.id).changes;
    if (gone > 0 && target !== null) db.prepare('INSERT INTO events_by_target (device, target, time, id, action) VALUES (?, ?, ?, ?, ?)').run(r.device, target, r.time, r.id, r.action);
  }
  if (r.actor === null || r.actor === actor) return;
  const gone = db.prepare('DELETE FROM events_by_actor WHERE actor = ? AND time = ? AND id = ?').run(r.actor, r.time, r.id).changes;
  if (gone > 0 && actor !== null) db.prepare('INSERT INTO events_by_actor (actor, time, id, device, kind) VALUES (?, ?, ?, ?, ?)').run(actor, r.time, r.id, r.device, r.kind);
  if (r.kind !== 'session') return;
  const login = db.prepare('DELETE FROM events_by_login WHERE device = ? AND actor = ? AND time = ? AND id = ?').run(r.device, r.actor, r.time, r.id).changes;
  if (login > 0 && actor !== null) db.prepare('INSERT INTO events_by_login (device, actor, time, id) VALUES (?, ?, ?, ?)').run(r.device, actor, r.time, r.id);
}

/** The last record id every index table holds, and every record before it: what reconciliation may take up. */
export function movedThrough(db: Db): number {
  return (db.prepare('SELECT min(moved) FROM index_moves').pluck().get() as number | null) ?? 0;
}

/** Before records with these ids leave events: their entries leave the index tables (retention). */
export function forgetEntries(db: Db, fromId: number, toId: number): void {
  for (const t of INDEX_TABLES) {
    const cols = [...t.columns, 'id'];
    db.prepare(
      `DELETE FROM ${t.table} WHERE (${cols.join(', ')}) IN (SELECT ${cols.join(', ')} FROM events WHERE id >= ? AND id <= ?)`,
    ).run(fromId, toId);
  }
}
