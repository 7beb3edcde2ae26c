// Zeroing stale copies in an SQLite file's free space (src/store/scrub.ts), on real files: rows
// stored in random order (so SQLite rebuilds pages as it balances the b-tree), then rewritten with
// secure_delete on, still leave the old text in pages' free space — measured here before each
// scrub — and rows deleted without it leave it on free-list pages. The scrub removes every copy
// while another connection has the file open, changes no byte of any row, and leaves a file
// SQLite's integrity check passes.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { replaced, residue } from '../../src/store/purge.js';
import { btreeFreeRanges, scrubFreeSpace, type Scrubbed } from '../../src/store/scrub.js';
import { tempDir } from '../support/temp.js';

const SECRET = 'Scrub-Me-Stale-Copy-4471';

/** A store of `n` rows, each holding the secret, inserted in a shuffled order. */
function filled(n: number): { path: string; db: Database.Database } {
  const path = join(tempDir('aaawatch-scrub-'), 'store.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT NOT NULL); CREATE INDEX t_x ON t (x)');
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1);
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  const insert = db.prepare('INSERT INTO t (id, x) VALUES (?, ?)');
  db.transaction(() => {
    for (const id of ids) insert.run(id, `row ${id} logged command:username u${id} password 0 ${SECRET} ${'pad'.repeat(id % 40)}`);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  return { path, db };
}

/** Every row's text, hashed in order: what must not change. */
const rowsDigest = (db: Database.Database): string =>
  createHash('sha256').update((db.prepare('SELECT id, x FROM t ORDER BY id').all() as Array<{ id: number; x: string }>).map((r) => `${r.id}\t${r.x}`).join('\n')).digest('hex');

describe('scrubFreeSpace', () => {
  it('zeroes the copies rebuilt pages keep, while another connection reads, and changes no row', () => {
    const { path, db } = filled(3000);
    db.pragma('secure_delete = ON');
    db.prepare('UPDATE t SET x = replace(x, ?, ?)').run(SECRET, '<redacted>');
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(db.prepare('SELECT count(*) AS n FROM t WHERE instr(x, ?) > 0').get(SECRET)).toEqual({ n: 0 });
    // No row holds it, and secure_delete was on: the copies SQLite left when it rebuilt pages remain.
    expect(residue(path, [SECRET])).toEqual([path]);

    const reader = new Database(path, { readonly: true });
    const before = rowsDigest(reader);
    const recorded: Scrubbed[] = [];
    const done = scrubFreeSpace(db, path, [SECRET], (s) => {
      recorded.push(s);
      db.exec('CREATE TABLE IF NOT EXISTS scrubs (pages INTEGER)');
      db.prepare('INSERT INTO scrubs VALUES (?)').run(s.pages.length);
    });
    expect(done?.pages.length).toBeGreaterThan(0);
    expect(done?.left).toEqual([]);
    expect(recorded).toEqual([done]);
    expect(residue(path, [SECRET])).toEqual([]);
    expect(readFileSync(path).includes(SECRET)).toBe(false);
    // The reader that had the file open sees the same rows, and so does a fresh one.
    expect(rowsDigest(reader)).toBe(before);
    expect(rowsDigest(db)).toBe(before);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT pages FROM scrubs').get()).toEqual({ pages: done!.pages.length });
    reader.close();
    db.close();
  });

  it('zeroes free-list pages that rows deleted without secure_delete left', () => {
    const { path, db } = filled(2000);
    db.prepare('DELETE FROM t WHERE id > 200').run();
    db.prepare('UPDATE t SET x = replace(x, ?, ?)').run(SECRET, '<redacted>');
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(db.pragma('freelist_count', { simple: true })).toBeGreaterThan(0);
    expect(residue(path, [SECRET])).toEqual([path]);
    const before = rowsDigest(db);
    const done = scrubFreeSpace(db, path, [SECRET], () => db.exec('CREATE TABLE scrubbed (x)'));
    expect(done?.left).toEqual([]);
    expect(residue(path, [SECRET])).toEqual([]);
    expect(rowsDigest(db)).toBe(before);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('leaves a value a row still holds where it is, and says so', () => {
    const { path, db } = filled(50);
    const before = rowsDigest(db);
    const done = scrubFreeSpace(db, path, [SECRET], () => db.exec('CREATE TABLE scrubbed (x)'));
    expect(done?.left.length).toBeGreaterThan(0);
    expect(rowsDigest(db)).toBe(before);
    expect(db.prepare('SELECT count(*) AS n FROM t WHERE instr(x, ?) > 0').get(SECRET)).toEqual({ n: 50 });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('reads a b-tree page\'s free space from its header, and refuses one that does not add up', () => {
    const page = Buffer.alloc(4096);
    page[0] = 13; // a table leaf
    page.writeUInt16BE(2, 3); // two cells
    page.writeUInt16BE(4000, 5); // content from 4000
    page.writeUInt16BE(4010, 1); // one free block at 4010 …
    page.writeUInt16BE(0, 4010);
    page.writeUInt16BE(20, 4012); // … of 20 bytes
    expect(btreeFreeRanges(page, 2, 4096)).toEqual([[12, 4000], [4014, 4030]]);
    page.writeUInt16BE(10, 5); // content start before the cell pointers end
    expect(btreeFreeRanges(page, 2, 4096)).toBeUndefined();
    page[0] = 0; // no b-tree page
    expect(btreeFreeRanges(page, 2, 4096)).toBeUndefined();
  });
});

describe('the values a purge replaced, for a pattern or a newer redaction', () => {
  it('reads each stretch the marker stands for from the text before and after', () => {
    expect(replaced('key 0 Abc1 and key 7 Def2;', 'key 0 <redacted> and key 7 <redacted>;')).toEqual(['Abc1', 'Def2']);
    expect(replaced('Xyz9 at the start', '<redacted> at the start')).toEqual(['Xyz9']);
    expect(replaced('already key <redacted>, now Qrs5', 'already key <redacted>, now <redacted>')).toEqual(['Qrs5']);
    expect(replaced('unchanged', 'unchanged')).toEqual([]);
  });
});
