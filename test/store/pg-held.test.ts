// The store thread on a shared PostgreSQL store whose server goes away mid-stream (fast shutdown:
// sessions cut, as a crash or a restart would) and comes back: the batches are kept, whoever waits
// to acknowledge keeps waiting, and once the server answers everything is stored in order in one
// chain. A transaction whose COMMIT went through but whose answer was lost is not stored twice.

import pg from 'pg';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseSyslog } from '../../src/ingest/header.js';
import { PgBatchWriter } from '../../src/store/pg/batch-writer.js';
import { createIngestTables } from '../../src/store/pg/migrate.js';
import { pgRetryable } from '../../src/store/pg/store-writer.js';
import { verifyChains } from '../../src/store/pg/verify.js';
import { createPullTables } from '../../src/store/pg/pull-tables.js';
import { UnwritableFindings } from '../../src/store/pg/store-unwritable.js';
import type { StoreEpisode, StoreFailure } from '../../src/store/store-failure.js';
import { storeFailure } from '../../src/store/store-writer.js';
import { ThreadSink } from '../../src/store/writer-thread.js';
import { IngestWriter } from '../../src/store/writer.js';
import type { AaaRecord } from '../../src/types.js';
import { batchesFor, iosCommands } from '../support/ingest-batches.js';
import { postgresAvailable, startPostgres, type ThrowawayPostgres } from '../support/postgres.js';

let cluster: ThrowawayPostgres;
let pool: pg.Pool;
let sink: ThreadSink | undefined;

const line = '<189>1: *Nov 21 22:10:01.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:interface Gi1/0/1';
const msg = parseSyslog(line, { receivedAt: Date.now(), transport: 'tcp', source: '192.0.2.7' });
const record = (n: number): AaaRecord => ({ kind: 'command', action: 'command', time: new Date().toISOString(), device: 'r1', platform: 'cisco-ios', actor: 'admin', command: `interface Gi1/0/${n}` });

type Hold = { failure: StoreFailure | undefined; resumed?: { heldMs: number; attempts: number } };

describe.skipIf(!postgresAvailable())('the store thread on PostgreSQL', () => {
  beforeAll(async () => {
    cluster = await startPostgres();
    pool = new pg.Pool({ connectionString: cluster.url, max: 2 });
    pool.on('error', () => undefined);
  });
  afterEach(async () => {
    await sink?.close();
    sink = undefined;
  });
  afterAll(async () => {
    await pool?.end();
    cluster?.stop();
  });

  it('holds while the server is down, keeps acknowledgements waiting, and stores everything in one chain once it is back', async () => {
    const holds: Hold[] = [];
    sink = new ThreadSink({ postgres: { url: cluster.url, collector: 'site-a' }, keepRejectedPerReason: 10 }, {
      onHold: (failure, resumed) => holds.push({ failure, ...(resumed ? { resumed } : {}) }),
    });
    await sink.ready;
    const writer = new IngestWriter(sink, { batchRows: 100, batchMillis: 60_000, keepRejectedPerReason: 10 });
    const before = writer.mark();
    for (let i = 0; i < 500; i++) writer.addMessage(msg, 'r1', line, [record(i)]);
    await writer.committed(before);

    cluster.down();
    const mark = writer.mark();
    for (let i = 500; i < 1500; i++) writer.addMessage(msg, 'r1', line, [record(i)]);
    let acknowledged: boolean | undefined;
    const waiting = writer.committed(mark).then(() => (acknowledged = true), () => (acknowledged = false));
    while (holds.length === 0) await new Promise((r) => setTimeout(r, 50));
    expect(pgRetryable(holds[0]!.failure!)).toBe(true);
    expect(sink.state().held).toBeDefined();
    // A ping while held answers at once, with why.
    sink.ping();
    await new Promise((r) => setTimeout(r, 1500));
    expect(sink.state().lastWrite).toMatchObject({ ok: false });
    expect(acknowledged).toBeUndefined();

    cluster.up();
    await waiting;
    expect(acknowledged).toBe(true);
    expect(holds.at(-1)).toMatchObject({ failure: undefined, resumed: { attempts: expect.any(Number) } });
    expect(holds.at(-1)!.resumed!.attempts).toBeGreaterThan(1);
    const stored = await pool.query<{ n: string; distinct: string }>("SELECT count(*) AS n, count(DISTINCT command) AS distinct FROM events WHERE collector = 'site-a'");
    expect(stored.rows[0]).toEqual({ n: '1500', distinct: '1500' });
    const [report] = await verifyChains(pool);
    expect(report).toMatchObject({ collector: 'site-a', ok: true, checked: 1500 });
  });

  it('holds while the server answers nothing (frozen, as behind a network cut), and stores everything once, in one chain, when it answers again', async () => {
    const holds: Hold[] = [];
    // The driver's read timeout from the URL (node-postgres reads a URL's parameters over the pool's
    // options): 5 s instead of the store's 20 s, so the test waits for the same event a quarter as long.
    const url = `${cluster.url}?query_timeout=5000`;
    sink = new ThreadSink({ postgres: { url, collector: 'site-f' }, keepRejectedPerReason: 10 }, {
      onHold: (failure, resumed) => holds.push({ failure, ...(resumed ? { resumed } : {}) }),
    });
    await sink.ready;
    const writer = new IngestWriter(sink, { batchRows: 100, batchMillis: 60_000, keepRejectedPerReason: 10 });
    cluster.freeze();
    let acknowledged: boolean | undefined;
    let waiting: Promise<unknown> | undefined;
    try {
      const mark = writer.mark();
      for (let i = 0; i < 1000; i++) writer.addMessage(msg, 'r1', line, [record(i)]);
      waiting = writer.committed(mark).then(() => (acknowledged = true), () => (acknowledged = false));
      // The driver's own time limit, not the health check's stall, ends the wait: held, and said why.
      while (holds.length === 0) await new Promise((r) => setTimeout(r, 100));
      expect(holds[0]!.failure!.error).toContain('Query read timeout');
      expect(pgRetryable(holds[0]!.failure!)).toBe(true);
      expect(acknowledged).toBeUndefined();
    } finally {
      cluster.thaw();
    }
    await waiting;
    expect(acknowledged).toBe(true);
    const stored = await pool.query<{ n: string; distinct: string }>("SELECT count(*) AS n, count(DISTINCT command) AS distinct FROM events WHERE collector = 'site-f'");
    expect(stored.rows[0]).toEqual({ n: '1000', distinct: '1000' });
    expect((await verifyChains(pool)).find((r) => r.collector === 'site-f')).toMatchObject({ ok: true, checked: 1000 });
  });

  it('holds while the database refuses writes (made read-only), and stores everything once it takes them again', { timeout: 120_000 }, async () => {
    const holds: Hold[] = [];
    sink = new ThreadSink({ postgres: { url: cluster.url, collector: 'site-ro' }, keepRejectedPerReason: 10 }, {
      onHold: (failure, resumed) => holds.push({ failure, ...(resumed ? { resumed } : {}) }),
    });
    await sink.ready;
    const writer = new IngestWriter(sink, { batchRows: 100, batchMillis: 60_000, keepRejectedPerReason: 10 });
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    // New sessions are read-only; the collector's open ones are cut, so its next write meets it.
    const cut = (): Promise<unknown> => admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'aaawatch site-ro'");
    let acknowledged: boolean | undefined;
    let waiting: Promise<unknown> | undefined;
    try {
      await admin.query('ALTER DATABASE postgres SET default_transaction_read_only = on');
      await cut();
      const mark = writer.mark();
      for (let i = 0; i < 300; i++) writer.addMessage(msg, 'r1', line, [record(i)]);
      waiting = writer.committed(mark).then(() => (acknowledged = true), () => (acknowledged = false));
      // The first write may meet the connection cut (57P01) before a new one meets the read-only
      // database: the hold's reason is said again when it changes.
      const deadline = Date.now() + 60_000;
      while (!holds.some((h) => h.failure?.code === '25006') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(holds.map((h) => h.failure?.code)).toContain('25006');
      expect(holds.every((h) => h.failure !== undefined && pgRetryable(h.failure))).toBe(true);
      // The store's state names the reason it is held for now, and the episode keeps its start.
      expect(sink.state().held?.failure.code).toBe('25006');
      expect(sink.state().held?.since).toBeLessThanOrEqual(Date.now());
      expect(acknowledged).toBeUndefined();
    } finally {
      await admin.query('ALTER DATABASE postgres RESET default_transaction_read_only');
      await admin.end();
    }
    await waiting;
    expect(acknowledged).toBe(true);
    expect(holds.at(-1)).toMatchObject({ failure: undefined, resumed: { attempts: expect.any(Number) } });
    expect((await pool.query<{ n: string }>("SELECT count(*) AS n FROM events WHERE collector = 'site-ro'")).rows[0]!.n).toBe('300');
    expect((await verifyChains(pool)).find((r) => r.collector === 'site-ro')).toMatchObject({ ok: true, checked: 300 });
  });

  it('says the hold again when its reason changes (a read-only database, then the server gone), keeping the episode\'s start', { timeout: 120_000 }, async () => {
    const holds: Hold[] = [];
    sink = new ThreadSink({ postgres: { url: cluster.url, collector: 'site-rc' }, keepRejectedPerReason: 10 }, {
      onHold: (failure, resumed) => holds.push({ failure, ...(resumed ? { resumed } : {}) }),
    });
    await sink.ready;
    const writer = new IngestWriter(sink, { batchRows: 100, batchMillis: 60_000, keepRejectedPerReason: 10 });
    const until = async (what: () => boolean): Promise<void> => {
      const deadline = Date.now() + 60_000;
      while (!what() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    };
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query('ALTER DATABASE postgres SET default_transaction_read_only = on');
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'aaawatch site-rc'");
    await admin.end();
    let since: number | undefined;
    let waiting: Promise<unknown> | undefined;
    try {
      const mark = writer.mark();
      for (let i = 0; i < 100; i++) writer.addMessage(msg, 'r1', line, [record(i)]);
      waiting = writer.committed(mark);
      await until(() => sink!.state().held?.failure.code === '25006');
      expect(sink.state().held?.failure.code).toBe('25006');
      since = sink.state().held!.since;
      const before = holds.length;
      cluster.down();
      await until(() => holds.length > before);
      // The server gone: another reason, said while still held, the episode's start kept.
      expect(holds.slice(before).map((h) => h.failure?.code)).not.toContain(undefined);
      expect(holds.at(-1)!.failure!.code).not.toBe('25006');
      expect(sink.state().held).toMatchObject({ since, failure: { code: holds.at(-1)!.failure!.code } });
    } finally {
      cluster.up();
      const again = new pg.Client({ connectionString: cluster.url });
      await again.connect();
      // A session started while the database is read-only is read-only: this one is told otherwise.
      await again.query('SET default_transaction_read_only = off');
      await again.query('ALTER DATABASE postgres RESET default_transaction_read_only');
      await again.end();
    }
    await waiting;
    expect(holds.at(-1)).toMatchObject({ failure: undefined, resumed: { attempts: expect.any(Number) } });
    expect(holds.filter((h) => h.failure === undefined)).toHaveLength(1);
    expect((await pool.query<{ n: string }>("SELECT count(*) AS n FROM events WHERE collector = 'site-rc'")).rows[0]!.n).toBe('100');
  });

  it('raises store-unwritable for an episode told while the server is down once it answers again, one finding gathering every episode', { timeout: 60_000 }, async () => {
    await createPullTables(pool);
    const raiser = new UnwritableFindings(pool, pino({ level: 'silent' }), 200);
    const episode = (from: number): StoreEpisode => ({ path: 'PostgreSQL test as collector site-u', from, to: from + 5000, error: 'the database system is shutting down', code: '57P03', droppedUdp: 3 });
    cluster.down();
    try {
      raiser.add(episode(Date.parse('2026-12-03T10:00:00Z')));
      await new Promise((r) => setTimeout(r, 600));
    } finally {
      cluster.up();
    }
    await raiser.settled();
    raiser.add(episode(Date.parse('2026-12-03T11:00:00Z')));
    await raiser.settled();
    await raiser.stop();
    const { rows } = await pool.query("SELECT device, account, status, severity, occurrences::int AS n, summary FROM findings WHERE kind = 'store-unwritable'");
    expect(rows).toEqual([{
      device: '(aaawatch)', account: '', status: 'open', severity: 'high', n: 2,
      summary: 'the store PostgreSQL test as collector site-u could not be written from 2026-12-03T10:00:00Z to 2026-12-03T10:00:05Z (the database system is shutting down): ' +
        'TCP, TLS and RELP senders were held back, RELP, TACACS+ and RADIUS answers waited, 3 UDP records were dropped and counted (dropped.store-unwritable)',
    }]);
  });

  it('skips batches it already committed when a transaction is tried again, so a lost answer stores nothing twice', async () => {
    await createIngestTables(pool);
    const writer = new PgBatchWriter(pool, 'site-r', 100);
    const batches = batchesFor(iosCommands(1, 120, ' r'), { source: '192.0.2.9' });
    expect(batches.length).toBeGreaterThan(1);
    // The first two committed; the answer "lost"; the same two tried again with the next one.
    await writer.writeMany(batches.slice(0, 2));
    const again = await writer.writeMany(batches.slice(0, 3));
    expect(again.slice(0, 2)).toEqual([[], []]);
    const { rows } = await pool.query<{ n: string }>("SELECT count(*) AS n FROM events WHERE collector = 'site-r'");
    expect(Number(rows[0]!.n)).toBe(batches.slice(0, 3).reduce((n, b) => n + b.records.length, 0));
    // Another writer (a new process) under the same name stores its own batches, though they are equal.
    await new PgBatchWriter(pool, 'site-r', 100).writeMany(batches.slice(0, 1));
    const after = await pool.query<{ n: string }>("SELECT count(*) AS n FROM events WHERE collector = 'site-r'");
    expect(Number(after.rows[0]!.n)).toBe(Number(rows[0]!.n) + batches[0]!.records.length);
    expect((await verifyChains(pool)).find((r) => r.collector === 'site-r')).toMatchObject({ ok: true });
  });

  it('tells failures that pass from those that fail every time', () => {
    const f = (err: unknown): boolean => pgRetryable(storeFailure(err));
    expect(f(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(f(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(f(Object.assign(new Error('could not extend file: No space left on device'), { code: '53100' }))).toBe(true);
    expect(f(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(f(Object.assign(new AggregateError([]), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(f(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBe(false);
    expect(f(Object.assign(new Error('column "x" does not exist'), { code: '42703' }))).toBe(false);
    expect(f(new TypeError('Cannot read properties of undefined'))).toBe(false);
  });
});
