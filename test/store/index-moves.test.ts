// events_device_time and events_actor kept as tables filled in sorted runs (src/store/index-moves.ts,
// migration 017): every record is found by device and actor before a move, during one and after it, exactly once; a
// step that fails leaves the table and its position as they were; retention takes the table's
// entries with the records; a store with records migrates with its chain intact.

import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configurationRecords, senderEvidenceSql } from '../../src/reconcile/store.js';
import { BatchStore } from '../../src/store/batch-store.js';
import { verifyChain } from '../../src/store/chain.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { IndexMover } from '../../src/store/index-moves.js';
import { migrations } from '../../src/store/migrations/index.js';
import sortedIndex from '../../src/store/migrations/017-sorted-index.js';
import { purgeStored, valueSelection } from '../../src/store/purge.js';
import { applyRetention } from '../../src/store/retention.js';
import { deviceDetail, unverifiedSenders } from '../../src/web/data/devices.js';
import { searchEvents } from '../../src/web/data/events.js';
import { batchesFor, iosCommands } from '../support/ingest-batches.js';
import { storeBefore } from '../support/old-store.js';
import { tempDir } from '../support/temp.js';

const RECEIVED = Date.UTC(2026, 10, 21, 22, 10, 5);
const SOURCE = '192.0.2.7';
let db: Db | undefined;
afterEach(() => db?.close());

function write(store: BatchStore, from: number, count: number, source = SOURCE): void {
  for (const b of batchesFor(iosCommands(from, count), { source, receivedAt: RECEIVED })) store.write(b);
}

/** Every way the device's records are read, as ids: each must hold every record once. */
function readByDevice(d: Db, device: string): Record<string, number[]> {
  const page = (): number[] => {
    const ids: number[] = [];
    let dir: Parameters<typeof searchEvents>[2] = {};
    for (;;) {
      const p = searchEvents(d, { device, kind: 'command' }, dir, 7);
      ids.push(...p.rows.map((r) => r.id));
      if (!p.older) return ids;
      dir = { before: p.older };
    }
  };
  const all = (d.prepare('SELECT id FROM events WHERE device = ?').pluck().all(device) as number[]).length;
  return {
    pages: page().sort((a, b) => a - b),
    text: searchEvents(d, { device, text: 'gi1/0/' }, {}, 1000).rows.map((r) => r.id).sort((a, b) => a - b),
    configuration: configurationRecords(d, device, 0, Date.UTC(2030, 0, 1)).map((r) => r.id),
    evidence: (d.prepare(senderEvidenceSql(1000)).pluck().all({ device, from: 0, to: Date.UTC(2030, 0, 1), source: SOURCE }) as number[]).sort((a, b) => a - b),
    counted: [unverifiedSenders(d, [], 10).rows.find((r) => r.device === device)?.records ?? -1, all],
  };
}

/** An actor's records, paged through the audit search by actor (its table and tail). */
function readByActor(d: Db, actor: string): number[] {
  const ids: number[] = [];
  let dir: Parameters<typeof searchEvents>[2] = {};
  for (;;) {
    const p = searchEvents(d, { actor }, dir, 9);
    ids.push(...p.rows.map((r) => r.id));
    if (!p.older) return ids.sort((a, b) => a - b);
    dir = { before: p.older };
  }
}

function deviceOf(d: Db): string {
  return d.prepare('SELECT device FROM events LIMIT 1').pluck().get() as string;
}

describe('index tables filled in sorted runs', () => {
  it('find every record by device before a move, part way through one, and after it, exactly once', () => {
    db = openDatabase(join(tempDir(), 'a.db'));
    const store = new BatchStore(db, 10);
    // Two devices (the sender's address names them), their records interleaved by the step's range.
    write(store, 1, 120);
    write(store, 1, 40, '192.0.2.8');
    const device = deviceOf(db);
    expect(db.prepare('SELECT count(DISTINCT device) FROM events').pluck().get()).toBe(2);
    const expectAll = (label: string): void => {
      const r = readByDevice(db!, device);
      const every = db!.prepare('SELECT id FROM events WHERE device = ? ORDER BY id').pluck().all(device) as number[];
      const n = every.length;
      expect(r.pages, label).toEqual(every);
      expect(r.text, label).toEqual(every);
      expect(r.evidence, label).toEqual(every);
      // Configuration records: those that change configuration, at most 20, the newest first.
      expect(r.configuration, label).toEqual(db!.prepare("SELECT id FROM events WHERE device = ? AND kind = 'command' ORDER BY time DESC, id DESC LIMIT 20").pluck().all(device));
      expect(r.counted, label).toEqual([n, n]);
      expect(readByActor(db!, 'admin'), label).toEqual(db!.prepare("SELECT id FROM events WHERE actor = 'admin' ORDER BY id").pluck().all());
      expect(deviceDetail(db!, device).lastCommand, label).toBe(db!.prepare('SELECT max(time) FROM events WHERE device = ?').pluck().get(device));
    };
    expectAll('before any move');
    expect(db.prepare('SELECT count(*) FROM events_by_device').pluck().get()).toBe(0);

    // A small step, so moving them all takes several moves: part of the records is in the table, the
    // rest in the tail.
    const mover = new IndexMover(db, undefined, 25);
    mover.moveStep();
    expect(mover.inProgress()).toBe(true);
    const part = db.prepare('SELECT count(*) FROM events_by_device').pluck().get() as number;
    expect(part).toBeGreaterThan(0);
    expect(part).toBeLessThan(160);
    expectAll('part way through a move');

    mover.moveAll();
    expect(mover.inProgress()).toBe(false);
    expect(mover.unmoved()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM events_by_device').pluck().get()).toBe(160);
    expectAll('after the move');

    write(store, 200, 30);
    expect(mover.unmoved()).toBe(30);
    expectAll('moved records and a new tail');
    mover.moveAll();
    expectAll('after the second move');
    expect(db.prepare('SELECT count(*) FROM events_by_device').pluck().get()).toBe(190);
    expect(db.prepare('SELECT count(*) FROM events_by_actor').pluck().get()).toBe(190);
  });

  it('a step that fails leaves the table and the position as they were; the next move completes it', () => {
    db = openDatabase(join(tempDir(), 'a.db'));
    write(new BatchStore(db, 10), 1, 60);
    db.exec(`CREATE TEMP TRIGGER crash BEFORE INSERT ON events_by_device WHEN (SELECT count(*) FROM events_by_device) >= 10
             BEGIN SELECT RAISE(ABORT, 'crash in the middle of a step'); END`);
    const mover = new IndexMover(db);
    const before = db.prepare('SELECT * FROM index_moves').all();
    expect(() => mover.moveStep()).toThrow(/crash/);
    expect(db.prepare('SELECT * FROM index_moves').all()).toEqual(before);
    expect(db.prepare('SELECT count(*) FROM events_by_device').pluck().get()).toBe(0);
    db.exec('DROP TRIGGER temp.crash');
    mover.moveAll();
    expect(db.prepare('SELECT count(*) FROM events_by_device').pluck().get()).toBe(60);
    expect(db.prepare('SELECT count(DISTINCT id) FROM events_by_device').pluck().get()).toBe(60);
    expect(readByDevice(db, deviceOf(db)).pages).toHaveLength(60);
  });

  it('finishes a move an older version left part way, in key ranges: each record in the table once, found once part way', () => {
    db = openDatabase(join(tempDir(), 'a.db'));
    const store = new BatchStore(db, 10);
    write(store, 1, 50);
    write(store, 1, 50, '192.0.2.8');
    const [low, high] = db.prepare('SELECT DISTINCT device FROM events ORDER BY device').pluck().all() as string[];
    // As a move sorted once and stepped by key left it: the run (0, 100] begun, the lower device's records in.
    db.prepare("UPDATE index_moves SET upto = 100, key = ? WHERE name = 'device'").run(high);
    db.prepare('INSERT INTO events_by_device (device, time, id) SELECT device, time, id FROM events WHERE id <= 100 AND device < ?').run(high);
    expect(db.prepare('SELECT count(*) FROM events_by_device').pluck().get()).toBe(50);
    expect(readByDevice(db, low!).pages).toHaveLength(50);
    expect(readByDevice(db, high!).pages).toHaveLength(50);
    write(store, 100, 10);
    const mover = new IndexMover(db);
    mover.moveStep();
    expect(db.prepare("SELECT moved, upto, key FROM index_moves WHERE name = 'device'").get()).toEqual({ moved: 100, upto: 100, key: '' });
    expect(db.prepare('SELECT count(*) FROM events_by_device').pluck().get()).toBe(100);
    mover.moveAll();
    expect(db.prepare('SELECT count(*) FROM events_by_device').pluck().get()).toBe(110);
    expect(db.prepare('SELECT count(DISTINCT id) FROM events_by_device').pluck().get()).toBe(110);
    expect(readByDevice(db, low!).pages).toHaveLength(60);
    expect(readByDevice(db, high!).pages).toHaveLength(50);
  });

  it('retention removes the table entries of the records it removes', () => {
    db = openDatabase(join(tempDir(), 'a.db'));
    write(new BatchStore(db, 10), 1, 40);
    new IndexMover(db).moveAll();
    expect(db.prepare('SELECT count(*) FROM events_by_device').pluck().get()).toBe(40);
    expect(applyRetention(db, 1, RECEIVED + 2 * 86_400_000).events).toBe(40);
    expect(db.prepare('SELECT count(*) FROM events_by_device').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM events_by_actor').pluck().get()).toBe(0);
  });

  it('a purge that rewrites actors rewrites their entries in the actor table, moved or not', () => {
    db = openDatabase(join(tempDir(), 'a.db'));
    const store = new BatchStore(db, 10);
    write(store, 1, 30);
    new IndexMover(db).moveAll();
    write(store, 100, 10);
    expect(purgeStored(db, valueSelection(['admin']), { by: 'carol', reason: 'the name was a key', at: Date.now() })).toBeDefined();
    const actors = db.prepare('SELECT DISTINCT actor FROM events').pluck().all() as string[];
    expect(actors).toHaveLength(1);
    expect(actors[0]).not.toBe('admin');
    new IndexMover(db).moveAll();
    expect(db.prepare("SELECT count(*) FROM events_by_actor WHERE actor = 'admin'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM events_by_actor WHERE actor = ?').pluck().get(actors[0])).toBe(40);
    expect(readByActor(db, actors[0]!)).toHaveLength(40);
    expect(verifyChain(db).ok).toBe(true);
  });

  it('migrates a store with records without copying them (serve listens first): the moves fill the tables, readers find each record before and after', () => {
    const { path, old } = storeBefore(sortedIndex);
    write(new BatchStore(old, 10), 1, 80);
    old.close();

    db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name IN ('events_device_time', 'events_actor')").pluck().get()).toBe(0);
    // Nothing copied by the migration: the records are the tail, read as such.
    expect(db.prepare('SELECT count(*) FROM events_by_device').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM events_by_actor').pluck().get()).toBe(0);
    const mover = new IndexMover(db);
    expect(mover.unmoved()).toBe(80);
    expect(readByDevice(db, deviceOf(db)).pages).toHaveLength(80);
    const byAdmin = db.prepare("SELECT id FROM events WHERE actor = 'admin' ORDER BY id").pluck().all();
    expect(readByActor(db, 'admin')).toEqual(byAdmin);
    mover.moveAll();
    expect(db.prepare('SELECT count(*) FROM events_by_actor').pluck().get()).toBe(80);
    expect(db.prepare('SELECT count(*) FROM events_by_device').pluck().get()).toBe(80);
    expect(mover.unmoved()).toBe(0);
    expect(readByDevice(db, deviceOf(db)).pages).toHaveLength(80);
    expect(readByActor(db, 'admin')).toEqual(byAdmin);
    expect(verifyChain(db).ok).toBe(true);
  });
});
