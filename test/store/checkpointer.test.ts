// WAL checkpoints in their own thread (src/store/checkpointer.ts): what the store connection
// committed reaches the database file itself, and without the thread the store connection
// checkpoints as before.

import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Checkpointer, CHECKPOINT_MS, CHECKPOINT_ROWS, checkpointDue, FALLBACK_BYTES, SLOW_CHECKPOINT_MS } from '../../src/store/checkpointer.js';
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

describe('when a checkpoint is due', () => {
  it('every CHECKPOINT_MS while rows come fast, every SLOW_CHECKPOINT_MS while they come slowly, never sooner', () => {
    // Fast (aaa-only's 500-row commits at 20k rows/s and more): the 250 ms cadence.
    expect(checkpointDue(CHECKPOINT_MS, CHECKPOINT_ROWS)).toBe(true);
    expect(checkpointDue(CHECKPOINT_MS - 1, 10 * CHECKPOINT_ROWS)).toBe(false);
    // Slow (RADIUS's groups of ~18 at a few thousand a second): not at 250 ms, but by 1000.
    expect(checkpointDue(CHECKPOINT_MS, 1_000)).toBe(false);
    expect(checkpointDue(SLOW_CHECKPOINT_MS - 1, CHECKPOINT_ROWS - 1)).toBe(false);
    expect(checkpointDue(SLOW_CHECKPOINT_MS, 1)).toBe(true);
    expect(checkpointDue(SLOW_CHECKPOINT_MS, 0)).toBe(true);
  });

  it('asks the thread for one by the rows committed: none at 250 ms after a few rows, one after many', async () => {
    const path = join(tempDir(), 'rows.db');
    const db = openDatabase(path);
    let clock = 0;
    const checkpoints = new Checkpointer(db, path, () => clock);
    const asked: unknown[] = [];
    const worker = (checkpoints as unknown as { worker: { postMessage: (m: unknown) => void } }).worker;
    const post = worker.postMessage.bind(worker);
    worker.postMessage = (m: unknown) => {
      asked.push(m);
      post(m);
    };
    try {
      // The first commit finds none asked for yet: due.
      checkpoints.committed(1);
      expect(asked).toHaveLength(1);
      await checkpoints.checkpoint();
      asked.length = 0;
      clock = CHECKPOINT_MS;
      checkpoints.committed(20);
      expect(asked).toHaveLength(0);
      checkpoints.committed(CHECKPOINT_ROWS);
      expect(asked).toHaveLength(1);
      await checkpoints.checkpoint();
      // Slowly, one row a commit: none until SLOW_CHECKPOINT_MS have passed.
      asked.length = 0;
      clock += SLOW_CHECKPOINT_MS - 1;
      checkpoints.committed(1);
      expect(asked).toHaveLength(0);
      clock += 1;
      checkpoints.committed(1);
      expect(asked).toHaveLength(1);
    } finally {
      await checkpoints.close();
      db.close();
    }
  });
});
