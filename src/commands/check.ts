import type { Command } from 'commander';
import { secretTable } from '../ingest/native/start.js';
import { inventory } from '../pull/inventory-file.js';
import { pullTargets } from '../pull/setup.js';
import { patternNameWarnings } from '../reconcile/roster.js';
import { reconcileSetup } from '../reconcile/setup.js';
import { loadConfig } from '../config/load.js';
import { withConfig, type ConfigOptions } from './common.js';
import { storeName } from './store-of.js';

export function registerCheck(program: Command): void {
  withConfig(program.command('check'))
    .description('validate the configuration; names the file, line and key of each error')
    .action(async (opts: ConfigOptions) => {
      const config = await loadConfig(opts.config, { secrets: true });
      // What serve reads besides this file: the inventory and credentials files, secrets by reference.
      const { targets, skipped } = pullTargets(config);
      const { roster } = reconcileSetup(config);
      // TACACS+ keys and RADIUS secrets: readable, and naming devices the inventory has.
      const devices = inventory(config.devices, config.pull);
      const keys = secretTable(config.ingest.tacacs.keys, devices, 'ingest.tacacs.keys').size;
      const secrets = secretTable(config.ingest.radius.secrets, devices, 'ingest.radius.secrets').size;
      const native = keys + secrets ? `, ${keys} TACACS+ key source(s), ${secrets} RADIUS secret source(s)` : '';
      // Not errors (a device may hold an account of that very name), but said: `svc-*` matches no svc-backup.
      for (const w of roster ? patternNameWarnings(roster) : []) process.stderr.write(`aaawatch: warning: ${w}\n`);
      const rosterNote = roster ? `, roster of ${roster.entries.length} entr${roster.entries.length === 1 ? 'y' : 'ies'}` : ', no roster';
      process.stdout.write(
        `${opts.config ?? '(embedded defaults)'}: OK — ${targets.length + skipped.length} device(s), ${targets.length} pulled${rosterNote}${native}, ${config.store.url === undefined ? 'database' : 'store'} ${storeName(config)}${config.collector ? ` as collector ${config.collector}` : ''}\n`,
      );
    });
}
