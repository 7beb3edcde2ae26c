// The PostgreSQL ingest store against a throwaway cluster (test/support/postgres.ts): batches made
// by the real pipeline from real syslog lines, written as one or several collectors, verified.

import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IngestBatch } from '../../src/store/batch.js';
import { BatchStore, NATIVE_DEVICES_KEPT, SENDERS_KEPT } from '../../src/store/batch-store.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { PgBatchWriter } from '../../src/store/pg/batch-writer.js';
import { createIngestTables } from '../../src/store/pg/migrate.js';
import { inTransaction } from '../../src/store/pg/transaction.js';
import { pgText } from '../../src/store/pg/multi-insert.js';
import { INGEST_TABLES } from '../../src/store/schema/ingest.js';
import { verifyChains } from '../../src/store/pg/verify.js';
import { postgresAvailable, startPostgres, type ThrowawayPostgres } from '../support/postgres.js';
import { batchesFor as batchesFor_, iosCommand, iosCommands } from '../support/ingest-batches.js';
import { tempDir } from '../support/temp.js';

let cluster: ThrowawayPostgres;
let pool: pg.Pool;
let db: Db;
let dbPath: string;

const cfg = iosCommand;
const commands = iosCommands;
const batchesFor = (lines: string[], source?: string): IngestBatch[] => batchesFor_(lines, { dbPath, ...(source ? { source } : {}) });

describe.skipIf(!postgresAvailable())('PostgreSQL ingest store', () => {
  beforeAll(async () => {
    cluster = await startPostgres();
    pool = new pg.Pool({ connectionString: cluster.url, max: 6 });
  });
  afterAll(async () => {
    await pool?.end();
    cluster?.stop();
  });
  beforeEach(async () => {
    await pool.query(`DROP TABLE IF EXISTS ${INGEST_TABLES.map((t) => t.name).join(', ')}`);
    await createIngestTables(pool);
    dbPath = join(tempDir(), 'a.db');
    db = openDatabase(dbPath);
  });
  afterEach(() => db.close());

  it('writes a batch with the SQLite store\'s chain hashes, and verify passes', async () => {
    const lines = [cfg(1, 'interface Gi1/0/1\u0000nul'), cfg(2, 'username bob privilege 15 password 0 Cleartext1'), '<13>Nov 21 22:10:01 h1 app: chatter', 'not syslog at all \u0001'];
    const batches = batchesFor(lines);
    // Two commands, and the account the second one made.
    expect(batches.reduce((n, b) => n + b.records.length, 0)).toBe(3);
    const writer = new PgBatchWriter(pool, 'site-a', 100);
    const accountIds: number[] = [];
    for (const b of batches) accountIds.push(...await writer.write(b));

    // The same batches in SQLite: the first collector's chain is the very chain SQLite keeps.
    const sqlite = new BatchStore(db, 100);
    for (const b of batches) sqlite.write(b);
    const lite = db.prepare('SELECT kind, device, command, target, raw, hash FROM events ORDER BY id').all() as Array<Record<string, unknown>>;
    const { rows } = await pool.query('SELECT collector, seq, kind, device, command, target, raw, hash, body FROM events ORDER BY seq');
    // PostgreSQL text holds no NUL: the columns show U+FFFD, the record keeps its exact chain body.
    const asPg = (r: Record<string, unknown>): Record<string, unknown> =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? pgText(v) : v]));
    expect(rows.map(({ collector: _c, seq: _s, body: _b, ...r }) => r)).toEqual(lite.map(asPg));
    expect(rows.map((r) => r.body !== null)).toEqual([true, false, false]);
    expect(JSON.parse(rows[0].body as string)[13]).toBe('interface Gi1/0/1\u0000nul');
    expect(rows.map((r) => [r.collector, r.seq])).toEqual([['site-a', '1'], ['site-a', '2'], ['site-a', '3']]);
    expect(JSON.stringify(rows)).not.toContain('Cleartext1');
    // The account record's id comes back for reconciliation, as from the SQLite store.
    const account = await pool.query('SELECT id FROM events WHERE kind = $1', ['account']);
    expect(accountIds).toEqual(account.rows.map((r) => Number(r.id)));
    expect(accountIds).toHaveLength(1);

    const traffic = await pool.query('SELECT collector, sum(messages)::int AS n FROM traffic GROUP BY collector');
    expect(traffic.rows).toEqual([{ collector: 'site-a', n: lines.length }]);

    const [report, ...others] = await verifyChains(pool);
    expect(others).toEqual([]);
    expect(report).toMatchObject({ collector: 'site-a', ok: true, checked: 3 });
    expect(report!.head).toBe((lite[2]!.hash as Buffer).toString('hex'));

    await pool.query("UPDATE events SET command = 'interface Gi1/0/2' WHERE seq = 1");
    expect((await verifyChains(pool))[0]).toMatchObject({ ok: false, broken: { seq: 1, reason: 'its content or message was changed' } });
  });

  it('two collectors write at the same time, each its own chain, and both verify', async () => {
    const a = new PgBatchWriter(pool, 'site-a', 100);
    const b = new PgBatchWriter(pool, 'site-b', 100);
    // A second writer under site-a's name (a restart overlapping the old process) must extend its
    // chain, not fork it.
    const a2 = new PgBatchWriter(pool, 'site-a', 100);
    const batchesA = batchesFor(commands(1, 400, ' a'), '192.0.2.1');
    const batchesB = batchesFor(commands(1, 300, ' b'), '192.0.2.2');
    const batchesA2 = batchesFor(commands(500, 200, ' a2'), '192.0.2.1');
    expect(batchesA.length).toBeGreaterThan(3);
    const writeAll = async (w: PgBatchWriter, bs: IngestBatch[]): Promise<void> => {
      for (const batch of bs) await w.write(batch);
    };
    await Promise.all([writeAll(a, batchesA), writeAll(b, batchesB), writeAll(a2, batchesA2)]);

    const counts = await pool.query('SELECT collector, count(*)::int AS n, max(seq)::int AS top FROM events GROUP BY collector ORDER BY collector');
    expect(counts.rows).toEqual([{ collector: 'site-a', n: 600, top: 600 }, { collector: 'site-b', n: 300, top: 300 }]);
    const reports = await verifyChains(pool);
    expect(reports.map((r) => [r.collector, r.ok, r.checked])).toEqual([['site-a', true, 600], ['site-b', true, 300]]);
    const counters = await pool.query('SELECT DISTINCT collector FROM counters ORDER BY 1');
    expect(counters.rows.map((r) => r.collector)).toEqual(['site-a', 'site-b']);
  });

  it('keeps the batch\'s counts per collector: rejects trimmed per reason, senders bounded, native senders, RELP frames, counters', async () => {
    const empty = { records: [], messages: [], hour: 493_000, traffic: [], rejects: [], unknowns: [], activity: [], counters: [], gauges: [] };
    const reject = (at: number, reason: string): IngestBatch['rejects'][number] => ({ at, source: '198.51.100.9', transport: 'udp', reason, raw: Buffer.from([0xff, 0, at % 256]) });
    const a = new PgBatchWriter(pool, 'site-a', 2);
    const b = new PgBatchWriter(pool, 'site-b', 2);
    const frame = (seq: number, digest: string) => ({ session: 's1', source: '192.0.2.5', seq, digest, at: 1000 + seq, keepFirst: 0, forgetThrough: 0 });
    await a.write({
      ...empty,
      rejects: [reject(1, 'bad-pri'), reject(2, 'bad-pri'), reject(3, 'bad-pri'), reject(4, 'oversize')],
      unknowns: [{ device: 'sw1', type: 'aaa', count: 2, first: 10, last: 20, example: 'odd\u0000line' }],
      activity: Array.from({ length: 40 }, (_, i) => ({ device: 'sw1', source: `203.0.113.${i}`, first: i, last: i })),
      native: [{ transport: 'tacacs', source: '192.0.2.9', device: 'fw1', first: 5, last: 6, accepted: 3, lastAccepted: 6, badKey: 1, lastBadKey: 5, refused: 0, named: 0, lastNamed: null, malformed: 0, lastMalformed: null, lastMalformedReason: null }],
      resends: { frames: [frame(1, 'd1'), frame(2, 'd2'), frame(2, 'd2-again')], forget: [] },
      counters: [['malformed.pri', 3]],
      gauges: [['kernel.udp.socket_drops', 7]],
    });
    await a.write({ ...empty, unknowns: [{ device: 'sw1', type: 'aaa', count: 1, first: 30, last: 40, example: 'later' }], counters: [['malformed.pri', 2]], gauges: [['kernel.udp.socket_drops', 9]] });
    await b.write({ ...empty, counters: [['malformed.pri', 1]], resends: { frames: [frame(1, 'b1')], forget: [] } });

    const q = async (sql: string): Promise<unknown[]> => (await pool.query(sql)).rows;
    expect(await q("SELECT reason, received_at::int AS at FROM rejects WHERE collector = 'site-a' ORDER BY id")).toEqual([
      { reason: 'bad-pri', at: 2 }, { reason: 'bad-pri', at: 3 }, { reason: 'oversize', at: 4 },
    ]);
    expect(await q("SELECT count::int, first_seen::int, last_seen::int, example FROM unknowns")).toEqual([{ count: 3, first_seen: 10, last_seen: 40, example: 'later' }]);
    expect(await q('SELECT count(*)::int AS n, min(last_seen)::int AS oldest FROM device_senders')).toEqual([{ n: SENDERS_KEPT, oldest: 40 - SENDERS_KEPT }]);
    expect(await q('SELECT source, last_seen::int FROM device_activity')).toEqual([{ source: '203.0.113.39', last_seen: 39 }]);
    expect(await q('SELECT device, accepted::int, bad_key::int FROM native_senders')).toEqual([{ device: 'fw1', accepted: 3, bad_key: 1 }]);
    expect(await q('SELECT collector, seq::int, digest FROM relp_frames ORDER BY collector, seq')).toEqual([
      { collector: 'site-a', seq: 1, digest: 'd1' }, { collector: 'site-a', seq: 2, digest: 'd2-again' }, { collector: 'site-b', seq: 1, digest: 'b1' },
    ]);
    expect(await q('SELECT collector, name, value::int FROM counters ORDER BY collector, name')).toEqual([
      { collector: 'site-a', name: 'kernel.udp.socket_drops', value: 9 },
      { collector: 'site-a', name: 'malformed.pri', value: 5 },
      { collector: 'site-b', name: 'malformed.pri', value: 1 },
    ]);
    // No records, so no chain to break: both collectors' chains are empty and verify.
    expect((await verifyChains(pool)).map((r) => [r.collector, r.ok, r.checked])).toEqual([['site-a', true, 0], ['site-b', true, 0]]);
  });

  it('native senders as (sender, device) pairs on both engines: a proxy\'s NASes each a row, a claim one of the named device\'s senders', async () => {
    const empty = { records: [], messages: [], hour: 493_000, traffic: [], rejects: [], unknowns: [], activity: [], counters: [], gauges: [] };
    const row = (source: string, device: string, at: number, accepted: number, named: number): NonNullable<IngestBatch['native']>[number] => ({
      transport: 'radius', source, device, first: at, last: at, accepted, lastAccepted: accepted ? at : null, badKey: 0, lastBadKey: null, refused: 0, named, lastNamed: named ? at : null, malformed: 0, lastMalformed: null, lastMalformedReason: null,
    });
    const batches: IngestBatch[] = [
      { ...empty, native: [row('10.0.0.100', 'core-sw1', 10, 2, 0), row('10.0.0.100', 'branch-9', 11, 1, 0), row('10.0.0.7', '10.0.0.7', 12, 1, 0), row('10.0.0.7', 'core-sw1', 12, 0, 1)] },
      { ...empty, native: [row('10.0.0.100', 'core-sw1', 20, 1, 0), row('10.0.0.7', 'core-sw1', 21, 0, 2)] },
    ];
    const sqlite = new BatchStore(db, 10);
    for (const b of batches) sqlite.write(b);
    const writer = new PgBatchWriter(pool, 'site-a', 2);
    for (const b of batches) await writer.write(b);
    const PAIRS = 'SELECT source, device, first_seen, last_seen, accepted, last_accepted, named, last_named FROM native_senders ORDER BY source, device';
    const expected = [
      { source: '10.0.0.100', device: 'branch-9', first_seen: 11, last_seen: 11, accepted: 1, last_accepted: 11, named: 0, last_named: null },
      { source: '10.0.0.100', device: 'core-sw1', first_seen: 10, last_seen: 20, accepted: 3, last_accepted: 20, named: 0, last_named: null },
      { source: '10.0.0.7', device: '10.0.0.7', first_seen: 12, last_seen: 12, accepted: 1, last_accepted: 12, named: 0, last_named: null },
      { source: '10.0.0.7', device: 'core-sw1', first_seen: 12, last_seen: 21, accepted: 0, last_accepted: null, named: 3, last_named: 21 },
    ];
    expect(db.prepare(PAIRS).all()).toEqual(expected);
    const numbers = (r: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v]));
    expect((await pool.query(PAIRS.replace(' FROM', ', collector FROM'))).rows.map(numbers)).toEqual(expected.map((e) => ({ ...e, collector: 'site-a' })));
    const SENDERS = 'SELECT device, source, first_seen, last_seen FROM device_senders';
    expect(db.prepare(SENDERS).all()).toEqual([{ device: 'core-sw1', source: '10.0.0.7', first_seen: 12, last_seen: 21 }]);
    expect((await pool.query(SENDERS)).rows.map(numbers)).toEqual([{ device: 'core-sw1', source: '10.0.0.7', first_seen: 12, last_seen: 21 }]);
  });

  it('a native sender keeps its latest NATIVE_DEVICES_KEPT devices (SQLite): names it makes up do not grow the table without end', () => {
    const empty = { records: [], messages: [], hour: 493_000, traffic: [], rejects: [], unknowns: [], activity: [], counters: [], gauges: [] };
    const sqlite = new BatchStore(db, 10);
    const native = Array.from({ length: NATIVE_DEVICES_KEPT + 5 }, (_, i) => ({
      transport: 'radius', source: '10.0.0.100', device: `nas-${i}`, first: i, last: i, accepted: 1, lastAccepted: i, badKey: 0, lastBadKey: null, refused: 0, named: 0, lastNamed: null, malformed: 0, lastMalformed: null, lastMalformedReason: null,
    }));
    sqlite.write({ ...empty, native });
    expect(db.prepare('SELECT count(*) AS n, min(last_seen) AS oldest FROM native_senders').get()).toEqual({ n: NATIVE_DEVICES_KEPT, oldest: 5 });
  });

  it('names the collector and the record when a row is changed, removed or cut from the end', async () => {
    await new PgBatchWriter(pool, 'site-a', 100).write(batchesFor(commands(1, 10, ' a'))[0]!);
    await new PgBatchWriter(pool, 'site-b', 100).write(batchesFor(commands(1, 10, ' b'))[0]!);
    expect((await verifyChains(pool)).every((r) => r.ok)).toBe(true);

    const target = await pool.query("SELECT id FROM events WHERE collector = 'site-b' AND seq = 4");
    const id = Number(target.rows[0].id);
    await pool.query("UPDATE events SET command = 'interface Gi9/9/9' WHERE id = $1", [id]);
    let [a, b] = await verifyChains(pool);
    expect(a).toMatchObject({ collector: 'site-a', ok: true, checked: 10 });
    expect(b).toMatchObject({ collector: 'site-b', ok: false, checked: 3, broken: { id, seq: 4, reason: 'its content or message was changed' } });

    await pool.query("DELETE FROM events WHERE collector = 'site-a' AND seq = 7");
    [a] = await verifyChains(pool);
    expect(a).toMatchObject({ collector: 'site-a', ok: false, checked: 6, broken: { seq: 8, reason: 'record 7 of this collector is missing (removed)' } });

    // Rows cut from the end leave a chain that follows itself: the head row shows it.
    await pool.query("DELETE FROM events WHERE collector = 'site-a' AND seq >= 7");
    [a] = await verifyChains(pool);
    expect(a).toMatchObject({ collector: 'site-a', ok: false, checked: 6, broken: { id: null, seq: 7 } });
    expect(a!.broken!.reason).toMatch(/ends at record 6 but its head says 10/);
  });

  it('a collector starting beside one mid-transaction finds the tables made and waits for no lock', async () => {
    // Another collector's write stays open with ROW EXCLUSIVE on events; `CREATE INDEX IF NOT
    // EXISTS` would queue behind it (SHARE lock) and, holding locks of its own, could deadlock.
    const writing = await pool.connect();
    try {
      await writing.query('BEGIN');
      await writing.query('LOCK TABLE events IN ROW EXCLUSIVE MODE');
      const starting = await pool.connect();
      try {
        await starting.query("SET lock_timeout = '2s'");
        // A pool of this one client: createIngestTables runs on the connection whose lock_timeout is set.
        const lent = { query: starting.query.bind(starting), on: starting.on.bind(starting), off: starting.off.bind(starting), release: () => undefined };
        const one = { connect: async () => lent } as unknown as pg.Pool;
        await expect(createIngestTables(one)).resolves.toBeUndefined();
      } finally {
        starting.release();
      }
    } finally {
      await writing.query('ROLLBACK');
      writing.release();
    }
  });

  it('a connection cut while checked out fails its transaction and nothing else (pg emits the cut on the client too, which unheard ends the process)', async () => {
    // inTransaction: the server ends the session between two statements.
    const cut = inTransaction(pool, async (c) => {
      const { pid } = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!;
      const ended = new Promise((r) => c.once('end', r));
      await pool.query('SELECT pg_terminate_backend($1)', [pid]);
      await ended;
      return c.query('SELECT 1');
    });
    await expect(cut).rejects.toThrow(/terminat|not queryable/);
    // The batch writer: its session ended while it waits for the chain head, held by another.
    const holding = await pool.connect();
    try {
      await holding.query('BEGIN');
      await holding.query('LOCK TABLE chain_heads IN ACCESS EXCLUSIVE MODE');
      const writing = new PgBatchWriter(pool, 'site-a', 100).writeMany(batchesFor(iosCommands(1, 3))).then(() => 'committed', (err: Error) => err.message);
      let waiting: number | undefined;
      while (waiting === undefined) {
        await new Promise((r) => setTimeout(r, 20));
        waiting = (await pool.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()")).rows[0]?.pid;
      }
      await pool.query('SELECT pg_terminate_backend($1)', [waiting]);
      expect(await writing).toMatch(/terminat/);
    } finally {
      await holding.query('ROLLBACK');
      holding.release();
    }
    // The pool goes on with fresh connections.
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });
});
