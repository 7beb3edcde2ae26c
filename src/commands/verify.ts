// `aaawatch verify`: the hash chain over stored records, the purges that re-anchored it, and the
// chain over the activity log.

import type { Command } from 'commander';
import { verifyChain } from '../store/chain.js';
import { verifyPurges, type PurgeEntry, type PurgeReport } from '../store/purge.js';
import { verifyActivity, type ActivityChainReport } from '../web/store.js';
import { configFrom, openExisting, printJson, withConfig, type ConfigOptions } from './common.js';

export function registerVerify(program: Command): void {
  withConfig(program.command('verify'))
    .description('check the hash chains over stored records, the purges that re-anchored it and the activity log, and say where one breaks')
    .option('--json', 'print the report as JSON (the records\' chain, with the purge log under "purges" and the activity log under "activity")')
    .action(async (opts: ConfigOptions & { json?: boolean }) => {
      const config = await configFrom(opts);
      // A shared PostgreSQL store: its collectors' chains, and the web's activity log once a web has run there.
      if (config.store.url !== undefined) {
        // Loaded only for a PostgreSQL store: the driver costs every `verify` on SQLite its load time.
        const { describeChains, verifyPostgres } = await import('./verify-postgres.js');
        const found = await verifyPostgres(config);
        if (found === undefined) throw new Error('no aaawatch tables in the database store.url names (no collector has written to it yet)');
        const { chains, purges, activity } = found;
        process.exitCode = chains.every((c) => c.ok) && purges.every((p) => p.ok) && (activity?.ok ?? true) ? 0 : 1;
        if (opts.json) printJson({ ok: process.exitCode === 0, collectors: chains, ...(purges.length ? { purges } : {}), ...(activity ? { activity } : {}) });
        else process.stdout.write(describeChains(chains) + purges.map((p) => purgeLines(p, `collector ${p.collector}: `)).join('') + (activity ? activityLine(activity) : ''));
        return;
      }
      const db = openExisting(config);
      const report = verifyChain(db);
      const purges = verifyPurges(db);
      const activity = verifyActivity(db);
      db.close();
      process.exitCode = report.ok && purges.ok && activity.ok ? 0 : 1;
      if (opts.json) {
        printJson({ ...report, purges, activity });
        return;
      }
      if (report.ok) {
        process.stdout.write(
          report.checked === 0
            ? 'chain OK: no records stored yet\n'
            : `chain OK: ${report.checked} records (ids ${report.firstId}–${report.lastId}), head ${report.head}\n`,
        );
      } else {
        process.stdout.write(
          `chain BROKEN at record ${report.broken!.id}: ${report.broken!.reason}\n` +
            `${report.checked} records before it verified.\n`,
        );
      }
      process.stdout.write(purgeLines(purges) + activityLine(activity));
    });
}

/** The purge log's verdict and its entries (nothing when there are none); `who` names a collector's. */
function purgeLines(purges: PurgeReport, who = ''): string {
  if (!purges.ok) return purges.broken!.id === 0 ? `${who}purge INTERRUPTED: ${purges.broken!.reason}\n` : `${who}purge log BROKEN at purge #${purges.broken!.id}: ${purges.broken!.reason}\n`;
  return purges.checked > 0 ? `${who}purges OK: ${purges.checked} recorded\n${purges.entries.map(purgeLine).join('')}` : '';
}

function activityLine(activity: ActivityChainReport): string {
  return activity.ok
    ? `activity log OK: ${activity.checked} entries chained${activity.unchained ? ` (${activity.unchained} older entries from before the chain)` : ''}${activity.head ? `, head ${activity.head}` : ''}\n`
    : `activity log BROKEN at entry ${activity.broken!.id}: ${activity.broken!.reason}\n`;
}

/** One purge, for people: when, who, why, what changed. */
function purgeLine(p: PurgeEntry): string {
  const rows = Object.entries(p.tables).map(([t, n]) => `${n} ${n === 1 ? 'row' : 'rows'} in ${t}`);
  const records = p.records.length ? [`${p.records.length} records re-redacted (ids ${p.records.slice(0, 10).join(', ')}${p.records.length > 10 ? ' …' : ''}), records ${p.fromId}–${p.toId} re-chained`] : [];
  return `  #${p.id} ${new Date(p.at).toISOString()} by ${p.by}: ${JSON.stringify(p.reason)}; ${p.selection}; ${[...records, ...rows].join('; ') || 'no rows'}\n`;
}
