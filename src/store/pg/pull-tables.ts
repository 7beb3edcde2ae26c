// Makes the tables pulls and reconciliation write in a shared PostgreSQL store (described, for
// both engines, in src/store/schema/pull.ts).

import type pg from 'pg';
import { PULL_TABLES } from '../schema/pull.js';
import { createTables } from './migrate.js';

/** Make the tables (safe to run again; collectors starting together take turns under the schema lock). */
export function createPullTables(pool: pg.Pool): Promise<void> {
  return createTables(pool, PULL_TABLES);
}
