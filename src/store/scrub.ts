// Zeroing a purged value's stale copies in the free space of the SQLite file. A row rewritten with
// secure_delete leaves nothing of its old text, but SQLite leaves old bytes elsewhere: when it
// balances a b-tree it rebuilds pages without clearing the space the moved cells held (measured on
// a store serve filled: an interior page of `events` that had been a leaf still held a banner's
// key between its cell pointers and its cells), and pages freed before the purge keep their content.
// SQLite has no call that clears one page's free space; VACUUM rewrites the whole file and holds the
// store while it does. So this reads the pages that hold one of the values and overwrites with
// zeros exactly the bytes the file format (https://www.sqlite.org/fileformat2.html) says are unused:
// on a b-tree page the gap between the cell pointers and the cells and the bodies of its free
// blocks, on a free-list page everything but the list itself. Never a byte of a cell: a page whose
// header does not add up is left alone. It runs under the write lock with the write-ahead log
// empty, so the file holds the only version of every page, and commits a change of its own in the
// same transaction (the caller's record of it), so every other connection reads the pages afresh.

import { closeSync, existsSync, fsyncSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import type { Db } from './db.js';

export interface Scrubbed {
  /** The pages whose free space held a value and was zeroed. */
  pages: number[];
  /** Pages that held a value outside free space, or could not be read safely: left as they are. */
  left: number[];
}

/** Empties the write-ahead log into the file; false when readers held it back past the deadline. */
export function emptyWal(db: Db, ms = 15_000): boolean {
  const deadline = Date.now() + ms;
  for (;;) {
    const [r] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number; log: number; checkpointed: number }>;
    if (r && r.busy === 0 && r.log === r.checkpointed) return true;
    if (Date.now() > deadline) return false;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
}

/** The pages of the file at `path` that hold any of `needles` (a value across two pages counts for both). */
function pagesHolding(fd: number, pageSize: number, needles: readonly Buffer[]): number[] {
  const longest = Math.max(...needles.map((n) => n.length));
  const chunk = Buffer.alloc(pageSize * 256);
  const found = new Set<number>();
  let carry = Buffer.alloc(0);
  for (let pos = 0; ; ) {
    const n = readSync(fd, chunk, 0, chunk.length, pos);
    if (n === 0) break;
    const window = Buffer.concat([carry, chunk.subarray(0, n)]);
    const base = pos - carry.length;
    for (const needle of needles) {
      for (let at = window.indexOf(needle); at >= 0; at = window.indexOf(needle, at + 1)) {
        found.add(Math.floor((base + at) / pageSize) + 1);
        found.add(Math.floor((base + at + needle.length - 1) / pageSize) + 1);
      }
    }
    carry = window.subarray(Math.max(0, window.length - longest + 1));
    pos += n;
  }
  return [...found].sort((a, b) => a - b);
}

/** Every page of the free list: trunk pages with how many leaves each lists, and the leaves. */
function freeList(fd: number, pageSize: number, first: number, pageCount: number): { trunks: Map<number, number>; leaves: Set<number> } {
  const trunks = new Map<number, number>();
  const leaves = new Set<number>();
  const page = Buffer.alloc(pageSize);
  for (let p = first; p !== 0 && p <= pageCount && !trunks.has(p); ) {
    readSync(fd, page, 0, pageSize, (p - 1) * pageSize);
    const count = page.readUInt32BE(4);
    if (8 + 4 * count > pageSize) break;
    trunks.set(p, count);
    for (let i = 0; i < count; i++) leaves.add(page.readUInt32BE(8 + 4 * i));
    p = page.readUInt32BE(0);
  }
  return { trunks, leaves };
}

/**
 * The unused byte ranges of a b-tree page (leaf or interior, table or index), or undefined when its
 * header does not describe a well-formed page.
 */
export function btreeFreeRanges(page: Buffer, pageno: number, usable: number): Array<[number, number]> | undefined {
  const hdr = pageno === 1 ? 100 : 0;
  const type = page[hdr];
  if (type !== 2 && type !== 5 && type !== 10 && type !== 13) return undefined;
  const cells = page.readUInt16BE(hdr + 3);
  const contentStart = page.readUInt16BE(hdr + 5) || 65536;
  const pointersEnd = hdr + (type === 2 || type === 5 ? 12 : 8) + 2 * cells;
  if (pointersEnd > contentStart || contentStart > usable) return undefined;
  const ranges: Array<[number, number]> = [[pointersEnd, contentStart]];
  // Free blocks: a chain in ascending order inside the cell content area, each `next, size, …`.
  for (let fb = page.readUInt16BE(hdr + 1), last = 0; fb !== 0; ) {
    if (fb <= last || fb < contentStart || fb + 4 > usable) return undefined;
    const size = page.readUInt16BE(fb + 2);
    if (size < 4 || fb + size > usable) return undefined;
    ranges.push([fb + 4, fb + size]);
    last = fb;
    fb = page.readUInt16BE(fb);
  }
  return ranges;
}

/**
 * Zeroes the free space of every page of the store at `path` that holds one of `values`, then calls
 * `record` in the same write transaction. Undefined when the write-ahead log could not be emptied
 * (a reader held it back): then nothing is touched.
 */
export function scrubFreeSpace(db: Db, path: string, values: readonly string[], record: (s: Scrubbed) => void): Scrubbed | undefined {
  const needles = values.map((v) => Buffer.from(v, 'utf8')).filter((n) => n.length > 0);
  if (needles.length === 0) return { pages: [], left: [] };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (!emptyWal(db)) return undefined;
    db.exec('BEGIN IMMEDIATE');
    let done = false;
    try {
      // A writer may have committed between the checkpoint and the lock: then the log holds newer
      // versions of pages than the file, and the checkpoint is tried again.
      if (existsSync(`${path}-wal`) && statSync(`${path}-wal`).size > 0) {
        if (Date.now() > deadline) return undefined;
        continue;
      }
      const result = scrubLocked(db, path, needles);
      // This connection's cache still holds the pages as they were; a page the record then changes
      // would go back to the file from there, stale copies and all. Clean pages are dropped here
      // and read again (other connections drop theirs when they see this commit).
      db.pragma('shrink_memory');
      if (result.pages.length > 0 || result.left.length > 0) record(result);
      db.exec('COMMIT');
      done = true;
      emptyWal(db);
      return result;
    } finally {
      if (!done && db.inTransaction) db.exec('ROLLBACK');
    }
  }
}

function scrubLocked(db: Db, path: string, needles: readonly Buffer[]): Scrubbed {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const fd = openSync(path, 'r+');
  try {
    const header = Buffer.alloc(100);
    readSync(fd, header, 0, 100, 0);
    const usable = pageSize - header[20]!;
    const pageCount = header.readUInt32BE(28);
    const holding = pagesHolding(fd, pageSize, needles).filter((p) => p <= pageCount);
    if (holding.length === 0) return { pages: [], left: [] };
    const { trunks, leaves } = freeList(fd, pageSize, header.readUInt32BE(32), pageCount);
    // What each page is, from SQLite itself: b-tree pages (and their overflow pages) by dbstat.
    const kinds = new Map(
      (db.prepare('SELECT pageno, pagetype FROM dbstat WHERE pageno IN (SELECT value FROM json_each(?))').all(JSON.stringify(holding)) as Array<{ pageno: number; pagetype: string }>).map((r) => [r.pageno, r.pagetype]),
    );
    const pages: number[] = [];
    const left: number[] = [];
    const page = Buffer.alloc(pageSize);
    for (const p of holding) {
      readSync(fd, page, 0, pageSize, (p - 1) * pageSize);
      const kind = kinds.get(p);
      let ranges: Array<[number, number]> | undefined;
      if (kind === 'internal' || kind === 'leaf') ranges = btreeFreeRanges(page, p, usable);
      else if (kind === undefined && leaves.has(p) && !trunks.has(p)) ranges = [[0, pageSize]];
      else if (kind === undefined && trunks.has(p)) ranges = [[8 + 4 * trunks.get(p)!, usable]];
      const before = Buffer.from(page);
      for (const [from, to] of ranges ?? []) page.fill(0, from, to);
      if (!ranges || needles.some((n) => page.includes(n))) {
        left.push(p);
        continue;
      }
      if (!page.equals(before)) {
        writeSync(fd, page, 0, pageSize, (p - 1) * pageSize);
        pages.push(p);
      }
    }
    fsyncSync(fd);
    return { pages, left };
  } finally {
    closeSync(fd);
  }
}
