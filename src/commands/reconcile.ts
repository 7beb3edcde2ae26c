// `aaawatch reconcile [--json] [--rows]`: reconcile now — every account on every device against
// the roster, attributed to the records that made it — and print what changed and what is open,
// or (--rows) the reconciliation auditors export.

import type { Command } from 'commander';
import { listFindings } from '../reconcile/lifecycle.js';
import { REPORT_COLUMNS, reconciliationRows } from '../reconcile/report.js';
import { reconcile } from '../reconcile/run.js';
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
    .option('--rows', 'print the reconciliation rows (device, account, type, privilege, roster match, owner, approval, created at/by, path, last login, finding, decision)')
    .option('--device <name>', 'with --rows: only this device')
    .action((opts: ReconcileCommandOptions) => {
      const config = configFrom(opts);
      const setup = reconcileSetup(config);
      const db = openExisting(config);
      try {
        const now = Date.now();
        const outcome = reconcile(db, reconcileOptions(config, setup, now));
        if (opts.rows) {
          const rows = reconciliationRows(db, { roster: setup.roster, devices: setup.devices, dormantDays: config.reconcile.dormantDays, now, ...(opts.device ? { device: opts.device } : {}) });
          if (opts.json) for (const r of rows) printJson(r);
          else {
            process.stdout.write(REPORT_COLUMNS.map(([title]) => title).join('\t') + '\n');
            for (const r of rows) process.stdout.write(REPORT_COLUMNS.map(([, k]) => printable(String(r[k] ?? ''))).join('\t') + '\n');
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
