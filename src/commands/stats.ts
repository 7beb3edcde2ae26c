import type { Command } from 'commander';
import { counters, traffic, unknownTypes } from '../store/queries.js';
import { configFrom, openExisting, positiveInteger, printJson, withConfig, type ConfigOptions } from './common.js';

export function registerStats(program: Command): void {
  withConfig(program.command('stats'))
    .description('ingest counters (received, recognised, malformed and rejected by reason, kernel drops) and traffic per device')
    .option('--hours <n>', 'traffic window in hours', positiveInteger, 24)
    .option('--json', 'print as JSON')
    .action((opts: ConfigOptions & { hours: number; json?: boolean }) => {
      const db = openExisting(configFrom(opts));
      const c = counters(db);
      const t = traffic(db, Date.now() - opts.hours * 3_600_000);
      db.close();
      if (opts.json) {
        printJson({ counters: Object.fromEntries(c.map((r) => [r.name, r.value])), traffic: t });
        return;
      }
      process.stdout.write('counter                                   value\n');
      for (const r of c) process.stdout.write(`${r.name.padEnd(40)} ${String(r.value).padStart(8)}\n`);
      process.stdout.write(`\ntraffic, last ${opts.hours} h (device, program, messages, recognised)\n`);
      for (const r of t.slice(0, 50)) {
        process.stdout.write(`${r.device.padEnd(30)} ${r.program.padEnd(32)} ${String(r.messages).padStart(9)} ${String(r.recognised).padStart(9)}\n`);
      }
      if (t.length > 50) process.stdout.write(`… ${t.length - 50} more (use --json)\n`);
    });

  withConfig(program.command('unknowns'))
    .description('message types that look like AAA or configuration traffic but match no known form, per device')
    .option('--device <name>', 'only this device')
    .option('--json', 'print as JSON lines')
    .action((opts: ConfigOptions & { device?: string; json?: boolean }) => {
      const db = openExisting(configFrom(opts));
      const rows = unknownTypes(db, opts.device);
      db.close();
      for (const r of rows) {
        if (opts.json) printJson(r);
        else process.stdout.write(`${r.device}\t${r.type}\t${r.count}\t${new Date(r.last_seen).toISOString()}\t${r.example.slice(0, 160)}\n`);
      }
    });
}
