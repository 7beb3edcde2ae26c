// Indexes of events kept as tables of the store's own, filled in sorted runs (migration 017,
// issues 14 and 18). A B-tree index takes one entry per record at insert time, on a page of its own
// once records name more keys than a commit has rows; here nothing is written per record at insert
// time, and every run of records (MOVE_EVERY, or whatever is left when ingest goes idle) is moved
// into each table sorted by its key, so a page read and written takes many entries. A move is cut
// into key ranges of MOVE_STEP records, each its own transaction that also records how far the
// move got: a crash between steps leaves the tables and `index_moves` agreeing, and waiting
// TACACS+/RADIUS/RELP answers wait for one step at most. Queries read a table joined to events by
// id and, where they need the newest records, the records past the move (events_<name>_tail: a
// rowid range of events). SQLite only: PostgreSQL keeps its indexes.

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
/** Records one step (one transaction) moves at most: a key range of the run. */
export const MOVE_STEP = 5_000;
/** Records one move takes at most: the rest waits for the next (an import's million records). */
const MOVE_MAX = 100_000;

interface MoveState {
  moved: number;
  upto: number;
  key: string;
}

/** The move of one connection: the run under way is sorted once into a temporary table. */
export class IndexMover {
  private readonly state;
  private readonly begin;
  private readonly head;
  private readonly purged;
  /** The run the temporary tables hold: (moved, upto) per table name. */
  private readonly runs = new Map<string, string>();
  private readonly stepTx;

  constructor(
    private readonly db: Db,
    private readonly tables: readonly IndexTable[] = INDEX_TABLES,
    private readonly step = MOVE_STEP,
    private readonly maxRun = MOVE_MAX,
  ) {
    this.state = db.prepare('SELECT moved, upto, key FROM index_moves WHERE name = ?');
    this.begin = db.prepare('UPDATE index_moves SET upto = ?, key = ? WHERE name = ?');
    this.head = db.prepare('SELECT coalesce(max(id), 0) FROM events').pluck();
    this.purged = db.prepare("SELECT (SELECT coalesce(max(id), 0) FROM chain_purges) || ':' || coalesce((SELECT next_id FROM purge_progress), '')").pluck();
    this.stepTx = db.transaction((): void => this.moveOnce());
  }

  /** Records stored past the last move that finished, over every table. */
  unmoved(): number {
    return Math.max(0, (this.head.get() as number) - movedThrough(this.db));
  }

  /** One step of the move under way, or the first of a new one (every table up to the last record). */
  moveStep(): void {
    try {
      this.stepTx.immediate();
    } catch (err) {
      // Rolled back, the temporary tables with it: sorted again by the next step.
      this.runs.clear();
      throw err;
    }
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
      for (const [t, s] of states) if (head > s.moved) this.begin.run(Math.min(head, s.moved + this.maxRun), '', t.name);
      states = this.tables.map((t) => [t, this.state.get(t.name) as MoveState] as const);
    }
    const next = states.find(([, s]) => s.upto > s.moved);
    if (next) this.stepOf(next[0], next[1]);
  }

  /** One key range of the run (moved, upto] of `t` into its table, and how far that got. */
  private stepOf(t: IndexTable, s: MoveState): void {
    const key = t.columns[0];
    const pk = [...t.columns, 'id'].join(', ');
    const cols = [...t.columns, 'id', ...(t.carried ?? [])].join(', ');
    const run = `temp.move_${t.name}`;
    // A purge rewriting records (actor) since the run was sorted makes it stale: sorted again.
    const tag = `${s.moved}:${s.upto}:${this.purged.get() as string}`;
    if (this.runs.get(t.name) !== tag) {
      // Sorted once per run, in memory (temp_store), so each step reads its range in order. Each
      // table reads events itself: the run's columns read once into a table the four sorts read
      // cost as much (moves 4.35–4.67 against 4.35 µs a record, store14c, 2026-12-05).
      this.db.exec(`CREATE TEMP TABLE IF NOT EXISTS move_${t.name} (${cols}, PRIMARY KEY (${pk})) WITHOUT ROWID`);
      this.db.exec(`DELETE FROM ${run}`);
      const only = t.where ? ` AND ${t.where}` : '';
      this.db.prepare(`INSERT INTO ${run} SELECT ${cols} FROM events WHERE id > ? AND id <= ? AND ${key} >= ?${only}`).run(s.moved, s.upto, s.key);
      this.runs.set(t.name, tag);
    }
    let to = this.db.prepare(`SELECT ${key} FROM ${run} WHERE ${key} >= ? ORDER BY ${pk} LIMIT 1 OFFSET ?`).pluck().get(s.key, this.step) as string | undefined;
    // One key with more records than a step: the range is that key whole.
    const first = this.db.prepare(`SELECT min(${key}) FROM ${run} WHERE ${key} >= ?`).pluck().get(s.key) as string | null;
    if (to !== undefined && to === first) to = (this.db.prepare(`SELECT min(${key}) FROM ${run} WHERE ${key} > ?`).pluck().get(first) as string | null) ?? undefined;
    if (to === undefined) {
      this.db.prepare(`INSERT INTO ${t.table} (${cols}) SELECT ${cols} FROM ${run} WHERE ${key} >= ? ORDER BY ${pk}`).run(s.key);
      this.db.prepare(`UPDATE index_moves SET moved = upto, key = '' WHERE name = ?`).run(t.name);
      this.db.exec(`DELETE FROM ${run}`);
      this.runs.delete(t.name);
      return;
    }
    this.db.prepare(`INSERT INTO ${t.table} (${cols}) SELECT ${cols} FROM ${run} WHERE ${key} >= ? AND ${key} < ? ORDER BY ${pk}`).run(s.key, to);
    this.db.prepare('UPDATE index_moves SET key = ? WHERE name = ?').run(to, t.name);
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
