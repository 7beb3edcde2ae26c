// Makes the ingest tables in a PostgreSQL database. Several collectors may start at once against
// an empty database: a transaction-scoped advisory lock lets one create while the others wait.

import type pg from 'pg';
import { INGEST_TABLES, postgresDdl, type Table } from './schema.js';

/** An arbitrary constant naming aaawatch's schema lock among other users of the database. */
const SCHEMA_LOCK = 0x61616177;

export function createIngestTables(pool: pg.Pool): Promise<void> {
  return createTables(pool, INGEST_TABLES);
}

/** Make `tables` (and their indexes) where they are missing, under the schema lock. */
export async function createTables(pool: pg.Pool, tables: readonly Table[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    for (const table of tables) for (const sql of postgresDdl(table)) await client.query(sql);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
