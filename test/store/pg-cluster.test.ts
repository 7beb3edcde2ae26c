import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable, startPostgres, type ThrowawayPostgres } from '../support/postgres.js';

describe.skipIf(!postgresAvailable())('throwaway PostgreSQL cluster', () => {
  let cluster: ThrowawayPostgres;
  beforeAll(async () => {
    cluster = await startPostgres();
  });
  afterAll(() => cluster?.stop());

  it('answers a query through the pg driver', async () => {
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: string; sum: number }>('SELECT version() AS version, $1::int + $2::int AS sum', [40, 2]);
      expect(rows[0]!.sum).toBe(42);
      expect(rows[0]!.version).toMatch(/^PostgreSQL 15\./);
      const who = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      expect(who.rows[0]!.pid).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  });
});
