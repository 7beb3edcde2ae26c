// The schema description (table.ts) rendered as PostgreSQL DDL: an identity column for a table's
// own ids, bigint for integers, bytea for bytes; every statement safe to run again, as a store is
// made by whichever collector starts first and completed by the others (src/store/pg/migrate.ts).

import { onEngine, type ColumnType, type DdlObject, type Table } from './table.js';

const PG_TYPES: Record<ColumnType, string> = { id: 'bigint GENERATED ALWAYS AS IDENTITY', integer: 'bigint', text: 'text', bytes: 'bytea' };

/** CREATE statements for a table, its indexes and what is derived from it; none for a table PostgreSQL has not. */
export function postgresDdl(table: Table): DdlObject[] {
  const t = onEngine(table, 'postgres');
  if (!t) return [];
  // Names quoted: a column may be a word PostgreSQL reserves (web_audit.user).
  const lines = t.columns.map((c) => `  "${c.name}" ${PG_TYPES[c.type]}${c.nullable || c.type === 'id' ? '' : ' NOT NULL'}${c.default !== undefined ? ` DEFAULT ${c.default}` : ''}`);
  if (t.primaryKey.length) lines.push(`  PRIMARY KEY (${t.primaryKey.join(', ')})`);
  for (const u of t.unique) lines.push(`  UNIQUE (${u.join(', ')})`);
  return [
    { name: t.name, sql: `CREATE TABLE IF NOT EXISTS ${t.name} (\n${lines.join(',\n')}\n)` },
    ...t.indexes.map((i) => ({
      name: i.name,
      sql: `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${i.name} ON ${t.name}${i.hash ? ' USING hash' : ''} (${i.columns.join(', ')})${i.include ? ` INCLUDE (${i.include.join(', ')})` : ''}${i.where ? ` WHERE ${i.where}` : ''}`,
    })),
    ...t.after,
  ];
}

/**
 * The statements adding a column a table made by an older release lacks (`had`: the columns it
 * has), for the nullable columns and those with a constant default: rows already there read NULL
 * (a decision's path, src/reconcile/decision-path.ts) or the default (a native sender's malformed
 * packets, 0), and adding one changes the catalogue only (PostgreSQL 11 and later keep a constant
 * default there). Any other column that may not be NULL needs a step of its own that says what the
 * old rows hold.
 */
export function postgresAddedColumns(table: Table, had: ReadonlySet<string>): string[] {
  const t = onEngine(table, 'postgres');
  if (!t || had.size === 0) return [];
  return t.columns
    .filter((c) => (c.nullable || c.default !== undefined) && !had.has(c.name))
    .map((c) => `ALTER TABLE ${t.name} ADD COLUMN IF NOT EXISTS "${c.name}" ${PG_TYPES[c.type]}${c.nullable ? '' : ' NOT NULL'}${c.default !== undefined ? ` DEFAULT ${c.default}` : ''}`);
}
