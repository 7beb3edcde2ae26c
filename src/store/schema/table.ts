// The store's schema as data: every table, its columns (of four domain types), keys and indexes,
// described once for both engines (ingest.ts, findings.ts, pull.ts, web.ts; the whole list in
// index.ts) and rendered as plain DDL for each: SQLite's by sqlite.ts, PostgreSQL's by postgres.ts.
// What one engine has and the other has not is declared where it is, never inferred: a table, a
// column or an index of one engine names it (`engine`), SQLite's sorted index tables, WITHOUT ROWID
// tables, views and constraints sit under `sqlite`, PostgreSQL's summaries, triggers, statistics
// and the indexes an older store had in their place under `postgres`.
//
// One rule is general: a key (primary, unique, or an index) that names a column an engine lacks
// leaves it out there, and a key of such columns alone is that other engine's. It is the
// collector's: every per-collector table carries the collector on PostgreSQL, first in its keys
// (several collectors write one database), and SQLite, one collector's store, keys the same rows
// without it.

export type Engine = 'sqlite' | 'postgres';

/** `id`: the table's own row number (SQLite's INTEGER PRIMARY KEY, PostgreSQL's identity column). */
export type ColumnType = 'id' | 'integer' | 'text' | 'bytes';

export interface Column {
  name: string;
  type: ColumnType;
  /** NULL allowed: on both engines, or on the one named alone. */
  nullable?: boolean | Engine;
  /** A constant default, as SQL. */
  default?: string;
  /** The column exists on this engine only. */
  engine?: Engine;
  /**
   * SQLite's constraints on the column (migrations 002–005, 015, 017), which PostgreSQL's tables
   * were made without: there the writers keep them (a user's tokens and sessions are removed in the
   * user's transaction, docs/ARCHITECTURE.md).
   */
  sqlite?: { references?: string; check?: string };
}

export interface Index {
  name: string;
  /** Column names, or SQL expressions. */
  columns: string[];
  where?: string;
  unique?: boolean;
  /** Columns carried in the index's entries, not ordered by (PostgreSQL's INCLUDE): a filter on them needs no row. */
  include?: string[];
  /** A hash index (one column; equality only): its entries hold a hash, so a value of any length goes in. */
  hash?: boolean;
  /** The index exists on this engine only. */
  engine?: Engine;
}

/** One object the DDL makes beside a table: its name (with `trigger` a trigger's, with `statistics` extended statistics') and the statement(s). */
export interface DdlObject {
  name: string;
  sql: string;
  trigger?: boolean;
  statistics?: boolean;
}

export interface Table {
  name: string;
  /** The table exists on this engine only. */
  engine?: Engine;
  columns: Column[];
  primaryKey: string[];
  unique?: string[][];
  indexes?: Index[];
  sqlite?: {
    /** Rows kept in primary-key order, without a rowid (a table whose key is the whole row, or most of it). */
    withoutRowid?: boolean;
    /** Made after every table and index: views over this table, and the rows a new store starts with. */
    after?: DdlObject[];
  };
  postgres?: {
    /** What PostgreSQL keeps from this table's rows itself (a summary and the trigger that maintains it), made after the table. */
    derived?: DdlObject[];
    /** Indexes (or key constraints) an older store has in place of some of `indexes`: dropped where found (pg/migrate.ts). */
    replaces?: string[];
  };
}

export const col = (name: string, type: ColumnType, nullable: boolean | Engine = false, dflt?: string): Column => ({
  name, type, ...(nullable ? { nullable } : {}), ...(dflt !== undefined ? { default: dflt } : {}),
});

/** `c` citing a row of another table (SQLite's foreign key, as `table(column)`). */
export const ref = (c: Column, references: string): Column => ({ ...c, sqlite: { ...c.sqlite, references } });

/** `c` on `engine` alone. */
export const only = (engine: Engine, c: Column): Column => ({ ...c, engine });

/** A column as one engine has it. */
export interface EngineColumn {
  name: string;
  type: ColumnType;
  nullable: boolean;
  default?: string;
  references?: string;
  check?: string;
}

/** A table as one engine has it: its columns, keys and indexes, and that engine's own parts. */
export interface EngineTable {
  name: string;
  columns: EngineColumn[];
  primaryKey: string[];
  unique: string[][];
  indexes: Index[];
  withoutRowid: boolean;
  /** Made after the table (PostgreSQL) or after every table (SQLite). */
  after: DdlObject[];
  replaces: string[];
}

const on = (engine: Engine, e: { engine?: Engine }): boolean => e.engine === undefined || e.engine === engine;

/** `t` as `engine` has it, or undefined where it has no such table. */
export function onEngine(t: Table, engine: Engine): EngineTable | undefined {
  if (!on(engine, t)) return undefined;
  const columns = t.columns.filter((c) => on(engine, c));
  const names = new Set(columns.map((c) => c.name));
  const described = new Set(t.columns.map((c) => c.name));
  // The collector rule (above): a key's column the engine lacks is left out of it there.
  const key = (cols: readonly string[]): string[] => cols.filter((c) => names.has(c) || !described.has(c));
  const indexes = (t.indexes ?? []).filter((i) => on(engine, i) && key(i.columns).length).map((i) => ({ ...i, columns: key(i.columns) }));
  return {
    name: t.name,
    columns: columns.map((c) => ({
      name: c.name,
      type: c.type,
      nullable: c.nullable === true || c.nullable === engine,
      ...(c.default !== undefined ? { default: c.default } : {}),
      ...(engine === 'sqlite' && c.sqlite?.references ? { references: c.sqlite.references } : {}),
      ...(engine === 'sqlite' && c.sqlite?.check ? { check: c.sqlite.check } : {}),
    })),
    primaryKey: key(t.primaryKey),
    unique: (t.unique ?? []).map(key).filter((u) => u.length),
    indexes,
    withoutRowid: engine === 'sqlite' && t.sqlite?.withoutRowid === true,
    after: engine === 'sqlite' ? t.sqlite?.after ?? [] : t.postgres?.derived ?? [],
    replaces: engine === 'postgres' ? t.postgres?.replaces ?? [] : [],
  };
}

/** Those of `tables` `engine` has, as it has them. */
export const tablesOn = (engine: Engine, tables: readonly Table[]): EngineTable[] =>
  tables.flatMap((t) => onEngine(t, engine) ?? []);
