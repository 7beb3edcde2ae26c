// The schema description (table.ts) rendered as SQLite DDL, spelt as the migrations spelt it (a
// lone key inline, STRICT tables), so that a store made from it and one brought up through every
// migration hold the same schema, statement for statement (test/store/schema.test.ts). A new store
// is made from this (src/store/db.ts); the migrations remain the way an older store gets there.

import { tablesOn, type ColumnType, type EngineColumn, type EngineTable, type Table } from './table.js';

const SQLITE_TYPES: Record<ColumnType, string> = { id: 'INTEGER', integer: 'INTEGER', text: 'TEXT', bytes: 'BLOB' };

function column(t: EngineTable, c: EngineColumn): string {
  // A lone primary key is the column's (an INTEGER one is then the rowid); a STRICT table's is NOT NULL already.
  const key = t.primaryKey.length === 1 && t.primaryKey[0] === c.name;
  if (c.type === 'id' && !key) throw new Error(`${t.name}.${c.name}: a row's id is its table's primary key`);
  return [
    `${c.name} ${SQLITE_TYPES[c.type]}`,
    key ? ' PRIMARY KEY' : c.nullable ? '' : ' NOT NULL',
    c.default !== undefined ? ` DEFAULT ${c.default}` : '',
    t.unique.some((u) => u.length === 1 && u[0] === c.name) ? ' UNIQUE' : '',
    c.check ? ` CHECK (${c.check})` : '',
    c.references ? ` REFERENCES ${c.references}` : '',
  ].join('');
}

function createTable(t: EngineTable): string {
  const lines = t.columns.map((c) => column(t, c));
  if (t.primaryKey.length > 1) lines.push(`PRIMARY KEY (${t.primaryKey.join(', ')})`);
  for (const u of t.unique) if (u.length > 1) lines.push(`UNIQUE (${u.join(', ')})`);
  return `CREATE TABLE ${t.name} (\n  ${lines.join(',\n  ')}\n) STRICT${t.withoutRowid ? ', WITHOUT ROWID' : ''}`;
}

function createIndexes(t: EngineTable): string[] {
  return t.indexes.map((i) => {
    if (i.hash || i.include) throw new Error(`${t.name}: index ${i.name} is of a kind SQLite has not; declare it PostgreSQL's`);
    return `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${i.name} ON ${t.name} (${i.columns.join(', ')})${i.where ? ` WHERE ${i.where}` : ''}`;
  });
}

/** The statements making `tables` in an empty SQLite store: the tables, their indexes, then views and first rows. */
export function sqliteDdl(tables: readonly Table[]): string[] {
  const ts = tablesOn('sqlite', tables);
  return [...ts.map(createTable), ...ts.flatMap(createIndexes), ...ts.flatMap((t) => t.after.map((o) => o.sql))];
}
