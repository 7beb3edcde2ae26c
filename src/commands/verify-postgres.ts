// `aaawatch verify` when the configuration names a shared PostgreSQL store (store.url): every
// collector's hash chain there, each named in the report.

import { resolveSecret } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { connectPool } from '../store/pg/connection.js';
import { verifyChains, type CollectorChainReport } from '../store/pg/verify.js';

/** Undefined when the database holds no aaawatch tables. */
export async function verifyPostgres(config: Config): Promise<CollectorChainReport[] | undefined> {
  const pool = await connectPool({ url: resolveSecret(config.store.url!, 'store.url'), key: 'store.url' }, { max: 1 });
  try {
    return await verifyChains(pool);
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
        ? `collector ${r.collector}: chain OK, ${r.checked} records, head ${r.head}\n`
        : `collector ${r.collector}: chain BROKEN at ${r.broken!.id === null ? '' : `record ${r.broken!.id}, `}number ${r.broken!.seq} in its chain: ${r.broken!.reason}\n` +
          `  ${r.checked} records before it verified.\n`,
    )
    .join('');
}
