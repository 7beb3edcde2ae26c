// The pull store a command works on: PostgreSQL when store.url is set (the estate's, shared by its
// collectors), else the SQLite file at store.path.

import { resolveSecret } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { sqlitePullStore, type PullStore } from '../pull/pull-store.js';
import { openDatabase } from '../store/db.js';

export async function withPullStore<T>(config: Config, work: (store: PullStore) => Promise<T>): Promise<T> {
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
  const pool = await connectPool({ url: resolveSecret(config.store.url, 'store.url'), key: 'store.url' }, { max: 1 });
  try {
    await createIngestTables(pool);
    await createPullTables(pool);
    return await work(new PgPullStore(pool, config.collector!));
  } finally {
    await pool.end();
  }
}
