// Opening the web's data access for the configured store: SQLite (store.path), or PostgreSQL
// (store.url) through connectPool, so TLS, the one-line failure and the hidden password are those
// of every command. The web's tables are made on PostgreSQL where they are missing; the driver is
// loaded only then.

import { existsSync } from 'node:fs';
import { resolveSecret } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { openDatabase } from '../../store/db.js';
import type { WebAccess } from './access.js';
import { sqliteAccess } from './sqlite-access.js';

/**
 * `connections`: the PostgreSQL pool's size. `mustExist`: a SQLite file that is not there is an
 * error (a command that only reads), rather than a new store.
 */
export async function openWebAccess(config: Config, o: { connections: number; mustExist?: boolean }): Promise<WebAccess> {
  if (config.store.url === undefined) {
    if (o.mustExist && !existsSync(config.store.path)) {
      throw new Error(`no database at ${config.store.path} (start aaawatch with \`aaawatch serve\` first, or pass --config)`);
    }
    return sqliteAccess(openDatabase(config.store.path), true);
  }
  const { connectPool } = await import('../../store/pg/connection.js');
  const { PG_NUMBERS, createWebTables, pgAccess } = await import('./pg-access.js');
  const pool = await connectPool({ url: resolveSecret(config.store.url, 'store.url'), key: 'store.url' }, { max: o.connections, types: PG_NUMBERS });
  try {
    await createWebTables(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  return pgAccess(pool, true);
}
