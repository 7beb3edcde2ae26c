// `aaawatch hostkey list` and `aaawatch hostkey accept DEVICE`: the pinned SSH host keys, and
// accepting a changed one after a person has checked it. On a shared PostgreSQL store (store.url)
// the keys are the estate's: accepted once, from any node, for every collector.

import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { inventory } from '../pull/inventory-file.js';
import { knownKeysFor } from '../pull/known-hosts.js';
import { loadKnownHosts } from '../pull/setup.js';
import { configFrom, printJson, withConfig, type ConfigOptions } from './common.js';
import { withPullStore } from './pull-store-of.js';

const iso = (t: number): string => new Date(t).toISOString().slice(0, 19) + 'Z';

export function registerHostkey(program: Command): void {
  const hostkey = program.command('hostkey').description('SSH host keys of the devices aaawatch pulls');

  withConfig(hostkey.command('list'))
    .description('pinned keys (how each was trusted, and when) and changed keys waiting to be accepted')
    .option('--json', 'one JSON object per key')
    .action(async (opts: ConfigOptions & { json?: boolean }) => {
      const { pinned, waiting } = await withPullStore(await configFrom(opts), (store) => store.hostKeys());
      for (const k of pinned) {
        const row = { device: k.device, state: 'pinned', type: k.key_type, fingerprint: k.fingerprint, source: k.source, since: iso(k.pinned_at), by: k.pinned_by, lastSeen: iso(k.last_seen) };
        if (opts.json) printJson(row);
        else process.stdout.write(`${k.device.padEnd(24)} pinned   ${k.key_type.padEnd(20)} ${k.fingerprint}  ${k.source} ${row.since}${k.pinned_by ? ` by ${k.pinned_by}` : ''}\n`);
      }
      for (const k of waiting) {
        const row = { device: k.device, state: 'changed', type: k.key_type, fingerprint: k.fingerprint, firstSeen: iso(k.first_seen), lastSeen: iso(k.last_seen) };
        if (opts.json) printJson(row);
        else process.stdout.write(`${k.device.padEnd(24)} CHANGED  ${k.key_type.padEnd(20)} ${k.fingerprint}  seen ${row.firstSeen} .. ${row.lastSeen}; check it, then: aaawatch hostkey accept ${k.device}\n`);
      }
    });

  withConfig(hostkey.command('accept'))
    .description('trust the changed key DEVICE now presents (check its fingerprint on the device first)')
    .argument('<device>', 'inventory name of the device')
    .option('--fingerprint <SHA256:…>', 'the fingerprint you checked; refused if the waiting key differs')
    .option('--by <name>', 'who checked and accepted it (default: your login name)')
    .action(async (device: string, opts: ConfigOptions & { fingerprint?: string; by?: string }) => {
      const config = await configFrom(opts);
      // A known_hosts entry wins over the database; accepting here would change nothing.
      const d = inventory(config.devices, config.pull).find((x) => x.name === device);
      const listed = d ? knownKeysFor(loadKnownHosts(config.pull.knownHosts), [d.address, d.name], d.port) : { trusted: [], revoked: [] };
      if (listed.trusted.length || listed.revoked.length) {
        throw new Error(`${device} is listed in ${config.pull.knownHosts}; put its new key there instead`);
      }
      const k = await withPullStore(config, (store) => store.acceptHostKey(device, opts.by ?? userInfo().username, Date.now(), opts.fingerprint));
      process.stdout.write(`${device}: now trusting ${k.key_type} ${k.fingerprint}\n`);
    });
}
