// `aaawatch verify`: the hash chain over stored records, and the one over the activity log.

import type { Command } from 'commander';
import { verifyChain } from '../store/chain.js';
import { verifyActivity } from '../web/store.js';
import { describeChains, verifyPostgres } from './verify-postgres.js';
import { configFrom, openExisting, printJson, withConfig, type ConfigOptions } from './common.js';

export function registerVerify(program: Command): void {
  withConfig(program.command('verify'))
    .description('check the hash chains over stored records and over the activity log, and say where one breaks')
    .option('--json', 'print the report as JSON (the records\' chain, with the activity log\'s under "activity")')
    .action(async (opts: ConfigOptions & { json?: boolean }) => {
      const config = configFrom(opts);
      // A shared PostgreSQL store: its collectors' chains (the activity log stays in SQLite, with the web).
      if (config.store.url !== undefined) {
        const chains = await verifyPostgres(config);
        if (chains === undefined) throw new Error('no aaawatch tables in the database store.url names (no collector has written to it yet)');
        process.exitCode = chains.every((c) => c.ok) ? 0 : 1;
        if (opts.json) printJson({ ok: process.exitCode === 0, collectors: chains });
        else process.stdout.write(describeChains(chains));
        return;
      }
      const db = openExisting(config);
      const report = verifyChain(db);
      const activity = verifyActivity(db);
      db.close();
      process.exitCode = report.ok && activity.ok ? 0 : 1;
      if (opts.json) {
        printJson({ ...report, activity });
        return;
      }
      if (report.ok) {
        process.stdout.write(
          report.checked === 0
            ? 'chain OK: no records stored yet\n'
            : `chain OK: ${report.checked} records (ids ${report.firstId}–${report.lastId}), head ${report.head}\n`,
        );
      } else {
        process.stdout.write(
          `chain BROKEN at record ${report.broken!.id}: ${report.broken!.reason}\n` +
            `${report.checked} records before it verified.\n`,
        );
      }
      process.stdout.write(
        activity.ok
          ? `activity log OK: ${activity.checked} entries chained${activity.unchained ? ` (${activity.unchained} older entries from before the chain)` : ''}\n`
          : `activity log BROKEN at entry ${activity.broken!.id}: ${activity.broken!.reason}\n`,
      );
    });
}
