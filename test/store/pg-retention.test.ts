// Retention on a shared PostgreSQL store against a throwaway cluster: records past
// store.retentionDays removed from the front of every collector's chain (more than one chunk of
// them, a whole chain, a chain with nothing old), the head's anchor moved so that verify still
// passes and says where each chain now starts, writes continuing the cut chains, a record removed
// behind retention's back still found; messages kept whole, traffic hours and rejected input
// past the cutoff gone, the newer kept; native senders' rows heard before the cutoff gone, and each
// collector's unverified senders kept up to their bound. The reconcile leader running it inside serve is
// test/store/pg-serve.test.ts's.

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeChains } from '../../src/commands/verify-postgres.js';
import type { IngestBatch } from '../../src/store/batch.js';
import { PgBatchWriter } from '../../src/store/pg/batch-writer.js';
import { createIngestTables } from '../../src/store/pg/migrate.js';
import { applyRetentionPg } from '../../src/store/pg/retention.js';
import { verifyChains } from '../../src/store/pg/verify.js';
import { UNVERIFIED_SENDER_ROWS } from '../../src/store/retention.js';
import { IngestWriter, MAX_UNVERIFIED_SENDERS } from '../../src/store/writer.js';
import { batchesFor, iosCommands } from '../support/ingest-batches.js';
import { postgresAvailable, startPostgres, type ThrowawayPostgres } from '../support/postgres.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);
const OLD = NOW - 500 * DAY;
const RECENT = NOW - 10 * DAY;

describe.skipIf(!postgresAvailable())('retention on PostgreSQL', () => {
  let cluster: ThrowawayPostgres;
  let pool: pg.Pool;
  const write = async (collector: string, from: number, count: number, receivedAt: number): Promise<void> => {
    await new PgBatchWriter(pool, collector, 100).writeMany(batchesFor(iosCommands(from, count, ` ${collector}`), { receivedAt }));
  };
  const count = async (sql: string): Promise<number> => Number((await pool.query<{ n: string }>(sql)).rows[0]!.n);

  beforeAll(async () => {
    cluster = await startPostgres();
    pool = new pg.Pool({ connectionString: cluster.url, max: 4 });
    pool.on('error', () => undefined);
    await createIngestTables(pool);
  });
  afterAll(async () => {
    await pool?.end();
    cluster?.stop();
  });

  it('removes what is past the period from every chain, a chunk at a time; verify passes from each new start, and the chains go on', { timeout: 120_000 }, async () => {
    // a: more old records than one chunk, then recent ones; b: only old ones; c: only recent ones.
    await write('a', 1, 11_000, OLD);
    await write('a', 20_001, 40, RECENT);
    await write('b', 1, 30, OLD);
    await write('c', 1, 25, RECENT);
    for (const [at, raw] of [[OLD, 'old message'], [RECENT, 'recent message']] as const) {
      await pool.query(
        `INSERT INTO messages (collector, received_at, time, time_quality, transport, device, raw) VALUES ('a', $1, $1, 'device', 'udp', 'r1', $2)`, [at, raw]);
      await pool.query(`INSERT INTO rejects (collector, received_at, transport, reason, raw) VALUES ('b', $1, 'udp', 'oversize', $2)`, [at, Buffer.from(raw)]);
    }
    const headsBefore = new Map((await verifyChains(pool)).map((r) => [r.collector, r.head]));

    // A leader that lost its lease stops before its first transaction: nothing removed.
    expect(await applyRetentionPg(pool, 400, NOW, () => false)).toEqual({ events: 0, messages: 0, senders: 0, collectors: {} });
    expect(await count("SELECT count(*) AS n FROM events WHERE collector = 'a'")).toBe(11_040);

    const r = await applyRetentionPg(pool, 400, NOW);
    expect(r).toEqual({ events: 11_030, messages: 1, senders: 0, collectors: { a: 11_000, b: 30 } });
    expect(await count("SELECT min(seq) AS n FROM events WHERE collector = 'a'")).toBe(11_001);
    expect(await count("SELECT count(*) AS n FROM events WHERE collector = 'b'")).toBe(0);
    expect((await pool.query('SELECT raw FROM messages')).rows).toEqual([{ raw: 'recent message' }]);
    expect((await pool.query('SELECT raw FROM rejects')).rows).toEqual([{ raw: Buffer.from('recent message') }]);
    expect(await count(`SELECT count(*) AS n FROM traffic WHERE hour < ${Math.floor((NOW - 400 * DAY) / 3_600_000)}`)).toBe(0);
    expect(await count('SELECT count(*) AS n FROM traffic')).toBeGreaterThan(0);

    const reports = await verifyChains(pool);
    expect(reports).toEqual([
      { collector: 'a', ok: true, checked: 40, from: 11_001, head: headsBefore.get('a') },
      { collector: 'b', ok: true, checked: 0, from: 31, head: headsBefore.get('b') },
      { collector: 'c', ok: true, checked: 25, head: headsBefore.get('c') },
    ]);
    expect(describeChains(reports)).toBe(
      `collector a: chain OK, 40 records from number 11001 (those before removed by retention), head ${headsBefore.get('a')}\n` +
        `collector b: chain OK, 0 records from number 31 (those before removed by retention), head ${headsBefore.get('b')}\n` +
        `collector c: chain OK, 25 records, head ${headsBefore.get('c')}\n`,
    );
    // Nothing more is past the period: a second run removes nothing.
    expect(await applyRetentionPg(pool, 400, NOW)).toEqual({ events: 0, messages: 0, senders: 0, collectors: {} });

    // The cut chains go on: b's next record follows its last removed one.
    await write('b', 100, 5, NOW);
    await write('a', 30_001, 5, NOW);
    expect((await verifyChains(pool)).map((c) => [c.collector, c.ok, c.checked, c.from])).toEqual([['a', true, 45, 11_001], ['b', true, 5, 31], ['c', true, 25, undefined]]);

    // A record removed from the front without retention (the anchor not moved) is found.
    const { rows } = await pool.query<{ id: string }>("DELETE FROM events WHERE collector = 'a' AND seq = 11001 RETURNING id");
    const [a] = await verifyChains(pool);
    expect(a).toMatchObject({ collector: 'a', ok: false, checked: 0, broken: { seq: 11_002, reason: 'does not follow the chain start' } });
    expect(rows).toHaveLength(1);
  });

  it("drops native senders' rows heard before the cutoff, and keeps each collector's latest unverified senders up to the bound", { timeout: 120_000 }, async () => {
    // One `serve` process of collector `c`: `n` wrong-key senders from `first` on, heard at `at` + i ms.
    const start = async (collector: string, first: number, n: number, at: number, extra?: (w: IngestWriter) => void): Promise<void> => {
      const batches: IngestBatch[] = [];
      const w = new IngestWriter({ write: (b) => void batches.push(b) }, { batchRows: 500, batchMillis: 1000, keepRejectedPerReason: 10 });
      extra?.(w);
      for (let i = 0; i < n; i++) {
        const k = first + i;
        const source = `10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`;
        w.nativeRequest('radius', source, source, at + i, 'bad-key');
      }
      w.flush();
      await new PgBatchWriter(pool, collector, 100).writeMany(batches);
    };
    await start('a', 0, 0, NOW, (w) => {
      w.nativeRequest('radius', '192.0.2.1', 'nas1', RECENT, 'accepted');
      w.nativeRequest('radius', '192.0.2.3', 'nas3', OLD, 'accepted');
    });
    const starts = 11;
    for (let s = 0; s < starts; s++) await start('a', s * MAX_UNVERIFIED_SENDERS, MAX_UNVERIFIED_SENDERS, NOW - DAY + s * 60_000);
    // Another collector's few unverified senders are its own: not counted against a's bound.
    await start('b', 0, 3, OLD + 1);
    await start('b', 100, 5, NOW);
    const forged = starts * MAX_UNVERIFIED_SENDERS;
    expect(await count('SELECT count(*) AS n FROM native_senders')).toBe(forged + 2 + 8);

    const r = await applyRetentionPg(pool, 400, NOW);
    expect(r.senders).toBe(1 + 3 + (forged - UNVERIFIED_SENDER_ROWS));
    expect(await count("SELECT count(*) AS n FROM native_senders WHERE collector = 'a' AND accepted = 0")).toBe(UNVERIFIED_SENDER_ROWS);
    expect(await count("SELECT count(*) AS n FROM native_senders WHERE collector = 'b'")).toBe(5);
    expect((await pool.query("SELECT source, device FROM native_senders WHERE source LIKE '192.0.2.%'")).rows).toEqual([{ source: '192.0.2.1', device: 'nas1' }]);
    expect(await count(`SELECT count(*) AS n FROM native_senders WHERE collector = 'a' AND source LIKE '10.%' AND last_seen < ${NOW - DAY + 60_000}`)).toBe(0);
    expect((await applyRetentionPg(pool, 400, NOW)).senders).toBe(0);
  });
});
