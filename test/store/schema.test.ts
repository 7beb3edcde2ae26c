// One schema description for both engines (src/store/schema/): a new SQLite store is made from it,
// an older one is brought up by the migrations after its version, and both must end with the same
// schema — every table's statement, column, key, foreign key and index, every view and trigger,
// and the rows a store starts with. A change made to the description without its migration (or
// the other way round) fails here.

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, type Db } from '../../src/store/db.js';
import { migrations } from '../../src/store/migrations/index.js';
import { SCHEMA } from '../../src/store/schema/index.js';
import { sqliteDdl } from '../../src/store/schema/sqlite.js';
import { col, onEngine, type Table } from '../../src/store/schema/table.js';

/** A statement as SQLite keeps it, without comments and layout, names unquoted (a renamed table's is quoted). */
const normalise = (sql: string | null): string | null =>
  sql === null
    ? null
    : sql
        .replace(/--[^\n]*/g, '')
        .replace(/"/g, '')
        .replace(/\s+/g, ' ')
        .replace(/\s*([(),])\s*/g, '$1')
        .trim();

interface ObjectShape {
  type: string;
  name: string;
  table: string;
  sql: string | null;
  columns?: unknown[];
  foreignKeys?: unknown[];
  indexes?: unknown[];
  rows?: unknown[];
}

/** Everything a store's schema says, in name order: normalised statements, and what SQLite reads from them. */
function schemaOf(db: Db): ObjectShape[] {
  const objects = db
    .prepare("SELECT type, name, tbl_name AS \"table\", sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name")
    .all() as ObjectShape[];
  return objects.map((o) => {
    const shape: ObjectShape = { ...o, sql: normalise(o.sql) };
    if (o.type === 'table') {
      shape.columns = db.prepare(`PRAGMA table_xinfo(${o.name})`).all();
      shape.foreignKeys = db.prepare(`PRAGMA foreign_key_list(${o.name})`).all();
      shape.indexes = (db.prepare(`PRAGMA index_list(${o.name})`).all() as Array<{ name: string }>)
        .map((i) => ({ ...i, keys: db.prepare(`PRAGMA index_xinfo(${i.name})`).all() }))
        .sort((a, b) => a.name.localeCompare(b.name));
      // A store's first rows (index_moves' positions): the same in both.
      shape.rows = db.prepare(`SELECT * FROM ${o.name} ORDER BY 1`).all();
    }
    return shape;
  });
}

/** A store brought up from nothing by the first `upTo` migrations, as releases before the description made them. */
function migratedThrough(upTo: number): Db {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  for (let v = 0; v < upTo; v++) db.exec(migrations[v]!);
  db.pragma(`user_version = ${upTo}`);
  return db;
}

function described(): Db {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

describe('one schema description, both engines', () => {
  it('makes a new SQLite store from the description, stamped with the last migration', () => {
    const db = described();
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    // Made from the description, not by the migrations: 017's copy of the device index is not run.
    const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]);
    expect(names).toEqual(SCHEMA.filter((t) => t.engine !== 'postgres').map((t) => t.name).sort());
    expect(names).not.toContain('chain_heads');
  });

  it('holds the same schema as a store brought up through every migration, 001 to the last', () => {
    const fromHistory = migratedThrough(migrations.length);
    const fromDescription = described();
    const a = schemaOf(fromHistory);
    const b = schemaOf(fromDescription);
    expect(b.map((o) => `${o.type} ${o.name}`)).toEqual(a.map((o) => `${o.type} ${o.name}`));
    for (let i = 0; i < a.length; i++) expect(b[i], `${a[i]!.type} ${a[i]!.name}`).toEqual(a[i]);
    // The comparison sees a difference: one index more is one.
    fromDescription.exec('CREATE INDEX extra ON counters (updated_at)');
    expect(schemaOf(fromDescription)).not.toEqual(a);
  });

  it('upgrades a store left at any past version to the described schema', () => {
    const want = schemaOf(described());
    for (let at = 1; at < migrations.length; at++) {
      const db = migratedThrough(at);
      migrate(db);
      expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
      expect(schemaOf(db), `a store at version ${at}`).toEqual(want);
      db.close();
    }
  });

  it('keys a per-collector table with the collector on PostgreSQL and without it on SQLite', () => {
    const rejects = SCHEMA.find((t) => t.name === 'rejects')!;
    expect(onEngine(rejects, 'postgres')!.indexes.find((i) => i.name === 'rejects_reason')!.columns).toEqual(['collector', 'reason', 'id']);
    expect(onEngine(rejects, 'sqlite')!.indexes.find((i) => i.name === 'rejects_reason')!.columns).toEqual(['reason', 'id']);
    expect(onEngine(rejects, 'sqlite')!.columns.map((c) => c.name)).not.toContain('collector');
    const traffic = SCHEMA.find((t) => t.name === 'traffic')!;
    expect(onEngine(traffic, 'postgres')!.primaryKey).toEqual(['collector', 'hour', 'device', 'program']);
    expect(onEngine(traffic, 'sqlite')!.primaryKey).toEqual(['hour', 'device', 'program']);
    expect(onEngine(SCHEMA.find((t) => t.name === 'leases')!, 'sqlite')).toBeUndefined();
  });

  it('refuses to render for SQLite what only PostgreSQL has, unless it is declared PostgreSQL\'s', () => {
    const hashed: Table = { name: 't', columns: [col('id', 'id'), col('name', 'text')], primaryKey: ['id'], indexes: [{ name: 't_name', columns: ['name'], hash: true }] };
    expect(() => sqliteDdl([hashed])).toThrow(/t_name is of a kind SQLite has not/);
    expect(sqliteDdl([{ ...hashed, indexes: [{ ...hashed.indexes![0]!, engine: 'postgres' }] }])).toEqual(['CREATE TABLE t (\n  id INTEGER PRIMARY KEY,\n  name TEXT NOT NULL\n) STRICT']);
    const idNotKey: Table = { name: 'u', columns: [col('id', 'id'), col('at', 'integer')], primaryKey: ['at'] };
    expect(() => sqliteDdl([idNotKey])).toThrow(/a row's id is its table's primary key/);
  });
});
