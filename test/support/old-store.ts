// A SQLite store as an older release left it: the migrations before `before` applied, the schema
// version saying so, so a test can fill it and see openDatabase upgrade it.

import Database from 'better-sqlite3';
import { join } from 'node:path';
import { migrations } from '../../src/store/migrations/index.js';
import { tempDir } from './temp.js';

/** A new store file migrated up to, not including, the migration `before`; its path and connection. */
export function storeBefore(before: string): { path: string; old: Database.Database } {
  const at = migrations.indexOf(before);
  if (at <= 0) throw new Error('not a migration after the first');
  const path = join(tempDir(), 'old.db');
  const old = new Database(path);
  old.pragma('journal_mode = WAL');
  for (let v = 0; v < at; v++) old.exec(migrations[v]!);
  old.pragma(`user_version = ${at}`);
  return { path, old };
}
