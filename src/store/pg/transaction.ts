// One transaction on one client of a pool: BEGIN, the work, COMMIT, or ROLLBACK when it throws.

import type pg from 'pg';

/**
 * Listened for on a client while it is checked out: pg-pool watches for a connection ending only
 * while the client is idle in the pool, and pg says so on the client besides failing the query;
 * unheard, that 'error' ends the thread (the server restarting mid-transaction). The failing query
 * reports it.
 */
export const ignoreCheckedOutError = (): void => undefined;

/**
 * Run `work` in one transaction on a client of `pool`; `begin` names its mode (a read-only snapshot,
 * say). A client whose transaction failed is not given back to the pool: its connection may be
 * broken (the server restarting), and the next transaction connects again.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (c: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const c = await pool.connect();
  // Optional: a client lent by a test (pg-store's schema race) has no events.
  c.on?.('error', ignoreCheckedOutError);
  let failed: Error | undefined;
  try {
    await c.query(begin);
    const out = await work(c);
    await c.query('COMMIT');
    return out;
  } catch (err) {
    failed = err instanceof Error ? err : new Error(String(err));
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.off?.('error', ignoreCheckedOutError);
    c.release(failed);
  }
}
