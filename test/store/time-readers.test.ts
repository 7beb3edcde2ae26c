// Every reader by time — the audit trail's pages (every record, a kind, a period, a text), the
// overview's records per hour, an export's count of a period — answers exactly what the records
// say, on records whose stamps are out of order, before the index tables' move, part way through
// one, after it and with a new tail: the answers a time index kept as a moved table (store16,
// BENCHMARKS.md) must give too.

import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { madeBy, madeSince } from '../../src/reconcile/held.js';
import { buildDocument } from '../../src/report/document.js';
import { BatchStore } from '../../src/store/batch-store.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { IndexMover } from '../../src/store/index-moves.js';
import { searchEvents, type EventQuery } from '../../src/web/data/events.js';
import { recordsPerHour } from '../../src/web/data/overview.js';
import { batchesFor } from '../support/ingest-batches.js';
import { tempDir } from '../support/temp.js';

const RECEIVED = Date.UTC(2026, 10, 21, 22, 10, 5);
const HOUR = 3_600_000;
let db: Db | undefined;
afterEach(() => db?.close());

/**
 * IOS command lines whose stamps go back and forth over a day (the hour, minute and second each
 * stepped by its own stride), some of them equal: the time order is not the stored order.
 */
const scattered = (from: number, count: number): string[] =>
  Array.from({ length: count }, (_, i) => {
    const n = from + i;
    const at = `${String((n * 7) % 24).padStart(2, '0')}:${String((n * 13) % 60).padStart(2, '0')}:${String(n % 7).padStart(2, '0')}`;
    return `<189>${n}: *Nov 21 ${at}.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:${n % 3 ? 'admin' : 'oper'}  logged command:interface Gi1/0/${n}`;
  });

function write(store: BatchStore, from: number, count: number, source = '192.0.2.7'): void {
  for (const b of batchesFor(scattered(from, count), { source, receivedAt: RECEIVED })) store.write(b);
}

/** A query's every record, paged through the audit search newest first (or oldest first), as ids. */
function paged(d: Db, q: EventQuery, newer = false): number[] {
  const ids: number[] = [];
  let dir: Parameters<typeof searchEvents>[2] = newer ? { after: { time: -1, id: 0 } } : {};
  for (;;) {
    const p = searchEvents(d, q, dir, 7);
    // A page is newest first either way: paging newer, each page's rows reversed give the time order.
    ids.push(...(newer ? [...p.rows].reverse() : p.rows).map((r) => r.id));
    const next = newer ? p.newer : p.older;
    if (!next) return ids;
    dir = newer ? { after: next } : { before: next };
  }
}

/** What each reader by time must answer, from the records themselves. */
function expectExact(d: Db, label: string): void {
  const all = d.prepare('SELECT id, time, received_at, kind, command FROM events').all() as Array<{ id: number; time: number; received_at: number; kind: string; command: string | null }>;
  const newestFirst = [...all].sort((a, b) => b.time - a.time || b.id - a.id);
  const times = all.map((r) => r.time).sort((a, b) => a - b);
  const from = times[Math.floor(times.length / 4)]!;
  const to = times[Math.floor((3 * times.length) / 4)]!;
  expect(paged(d, {}), label).toEqual(newestFirst.map((r) => r.id));
  expect(paged(d, { kind: 'command' }, true), label).toEqual([...newestFirst].reverse().map((r) => r.id));
  expect(paged(d, { from, to }), label).toEqual(newestFirst.filter((r) => r.time >= from && r.time < to).map((r) => r.id));
  expect(paged(d, { kind: 'session' }), label).toEqual([]);
  expect(searchEvents(d, { text: 'gi1/0/1' }, {}, 1000).rows.map((r) => r.id), label).toEqual(
    newestFirst.filter((r) => r.command?.toLowerCase().includes('gi1/0/1')).map((r) => r.id),
  );
  // Records per hour over the day the stamps fall in.
  const now = Date.UTC(2026, 10, 21, 23, 30);
  const perHour = new Map<number, number>();
  for (const r of all) perHour.set(Math.floor(r.time / HOUR) * HOUR, (perHour.get(Math.floor(r.time / HOUR) * HOUR) ?? 0) + 1);
  const hours = recordsPerHour(d, now, 30);
  expect(hours.reduce((n, h) => n + h.records, 0), label).toBe(all.length);
  expect(hours.filter((h) => h.records > 0).map((h) => [h.hour, h.records]), label).toEqual([...perHour].sort((a, b) => a[0] - b[0]));
  // An export's count of the records in its period (both ends inclusive), each placed as the rows
  // place it (held.ts madeSince/madeBy): these stamps are hours from their receipt, so by it. The
  // second period ends after the receipt, so the count is not an empty one.
  const config = defaultConfig();
  const skew = config.reconcile.attributionSkewSeconds * 1000;
  for (const [start, end] of [[from, to], [from, RECEIVED + HOUR]] as const) {
    const doc = buildDocument(d, config, undefined, { from: start, to: end, now, by: 'test' });
    const placed = all.filter((r) => madeSince(r.time, r.received_at, start, skew) && madeBy(r.time, r.received_at, end, skew)).length;
    if (end > RECEIVED) expect(placed, label).toBeGreaterThan(0);
    expect(doc.header.sources.find((s) => s.name === 'syslog records')?.rows, label).toBe(placed);
  }
}

describe('readers by time', () => {
  it('answers every reader by time exactly before a move, part way through one, after it, and with a new tail', () => {
    db = openDatabase(join(tempDir(), 'a.db'));
    const store = new BatchStore(db, 10);
    write(store, 1, 120);
    write(store, 1, 40, '192.0.2.8');
    // Out of order: the stored order is not the time order.
    const stored = db.prepare('SELECT time FROM events ORDER BY id').pluck().all() as number[];
    expect(stored).not.toEqual([...stored].sort((a, b) => a - b));
    expectExact(db, 'before any move');

    const mover = new IndexMover(db, undefined, 25);
    mover.moveStep();
    expect(mover.inProgress()).toBe(true);
    expectExact(db, 'part way through a move');

    mover.moveAll();
    expectExact(db, 'after the move');

    write(store, 500, 30);
    expect(mover.unmoved()).toBe(30);
    expectExact(db, 'moved records and a new tail');
    mover.moveAll();
    expectExact(db, 'after the second move');
  });
});
