// PostgreSQL's half of test/store/schema.test.ts: a database made by the collectors' own start-up
// paths (ingest, pulls, the web, migrate's purge log, leases), read back from the catalog, holds
// exactly what the schema description (src/store/schema/) says PostgreSQL has — every table and
// column with its type, nullability, default and identity, every key, every index of the kind,
// uniqueness, condition and columns described, the triggers and statistics — and nothing else.

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTables, createIngestTables } from '../../src/store/pg/migrate.js';
import { createPullTables } from '../../src/store/pg/pull-tables.js';
import { FINDING_CASES } from '../../src/store/schema/findings.js';
import { SCHEMA } from '../../src/store/schema/index.js';
import { CHAIN_PURGES } from '../../src/store/schema/ingest.js';
import { postgresDdl } from '../../src/store/schema/postgres.js';
import { tablesOn, type EngineTable } from '../../src/store/schema/table.js';
import { createWebTables } from '../../src/web/data/pg-access.js';
import { postgresAvailable, startPostgres, type ThrowawayPostgres } from '../support/postgres.js';

let cluster: ThrowawayPostgres;
let pool: pg.Pool;

const TYPES = { id: 'bigint', integer: 'bigint', text: 'text', bytes: 'bytea' } as const;

interface CatalogColumn { name: string; type: string; nullable: boolean; default: string | null; identity: boolean }
interface CatalogIndex { name: string; unique: boolean; partial: boolean; method: string; keys: Array<string | null>; included: number; constraint: string | null }

async function columnsOf(table: string): Promise<CatalogColumn[]> {
  const { rows } = await pool.query<CatalogColumn>(
    `SELECT column_name AS name, data_type AS type, is_nullable = 'YES' AS nullable, column_default AS default, is_identity = 'YES' AS identity
       FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return rows;
}

async function keyOf(table: string, kind: 'p' | 'u'): Promise<string[][]> {
  const { rows } = await pool.query<{ columns: string[] }>(
    `SELECT array_agg(a.attname::text ORDER BY k.n) AS columns
       FROM pg_constraint c CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
      WHERE c.conrelid = $1::regclass AND c.contype = $2 GROUP BY c.oid ORDER BY 1`,
    [table, kind],
  );
  return rows.map((r) => r.columns);
}

async function indexesOf(table: string): Promise<CatalogIndex[]> {
  const { rows } = await pool.query<CatalogIndex>(
    `SELECT c.relname AS name, i.indisunique AS unique, i.indpred IS NOT NULL AS partial, am.amname AS method,
            (SELECT array_agg(a.attname::text ORDER BY k.n) FROM unnest(i.indkey[0:i.indnkeyatts - 1]) WITH ORDINALITY AS k(attnum, n)
               LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum) AS keys,
            i.indnatts - i.indnkeyatts AS included,
            (SELECT k.contype::text FROM pg_constraint k WHERE k.conindid = c.oid) AS constraint
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
      WHERE i.indrelid = $1::regclass ORDER BY c.relname`,
    [table],
  );
  return rows;
}

/** What the catalog should say of a column: identity ids are bigint; a key's columns are NOT NULL; a default as PostgreSQL prints it. */
function expectedColumns(t: EngineTable): CatalogColumn[] {
  return t.columns.map((c) => ({
    name: c.name,
    type: TYPES[c.type],
    nullable: c.nullable && c.type !== 'id' && !t.primaryKey.includes(c.name),
    default: c.default === undefined ? null : c.default === "''" ? "''::text" : c.default,
    identity: c.type === 'id',
  }));
}

/** An index's key as the catalog names it: a column's name, or null for an expression. */
const keyName = (t: EngineTable, column: string): string | null => (t.columns.some((c) => c.name === column) ? column : null);

describe.skipIf(!postgresAvailable())('the PostgreSQL schema and its description', () => {
  beforeAll(async () => {
    cluster = await startPostgres();
    pool = new pg.Pool({ connectionString: cluster.url, max: 4 });
    // As a collector, the web, and `aaawatch migrate` make them, each where it is missing.
    await createIngestTables(pool);
    await createPullTables(pool);
    await createWebTables(pool);
    await createTables(pool, [CHAIN_PURGES]);
  });
  afterAll(async () => {
    await pool?.end();
    cluster?.stop();
  });

  const described = [...tablesOn('postgres', SCHEMA), ...tablesOn('postgres', [FINDING_CASES])];

  it('has every table the description gives PostgreSQL, and no other', async () => {
    const { rows } = await pool.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`);
    expect(rows.map((r) => r.name)).toEqual(described.map((t) => t.name).sort());
    // SQLite's own tables are not made here.
    expect(rows.map((r) => r.name)).not.toContain('events_by_device');
  });

  it('has each table\'s columns, in order, with their types, nullability, defaults and identity', async () => {
    for (const t of described) expect(await columnsOf(t.name), t.name).toEqual(expectedColumns(t));
  });

  it('has each table\'s primary and unique keys, the collector first in a per-collector table\'s', async () => {
    for (const t of described) {
      expect(await keyOf(t.name, 'p'), `${t.name} primary key`).toEqual(t.primaryKey.length ? [t.primaryKey] : []);
      expect(await keyOf(t.name, 'u'), `${t.name} unique`).toEqual([...t.unique].sort());
    }
    expect((await keyOf('traffic', 'p'))[0]![0]).toBe('collector');
  });

  it('has each table\'s described indexes — kind, uniqueness, condition, keys, carried columns — and no other', async () => {
    for (const t of described) {
      const found = (await indexesOf(t.name)).filter((i) => i.constraint === null);
      const want = [...t.indexes].sort((a, b) => (a.name < b.name ? -1 : 1));
      expect(found.map((i) => i.name), t.name).toEqual(want.map((i) => i.name));
      for (const [n, i] of want.entries()) {
        expect(found[n], `${t.name}.${i.name}`).toEqual({
          name: i.name, unique: i.unique === true, partial: i.where !== undefined, method: i.hash ? 'hash' : 'btree',
          keys: i.columns.map((c) => keyName(t, c)), included: i.include?.length ?? 0, constraint: null,
        });
      }
    }
  });

  it('has the triggers and statistics the description derives', async () => {
    const objects = SCHEMA.flatMap(postgresDdl);
    const { rows: triggers } = await pool.query<{ name: string }>('SELECT tgname AS name FROM pg_trigger WHERE NOT tgisinternal');
    for (const o of objects.filter((x) => x.trigger)) expect(triggers.map((r) => r.name)).toContain(o.name);
    const { rows: statistics } = await pool.query<{ name: string }>('SELECT stxname AS name FROM pg_statistic_ext ORDER BY 1');
    expect(statistics.map((r) => r.name)).toEqual(objects.filter((x) => x.statistics).map((x) => x.name).sort());
  });
});
