// Makes the ingest tables in a PostgreSQL database. Several collectors may start at once against
// an empty database: a transaction-scoped advisory lock lets one create while the others wait.
// Only what is missing is created: `CREATE INDEX IF NOT EXISTS` takes a SHARE lock on its table
// before it finds the index there, so a collector starting beside one that is already writing
// would queue behind (and deadlock with) that one's inserts, table by table.
//
// An index whose definition changed has a new name; an older store's index of the old name is
// dropped (Table.postgres.replaces) and the new one built, once, by the first collector to start: on a grown
// store that takes a while (minutes at 10M records), and the others wait on the schema lock.

import type pg from 'pg';
import { INGEST_TABLES } from '../schema/ingest.js';
import { postgresAddedColumns, postgresDdl } from '../schema/postgres.js';
import type { Table } from '../schema/table.js';
import { KEY_DIGEST_FUNCTION } from './text-keys.js';
import { inTransaction } from './transaction.js';

/** An arbitrary constant naming aaawatch's schema lock among other users of the database. */
const SCHEMA_LOCK = 0x61616177;

export function createIngestTables(pool: pg.Pool): Promise<void> {
  return createTables(pool, INGEST_TABLES);
}

/** Make `tables` (and their indexes) where they are missing, under the schema lock. */
export function createTables(pool: pg.Pool, tables: readonly Table[]): Promise<void> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    const statements = [...(await addedColumns(client, tables)), ...(await missing(client, tables))];
    if (statements.length === 0) return;
    // The unique indexes over names a sender chooses hold their digest (text-keys.ts).
    await client.query(KEY_DIGEST_FUNCTION);
    for (const sql of await replaced(client, tables)) await client.query(sql);
    for (const sql of statements) await client.query(sql);
  });
}

/** The statements dropping what an older store has in place of `tables`' indexes: an index, or a key constraint and its index. */
async function replaced(db: pg.ClientBase, tables: readonly Table[]): Promise<string[]> {
  const old = tables.flatMap((t) => t.postgres?.replaces ?? []);
  if (old.length === 0) return [];
  const { rows } = await db.query<{ relname: string; owner: string | null }>(
    `SELECT c.relname, (SELECT k.conrelid::regclass::text FROM pg_constraint k WHERE k.conindid = c.oid AND k.contype IN ('p', 'u')) AS owner
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind = 'i' AND c.relname = ANY($1)`,
    [old],
  );
  return rows.map((r) => (r.owner !== null ? `ALTER TABLE ${r.owner} DROP CONSTRAINT ${r.relname}` : `DROP INDEX ${r.relname}`));
}

/** The statements adding the columns a table made by an older release lacks that it can add (nullable or with a default: finding_history's path, schema 24; native_senders' malformed packets, 27). */
async function addedColumns(db: pg.ClientBase, tables: readonly Table[]): Promise<string[]> {
  const { rows } = await db.query<{ table_name: string; column_name: string }>(
    'SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ANY($1)',
    [tables.map((t) => t.name)],
  );
  const had = new Map<string, Set<string>>();
  for (const r of rows) (had.get(r.table_name) ?? had.set(r.table_name, new Set()).get(r.table_name)!).add(r.column_name);
  return tables.flatMap((t) => postgresAddedColumns(t, had.get(t.name) ?? new Set()));
}

/** The statements making those of `tables`' tables and indexes that are not there yet, in order. */
async function missing(db: pg.ClientBase, tables: readonly Table[]): Promise<string[]> {
  const objects = tables.flatMap(postgresDdl);
  const { rows } = await db.query<{ relname: string }>(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relname = ANY($1)
     UNION ALL
     SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND NOT t.tgisinternal AND t.tgname = ANY($2)
     UNION ALL
     SELECT s.stxname FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace WHERE n.nspname = current_schema() AND s.stxname = ANY($3)`,
    [
      objects.filter((o) => !o.trigger && !o.statistics).map((o) => o.name), objects.filter((o) => o.trigger).map((o) => o.name),
      objects.filter((o) => o.statistics).map((o) => o.name),
    ],
  );
  const present = new Set(rows.map((r) => r.relname));
  return objects.filter((o) => !present.has(o.name)).map((o) => o.sql);
}
