// What a sender chose (a device's name, its program tag, an unknown line's text, a malformed
// request's reason) is printed through `printable`: an ESC sequence in a syslog tag moved the
// cursor, erased lines and retitled the auditor's terminal from `aaawatch stats` and `unknowns`.

import type { Command } from 'commander';
import { printable } from '../reconcile/text.js';
import { diskSpace, whereStored } from '../store/store-failure.js';
import { configFrom, positiveInteger, printJson, withConfig, type ConfigOptions } from './common.js';
import { storeName, withStore } from './store-of.js';

export function registerStats(program: Command): void {
  withConfig(program.command('stats'))
    .description('ingest counters (received, recognised, malformed and rejected by reason, kernel drops) and traffic per device')
    .option('--hours <n>', 'traffic window in hours', positiveInteger, 24)
    .option('--json', 'print as JSON')
    .action(async (opts: ConfigOptions & { hours: number; json?: boolean }) => {
      const config = await configFrom(opts);
      // On PostgreSQL: every collector's counts, summed (each native sender's row per collector).
      const { c, t, native } = await withStore(config, async (store) => ({
        c: await store.counters(), t: await store.traffic(Date.now() - opts.hours * 3_600_000), native: await store.nativeSources(),
      }));
      const onPg = config.store.url !== undefined;
      if (opts.json) {
        const space = onPg ? undefined : diskSpace(config.store.path);
        const store = onPg ? { postgres: storeName(config) } : { path: config.store.path, ...(space ? { freeBytes: space.free, totalBytes: space.total } : {}) };
        printJson({ store, counters: Object.fromEntries(c.map((r) => [r.name, r.value])), traffic: t, native });
        return;
      }
      // Where the store is and the room left: a store that cannot be written holds ingest up (dropped.store-unwritable).
      process.stdout.write(`store: ${onPg ? `${storeName(config)}, every collector's counts summed` : whereStored(config.store.path)}\n\n`);
      process.stdout.write('counter                                   value\n');
      for (const r of c) process.stdout.write(`${r.name.padEnd(40)} ${String(r.value).padStart(8)}\n`);
      process.stdout.write(`\ntraffic, last ${opts.hours} h (device, program, messages, recognised)\n`);
      for (const r of t.slice(0, 50)) {
        process.stdout.write(`${printable(r.device, Infinity).padEnd(30)} ${printable(r.program, Infinity).padEnd(32)} ${String(r.messages).padStart(9)} ${String(r.recognised).padStart(9)}\n`);
      }
      if (t.length > 50) process.stdout.write(`… ${t.length - 50} more (use --json)\n`);
      if (native.length) {
        process.stdout.write(
          `\nnative accounting senders, one line per device each sent for or named (device, ${onPg ? 'collector, ' : ''}transport, source, accepted, wrong key, refused, naming a device not its own, malformed, last accepted, last malformed and why)\n`,
        );
        const iso = (t: number | null): string => (t === null ? '-' : new Date(t).toISOString());
        for (const n of native) {
          const malformed = n.last_malformed === null ? '' : ` ${iso(n.last_malformed)} ${printable(n.last_malformed_reason ?? '', Infinity)}`;
          process.stdout.write(
            `${printable(n.device, Infinity).padEnd(30)} ${n.collector === undefined ? '' : `${printable(n.collector, Infinity).padEnd(16)} `}${n.transport.padEnd(7)} ${printable(n.source, Infinity).padEnd(40)} ${String(n.accepted).padStart(9)} ${String(n.bad_key).padStart(9)} ${String(n.refused).padStart(9)} ${String(n.named).padStart(9)} ${String(n.malformed).padStart(9)} ${iso(n.last_accepted)}${malformed}\n`,
          );
        }
      }
    });

  withConfig(program.command('unknowns'))
    .description('message types that look like AAA or configuration traffic but match no known form, per device')
    .option('--device <name>', 'only this device')
    .option('--json', 'print as JSON lines')
    .action(async (opts: ConfigOptions & { device?: string; json?: boolean }) => {
      const rows = await withStore(await configFrom(opts), (store) => store.unknowns(opts.device));
      for (const r of rows) {
        if (opts.json) printJson(r);
        else process.stdout.write(`${printable(r.device, Infinity)}\t${printable(r.type, Infinity)}\t${r.count}\t${new Date(r.last_seen).toISOString()}\t${printable(r.example.slice(0, 160), Infinity)}\n`);
      }
    });
}
