// `aaawatch pull DEVICE… | --all`: pull configurations now, or `--scheduled` to run the pull
// schedules in the foreground.

import type { Command } from 'commander';
import { ConfigError } from '../config/load.js';
import { pullAll, type DeviceResult } from '../pull/run.js';
import { startScheduler } from '../pull/schedule.js';
import { pullContext, pullTargets, stderrLogger } from '../pull/setup.js';
import { openDatabase } from '../store/db.js';
import { configFrom, printJson, withConfig, type ConfigOptions } from './common.js';

interface PullOptions extends ConfigOptions {
  all?: boolean;
  json?: boolean;
  scheduled?: boolean;
}

function line(r: DeviceResult): string {
  const a = r.accounts;
  const accounts = a ? `accounts +${a.added} -${a.removed} ~${a.changed}` : '';
  const what = r.outcome === 'failed' ? `${r.failure}: ${r.error}` : `snapshot ${r.snapshotId} ${accounts}`;
  return `${r.device.padEnd(24)} ${r.outcome.padEnd(9)} ${String(r.attempts).padStart(2)} ${`${(r.ms / 1000).toFixed(1)}s`.padStart(7)}  ${what}\n`;
}

export function registerPull(program: Command): void {
  withConfig(program.command('pull'))
    .description('pull device configurations over SSH: store a redacted snapshot when it changed, and the local accounts it holds')
    .argument('[devices...]', 'inventory names of the devices to pull')
    .option('--all', 'every device in the inventory that can be pulled')
    .option('--json', 'one JSON object per device')
    .option('--scheduled', 'run the pull schedules (pull.schedule, pull.groups, device schedules) until interrupted')
    .action(async (names: string[], opts: PullOptions) => {
      const config = configFrom(opts);
      const { targets, skipped } = pullTargets(config);
      const log = stderrLogger(config.log.level);
      if (opts.scheduled) {
        const db = openDatabase(config.store.path);
        const scheduler = startScheduler(pullContext(config, db, log), targets);
        for (const s of scheduler.schedules) log.info({ schedule: s.expression, devices: s.devices.length }, 'pull schedule running');
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await scheduler.stop();
        db.close();
        return;
      }
      if (!opts.all && names.length === 0) throw new ConfigError(['name the devices to pull, or use --all']);
      const chosen = opts.all ? targets : names.map((n) => targets.find((t) => t.device.name === n) ?? n);
      const problems = chosen.filter((c): c is string => typeof c === 'string').map((n) => {
        const why = skipped.find((s) => s.device === n);
        return why ? `device ${n} is not pulled (${why.reason})` : `no device named ${n} in the inventory`;
      });
      if (problems.length) throw new ConfigError(problems);
      const db = openDatabase(config.store.path);
      try {
        const results = await pullAll(pullContext(config, db, log), chosen.filter((c) => typeof c !== 'string'));
        for (const r of results) {
          if (opts.json) printJson(r);
          else process.stdout.write(line(r));
        }
        if (results.some((r) => r.outcome === 'failed')) process.exitCode = 1;
      } finally {
        db.close();
      }
    });
}
