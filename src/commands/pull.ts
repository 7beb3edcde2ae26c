// `aaawatch pull DEVICE… | --all`: pull configurations now, or `--scheduled` to run the pull
// schedules in the foreground.

import type { Command } from 'commander';
import { createLogger } from '../log.js';
import { pullAll, pullDevice, type DeviceResult, type PullContext, type PullLeases } from '../pull/run.js';
import { sqlitePullStore } from '../pull/pull-store.js';
import { pullContext, pullTargets, startPulls } from '../pull/setup.js';
import { printable } from '../reconcile/text.js';
import type { Target } from '../pull/target.js';
import { openDatabase } from '../store/db.js';
import type { PullStateRow } from '../store/pull.js';
import { storeCause } from '../store/store-failure.js';
import { loadConfig } from '../config/load.js';
import { printJson, withConfig, type ConfigOptions, UsageError } from './common.js';
import { withPullStore } from './pull-store-of.js';
import { sqliteOnly, withStore } from './store-of.js';

interface PullOptions extends ConfigOptions {
  all?: boolean;
  json?: boolean;
  scheduled?: boolean;
  status?: boolean;
}

const iso = (t: number | null): string => (t === null ? 'never' : new Date(t).toISOString().slice(0, 19) + 'Z');

/** The state of every device pulled so far: last attempt and success, failures in a row, the last error. */
function status(states: readonly PullStateRow[], json: boolean): void {
  for (const s of states) {
    const row = { device: s.device, lastAttempt: iso(s.last_attempt), lastSuccess: iso(s.last_success), snapshot: s.snapshot_id, failures: s.failures, lastError: s.last_error };
    if (json) printJson(row);
    else process.stdout.write(`${printable(s.device, Infinity).padEnd(24)} last success ${row.lastSuccess.padEnd(20)}  failures in a row ${String(s.failures).padStart(3)}  ${printable(s.last_error ?? '', Infinity)}\n`);
  }
}

function line(r: DeviceResult): string {
  const a = r.accounts;
  const accounts = a ? `accounts +${a.added} -${a.removed} ~${a.changed}` : '';
  // An error can quote the device (its refusal's line, controls and all): printed as text.
  const what = r.outcome === 'failed' ? `${r.failure ? `${r.failure}: ` : ''}${printable(r.error ?? '', Infinity)}` : `snapshot ${r.snapshotId} ${accounts}`;
  return `${printable(r.device, Infinity).padEnd(24)} ${r.outcome.padEnd(9)} ${String(r.attempts).padStart(2)} ${`${(r.ms / 1000).toFixed(1)}s`.padStart(7)}  ${what}\n`;
}

/** `3 devices in 12.4s: 1 changed, 1 unchanged, 1 failed (timeout 1)`. */
function summary(results: readonly DeviceResult[], ms: number): string {
  const count = (o: DeviceResult['outcome']): number => results.filter((r) => r.outcome === o).length;
  const failures = new Map<string, number>();
  for (const r of results) if (r.failure) failures.set(r.failure, (failures.get(r.failure) ?? 0) + 1);
  const why = failures.size ? ` (${[...failures].map(([f, n]) => `${f} ${n}`).join(', ')})` : '';
  return `${results.length} device${results.length === 1 ? '' : 's'} in ${(ms / 1000).toFixed(1)}s: ${count('changed')} changed, ${count('unchanged')} unchanged, ${count('failed')} failed${why}\n`;
}

/** Each device under its pull lease; one another collector holds is not pulled, and says so. */
function pullLeased(ctx: PullContext, targets: readonly Target[], leases: PullLeases): Promise<DeviceResult[]> {
  return Promise.all(targets.map(async (t) => {
    const result = await leases.exclusive(t.device.name, (lost) => pullDevice(ctx, t, lost));
    if (result !== 'held-elsewhere') return result;
    const held: DeviceResult = { device: t.device.name, outcome: 'failed', attempts: 0, ms: 0, error: 'another collector is pulling it now (it holds the device\'s pull lease); nothing recorded' };
    ctx.onResult?.(held);
    return held;
  }));
}

export function registerPull(program: Command): void {
  withConfig(program.command('pull'))
    .description('pull device configurations over SSH: store a redacted snapshot when it changed, and the local accounts it holds')
    .argument('[devices...]', 'inventory names of the devices to pull')
    .option('--all', 'every device in the inventory that can be pulled')
    .option('--json', 'one JSON object per device, printed as each finishes (no summary line)')
    .option('--scheduled', 'run the pull schedules (pull.schedule, pull.groups, device schedules) until interrupted')
    .option('--status', 'show each device\'s last pull: success, failures in a row, last error')
    .action(async (names: string[], opts: PullOptions) => {
      // The credentials' secrets read now, each named by its line (one empty, or a file not there, was
      // met at use by key alone); --status reads none of them.
      const config = await loadConfig(opts.config, { secrets: opts.status ? [['store', 'url']] : [['pull', 'credentials'], ['store', 'url']] });
      if (opts.status) return status(await withStore(config, (store) => store.pullStates(), { mustExist: false }), opts.json === true);
      const log = createLogger(config.log, 2);
      if (opts.scheduled) {
        sqliteOnly(config, 'pull --scheduled', 'on PostgreSQL every `serve` runs the pull schedule, each device under its pull lease');
        const db = openDatabase(config.store.path);
        const scheduler = startPulls(config, sqlitePullStore(db), log);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await scheduler.stop();
        db.close();
        return;
      }
      if (!opts.all && names.length === 0) throw new UsageError('name the devices to pull, or use --all');
      const { targets, skipped } = pullTargets(config);
      const chosen = opts.all ? targets : names.map((n) => targets.find((t) => t.device.name === n) ?? n);
      const problems = chosen.filter((c): c is string => typeof c === 'string').map((n) => {
        const why = skipped.find((s) => s.device === n);
        return why ? `device ${n} is not pulled (${why.reason})` : `no device named ${n} in the inventory`;
      });
      if (problems.length) throw new UsageError(problems.join('; '));
      const started = Date.now();
      // Each device's line as soon as it is done, so a slow or hung device holds up no other's.
      const print = (r: DeviceResult): void => (opts.json ? printJson(r) : void process.stdout.write(line(r)));
      const pulled = chosen.filter((c): c is Target => typeof c !== 'string');
      // On PostgreSQL under each device's pull lease, as serve's scheduler pulls: never while another collector pulls it.
      await withPullStore(config, async (store, leases) => {
        const ctx = pullContext(config, store, log, print);
        const results = leases ? await pullLeased(ctx, pulled, leases) : await pullAll(ctx, pulled);
        if (!opts.json) process.stdout.write(summary(results, Date.now() - started));
        if (results.some((r) => r.outcome === 'failed')) process.exitCode = 1;
        // Housekeeping after the outcomes are recorded: a store too busy for it says so, the pulls stand.
        await store.pruneRuns(Date.now() - config.pull.runHistoryDays * 86_400_000).catch((err: unknown) => {
          process.stderr.write(`aaawatch: old pull runs were not pruned from ${store.where}: ${storeCause(err)}\n`);
          process.exitCode = 1;
        });
      }, { connections: config.pull.concurrency + 2 });
    });
}
