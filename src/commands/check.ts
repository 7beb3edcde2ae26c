import type { Command } from 'commander';
import { configFrom, withConfig, type ConfigOptions } from './common.js';

export function registerCheck(program: Command): void {
  withConfig(program.command('check'))
    .description('validate the configuration; names the file, line and key of each error')
    .action((opts: ConfigOptions) => {
      const config = configFrom(opts);
      process.stdout.write(
        `${opts.config ?? '(embedded defaults)'}: OK — ${config.devices.length} device(s), database ${config.store.path}\n`,
      );
    });
}
