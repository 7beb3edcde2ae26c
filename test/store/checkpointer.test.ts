// WAL checkpoints in their own thread (src/store/checkpointer.ts): what the store connection
// committed reaches the database file itself, and without the thread the store connection
// checkpoints as before.

import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Checkpointer, FALLBACK_BYTES } from '../../src/store/checkpointer.js';
import { AUTOCHECKPOINT_BYTES, openDatabase, PAGE_SIZE, type Db } from '../../src/store/db.js';
import { tempDir } from '../support/temp.js';

/** Counters as the database file alone holds them (what a checkpoint copied there), the WAL left aside. */
function countersInFile(path: string): number {
  const copy = join(tempDir(), 'file-only.db');
  copyFileSync(path, copy);
  const db = new Database(copy, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM counters').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Where a connection checkpoints itself, in bytes of WAL. */
const walBytes = (db: Db): number => (db.pragma('wal_autocheckpoint', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);

describe('page size and checkpoint bounds', () => {
  it('makes a store with 16 KiB pages; a store made with 4 KiB keeps them, and every bound keeps its bytes', async () => {
    const made = join(tempDir(), 'new.db');
    const db = openDatabase(made);
    expect(db.pragma('page_size', { simple: true })).toBe(PAGE_SIZE);
    expect(walBytes(db)).toBe(AUTOCHECKPOINT_BYTES);
    db.close();

    const older = join(tempDir(), 'older.db');
    const raw = new Database(older);
    raw.pragma('page_size = 4096');
    raw.exec('CREATE TABLE made_before (x)');
    raw.close();
    const old = openDatabase(older);
    expect(old.pragma('page_size', { simple: true })).toBe(4096);
    expect(old.pragma('wal_autocheckpoint', { simple: true })).toBe(4096);
    const checkpoints = new Checkpointer(old, older);
    try {
      expect(old.pragma('wal_autocheckpoint', { simple: true })).toBe(16_384);
    } finally {
      await checkpoints.close();
    }
    old.close();
  });
});

describe('the checkpoint thread', () => {
  it('copies what the store connection committed into the database file; once it ends, the store connection checkpoints itself again', async () => {
    const path = join(tempDir(), 'store.db');
    const db = openDatabase(path);
    // The schema in the file itself, so that the file alone can be read.
    db.pragma('wal_checkpoint(TRUNCATE)');
    const checkpoints = new Checkpointer(db, path);
    try {
      expect(walBytes(db)).toBe(FALLBACK_BYTES);
      const put = db.prepare('INSERT INTO counters (name, value, updated_at) VALUES (?, 1, 0)');
      for (let i = 0; i < 200; i++) db.transaction(() => put.run(`c${i}`))();
      // Committed to the WAL only: the file does not hold them yet.
      expect(countersInFile(path)).toBe(0);

      const done = await checkpoints.checkpoint();
      expect(done).toMatchObject({ ok: true });
      if (!('log' in done)) throw new Error('no checkpoint');
      expect(done.log).toBeGreaterThan(0);
      expect(done.checkpointed).toBe(done.log);
      expect(countersInFile(path)).toBe(200);
    } finally {
      await checkpoints.close();
    }
    expect(walBytes(db)).toBe(AUTOCHECKPOINT_BYTES);
    await expect(checkpoints.checkpoint()).resolves.toMatchObject({ ok: false });
    db.close();
  });
});
