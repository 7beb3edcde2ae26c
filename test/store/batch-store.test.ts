// Batches written together (the store thread's writeMany) leave the store as the same batches
// written one by one: the same chain, the same traffic counts, the same last-heard devices and
// senders.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createPipeline } from '../../src/ingest/service.js';
import type { IngestBatch } from '../../src/store/batch.js';
import { BatchStore, SENDERS_KEPT } from '../../src/store/batch-store.js';
import { verifyChain } from '../../src/store/chain.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { IngestWriter } from '../../src/store/writer.js';
import { tempDir } from '../support/temp.js';

let dir: string;
let dbs: Db[] = [];
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  for (const db of dbs) db.close();
  dbs = [];
  rmSync(dir, { recursive: true, force: true });
});

/** IOS archive-log lines and chatter from a few devices, two of them heard from two addresses. */
function lines(): Array<{ line: string; source: string; at: number }> {
  const out: Array<{ line: string; source: string; at: number }> = [];
  const t0 = Date.UTC(2026, 10, 21, 22, 59, 50);
  for (let i = 0; i < 60; i++) {
    const device = `r${i % 4}`;
    const source = i % 4 < 2 && i % 3 === 0 ? `192.0.2.${100 + (i % 4)}` : `192.0.2.${i % 4}`;
    const line = i % 5 === 0
      ? `<189>${i}: ${device}: *Nov 21 22:59:${String(i % 60).padStart(2, '0')}.123 UTC: %LINK-3-UPDOWN: Interface Gi1/0/${i}, changed state to up`
      : `<189>${i}: ${device}: *Nov 21 22:59:${String(i % 60).padStart(2, '0')}.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin${i % 3}  logged command:interface Gi1/0/${i}`;
    // Across an hour boundary, so traffic counts land in two hours.
    out.push({ line, source, at: t0 + i * 500 });
  }
  return out;
}

/**
 * The batches the writer hands over for `lines`, four records each, the counts held (handed over
 * at the first batch, the hour's turn and the end: the lines take less than a second); or with
 * `everyBatch`, everything handed over every four lines, the counts with it.
 */
function batches(path: string, everyBatch = false): IngestBatch[] {
  const db = openDatabase(path);
  dbs.push(db);
  const out: IngestBatch[] = [];
  const config = configSchema.parse({ store: { path } });
  const writer = new IngestWriter({ write: (b) => void out.push(b) }, { batchRows: everyBatch ? 1000 : 4, batchMillis: 60_000, keepRejectedPerReason: 10 });
  const { pipeline } = createPipeline(config, db, writer);
  lines().forEach((l, i) => {
    pipeline.message(l.line, false, l.source, 'udp', l.at);
    if (everyBatch && i % 4 === 3) writer.flush();
  });
  writer.flush();
  return out;
}

const state = (db: Db): unknown => ({
  traffic: db.prepare('SELECT hour, device, program, messages, recognised FROM traffic ORDER BY hour, device, program').all(),
  activity: db.prepare('SELECT device, source, first_seen, last_seen FROM device_activity ORDER BY device').all(),
  senders: db.prepare('SELECT device, source, first_seen, last_seen FROM device_senders ORDER BY device, source').all(),
  counters: db.prepare(`SELECT name, value FROM counters WHERE name <> 'store.started' ORDER BY name`).all(),
  events: db.prepare('SELECT kind, action, device, actor, command, hex(hash) AS hash FROM events ORDER BY id').all(),
});

describe('batches written together', () => {
  it('leave the same chain, traffic, devices and senders as the batches written one by one', () => {
    const one = join(dir, 'one.db');
    const many = join(dir, 'many.db');
    const b1 = batches(one);
    const b2 = batches(many);
    expect(b1.length).toBeGreaterThan(10);
    const s1 = new BatchStore(dbs[0]!, 10);
    const s2 = new BatchStore(dbs[1]!, 10);
    for (const b of b1) s1.write(b);
    const ids = [...s2.writeMany(b2.slice(0, 7)), ...s2.writeMany(b2.slice(7))];
    expect(ids).toHaveLength(b2.length);
    const a = state(dbs[0]!) as { traffic: unknown[]; senders: unknown[]; events: unknown[] };
    expect(a.traffic.length).toBeGreaterThan(4);
    expect(a.senders).toHaveLength(6);
    expect(a.events.length).toBeGreaterThan(40);
    expect(state(dbs[1]!)).toEqual(a);
    expect(verifyChain(dbs[1]!)).toMatchObject({ ok: true });
  });

  it('leave the same traffic, devices and senders when the writer holds the counts and hands them over apart, as the counts handed over with every batch', () => {
    const one = join(dir, 'one.db');
    const held = join(dir, 'held.db');
    const b1 = batches(one, true);
    const b2 = batches(held);
    const s1 = new BatchStore(dbs[0]!, 10);
    const s2 = new BatchStore(dbs[1]!, 10);
    for (const b of b1) s1.write(b);
    // Held: batches of records carry no traffic, and a device's rows after its first are held.
    const counts = b2.filter((b) => b.records.length === 0 && b.traffic.length > 0);
    expect(counts.length).toBeGreaterThanOrEqual(3);
    expect(counts.length).toBeLessThan(b2.length / 2);
    expect(b2.filter((b) => b.records.length > 0).every((b) => b.traffic.length === 0)).toBe(true);
    expect(b2.flatMap((b) => (b.records.length ? b.activity : [])).length).toBeLessThan(b1.flatMap((b) => b.activity).length / 2);
    b2.forEach((b, i) => {
      s2.write(b);
      if (i === 2) {
        // The first batches' devices are there, with their senders, before any counts but the first.
        expect((dbs[1]!.prepare('SELECT count(*) AS n FROM device_activity').get() as { n: number }).n).toBeGreaterThan(0);
        expect((dbs[1]!.prepare('SELECT count(*) AS n FROM device_senders').get() as { n: number }).n).toBeGreaterThan(0);
      }
    });
    expect(state(dbs[1]!)).toEqual(state(dbs[0]!));
    expect(verifyChain(dbs[1]!)).toMatchObject({ ok: true });
  });

  it(`keep a sender's first time, move its last, and keep a device's latest ${SENDERS_KEPT} senders`, () => {
    const db = openDatabase(join(dir, 'senders.db'));
    dbs.push(db);
    const store = new BatchStore(db, 10);
    const heard = (source: string, first: number, last: number): IngestBatch => ({
      records: [], messages: [], hour: 0, traffic: [], rejects: [], unknowns: [], counters: [], gauges: [],
      activity: [{ device: 'r1', source, first, last }],
    });
    store.write(heard('192.0.2.1', 1_000, 2_000));
    store.write(heard('192.0.2.1', 3_000, 4_000));
    // An older batch's last time does not move it back.
    store.write(heard('192.0.2.1', 500, 1_500));
    expect(db.prepare("SELECT first_seen, last_seen FROM device_senders WHERE source = '192.0.2.1'").get()).toEqual({ first_seen: 1_000, last_seen: 4_000 });
    // Spoofed sources, one batch each: the device keeps the latest, whichever were made last.
    for (let i = 0; i < SENDERS_KEPT + 8; i++) store.write(heard(`198.51.100.${i}`, 10_000 + i, 10_000 + i));
    const kept = db.prepare("SELECT source FROM device_senders WHERE device = 'r1' ORDER BY last_seen").all() as Array<{ source: string }>;
    expect(kept).toHaveLength(SENDERS_KEPT);
    expect(kept[0]!.source).toBe('198.51.100.8');
    expect(kept.at(-1)!.source).toBe(`198.51.100.${SENDERS_KEPT + 7}`);
    // A sender trimmed out and heard again is a row of its own again, and the oldest kept makes way.
    store.write(heard('192.0.2.1', 20_000, 20_500));
    expect(db.prepare("SELECT first_seen, last_seen FROM device_senders WHERE source = '192.0.2.1'").get()).toEqual({ first_seen: 20_000, last_seen: 20_500 });
    const after = db.prepare("SELECT source FROM device_senders WHERE device = 'r1' ORDER BY last_seen").all() as Array<{ source: string }>;
    expect(after).toHaveLength(SENDERS_KEPT);
    expect(after[0]!.source).toBe('198.51.100.9');
  });
});
