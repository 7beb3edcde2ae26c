// `aaawatch reconcile [--json] [--rows]`: reconcile now — every account on every device against
// the roster, attributed to the records that made it — and print what changed and what is open,
// or (--rows) the population auditors export (the last 90 days). On a shared PostgreSQL store
// (store.url) the estate's run (src/reconcile/estate.ts), under the leader lease serve's leader
// holds, so it never runs beside a collector's: refused while a collector holds it.

import type { Command } from 'commander';
import { listFindings } from '../reconcile/lifecycle.js';
import { population, type PopulationRow } from '../reconcile/population.js';
import { reconcile } from '../reconcile/run.js';
import { inventoryRefs, populationContext } from '../report/document.js';
import { inventoryNamer } from '../reconcile/scope.js';
import { ACCOUNT_COLUMNS } from '../report/formats.js';
import { DEFAULT_PERIOD_DAYS } from '../report/period.js';
import { reconcileOptions, reconcileSetup, withInventoryNames, type ReconcileSetup } from '../reconcile/setup.js';
import type { EstateOutcome } from '../reconcile/estate.js';
import { printable } from '../reconcile/text.js';
import { resolveSecret } from '../config/load.js';
import { createLogger } from '../log.js';
import type { Config } from '../config/schema.js';
import { configFrom, openExisting, printJson, withConfig, type ConfigOptions } from './common.js';
import { findingJson, printFindingsTable } from './findings.js';
import { withStore } from './store-of.js';
import { openWebAccess } from '../web/data/open.js';

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
    .action(async (opts: ReconcileCommandOptions) => {
      const config = await configFrom(opts);
      // Inventory host names resolved for the sender check, as serve resolves them.
      const setup = await withInventoryNames(reconcileSetup(config));
      if (config.store.url !== undefined) {
        if (opts.rows) return populationRowsPg(config, setup, opts);
        return reconcileEstateNow(config, setup, opts.json === true);
      }
      const db = openExisting(config);
      try {
        const now = Date.now();
        const outcome = reconcile(db, reconcileOptions(config, setup, now));
        if (opts.rows) {
          const ctx = populationContext(config, setup.roster, now - DEFAULT_PERIOD_DAYS * 86_400_000, now);
          printRows(population(db, ctx, opts.device ? { device: inventoryNamer(ctx.inventory)(opts.device) } : {}), opts.json === true);
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

/** The population rows, one JSON object each or a tab-separated table with the export's columns. */
function printRows(rows: Iterable<PopulationRow>, json: boolean): void {
  if (json) for (const r of rows) printJson(r);
  else {
    process.stdout.write(ACCOUNT_COLUMNS.map(([title]) => title).join('\t') + '\n');
    for (const r of rows) process.stdout.write(ACCOUNT_COLUMNS.map(([, v]) => printable(String(v(r) ?? ''))).join('\t') + '\n');
  }
}

/**
 * `--rows` on PostgreSQL: the estate's run first, as on SQLite, then the population of the last 90
 * days as the accounts export reads it there (the web's review, src/web/data/pg-review.ts: the rows
 * copied into memory and the same population built over them), so both engines print the same rows
 * for the same data. While a serve's leader holds the lease the run is its (it reconciles on its
 * schedule and after pulls): the rows are printed as its last run left them, and stderr says so.
 */
async function populationRowsPg(config: Config, setup: ReconcileSetup, opts: ReconcileCommandOptions): Promise<void> {
  const { reconcileEstateNow: runOnce } = await import('../store/pg/estate-service.js');
  const done = await runOnce(config, { url: resolveSecret(config.store.url!, 'store.url'), collector: config.collector! }, createLogger(config.log, 2));
  if (!('outcome' in done)) {
    process.stderr.write(
      `aaawatch: not reconciled now: collector ${done.heldBy?.collector ?? '(another)'} holds the reconcile leader lease; the rows are as its last run left them\n`,
    );
  }
  const access = await openWebAccess(config, { connections: 1, mustExist: true });
  try {
    const now = Date.now();
    const rows = await access.review(
      config, setup.roster,
      { now, by: 'aaawatch reconcile --rows', from: now - DEFAULT_PERIOD_DAYS * 86_400_000, to: now, ...(opts.device ? { filter: { device: inventoryNamer(inventoryRefs(config))(opts.device) } } : {}) },
      async (doc) => doc.rows,
    );
    printRows(rows, opts.json === true);
  } finally {
    await access.close();
  }
}

/** The estate's run on PostgreSQL (the leader's: every finding and its alerts), holding the leader lease for its length; the open findings after it. */
async function reconcileEstateNow(config: Config, setup: ReconcileSetup, json: boolean): Promise<void> {
  const { reconcileEstateNow: runOnce } = await import('../store/pg/estate-service.js');
  const { NotLeader } = await import('../reconcile/estate.js');
  let outcome: EstateOutcome;
  try {
    const done = await runOnce(config, { url: resolveSecret(config.store.url!, 'store.url'), collector: config.collector! }, createLogger(config.log, 2));
    if (!('outcome' in done)) {
      throw new Error(
        `the estate is reconciled by collector ${done.heldBy?.collector ?? '(another)'}, which holds the reconcile leader lease: its serve reconciles on reconcile.schedule ` +
          `and after pulls; nothing run here (try again once its lease is free, store.leaderLeaseSeconds after it stops)`,
      );
    }
    outcome = done.outcome;
  } catch (err) {
    if (err instanceof NotLeader) throw new Error('the reconcile leader lease could not be renewed in time (the database slow or unreachable); the run stopped before writing more');
    throw err;
  }
  const open = await withStore(config, (store) => store.findings({ status: ['open', 'acknowledged', 'accepted'] }));
  if (json) {
    printJson({ outcome, findings: open.map(findingJson) });
    return;
  }
  const c = outcome.conditions;
  const roster = setup.roster ? `${setup.roster.entries.length} roster entries (${setup.roster.files.join(', ')})` : 'no roster (set reconcile.roster: roster findings are not raised)';
  process.stdout.write(
    `reconciled the estate: ${outcome.devices} devices and ${outcome.accounts} accounts against ${roster} in ${outcome.ms} ms\n` +
      `raised ${c.raised}, escalated ${c.escalated}, resolved ${c.resolved + outcome.pullFindingsResolved}; snapshots audited ${outcome.audited}; ` +
        `account-created ${outcome.created}; changes judged ${outcome.changesJudged} (${outcome.unlogged} unlogged); acceptances expired ${outcome.reopened}\n\n`,
  );
  printFindingsTable(open);
}
