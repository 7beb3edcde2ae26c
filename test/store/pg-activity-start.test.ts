// The activity log's entries older than its chain on PostgreSQL (issue 15), as SQLite's migration
// 022 records them (test/store/activity-start.test.ts): when web_audit_start is made, the entries
// without a hash before the first hashed one (a SQLite store's from before its chain, copied here)
// are recorded, and any other entry without a hash is a break `verify` reports. Against a
// throwaway cluster (test/support/postgres.ts).

import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWebTables, PG_NUMBERS, pgAccess, verifyActivityPg } from '../../src/web/data/pg-access.js';
import { WEB_TABLES } from '../../src/store/schema/web.js';
import { postgresAvailable, startPostgres, type ThrowawayPostgres } from '../support/postgres.js';

let cluster: ThrowawayPostgres;
let pool: pg.Pool;

const log = async (n: number): Promise<void> => {
  const access = pgAccess(pool);
  for (let i = 0; i < n; i++) await access.logActivity({ at: 5_000 + i, user: 'admin', address: '192.0.2.7', action: 'finding.acknowledge', detail: { id: i } });
};

describe.skipIf(!postgresAvailable())('PostgreSQL activity log entries older than the chain', () => {
  beforeAll(async () => {
    cluster = await startPostgres();
    pool = new pg.Pool({ connectionString: cluster.url, max: 4, types: PG_NUMBERS });
  });
  afterAll(async () => {
    await pool?.end();
    cluster?.stop();
  });
  beforeEach(async () => {
    await pool.query(`DROP TABLE IF EXISTS ${WEB_TABLES.map((t) => t.name).join(', ')} CASCADE`);
  });

  it('records the entries a copied store held without hashes when the table is made, and verifies them as older', async () => {
    // A database holding a log copied from a SQLite store before that store recorded its older entries.
    await createWebTables(pool);
    await pool.query('DROP TABLE web_audit_start');
    for (let i = 0; i < 3; i++) await pool.query(`INSERT INTO web_audit (at, "user", address, action, detail) VALUES ($1, 'admin', NULL, 'login', '{}')`, [1_000 + i]);
    await createWebTables(pool);
    await log(2);
    expect((await pool.query('SELECT last_id, entries FROM web_audit_start')).rows).toEqual([{ last_id: 3, entries: 3 }]);
    expect(await verifyActivityPg(pool)).toMatchObject({ ok: true, checked: 2, unchained: 3 });
    // Made again (another node starting), nothing more is recorded.
    await pool.query('UPDATE web_audit SET hash = NULL, prev_hash = NULL');
    await createWebTables(pool);
    expect((await pool.query('SELECT last_id, entries FROM web_audit_start')).rows).toEqual([{ last_id: 3, entries: 3 }]);
    expect(await verifyActivityPg(pool)).toMatchObject({ ok: false, broken: { id: 4, reason: 'an entry without a hash, not one of the 3 entries older than the chain' } });
  });

  it('reports a log whose hashes were all set to NULL as broken', async () => {
    await createWebTables(pool);
    await log(2);
    expect(await verifyActivityPg(pool)).toMatchObject({ ok: true, checked: 2, unchained: 0 });
    await pool.query('UPDATE web_audit SET hash = NULL, prev_hash = NULL');
    const first = (await pool.query<{ id: number }>('SELECT min(id) AS id FROM web_audit')).rows[0]!.id;
    expect(await verifyActivityPg(pool)).toMatchObject({ ok: false, broken: { id: first, reason: 'an entry without a hash, not one of the 0 entries older than the chain' } });
  });
});
