// `aaawatch verify` when the configuration names a shared PostgreSQL store (store.url): every
// collector's hash chain there, each named in the report, and the web's activity log.

import { resolveSecret } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { connectPool } from '../store/pg/connection.js';
import { inTransaction } from '../store/pg/transaction.js';
import type { PurgeReport } from '../store/purge.js';
import { verifyChains, verifyPurgeLogs, type CollectorChainReport } from '../store/pg/verify.js';
import { PG_NUMBERS, verifyActivityPg } from '../web/data/pg-access.js';
import type { ActivityChainReport } from '../web/store.js';

export type CollectorPurges = { collector: string } & PurgeReport;

/**
 * Undefined when the database holds no aaawatch tables; `activity` once a web has run on it;
 * `purges`, the purge logs of the collectors migrated with one.
 */
export async function verifyPostgres(config: Config): Promise<{ chains: CollectorChainReport[]; purges: CollectorPurges[]; activity: ActivityChainReport | undefined } | undefined> {
  const pool = await connectPool({ url: resolveSecret(config.store.url!, 'store.url'), key: 'store.url' }, { max: 1, types: PG_NUMBERS });
  try {
    // One snapshot: records a serve appends, or retention removes, meanwhile are not half seen.
    const { chains, purges } = await inTransaction(pool, async (c) => ({ chains: await verifyChains(c), purges: await verifyPurgeLogs(c) }), 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    return { chains, purges, activity: await verifyActivityPg(pool) };
  } catch (err) {
    // 42P01: undefined_table.
    if ((err as { code?: unknown }).code === '42P01') return undefined;
    throw err;
  } finally {
    await pool.end();
  }
}

export function describeChains(reports: CollectorChainReport[]): string {
  if (reports.length === 0) return 'chains OK: no records stored yet\n';
  return reports
    .map((r) =>
      r.ok
        ? `collector ${r.collector}: chain OK, ${r.checked} records${r.from === undefined ? '' : ` from number ${r.from} (those before removed by retention)`}, head ${r.head}\n`
        : `collector ${r.collector}: chain BROKEN at ${r.broken!.id === null ? '' : `record ${r.broken!.id}, `}number ${r.broken!.seq} in its chain: ${r.broken!.reason}\n` +
          `  ${r.checked} records before it verified.\n`,
    )
    .join('');
}
