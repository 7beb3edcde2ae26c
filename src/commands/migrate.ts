// `aaawatch migrate --to postgres://…`: moving up from one box. The configured SQLite store is
// copied into a PostgreSQL store (src/store/pg/copy-from-sqlite.ts): its records as one collector,
// chain intact, and the estate (findings, pulls, web users, the activity log); the counts per table
// reported, with what was not copied and why.

import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { resolveSecret } from '../config/load.js';
import { collectorName, type Config } from '../config/schema.js';
import { connectPool, redactUrl, scrub, type PgTarget } from '../store/pg/connection.js';
import { copyFromSqlite, SourceChainBroken, type CopyReport } from '../store/pg/copy-from-sqlite.js';
import { configFrom, openExisting, printJson, UsageError, withConfig, type ConfigOptions } from './common.js';

interface MigrateOptions extends ConfigOptions {
  to?: string;
  collector?: string;
  replace?: boolean;
  recordsOnly?: boolean;
  json?: boolean;
}

const PG_URL = /^postgres(ql)?:\/\//;

/**
 * The target: --to as a URL, `env:NAME` or `file:PATH` (so a password need not be on the command
 * line, where the process list shows it), else the configured store.url.
 */
function targetFrom(to: string | undefined, config: Config): PgTarget {
  if (to === undefined) {
    if (config.store.url === undefined) throw new UsageError('give --to postgres://… (or env:NAME, file:PATH), or set store.url in the configuration');
    return { url: resolveSecret(config.store.url, 'store.url'), key: 'store.url' };
  }
  let url = to;
  if (to.startsWith('env:')) {
    const v = process.env[to.slice(4)];
    if (v === undefined) throw new UsageError(`--to ${to}: environment variable ${to.slice(4)} is not set`);
    url = v;
  } else if (to.startsWith('file:')) {
    try {
      url = readFileSync(to.slice(5), 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new UsageError(`--to ${to}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  // Named as given: an env: or file: form never shows the URL, an inline one only without its password.
  const shown = url === to ? redactUrl(to) : to;
  if (!PG_URL.test(url)) throw new UsageError(`--to ${shown}: must be a PostgreSQL URL, like postgres://aaawatch@db.example.net/aaawatch`);
  return { url, key: '--to' };
}

function collectorFrom(given: string | undefined, config: Config): string {
  const name = given ?? config.collector ?? hostname();
  const checked = collectorName.safeParse(name);
  if (!checked.success) {
    const from = given !== undefined ? '--collector' : `the host name ${JSON.stringify(name)}`;
    throw new UsageError(`${from}: ${checked.error.issues[0]!.message}${given === undefined ? '; give --collector NAME' : ''}`);
  }
  return name;
}

export function registerMigrate(program: Command): void {
  withConfig(program.command('migrate'))
    .description('copy the configured SQLite store into a PostgreSQL store: its records as one collector, hash chain intact, with its findings, pulls, web users and activity log; report the counts per table')
    .option('--to <url>', 'the PostgreSQL store: postgres://… (TLS: ?sslmode=verify-full&sslrootcert=FILE), env:NAME or file:PATH holding the URL (default: store.url)')
    .option('--collector <name>', 'the collector the copied rows and chain belong to (default: the configuration\'s collector, else the host name)')
    .option('--replace', 'replace the rows the target already holds for this collector, and its findings, pulls, web users and activity log (without it such a target is refused)')
    .option('--records-only', 'copy only this collector\'s records and counts, leaving the target\'s findings, pulls, web users and activity log as they are (a second store moving up)')
    .option('--json', 'print the report as JSON')
    .action(async (opts: MigrateOptions) => {
      const config = await configFrom(opts);
      const target = targetFrom(opts.to, config);
      const collector = collectorFrom(opts.collector, config);
      const db = openExisting(config);
      const started = process.hrtime.bigint();
      try {
        const pool = await connectPool(target);
        try {
          const report = await copyFromSqlite(db, pool, { collector, replace: opts.replace === true, recordsOnly: opts.recordsOnly === true });
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          if (opts.json) printJson({ from: config.store.path, to: redactUrl(target.url), seconds, ...report });
          else process.stdout.write(describe(report, config.store.path, redactUrl(target.url), seconds));
        } finally {
          await pool.end();
        }
      } catch (err) {
        if (err instanceof SourceChainBroken) throw new Error(`the SQLite store ${config.store.path}: ${err.message}`);
        // The message names the target, never its password.
        const message = err instanceof Error ? err.message : String(err);
        throw new Error(scrub(message.startsWith(target.key) ? message : `${target.key} (${redactUrl(target.url)}): ${message}`, target.url));
      } finally {
        db.close();
      }
    });
}

function describe(r: CopyReport, from: string, to: string, seconds: number): string {
  const width = Math.max(...r.tables.map((t) => t.table.length));
  const records = r.tables.find((t) => t.table === 'events')?.rows ?? 0;
  const lines = [
    `migrated ${from} into ${to} as collector ${r.collector} in ${seconds.toFixed(1)} s${r.replaced ? ` (replacing ${r.replaced} rows it held)` : ''}`,
    ...r.tables.map((t) => `  ${t.table.padEnd(width)}  ${t.rows}${t.table === 'events' ? ' records' : ' rows'}`),
    `chain: ${records} records, head ${r.head}${r.anchored ? ' (starting at the retention anchor)' : ''}, as the SQLite store's verify ends` +
      (r.idsKept ? '' : '; records numbered after the target\'s'),
  ];
  for (const t of r.notCopied) lines.push(`not copied: ${t.table} (${t.rows} rows): ${t.why}`);
  if (r.columnsNotCopied.length) lines.push(`columns not copied (no PostgreSQL column for them): ${r.columnsNotCopied.join(', ')}`);
  return lines.join('\n') + '\n';
}
