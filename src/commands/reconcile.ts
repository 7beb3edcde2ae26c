// `aaawatch reconcile [--json] [--rows]`: reconcile now — every account on every device against
// the roster, attributed to the records that made it — and print what changed and what is open,
// or (--rows) the population auditors export (the last 90 days).

import type { Command } from 'commander';
import { listFindings } from '../reconcile/lifecycle.js';
import { population } from '../reconcile/population.js';
import { reconcile } from '../reconcile/run.js';
import { populationContext } from '../report/document.js';
import { ACCOUNT_COLUMNS } from '../report/formats.js';
import { DEFAULT_PERIOD_DAYS } from '../report/period.js';
import { reconcileOptions, reconcileSetup } from '../reconcile/setup.js';
import { printable } from '../reconcile/text.js';
import { configFrom, openExisting, printJson, withConfig, type ConfigOptions } from './common.js';
import { findingJson, printFindingsTable } from './findings.js';

interface ReconcileCommandOptions extends ConfigOptions {
  json?: boolean;
  rows?: boolean;
  device?: string;
}

export function registerReconcile(program: Command): void {
  withConfig(program.command('reconcile'))
    .description('reconcile now: accounts against the roster, attributed to the records that made them; print the findings (or --rows)')
    .option('--json', 'as JSON: {outcome, findings} (with --rows: one JSON object per row)')
    .option('--rows', 'print the population: one row per device and account of the last 90 days (pulled, syslog-only, removed, missing) with roster match, owner, approval, created at/by/from, path, last login, findings and decisions')
    .option('--device <name>', 'with --rows: only this device')
    .action((opts: ReconcileCommandOptions) => {
      const config = configFrom(opts);
      const setup = reconcileSetup(config);
      const db = openExisting(config);
      try {
        const now = Date.now();
        const outcome = reconcile(db, reconcileOptions(config, setup, now));
        if (opts.rows) {
          const ctx = populationContext(config, setup.roster, now - DEFAULT_PERIOD_DAYS * 86_400_000, now);
          const rows = population(db, ctx, opts.device ? { device: opts.device } : {});
          if (opts.json) for (const r of rows) printJson(r);
          else {
            process.stdout.write(ACCOUNT_COLUMNS.map(([title]) => title).join('\t') + '\n');
            for (const r of rows) process.stdout.write(ACCOUNT_COLUMNS.map(([, v]) => printable(String(v(r) ?? ''))).join('\t') + '\n');
          }
          return;
        }
        const open = listFindings(db, { status: ['open', 'acknowledged', 'accepted'] });
        if (opts.json) {
          printJson({ outcome, findings: open.map(findingJson) });
          return;
        }
        const c = outcome.conditions;
        const roster = setup.roster ? `${outcome.rosterEntries} roster entries (${setup.roster.files.join(', ')})` : 'no roster (set reconcile.roster: roster findings are not raised)';
        process.stdout.write(
          `reconciled ${outcome.devices} devices and ${outcome.accounts} accounts against ${roster} in ${outcome.ms} ms\n` +
            `raised ${c.raised}, escalated ${c.escalated}, resolved ${c.resolved + outcome.pullFindingsResolved}; ` +
            `account-created ${outcome.created}; changes judged ${outcome.changesJudged} (${outcome.unlogged} unlogged); acceptances expired ${outcome.reopened}\n\n`,
        );
        printFindingsTable(open);
      } finally {
        db.close();
      }
    });
}
