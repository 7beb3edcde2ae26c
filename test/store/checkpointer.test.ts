// WAL checkpoints in their own thread (src/store/checkpointer.ts): what the store connection
// committed reaches the database file itself, and without the thread the store connection
// checkpoints as before.

import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Checkpointer, FALLBACK_FRAMES } from '../../src/store/checkpointer.js';
import { openDatabase } from '../../src/store/db.js';
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

describe('the checkpoint thread', () => {
  it('copies what the store connection committed into the database file; once it ends, the store connection checkpoints itself again', async () => {
    const path = join(tempDir(), 'store.db');
    const db = openDatabase(path);
    // The schema in the file itself, so that the file alone can be read.
    db.pragma('wal_checkpoint(TRUNCATE)');
    const checkpoints = new Checkpointer(db, path);
    try {
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(FALLBACK_FRAMES);
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
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(4000);
    await expect(checkpoints.checkpoint()).resolves.toMatchObject({ ok: false });
    db.close();
  });
});
