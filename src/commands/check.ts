import type { Command } from 'commander';
import { pullTargets } from '../pull/setup.js';
import { reconcileSetup } from '../reconcile/setup.js';
import { configFrom, withConfig, type ConfigOptions } from './common.js';

export function registerCheck(program: Command): void {
  withConfig(program.command('check'))
    .description('validate the configuration; names the file, line and key of each error')
    .action((opts: ConfigOptions) => {
      const config = configFrom(opts);
      // What serve reads besides this file: the inventory and credentials files, secrets by reference.
      const { targets, skipped } = pullTargets(config);
      const { roster } = reconcileSetup(config);
      const rosterNote = roster ? `, roster of ${roster.entries.length} entr${roster.entries.length === 1 ? 'y' : 'ies'}` : ', no roster';
      process.stdout.write(
        `${opts.config ?? '(embedded defaults)'}: OK — ${targets.length + skipped.length} device(s), ${targets.length} pulled${rosterNote}, database ${config.store.path}\n`,
      );
    });
}
