// Multi-row INSERT: one statement per chunk of rows, each row's values as parameters. PostgreSQL
// takes at most 65535 parameters in one statement, so the chunk size follows the column count.

import type pg from 'pg';

const MAX_PARAMETERS = 65_535;

export type SqlValue = string | number | Buffer | Uint8Array | null;

/**
 * PostgreSQL text cannot hold NUL, which hostile input can carry and SQLite keeps. Outside the
 * chain a NUL is stored as U+FFFD; chained records keep their exact text beside (see `events.body`).
 */
export const pgText = (s: string): string => (s.includes('\0') ? s.replaceAll('\0', '\uFFFD') : s);

/** Parameters as PostgreSQL takes them: text without NUL. */
export const pgValues = (values: readonly SqlValue[]): SqlValue[] => values.map((v) => (typeof v === 'string' ? pgText(v) : v));

/**
 * Insert `rows` into `table`; `suffix` follows the VALUES list (ON CONFLICT …, RETURNING …).
 * Returns the rows RETURNING gave, in statement order.
 */
export async function insertRows<R extends pg.QueryResultRow = pg.QueryResultRow>(
  client: pg.ClientBase, table: string, columns: readonly string[], rows: SqlValue[][], suffix = '',
): Promise<R[]> {
  const out: R[] = [];
  const perChunk = Math.floor(MAX_PARAMETERS / columns.length);
  for (let start = 0; start < rows.length; start += perChunk) {
    const chunk = rows.slice(start, start + perChunk);
    const values: SqlValue[] = [];
    const tuples = chunk.map((row) => {
      const first = values.length;
      values.push(...pgValues(row));
      return `(${row.map((_, i) => `$${first + i + 1}`).join(',')})`;
    });
    const result = await client.query<R>(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(',')} ${suffix}`, values);
    out.push(...result.rows);
  }
  return out;
}
