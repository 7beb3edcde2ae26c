// The records that may name the makers of many makings, read at once (store.ts namingRecords, run.ts
// named: the makings of a creation write that name no actor): every making gets exactly the records
// of its account and action naming an actor stamped within its window, itself left out, whether they
// were moved into the account records' table or are still in its unmoved tail (their rows sorted into
// the windows), with several windows of one account, records naming no actor, and windows of
// accounts with no record at all.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namingRecords } from '../../src/reconcile/store.js';
import { BatchStore } from '../../src/store/batch-store.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { IndexMover } from '../../src/store/index-moves.js';
import { rng } from '../bench/profiles.js';
import { batchesFor } from '../support/ingest-batches.js';
import { tempDir } from '../support/temp.js';
import { iosLine } from './support.js';

const MIN = 60_000;
const T0 = Date.parse('2026-11-20T08:00:00Z');
const DEVICES = ['sw1', 'sw2', 'sw3'];
const NAMES = ['jdoe', 'bob', 'carol', 'svc-a', 'temp1'];

// SQLite's alone: PostgreSQL keeps its indexes, and names a making by accountRecordsFor (estate.ts).
describe('the records that may name many makings\' makers, at once', () => {
  let db: Db;
  let windows: Array<{ id: number; device: string; target: string; action: string; from: number; to: number }>;
  beforeAll(() => {
    db = openDatabase(join(tempDir('aaawatch-stamped-'), 'a.db'));
    const r = rng(21);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const lines = Array.from({ length: 400 }, (_, i) => {
      // Stamps not in the order stored; some within a second of each other, as a making's records are.
      const t = T0 + Math.floor(r() * 90) * MIN + Math.floor(r() * 3) * 1000;
      const text = r() < 0.2 ? `no username ${pick(NAMES)}` : `username ${pick(NAMES)} privilege 15 secret 0 Pw${i}`;
      return iosLine(i + 1, pick(DEVICES), t, 'PARSER-5-CFGLOG_LOGGEDCMD', `User:netops  logged command:${text}`);
    });
    const write = (part: string[]): void => {
      for (const b of batchesFor(part, { source: '192.0.2.1', receivedAt: T0 })) new BatchStore(db, 100).write(b);
    };
    write(lines.slice(0, 200));
    new IndexMover(db).moveAll();
    // The second half stays in the unmoved tail.
    write(lines.slice(200));
    // Some name no actor (as useradd's own line does): never a namer, in the table and in the tail.
    db.prepare(`UPDATE events SET actor = NULL WHERE kind = 'account' AND id % 5 = 2`).run();
    const stored = db.prepare(`SELECT id, device, target, action, time FROM events WHERE kind = 'account' ORDER BY id`).all() as Array<{ id: number; device: string; target: string; action: string; time: number }>;
    windows = [
      ...stored.filter((_, i) => i % 3 === 0).map((s) => ({ id: s.id, device: s.device, target: s.target, action: s.action, from: s.time - 2 * MIN - 1, to: s.time + 2 * MIN })),
      { id: 0, device: 'sw1', target: 'nobody', action: 'account.create', from: T0, to: T0 + 90 * MIN },
      { id: 0, device: 'sw9', target: 'jdoe', action: 'account.create', from: T0, to: T0 + 90 * MIN },
    ];
  });
  afterAll(() => db.close());

  it('gives each making exactly its account\'s records of its action naming an actor stamped within its window, itself left out, moved or in the tail, by time and id', () => {
    const moved = (db.prepare(`SELECT moved FROM index_moves WHERE name = 'target'`).get() as { moved: number }).moved;
    const reference = db.prepare(
      `SELECT id FROM events WHERE kind = 'account' AND device = ? AND target = ? AND action = ? AND actor IS NOT NULL AND id <> ? AND time > ? AND time <= ? ORDER BY time, id`,
    );
    const got = namingRecords(db, windows);
    expect(got).toHaveLength(windows.length);
    let fromTail = 0;
    let fromMoved = 0;
    windows.forEach((w, i) => {
      const want = (reference.all(w.device, w.target, w.action, w.id, w.from, w.to) as Array<{ id: number }>).map((x) => x.id);
      expect(got[i]!.map((rec) => rec.id), `window ${i}`).toEqual(want);
      for (const rec of got[i]!) {
        expect(rec.device).toBe(w.device);
        expect(rec.target).toBe(w.target);
        expect(rec.action).toBe(w.action);
        expect(rec.actor).toBeDefined();
        if (rec.id > moved) fromTail++;
        else fromMoved++;
      }
    });
    // The scenario reads both halves, and windows of one account overlap.
    expect(fromTail).toBeGreaterThan(20);
    expect(fromMoved).toBeGreaterThan(20);
    expect(got.at(-1)).toEqual([]);
    expect(got.at(-2)).toEqual([]);
  });
});
