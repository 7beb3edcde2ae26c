// Retention on a shared PostgreSQL store (store.retentionDays): records received before the cutoff
// are removed from the front of each collector's chain, a chunk per transaction, and the chain
// head's anchor (chain_heads.anchor, as `aaawatch migrate` sets it for a SQLite chain retention cut)
// moves to the hash the first remaining record follows, so `verify` still proves the rest intact;
// messages kept whole, traffic hours, rejected input and native senders' rows older than the cutoff go
// too, and unverified senders' rows past their bound. SQLite's rule
// (src/store/retention.ts) on every chain; run by the reconcile leader (src/store/pg/estate-service.ts)
// once for the estate, so chains of collectors that no longer run age out as well.

import type pg from 'pg';
import { UNVERIFIED, UNVERIFIED_SENDER_ROWS, type RetentionResult } from '../retention.js';
import { inTransaction } from './transaction.js';

/** Rows removed per transaction: each holds the collector's head row only for its last statement. */
const CHUNK = 5000;

/** The lock a collector's chain is re-written under (retention, purges), apart from its head row. */
export const chainMaintenanceLock = (collector: string): [string, string[]] =>
  ['SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [JSON.stringify(['chain-maintenance', collector])]];

export interface PgRetentionResult extends RetentionResult {
  /** Records removed per collector, those with none left out. */
  collectors: Record<string, number>;
}

/**
 * Remove what is older than `days`. `mayGoOn` is asked before each transaction (the leader still
 * holds its lease); when it says no, the work stops where it is, every chain still verifying.
 */
export async function applyRetentionPg(pool: pg.Pool, days: number, now = Date.now(), mayGoOn: () => boolean = () => true): Promise<PgRetentionResult> {
  const cutoff = now - days * 86_400_000;
  const result: PgRetentionResult = { events: 0, messages: 0, senders: 0, collectors: {} };
  const { rows: chains } = await pool.query<{ collector: string }>('SELECT collector FROM chain_heads ORDER BY collector');
  for (const { collector } of chains) {
    for (;;) {
      if (!mayGoOn()) return result;
      const n = await inTransaction(pool, async (c) => {
        await c.query(...chainMaintenanceLock(collector));
        // Sequence numbers follow arrival order, so "received before the cutoff" is a prefix of the
        // chain: its end within the next chunk, read under the lock a purge takes too.
        const cut = await c.query<{ seq: string; hash: Buffer }>(
          `SELECT seq, hash FROM events
            WHERE collector = $1 AND received_at < $2 AND seq < (SELECT min(seq) FROM events WHERE collector = $1) + $3
            ORDER BY seq DESC LIMIT 1`,
          [collector, cutoff, CHUNK],
        );
        const last = cut.rows[0];
        if (!last) return 0;
        const removed = (await c.query('DELETE FROM events WHERE collector = $1 AND seq <= $2', [collector, last.seq])).rowCount ?? 0;
        await c.query('UPDATE chain_heads SET anchor = $2 WHERE collector = $1', [collector, last.hash]);
        return removed;
      });
      if (n === 0) break;
      result.events += n;
      result.collectors[collector] = (result.collectors[collector] ?? 0) + n;
    }
  }
  for (let n = -1; n !== 0; ) {
    if (!mayGoOn()) return result;
    n = (await pool.query('DELETE FROM messages WHERE id IN (SELECT id FROM messages WHERE received_at < $1 ORDER BY id LIMIT $2)', [cutoff, CHUNK])).rowCount ?? 0;
    result.messages += n;
  }
  await pool.query('DELETE FROM traffic WHERE hour < $1', [Math.floor(cutoff / 3_600_000)]);
  await pool.query('DELETE FROM rejects WHERE received_at < $1', [cutoff]);
  result.senders += (await pool.query('DELETE FROM native_senders WHERE last_seen < $1', [cutoff])).rowCount ?? 0;
  // Each collector keeps its own unverified senders' rows up to the bound, as each writer bounds its own.
  result.senders +=
    (
      await pool.query(
        `DELETE FROM native_senders n USING (
           SELECT collector, transport, source, device, row_number() OVER (PARTITION BY collector ORDER BY last_seen DESC) AS k
             FROM native_senders WHERE ${UNVERIFIED}) r
          WHERE r.k > $1 AND n.collector = r.collector AND n.transport = r.transport AND n.source = r.source AND n.device = r.device`,
        [UNVERIFIED_SENDER_ROWS],
      )
    ).rowCount ?? 0;
  return result;
}
