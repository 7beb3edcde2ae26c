// `aaawatch accounts [filters] [--sort COLUMN [--reverse]] [--csv|--json]`: the population — who holds
// an account on which device in the period (pulled, seen only in syslog, removed in the period, or
// required by the roster and missing) — the rows, filters and order of the Accounts page and
// /api/accounts, read as its "export this view" reads them (`--csv` is that export, byte for byte).
// `aaawatch accounts --pulled [--device D] [--removed] [--history]`: the local accounts the pulls
// found, with when each was first and last seen, as before the population existed.
// Device text (names, privileges, who made an account) is hostile: every table and TSV cell is made
// printable (control characters, bidi overrides and TAB/newline shown as `\u{…}`), so it can neither
// drive the terminal nor break a row.

import type { Command } from 'commander';
import type { PopulationRow } from '../reconcile/population.js';
import { printable } from '../reconcile/text.js';
import type { AccountRow } from '../store/pull.js';
import { configuredRoster, inventoryRefs } from '../report/document.js';
import { accountsCsv, factValue, POPULATION_FACTS, typedRow, type PopulationTitle } from '../report/formats.js';
import { sha256Hex } from '../report/hash.js';
import { inventoryNamer } from '../reconcile/scope.js';
import { POPULATION_SORTS } from '../reconcile/population-order.js';
import { inOrder, parseAccountsQuery } from '../web/accounts-query.js';
import { openWebAccess } from '../web/data/open.js';
import type { AccountsQuery } from '../web/views/accounts.js';
import { cliUser, configFrom, printJson, withConfig, type ConfigOptions, UsageError } from './common.js';
import { withStore } from './store-of.js';

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

/** A table cell: printable, padded to `width` (a longer value is shown whole). */
const cell = (s: string, width: number): string => printable(s, Infinity).padEnd(width);

/** The Accounts page's columns, as the export's facts of the same names (so a value reads as in the CSV). */
const TABLE_COLUMNS: readonly PopulationTitle[] = [
  'device', 'account', 'source', 'state', 'privilege', 'superuser', 'roster match', 'allowed', 'type', 'owner', 'approval reference', 'approver', 'expires',
  'created at', 'created by', 'created from', 'path', 'last login', 'days inactive', 'open findings', 'worst severity', 'findings', 'decisions',
];
const TABLE_FACTS = TABLE_COLUMNS.map((t) => POPULATION_FACTS.find((f) => f.title === t)!);

/** One row as a TSV line: every cell printable, so a TAB or newline in a name stays in its cell. */
export function tsvLine(cells: readonly string[]): string {
  return cells.map((c) => printable(c, Infinity)).join('\t') + '\n';
}

export function populationTsv(rows: Iterable<PopulationRow>, write: (text: string) => void): void {
  write(tsvLine(TABLE_COLUMNS));
  for (const r of rows) write(tsvLine(TABLE_FACTS.map((f) => String(factValue(f, r, iso) ?? ''))));
}

/** The page's query keys as options (`--reverse` a flag), and the pull-only view's. */
interface AccountsOptions extends ConfigOptions, Omit<AccountsQuery, 'reverse'> {
  pulled?: boolean;
  removed?: boolean;
  history?: boolean;
  json?: boolean;
  csv?: boolean;
  reverse?: boolean;
}

/** The population's filters as options, named as the page's query keys. */
const FILTERS = ['devices', 'group', 'platform', 'account', 'roster', 'source', 'state', 'type', 'findings', 'severity', 'from', 'to', 'sort'] as const;

export function registerAccounts(program: Command): void {
  withConfig(program.command('accounts'))
    .description(
      'the population: one row per device and account in the period (pulled, syslog-only, removed in the period, missing), with roster standing, ' +
        'owner, approval, who created it, last login and open findings — the Accounts page\'s rows, filters and order; --pulled for the accounts the pulls found',
    )
    .option('--device <name>', 'only this device (an inventory device in any case or by its FQDN)')
    .option('--devices <list>', 'scope: device names or globs, comma-separated')
    .option('--group <group>', 'scope: an inventory group')
    .option('--platform <platform>', 'scope: a platform')
    .option('--account <text>', 'account names containing this (any case)')
    .option('--roster <match>', 'roster standing: authorised, not on roster, privilege above roster, expired, not yet valid, missing, no roster')
    .option('--source <source>', 'known from: pulled, syslog (syslog only) or roster (missing)')
    .option('--state <state>', 'present, removed (in the period) or missing')
    .option('--type <type>', 'roster type: human, service, shared, break-glass, vendor')
    .option('--findings <which>', 'open (with open findings) or none')
    .option('--severity <severity>', 'worst open finding at least: critical, high, medium, low, info')
    .option('--from <date>', 'start of the period, UTC (default: 90 days before --to)')
    .option('--to <date>', 'end of the period, UTC: the whole day, minute or second given (default: now)')
    .option('--sort <column>', `order: ${POPULATION_SORTS.join(', ')} (default: device; each in its natural direction, as the page's headings)`)
    .option('--reverse', 'the order turned round')
    .option('--csv', "the page's \"export this view\" CSV (every column), byte for byte")
    .option('--json', 'one JSON object per row (as /api/accounts gives them)')
    .option('--pulled', 'instead: the local accounts the latest pulls found, with when each was first and last seen')
    .option('--removed', 'with --pulled: include accounts that have since been removed')
    .option('--history', 'with --pulled and --device: every account added, removed or changed, between which snapshots')
    .action(async (opts: AccountsOptions) => {
      const config = await configFrom(opts);
      if (opts.pulled || opts.history) return pulledView(config, opts);
      if (opts.removed) throw new UsageError('--removed is for the pulled view: add --pulled (the population\'s accounts removed in the period: --state removed)');
      if (opts.csv && opts.json) throw new UsageError('--csv or --json, not both');
      const now = Date.now();
      // The options as the page's query: one parser, so each filter means on the command line what it means on the page.
      const query: Record<string, string> = {};
      if (opts.device !== undefined) query.device = opts.device;
      for (const k of FILTERS) if (opts[k] !== undefined) query[k] = opts[k];
      if (opts.reverse) query.reverse = '1';
      const parsed = parseAccountsQuery(query satisfies AccountsQuery, now, inventoryNamer(inventoryRefs(config)));
      if (parsed.problems.length) throw new UsageError(parsed.problems.map((p) => `--${p}`).join('; '));
      const roster = configuredRoster(config);
      const access = await openWebAccess(config, { connections: 1, mustExist: true });
      try {
        const by = cliUser();
        const { scope: _scope, ...filter } = parsed.filter;
        // Read as "export this view" reads it (the review document, the view's filters, its order): the same rows on either engine.
        const doc = await access.review(config, roster, { now, by, ...parsed.period, scope: parsed.scope, filter, filterText: parsed.filterText }, async (doc) => inOrder(doc, parsed.order));
        if (opts.csv) {
          const data = Buffer.from(accountsCsv(doc), 'utf8');
          process.stdout.write(data);
          // An export, logged as the page's is.
          await access.logActivity({ at: now, user: by, address: null, action: 'export', detail: { file: 'accounts.csv', view: parsed.filterText, rows: doc.rows.length, bytes: data.byteLength, sha256: sha256Hex(data), period: doc.header.period } });
        } else if (opts.json) for (const r of doc.rows) printJson(typedRow(r));
        else populationTsv(doc.rows, (text) => process.stdout.write(text));
      } finally {
        await access.close();
      }
    });
}

/** Filters of the population that the pulled view does not take. */
const POPULATION_ONLY = [...FILTERS, 'csv', 'reverse'] as const;

async function pulledView(config: Awaited<ReturnType<typeof configFrom>>, opts: AccountsOptions): Promise<void> {
  const other = POPULATION_ONLY.find((k) => opts[k] !== undefined);
  if (other) throw new UsageError(`--${other} is for the population (without --pulled)`);
  // An inventory device named in any case or by its FQDN, as ingest files its lines.
  const device = opts.device === undefined ? undefined : inventoryNamer(inventoryRefs(config))(opts.device);
  if (opts.history) {
    if (device === undefined) throw new UsageError('--history needs --device');
    const changes = await withStore(config, (store) => store.accountChanges(device), { mustExist: false });
    for (const c of changes) {
      const row = { at: iso(c.at), name: c.name, change: c.change, before: c.before && JSON.parse(c.before), after: c.after && JSON.parse(c.after), fromSnapshot: c.from_snapshot_id, toSnapshot: c.to_snapshot_id };
      if (opts.json) printJson(row);
      else process.stdout.write(`${row.at}  ${c.change.padEnd(8)} ${cell(c.name, 20)} snapshot ${c.from_snapshot_id ?? '(first pull)'} -> ${c.to_snapshot_id}  ${printable(c.after ?? c.before ?? '', Infinity)}\n`);
    }
    return;
  }
  const rows = await withStore(config, (store) => store.accounts({ ...(device !== undefined ? { device } : {}), removed: opts.removed === true }), { mustExist: false });
  if (opts.json) {
    for (const a of rows) printJson(view(a));
    return;
  }
  process.stdout.write('device                   account              privilege  roles                credentials      first seen            last seen             removed\n');
  for (const a of rows) {
    const v = view(a);
    process.stdout.write(
      `${cell(a.device, 24)} ${cell(a.name, 20)} ${cell(a.privilege ?? '', 10)} ${cell((v.roles as string[]).join(','), 20)} ` +
        `${cell((v.credentials as string[]).join(','), 16)} ${String(v.firstSeen).padEnd(21)} ${String(v.lastSeen).padEnd(21)} ${v.removedAt ?? ''}\n`,
    );
  }
}
