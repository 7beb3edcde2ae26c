// One transaction on one client of a pool: BEGIN, the work, COMMIT, or ROLLBACK when it throws.

import type pg from 'pg';

/** Run `work` in one transaction on a client of `pool`; `begin` names its mode (a read-only snapshot, say). */
export async function inTransaction<T>(pool: pg.Pool, work: (c: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query(begin);
    const out = await work(c);
    await c.query('COMMIT');
    return out;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}
