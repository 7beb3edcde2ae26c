// Opening the SQLite database: WAL, pragmas, schema. One file is the whole state.

import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrations } from './migrations/index.js';
import { SCHEMA } from './schema/index.js';
import { sqliteDdl } from './schema/sqlite.js';

export type Db = Database.Database;

/**
 * The evidence is for the service and its group only, whatever the umask of whoever starts
 * aaawatch first (systemd's UMask=0027 covers only the unit): a folder aaawatch makes is 0750, a
 * database it creates 0640. SQLite gives the -wal and -shm files the mode of the database.
 */
const DIR_MODE = 0o750;
const FILE_MODE = 0o640;

/**
 * The page size of a store made here: 16 KiB, where SQLite's default is 4. A commit writes each
 * page it changed to the WAL as a frame of its own, and an ingest commit changes index pages
 * scattered by device and time (events_device_target, events_time): on aaa-only a third of the
 * frames for 1.35-1.5x the bytes cost the store thread 7-9% less CPU a record and the checkpoint 18-30%
 * less, fresh and grown, RADIUS commit groups the same (BENCHMARKS.md, storepage14). A store made
 * before keeps its 4 KiB.
 */
export const PAGE_SIZE = 16_384;

/** WAL bytes past which a connection checkpoints itself (wal_autocheckpoint counts pages). */
export const AUTOCHECKPOINT_BYTES = 16 * 1024 * 1024;

/** `bytes` of WAL as pages of `db`'s size, for wal_autocheckpoint: a bound keeps its bytes whatever page size a store has. */
export function walPages(db: Db, bytes: number): number {
  return Math.max(1, Math.round(bytes / (db.pragma('page_size', { simple: true }) as number)));
}

/**
 * How long a connection waits for another's write lock (SQLite's busy handler) before its write
 * fails SQLITE_BUSY: every connection, serve's threads and the commands alike. A write
 * transaction that reads first is begun IMMEDIATE, or the wait is not taken (src/pull/record.ts).
 */
export const BUSY_TIMEOUT_MS = 5000;

export function openDatabase(path: string, options: { readonly?: boolean; cacheMiB?: number } = {}): Db {
  const creating = path !== ':memory:' && !options.readonly && !existsSync(path);
  if (creating) mkdirSync(dirname(path), { recursive: true, mode: DIR_MODE });
  const db = new Database(path, { readonly: options.readonly === true, fileMustExist: options.readonly === true });
  if (creating) {
    // Opening created the file, empty; nothing is written to it, or to a -wal beside it, before this.
    for (const f of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(f)) chmodSync(f, FILE_MODE);
  }
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (options.readonly) return db;
  // Before anything is written: a store keeps the page size it was made with (a change needs VACUUM).
  if (creating) db.pragma(`page_size = ${PAGE_SIZE}`);
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a power cut may lose the last transactions, never corrupt the file.
  db.pragma('synchronous = NORMAL');
  // Checkpoint every 16 MiB of WAL rather than 4: index pages that change in many consecutive
  // batches are copied back to the database once, not each time. Whichever connection commits past
  // the mark checkpoints, so every connection uses the same one.
  db.pragma(`wal_autocheckpoint = ${walPages(db, AUTOCHECKPOINT_BYTES)}`);
  db.pragma('foreign_keys = ON');
  db.pragma('temp_store = MEMORY');
  // The ingest store asks for more page cache, so the busy tables' index pages stay in memory.
  db.pragma(`cache_size = -${(options.cacheMiB ?? 8) * 1024}`);
  migrate(db);
  return db;
}

/**
 * A new store is made from the schema description (src/store/schema/) and stamped with the last
 * migration's version; a store made by an older aaawatch is brought up to it by the migrations
 * after its version, which also move its rows (test/store/schema.test.ts: both end the same).
 */
export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(`database schema version ${current} is newer than this aaawatch (${migrations.length}); upgrade aaawatch`);
  }
  if (current === 0) {
    db.transaction(() => {
      for (const sql of sqliteDdl(SCHEMA)) db.exec(sql);
      db.pragma(`user_version = ${migrations.length}`);
    })();
    return;
  }
  for (let v = current; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
