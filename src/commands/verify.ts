import type { Command } from 'commander';
import { verifyChain } from '../store/chain.js';
import { configFrom, openExisting, printJson, withConfig, type ConfigOptions } from './common.js';

export function registerVerify(program: Command): void {
  withConfig(program.command('verify'))
    .description('check the hash chain over stored records and say where it breaks')
    .option('--json', 'print the report as JSON')
    .action((opts: ConfigOptions & { json?: boolean }) => {
      const db = openExisting(configFrom(opts));
      const report = verifyChain(db);
      db.close();
      if (opts.json) printJson(report);
      else if (report.ok) {
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
      process.exitCode = report.ok ? 0 : 1;
    });
}
