// `npm run bench:store [-- --shape aaa-only|mixed-random|radius] [--rounds N] [--drop index,index] [--group N]`: the CPU the
// SQLite store spends per stored record, in one process, without sockets or other threads, so two
// worktrees (old and new store code) can be run back to back on a shared machine and compared per
// record rather than per second (issues 14 and 18).
//
// - `aaa-only` (default): the batches serve's pipeline makes of the aaa-only profile (seed 1,
//   200,000 lines → ~414 batches of ~500 records, 2,800+ devices, stamps minutes out of order),
//   received as the store thread receives them (wire form, copied by structured clone; read back
//   with fromWire inside the clock), written one batch per transaction as the store thread gets
//   them at ~20k msgs/s: traffic rows and known devices' last-heard and sender rows come held by
//   the writer, in a batch of their own once a second (writer.ts, COUNTS_MS: every ~40th batch at
//   that rate, by a clock the lines advance).
// - `mixed-random`: the same for the mixed-random profile (seed 750015678, bench:ingest's): records
//   from about half its lines, the rest only counted (traffic and last-heard rows); figures a record
//   and a line.
// - `radius`: commit groups as bench:aaa's radclient load makes them: 14 Accounting-Start records
//   a transaction from 50 users on one NAS, with the counters, last-heard and native-sender rows
//   such a batch carries; also a transaction with no records (the fixed cost).
//
// WAL checkpoints run in this thread every 10 transactions (serve runs them in a thread of their
// own, checkpointer.ts) and are counted apart. Thread CPU from /proc/thread-self/schedstat; WAL
// pages from each checkpoint's log size (wal_autocheckpoint off, so every frame a commit wrote
// counts). `--drop` drops events indexes first, to see what each costs; `--group N` commits N
// aaa-only batches a transaction, as the store thread does with batches that wait behind a commit. Prints µs per record of
// the store's own work and of the checkpoints, and WAL pages per record; figures go to
// BENCHMARKS.md by hand (marked preliminary on a shared machine).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../src/config/load.js';
import { Pipeline } from '../../src/ingest/pipeline.js';
import { createReader } from '../../src/ingest/service.js';
import { encodeRecord, type IngestBatch } from '../../src/store/batch.js';
import { isoTime } from '../../parsers/lib/record-time.js';
import { BatchStore } from '../../src/store/batch-store.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { IndexMover, MOVE_EVERY } from '../../src/store/index-moves.js';
import { IngestWriter } from '../../src/store/writer.js';
import { fromWire, toWire, type WireBatch } from '../../src/store/wire.js';
import type { SyslogMessage } from '../../src/types.js';
import { CORPUS } from '../support/corpus.js';
import { median } from './record.js';
import { writeProfile } from './profiles.js';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}
const SHAPE = option('shape') ?? 'aaa-only';
const ROUNDS = Number(option('rounds') ?? 3);
const DROP = (option('drop') ?? '').split(',').filter(Boolean);
/** aaa-only: batches committed together in one transaction, as the store thread groups those that wait behind a commit. */
const GROUP = Number(option('group') ?? 1);
/**
 * aaa-only: the batches are written this many times into the same store and the last time is
 * measured. A fresh store's indexes fit the page cache; at three passes (620,000 records, 420 MB)
 * the same records cost twice the CPU and twice the WAL pages (scratch harness, 2026-12-04), so a
 * change is judged on a store that has grown too.
 */
const PASSES = Number(option('passes') ?? 1);
if (SHAPE !== 'aaa-only' && SHAPE !== 'mixed-random' && SHAPE !== 'radius') {
  console.error(`unknown shape ${SHAPE}: aaa-only, mixed-random or radius`);
  process.exit(2);
}

/** CPU time of this thread, ns. */
const threadNs = (): number => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
const loadavg = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ')[0]!;

/**
 * The batches serve's reading thread hands the store for the aaa-only profile, as the store thread
 * receives them: in their wire form (wire.ts), copied by structured clone as postMessage copies them
 * (so each record line is one flat string, not the concatenation the reading thread built).
 */
function profileBatches(profile: 'aaa-only' | 'mixed-random'): WireBatch[] {
  const dir = mkdtempSync(join(tmpdir(), 'aaawatch-bench-store-'));
  try {
    const file = join(dir, 'aaa.log');
    writeProfile(file, profile, LINES, profile === 'aaa-only' ? 1 : 750_015_678, CORPUS);
    const batches: IngestBatch[] = [];
    const writer = new IngestWriter({ write: (b) => void batches.push(b) }, { batchRows: 500, batchMillis: 250, keepRejectedPerReason: 1000 });
    const pipeline = new Pipeline(createReader(defaultConfig(), []).reader, writer, { storeAllMessages: false });
    let at = Date.now();
    // The writer hands its held counts over by Date.now(): here it runs as serve's does at 20k msgs/s.
    const now = Date.now;
    const t0 = at;
    let lines = 0;
    Date.now = () => t0 + lines / 20;
    try {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (line) pipeline.message(line, false, '192.0.2.7', 'tcp', at++);
        lines++;
      }
      writer.flush();
    } finally {
      Date.now = now;
    }
    return structuredClone(batches.map(toWire));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const LINES = 200_000;
const RADIUS_USERS = 50;
let radiusSeq = 0;
/** A RADIUS commit group of `n` Accounting-Start records from one NAS. */
function radiusBatch(n: number): IngestBatch {
  const now = Date.now();
  const records: string[] = [];
  for (let i = 0; i < n; i++, radiusSeq++) {
    const user = `bench${radiusSeq % RADIUS_USERS}`;
    const msg = { receivedAt: now, transport: 'radius', source: '127.0.0.1', time: now } as SyslogMessage;
    const raw = `Acct-Status-Type = Start, User-Name = "${user}", Acct-Session-Id = "r1-${radiusSeq}", NAS-IP-Address = 127.0.0.1, NAS-Port = ${radiusSeq % 100}`;
    records.push(encodeRecord({ kind: 'session', action: 'session.start', time: isoTime(now + i), device: '127.0.0.1', platform: 'radius', actor: user, actorAddress: `10.1.${radiusSeq % 250}.7`, session: `r1-${radiusSeq}` }, raw, msg));
  }
  return {
    records, messages: [], hour: Math.floor(now / 3_600_000), traffic: [], rejects: [], unknowns: [],
    activity: [{ device: '127.0.0.1', source: '127.0.0.1', first: now, last: now }],
    native: [{ transport: 'radius', source: '127.0.0.1', device: '127.0.0.1', first: now, last: now, accepted: n, lastAccepted: now, badKey: 0, lastBadKey: null, refused: 0, named: 0, lastNamed: null, malformed: 0, lastMalformed: null, lastMalformedReason: null }],
    counters: [['received.radius', n], ['recognised.messages', n], ['recognised.records', n]], gauges: [],
  };
}

interface Round {
  /** µs per record (per transaction where there are none), moves into the index tables included. */
  store: number;
  /** Of `store`: the moves into the index tables (src/store/index-moves.ts), as the store thread makes them. */
  moves: number;
  /** The longest move step, ms of wall time (what a commit waiting behind it waits) and of this thread's CPU. */
  longestStep: number;
  longestStepCpu: number;
  storePerTransaction: number;
  checkpoint: number;
  pages: number;
}

/** A fresh store in a temporary folder, the indexes asked for dropped. */
function freshStore(): { db: Db; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'aaawatch-bench-store-'));
  const db = openDatabase(join(dir, 'store.db'), { cacheMiB: 16 });
  db.pragma('wal_autocheckpoint = 0');
  for (const index of DROP) db.exec(`DROP INDEX ${index}`);
  return { db, dir };
}

/** A PASSIVE checkpoint: the WAL pages it found. */
const checkpointed = (db: Db): number => (db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>)[0]!.log;

/**
 * Transactions through one BatchStore, each made by `transaction` (which says how many records it
 * stored, or null when none are left); a PASSIVE checkpoint every 10. Figures per record, or per
 * transaction where none carried records.
 */
function run(transactions: (store: BatchStore, i: number) => number | null, warm?: (store: BatchStore, db: Db, stored: (records: number) => void) => void): Round & { records: number; transactions: number } {
  const { db, dir } = freshStore();
  try {
    const store = new BatchStore(db, 1000);
    const mover = new IndexMover(db);
    let unmoved = 0;
    let moveNs = 0;
    let longestStep = 0;
    let longestStepCpu = 0;
    /** As the store thread moves: every MOVE_EVERY records, step by step (at the end: the idle move). */
    const move = (records: number, all = false): void => {
      unmoved += records;
      if (unmoved < MOVE_EVERY && !(all && unmoved > 0)) return;
      const t = threadNs();
      do {
        const w = performance.now();
        const c = threadNs();
        mover.moveStep();
        longestStep = Math.max(longestStep, performance.now() - w);
        longestStepCpu = Math.max(longestStepCpu, (threadNs() - c) / 1e6);
      } while (mover.inProgress());
      moveNs += threadNs() - t;
      unmoved = 0;
    };
    if (warm) {
      warm(store, db, (n) => move(n));
      move(0, true);
      checkpointed(db);
      moveNs = 0;
      longestStep = 0;
      longestStepCpu = 0;
    }
    let storeNs = 0;
    let checkpointNs = 0;
    let pages = 0;
    let records = 0;
    let i = 0;
    const checkpoint = (): void => {
      const t = threadNs();
      pages += checkpointed(db);
      checkpointNs += threadNs() - t;
    };
    for (;; i++) {
      const t = threadNs();
      const n = transactions(store, i);
      if (n === null) break;
      storeNs += threadNs() - t;
      records += n;
      move(n);
      if (i % 10 === 9) checkpoint();
    }
    move(0, true);
    checkpoint();
    storeNs += moveNs;
    const per = records || i;
    return { store: storeNs / 1000 / per, moves: moveNs / 1000 / per, longestStep, longestStepCpu, storePerTransaction: storeNs / 1000 / i, checkpoint: checkpointNs / 1000 / per, pages: pages / per, records, transactions: i };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** As writer-worker.ts writes them: GROUP batches a transaction, read back from the wire inside the clock. */
function profileRound(batches: WireBatch[]): Round & { records: number; transactions: number } {
  const write = (store: BatchStore, i: number): number => {
    const group = batches.slice(i, i + GROUP).map(fromWire);
    store.writeMany(group);
    return group.reduce((n, b) => n + b.records.length, 0);
  };
  return run(
    (store, i) => (i * GROUP < batches.length ? write(store, i * GROUP) : null),
    (store, db, stored) => {
      for (let pass = 1; pass < PASSES; pass++) {
        for (let i = 0; i * GROUP < batches.length; i++) {
          stored(write(store, i * GROUP));
          if (i % 10 === 9) checkpointed(db);
        }
      }
    },
  );
}

const RADIUS_GROUP = 14;
const RADIUS_TRANSACTIONS = 3000;

/** Batches made before the clock, so encoding is not counted as the store's; 200 written first to warm the statements and pages. */
function radiusRound(group: number): Round & { records: number; transactions: number } {
  const warm = Array.from({ length: 200 }, () => radiusBatch(group));
  const batches = Array.from({ length: RADIUS_TRANSACTIONS }, () => radiusBatch(group));
  return run(
    (store, i) => {
      if (i >= batches.length) return null;
      store.write(batches[i]!);
      return group;
    },
    (store, _db, stored) => {
      for (const b of warm) {
        store.write(b);
        stored(group);
      }
    },
  );
}

const fmt = (xs: number[], digits = 1): string => `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;

function report(label: string, rounds: Round[], per: string): void {
  console.log(
    `${label}: store ${fmt(rounds.map((r) => r.store))} µs/${per}, checkpoint ${fmt(rounds.map((r) => r.checkpoint))} µs/${per}, ` +
      `WAL pages ${fmt(rounds.map((r) => r.pages), 3)}/${per}`,
  );
}

console.log(`bench:store ${SHAPE}${SHAPE !== 'radius' && PASSES > 1 ? `, pass ${PASSES} of ${PASSES} measured` : ''}${DROP.length ? `, without ${DROP.join(', ')}` : ''}; load ${loadavg()}`);
if (SHAPE !== 'radius') {
  const batches = profileBatches(SHAPE);
  const rounds: Array<Round & { records: number }> = [];
  for (let r = 0; r < ROUNDS; r++) {
    const round = profileRound(batches);
    console.log(`  round ${r + 1}: ${round.records} records in ${round.transactions} transactions, store ${round.store.toFixed(1)} (moves ${round.moves.toFixed(1)}, longest step ${round.longestStep.toFixed(0)} ms, ${round.longestStepCpu.toFixed(0)} ms CPU) + checkpoint ${round.checkpoint.toFixed(1)} µs/record, ${round.pages.toFixed(3)} WAL pages/record; load ${loadavg()}`);
    rounds.push(round);
  }
  report(SHAPE, rounds, 'record');
  if (SHAPE === 'mixed-random') {
    const perLine = rounds[0]!.records / LINES;
    report(`${SHAPE} (${perLine.toFixed(3)} records a line)`, rounds.map((r) => ({ ...r, store: r.store * perLine, checkpoint: r.checkpoint * perLine, pages: r.pages * perLine })), 'line');
  }
} else {
  const empty: Round[] = [];
  const full: Round[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    // The fixed cost: a transaction carrying only a group's counters, last-heard and sender rows.
    empty.push(radiusRound(0));
    const round = radiusRound(RADIUS_GROUP);
    console.log(`  round ${r + 1}: ${round.storePerTransaction.toFixed(0)} µs per transaction of ${RADIUS_GROUP} (moves ${(round.moves * RADIUS_GROUP).toFixed(0)}, longest step ${round.longestStep.toFixed(0)} ms, ${round.longestStepCpu.toFixed(0)} ms CPU), ${empty.at(-1)!.storePerTransaction.toFixed(0)} with none; ${round.pages.toFixed(2)} WAL pages/record; load ${loadavg()}`);
    full.push(round);
  }
  report(`radius, groups of ${RADIUS_GROUP}`, full, 'record');
  report('radius, no records', empty, 'transaction');
}
