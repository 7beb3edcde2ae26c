// The pull store a command works on: PostgreSQL when store.url is set (the estate's, shared by its
// collectors, with the device pull leases every collector takes), else the SQLite file at
// store.path (one process pulls: no leases).

import { resolveSecret } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { PullLeases } from '../pull/run.js';
import { sqlitePullStore, type PullStore } from '../pull/pull-store.js';
import { openDatabase } from '../store/db.js';
import { pgWhere } from '../store/pg/where.js';

/** `connections`: the PostgreSQL pool's size (pulls at once, and a lease renewal beside them). */
export async function withPullStore<T>(config: Config, work: (store: PullStore, leases?: PullLeases) => Promise<T>, o: { connections?: number } = {}): Promise<T> {
  if (config.store.url === undefined) {
    const db = openDatabase(config.store.path);
    try {
      return await work(sqlitePullStore(db));
    } finally {
      db.close();
    }
  }
  const { connectPool } = await import('../store/pg/connection.js');
  const { createIngestTables } = await import('../store/pg/migrate.js');
  const { createPullTables } = await import('../store/pg/pull-tables.js');
  const { PgPullStore } = await import('../store/pg/pull-store.js');
  const { Leases, pullLease } = await import('../store/pg/leases.js');
  const url = resolveSecret(config.store.url, 'store.url');
  const pool = await connectPool({ url, key: 'store.url' }, { max: o.connections ?? 1 });
  try {
    await createIngestTables(pool);
    await createPullTables(pool);
    // The leases serve's pull scheduler takes (estate-service.ts): a device one collector is pulling is left alone.
    const pullLeases = new Leases(pool, config.collector!, config.store.pullLeaseSeconds * 1000);
    const leases: PullLeases = { exclusive: (device, pull) => pullLeases.withLease(pullLease(device), (_lease, lost) => pull(lost)) };
    return await work(new PgPullStore(pool, config.collector!, pgWhere(url, config.collector!)), leases);
  } finally {
    await pool.end();
  }
}
