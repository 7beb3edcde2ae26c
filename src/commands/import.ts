import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { platforms } from '../../parsers/index.js';
import { createPipeline } from '../ingest/service.js';
import { openDatabase } from '../store/db.js';
import { BatchStore } from '../store/batch-store.js';
import { IngestWriter } from '../store/writer.js';
import { counters } from '../store/queries.js';
import { configFrom, withConfig, type ConfigOptions } from './common.js';

export function registerImport(program: Command): void {
  withConfig(program.command('import'))
    .description('store the records of a file: a platform export (CloudTrail `Records` file) or raw syslog lines')
    .argument('<file>', 'file to import')
    .option('--source <address>', 'sender address to record for every line')
    .action((file: string, opts: ConfigOptions & { source?: string }) => {
      const config = configFrom(opts);
      const text = readFileSync(file, 'utf8');
      const db = openDatabase(config.store.path);
      const store = new BatchStore(db, config.store.keepRejectedPerReason);
      const writer = new IngestWriter({ write: (batch) => void store.write(batch) }, {
        batchRows: config.ingest.batchRows,
        batchMillis: config.ingest.batchMillis,
        keepRejectedPerReason: config.store.keepRejectedPerReason,
      });
      const { pipeline } = createPipeline(config, db, writer);
      const before = recognised(db);
      let items: string[] | undefined;
      for (const p of platforms) {
        items = p.splitImport?.(text);
        if (items) {
          process.stdout.write(`${file}: ${p.name} export, ${items.length} entries\n`);
          break;
        }
      }
      items ??= text.split(/\r?\n/).filter((l) => l.length > 0);
      const now = Date.now();
      for (const item of items) pipeline.message(item, false, opts.source, 'file', now);
      writer.flush();
      const added = recognised(db) - before;
      db.close();
      process.stdout.write(`${file}: ${items.length} read, ${added} records stored\n`);
    });
}

function recognised(db: ReturnType<typeof openDatabase>): number {
  return counters(db).find((c) => c.name === 'recognised.records')?.value ?? 0;
}
