// Malformed native packets per sender (issue 18), one contract for both engines: a store made before
// native_senders had its malformed columns (SQLite: a file at the version before migration 027;
// PostgreSQL: the table as an older collector made it) keeps its rows, which read none, and each
// engine's writer then adds batches' malformed packets to them, the last one's time and reason kept.

import pg from 'pg';
import { expect, it } from 'vitest';
import type { IngestBatch, NativeRow } from '../../../src/store/batch.js';
import { BatchStore } from '../../../src/store/batch-store.js';
import { openDatabase } from '../../../src/store/db.js';
import nativeMalformed from '../../../src/store/migrations/027-native-malformed.js';
import { PgBatchWriter } from '../../../src/store/pg/batch-writer.js';
import { createIngestTables, createTables } from '../../../src/store/pg/migrate.js';
import { INGEST_TABLES } from '../../../src/store/schema/ingest.js';
import type { Table } from '../../../src/store/schema/table.js';
import { describeEngines } from '../../support/engines.js';
import { storeBefore } from '../../support/old-store.js';

const NEW_COLUMNS = ['malformed', 'last_malformed', 'last_malformed_reason'];
const COLUMNS = 'source, device, accepted, bad_key, malformed, last_malformed, last_malformed_reason';

const empty: IngestBatch = { records: [], messages: [], hour: 493_000, traffic: [], rejects: [], unknowns: [], activity: [], native: undefined, resends: undefined, counters: [], gauges: [] };

const row = (source: string, at: number, malformed: number, reason: string | null): NativeRow => ({
  transport: 'tacacs', source, device: source, first: at, last: at, accepted: 0, lastAccepted: null, badKey: 0, lastBadKey: null, refused: 0, named: 0, lastNamed: null,
  malformed, lastMalformed: reason === null ? null : at, lastMalformedReason: reason,
});

interface Upgraded {
  rows(): Promise<Array<Record<string, unknown>>>;
  write(b: IngestBatch): Promise<void>;
  close(): Promise<void>;
}

describeEngines('native senders\' malformed packets', (engine) => {
  /** A store as a release before migration 027 left it, holding one sender's row, then opened by this one. */
  async function upgraded(): Promise<Upgraded> {
    const target = await engine.fresh();
    const old = `INSERT INTO native_senders (${target.kind === 'postgres' ? 'collector, ' : ''}transport, source, device, first_seen, last_seen, accepted, last_accepted, bad_key, last_bad_key, refused, named)
      VALUES (${target.kind === 'postgres' ? "'site-a', " : ''}'tacacs', '192.0.2.7', '192.0.2.7', 1, 2, 5, 2, 1, 1, 0, 0)`;
    if (target.kind === 'sqlite') {
      const { path, old: db } = storeBefore(nativeMalformed);
      expect((db.prepare('SELECT name FROM pragma_table_info(\'native_senders\')').all() as Array<{ name: string }>).map((c) => c.name)).not.toContain('malformed');
      db.exec(old);
      db.close();
      const opened = openDatabase(path);
      const store = new BatchStore(opened, 10);
      return {
        rows: async () => opened.prepare(`SELECT ${COLUMNS} FROM native_senders ORDER BY source`).all() as Array<Record<string, unknown>>,
        write: async (b) => void store.write(b),
        close: async () => void opened.close(),
      };
    }
    const pool = new pg.Pool({ connectionString: target.url, max: 2 });
    const older: Table[] = INGEST_TABLES.map((t) => (t.name === 'native_senders' ? { ...t, columns: t.columns.filter((c) => !NEW_COLUMNS.includes(c.name)) } : t));
    await createTables(pool, older);
    await pool.query(old);
    await createIngestTables(pool);
    const writer = new PgBatchWriter(pool, 'site-a', 10);
    return {
      rows: async () =>
        (await pool.query(`SELECT ${COLUMNS} FROM native_senders ORDER BY source`)).rows.map((r: Record<string, unknown>) =>
          Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v]))),
      write: async (b) => void (await writer.write(b)),
      close: () => pool.end(),
    };
  }

  it('an older store\'s rows gain the columns with none counted; the writer adds to them and keeps the last reason', async () => {
    const s = await upgraded();
    try {
      const before = { source: '192.0.2.7', device: '192.0.2.7', accepted: 5, bad_key: 1, malformed: 0, last_malformed: null, last_malformed_reason: null };
      expect(await s.rows()).toEqual([before]);
      await s.write({ ...empty, native: [row('192.0.2.7', 10, 2, 'tacacs-bad-flags'), row('192.0.2.8', 11, 1, 'tacacs-short-body')] });
      await s.write({ ...empty, native: [row('192.0.2.7', 20, 1, 'tacacs-bad-sequence')] });
      // A batch of the sender's other requests leaves its malformed packets as they were.
      await s.write({ ...empty, native: [{ ...row('192.0.2.8', 30, 0, null), accepted: 1, lastAccepted: 30 }] });
      expect(await s.rows()).toEqual([
        { ...before, malformed: 3, last_malformed: 20, last_malformed_reason: 'tacacs-bad-sequence' },
        { source: '192.0.2.8', device: '192.0.2.8', accepted: 1, bad_key: 0, malformed: 1, last_malformed: 11, last_malformed_reason: 'tacacs-short-body' },
      ]);
    } finally {
      await s.close();
    }
  });
});
