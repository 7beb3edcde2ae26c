// `aaawatch accounts [--device D] [--removed] [--json]`: the local accounts the pulls found.

import type { Command } from 'commander';
import type { AccountRow } from '../store/pull.js';
import { configFrom, printJson, withConfig, type ConfigOptions, UsageError } from './common.js';
import { withStore } from './store-of.js';
import { inventoryNamer } from '../reconcile/scope.js';
import { inventoryRefs } from '../report/document.js';

const iso = (t: number | null): string => (t === null ? '' : new Date(t).toISOString().slice(0, 19) + 'Z');

function view(a: AccountRow): Record<string, unknown> {
  return {
    device: a.device,
    name: a.name,
    privilege: a.privilege,
    roles: JSON.parse(a.roles) as string[],
    credentials: JSON.parse(a.credentials) as string[],
    firstSeen: iso(a.first_seen),
    lastSeen: iso(a.last_seen),
    removedAt: a.removed_at === null ? null : iso(a.removed_at),
    firstSnapshot: a.first_snapshot_id,
    lastSnapshot: a.last_snapshot_id,
    lines: JSON.parse(a.lines) as string[],
  };
}

export function registerAccounts(program: Command): void {
  withConfig(program.command('accounts'))
    .description('local accounts on each device, as the latest pulls show them, with when each was first and last seen')
    .option('--device <name>', 'only this device')
    .option('--removed', 'include accounts that have since been removed')
    .option('--history', 'with --device: every account added, removed or changed, between which snapshots')
    .option('--json', 'one JSON object per account')
    .action(async (opts: ConfigOptions & { device?: string; removed?: boolean; history?: boolean; json?: boolean }) => {
      const config = await configFrom(opts);
      // An inventory device named in any case or by its FQDN, as ingest files its lines.
      if (opts.device !== undefined) opts.device = inventoryNamer(inventoryRefs(config))(opts.device);
      if (opts.history) {
        const device = opts.device;
        if (device === undefined) throw new UsageError('--history needs --device');
        const changes = await withStore(config, (store) => store.accountChanges(device), { mustExist: false });
        for (const c of changes) {
          const row = { at: iso(c.at), name: c.name, change: c.change, before: c.before && JSON.parse(c.before), after: c.after && JSON.parse(c.after), fromSnapshot: c.from_snapshot_id, toSnapshot: c.to_snapshot_id };
          if (opts.json) printJson(row);
          else process.stdout.write(`${row.at}  ${c.change.padEnd(8)} ${c.name.padEnd(20)} snapshot ${c.from_snapshot_id ?? '(first pull)'} -> ${c.to_snapshot_id}  ${c.after ?? c.before ?? ''}\n`);
        }
        return;
      }
      const rows = await withStore(config, (store) => store.accounts({ ...(opts.device !== undefined ? { device: opts.device } : {}), removed: opts.removed === true }), { mustExist: false });
      if (opts.json) {
        for (const a of rows) printJson(view(a));
        return;
      }
      process.stdout.write('device                   account              privilege  roles                credentials      first seen            last seen             removed\n');
      for (const a of rows) {
        const v = view(a);
        process.stdout.write(
          `${a.device.padEnd(24)} ${a.name.padEnd(20)} ${(a.privilege ?? '').padEnd(10)} ${(v.roles as string[]).join(',').padEnd(20)} ` +
            `${(v.credentials as string[]).join(',').padEnd(16)} ${String(v.firstSeen).padEnd(21)} ${String(v.lastSeen).padEnd(21)} ${v.removedAt ?? ''}\n`,
        );
      }
    });
}
