// One transaction on one client of a pool: BEGIN, the work, COMMIT, or ROLLBACK when it throws.

import type pg from 'pg';

/** Run `work` in one transaction on a client of `pool`; `begin` names its mode (a read-only snapshot, say). */
export async function inTransaction<T>(pool: pg.Pool, work: (c: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const c = await pool.connect();
  // The pool listens for a connection cut only while the client is idle in it; checked out, pg
  // emits 'error' on the client besides failing its query, which unheard ends the process (a
  // server restart mid-transaction). The query's failure is what reports it.
  c.on('error', ignoreCut);
  try {
    await c.query(begin);
    const out = await work(c);
    await c.query('COMMIT');
    return out;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.off('error', ignoreCut);
    c.release();
  }
}

/** For a checked-out client: a cut connection fails its query, and that is all (see inTransaction). */
export const ignoreCut = (): void => undefined;
