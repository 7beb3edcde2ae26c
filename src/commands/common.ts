// What every sub-command shares: the --config option and opening the configured database.

import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { openDatabase, type Db } from '../store/db.js';

export interface ConfigOptions {
  config?: string;
}

export function withConfig(cmd: Command): Command {
  return cmd.option(
    '-c, --config <file>',
    'configuration file (default: $AAAWATCH_CONFIG, else the embedded defaults)',
    process.env.AAAWATCH_CONFIG,
  );
}

export function configFrom(opts: ConfigOptions): Config {
  return loadConfig(opts.config);
}

/** Open the configured database for reading; fails with a clear message if it does not exist yet. */
export function openExisting(config: Config): Db {
  if (!existsSync(config.store.path)) {
    throw new Error(`no database at ${config.store.path} (start aaawatch with \`aaawatch serve\` first, or pass --config)`);
  }
  return openDatabase(config.store.path);
}

/** A JSON line on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}
