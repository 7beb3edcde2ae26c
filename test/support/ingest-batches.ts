// Ingest batches as the store thread is handed them, made by the real pipeline from syslog lines,
// for tests of a store that take batches directly (the PostgreSQL store).

import { configSchema } from '../../src/config/schema.js';
import { createPipeline } from '../../src/ingest/service.js';
import type { IngestBatch } from '../../src/store/batch.js';
import type { Transport } from '../../src/types.js';
import { openDatabase } from '../../src/store/db.js';
import { IngestWriter } from '../../src/store/writer.js';
import { join } from 'node:path';
import { tempDir } from './temp.js';

/** IOS archive-log lines, as in test/store/chain.test.ts. */
export const iosCommand = (n: number, cmd: string): string =>
  `<189>${n}: *Nov 21 22:10:${String(n % 60).padStart(2, '0')}.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:${cmd}`;

/** `count` IOS command lines numbered from `from`, `tag` making each run's commands its own. */
export const iosCommands = (from: number, count: number, tag = ''): string[] =>
  Array.from({ length: count }, (_, i) => iosCommand(from + i, `interface Gi1/0/${from + i}${tag}`));

/** The batches the pipeline hands the store for these lines (50 rows a batch); `db` as the pipeline reads it. */
export function batchesFor(
  lines: string[], opts: { source?: string; receivedAt?: number; dbPath?: string; transport?: Transport } = {},
): IngestBatch[] {
  const path = opts.dbPath ?? join(tempDir(), 'pipeline.db');
  const config = configSchema.parse({ store: { path } });
  const db = openDatabase(path);
  try {
    const batches: IngestBatch[] = [];
    const writer = new IngestWriter({ write: (b) => void batches.push(b) }, { batchRows: 50, batchMillis: 60_000, keepRejectedPerReason: 100 });
    const { pipeline } = createPipeline(config, db, writer);
    for (const l of lines) pipeline.message(l, false, opts.source ?? '192.0.2.7', opts.transport ?? 'udp', opts.receivedAt ?? Date.UTC(2026, 10, 21, 22, 10, 5));
    writer.flush();
    return batches;
  } finally {
    db.close();
  }
}
