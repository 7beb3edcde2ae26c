// `aaawatch snapshots DEVICE [--show [ID]]` and `aaawatch diff DEVICE [A B]`: the stored
// configuration history of a device (redacted) and what changed between two snapshots, shown as
// the device page shows them (control characters by code).

import type { Command } from 'commander';
import { snapshotDiff } from '../pull/diff.js';
import { visible } from '../report/text.js';
import type { SnapshotRow } from '../store/pull.js';
import { configFrom, printJson, withConfig, type ConfigOptions, UsageError } from './common.js';
import { withStore, type CommandStore } from './store-of.js';

async function snapshotOf(store: CommandStore, device: string, id: string): Promise<SnapshotRow> {
  const s = /^\d+$/.test(id) ? await store.snapshot(Number(id)) : undefined;
  if (!s || s.device !== device) throw new Error(`${device} has no snapshot ${id} (see aaawatch snapshots ${device})`);
  return s;
}

export function registerSnapshots(program: Command): void {
  withConfig(program.command('snapshots'))
    .description('the stored configuration snapshots of a device (one per change), or one of them with --show')
    .argument('<device>', 'inventory name of the device')
    .option('--show [id]', 'print a snapshot (default: the latest)')
    .option('--json', 'one JSON object per snapshot')
    .action(async (device: string, opts: ConfigOptions & { show?: string | true; json?: boolean }) =>
      withStore(await configFrom(opts), async (store) => {
        const list = await store.snapshots(device);
        if (opts.show !== undefined) {
          const id = opts.show === true ? list[list.length - 1]?.id : opts.show;
          if (id === undefined) throw new Error(`${device} has no snapshots yet`);
          // As the device page shows it (visible): a banner's ESC P or C1 CSI would act on the terminal.
          process.stdout.write(visible((await snapshotOf(store, device, String(id))).config));
          return;
        }
        for (const s of list) {
          const taken = new Date(s.taken_at).toISOString();
          if (opts.json) printJson({ id: s.id, device: s.device, platform: s.platform, takenAt: taken, bytes: s.bytes, hash: s.hash });
          else process.stdout.write(`${String(s.id).padStart(6)}  ${taken}  ${String(s.bytes).padStart(8)} bytes  ${s.hash.slice(0, 12)}\n`);
        }
      }, { mustExist: false }));

  withConfig(program.command('diff'))
    .description('unified diff between two snapshots of a device (default: the last two)')
    .argument('<device>', 'inventory name of the device')
    .argument('[from]', 'older snapshot id')
    .argument('[to]', 'newer snapshot id')
    .action(async (device: string, from: string | undefined, to: string | undefined, opts: ConfigOptions) => {
      if ((from === undefined) !== (to === undefined)) throw new UsageError('give two snapshot ids, or none for the last two');
      return withStore(await configFrom(opts), async (store) => {
        let pair: [SnapshotRow, SnapshotRow];
        if (from !== undefined && to !== undefined) {
          pair = [await snapshotOf(store, device, from), await snapshotOf(store, device, to)];
        } else {
          const list = await store.snapshots(device);
          if (list.length < 2) throw new Error(`${device} has ${list.length} snapshot${list.length === 1 ? '' : 's'}; a diff needs two`);
          pair = [await snapshotOf(store, device, String(list[list.length - 2]!.id)), await snapshotOf(store, device, String(list[list.length - 1]!.id))];
        }
        process.stdout.write(visible(snapshotDiff(...pair)));
      }, { mustExist: false });
    });
}
