// `aaawatch purge-secret`: a secret found in stored rows after the fact (a form the redaction did
// not know, a password typed where a user name belongs) is re-redacted wherever it is stored, and
// the record chain re-anchored with a recorded purge (src/store/purge.ts). The value is read from
// a file or standard input, never the command line (shell history, the process list).

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Config } from '../config/schema.js';
import { resolveSecret } from '../config/load.js';
import type { Db } from '../store/db.js';
import { cliUser, openExisting, printJson, configFrom, withConfig, type ConfigOptions, UsageError } from './common.js';
import { noting, patternSelection, purgePreview, purgeStored, PurgeRefused, reapplySelection, residue, valueSelection, type PurgeCounts, type Selection } from '../store/purge.js';
import { scrubFreeSpace } from '../store/scrub.js';
import { activityLog, logActivity } from '../web/store.js';

interface PurgeOptions extends ConfigOptions {
  vacuum?: boolean;
  valueFile?: string;
  pattern?: string;
  reapply?: boolean;
  reason?: string;
  by?: string;
  dryRun?: boolean;
  json?: boolean;
}

/** Shorter values would replace ordinary words everywhere. */
const MIN_VALUE = 4;

/** The whole file rewritten, then the write-ahead log emptied into it. */
function vacuum(db: Db): void {
  db.exec('VACUUM');
  db.pragma('wal_checkpoint(TRUNCATE)');
}

/**
 * Stale copies of the values in the files' free space, cleared: by default the free space of each
 * page holding one is zeroed (scrub.ts, while serve runs; recorded in the activity log), with
 * --vacuum the whole file is rewritten. Which files still hold a copy afterwards.
 */
function clearStale(db: Db, path: string, values: readonly string[], o: { by: string; selection: string; vacuum: boolean }): { pages: number; left: string[] } {
  if (o.vacuum) {
    vacuum(db);
    return { pages: 0, left: residue(path, values) };
  }
  const scrubbed = scrubFreeSpace(db, path, values, (r) =>
    logActivity(db, { at: Date.now(), user: o.by, address: null, action: 'purge-secret-scrub', detail: { selection: o.selection, pages: r.pages.length, pagesLeft: r.left.length } }),
  );
  return { pages: scrubbed?.pages.length ?? 0, left: residue(path, values) };
}

/** The values given with --value-file, kept to look for stale copies in the file afterwards. */
let givenValues: string[] = [];

function selectionFrom(o: PurgeOptions): Selection {
  const chosen = [o.valueFile !== undefined, o.pattern !== undefined, o.reapply === true].filter(Boolean).length;
  if (chosen !== 1) throw new UsageError('give exactly one of --value-file, --pattern, --reapply');
  if (o.valueFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(o.valueFile === '-' ? 0 : o.valueFile, 'utf8');
    } catch (err) {
      throw new UsageError(`--value-file ${o.valueFile}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    const values = [...new Set(text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l !== ''))];
    if (values.length === 0) throw new UsageError(`--value-file ${o.valueFile}: holds no value (one per line)`);
    const short = values.filter((v) => v.length < MIN_VALUE).length;
    if (short) throw new UsageError(`--value-file ${o.valueFile}: ${short} value(s) shorter than ${MIN_VALUE} characters; they would replace ordinary words`);
    givenValues = values;
    return valueSelection(values);
  }
  if (o.pattern !== undefined) {
    let re: RegExp;
    try {
      re = new RegExp(o.pattern);
    } catch (err) {
      throw new UsageError(`--pattern: not a regular expression: ${(err as Error).message}`);
    }
    if (re.test('')) throw new UsageError('--pattern: matches the empty string, so it would select every row');
    return patternSelection(re);
  }
  return reapplySelection();
}

function describeCounts(c: PurgeCounts): string[] {
  const lines: string[] = [];
  if (c.records.length) {
    const ids = c.records.length > 10 ? `${c.records.slice(0, 10).join(', ')} …` : c.records.join(', ');
    lines.push(`  records (hash-chained)  ${c.records.length}  (ids ${ids}); records ${c.rechain!.from}–${c.rechain!.to} re-chained`);
  }
  for (const [table, n] of Object.entries(c.tables)) lines.push(`  ${table.padEnd(22)}  ${n}`);
  return lines;
}

export function registerPurge(program: Command): void {
  withConfig(program.command('purge-secret'))
    .description('re-redact stored rows holding a secret found later, and re-anchor the record chain with a recorded, verifiable purge')
    .option('--value-file <file>', 'the secret value(s) to remove, one per line (- for standard input)')
    .option('--pattern <regex>', 'a secret form: its group named secret (else its first group, else the whole match) is replaced')
    .option('--reapply', 'apply this version\'s redaction again to everything stored (after an upgrade that learnt a new secret form)')
    .option('--reason <text>', 'why, for the purge entry (required)')
    .option('--by <name>', 'who, for the purge entry (default: your system user name)')
    .option('--vacuum', 'clear stale copies in the file\'s free space by rewriting the whole file (VACUUM) instead of zeroing the pages that hold one; holds the store for the time it takes, so stop aaawatch first')
    .option('--dry-run', 'say how many rows would change; change nothing')
    .option('--json', 'print the result as JSON')
    .action(async (opts: PurgeOptions) => {
      const selection = selectionFrom(opts);
      if (!opts.dryRun && !opts.reason?.trim()) throw new UsageError('--reason is required: the purge entry says why');
      const config = await configFrom(opts);
      const by = opts.by?.trim() || cliUser();
      if (config.store.url !== undefined) return purgeOnPostgres(config, selection, opts, by);
      const db = openExisting(config);
      try {
        if (opts.dryRun) {
          const counts = purgePreview(db, selection, [activityLog]);
          const found = counts.records.length + Object.values(counts.tables).reduce((a, b) => a + b, 0);
          if (opts.json) printJson({ dryRun: true, selection: selection.describe, ...counts });
          else process.stdout.write([`dry run: ${selection.describe} found in ${found} stored rows; nothing changed`, ...describeCounts(counts)].join('\n') + '\n');
          if (found === 0) {
            process.stderr.write(`aaawatch purge-secret: ${selection.describe}: found in no stored row\n`);
            process.exitCode = 1;
          }
          return;
        }
        const at = Date.now();
        const found = new Set<string>();
        let done: ReturnType<typeof purgeStored>;
        try {
          done = purgeStored(db, noting(selection, found), { by, reason: opts.reason!.trim(), at }, [activityLog]);
        } catch (err) {
          if (!(err instanceof PurgeRefused)) throw err;
          process.stderr.write(`aaawatch purge-secret: refused: ${err.message}\n`);
          process.exitCode = 1;
          return;
        }
        if (!done) {
          // In no row, but perhaps still in the file's free space (a purge run before this version).
          const stale = givenValues.length ? residue(config.store.path, givenValues) : [];
          if (!stale.length) {
            process.stderr.write(`aaawatch purge-secret: ${selection.describe}: found in no stored row; nothing changed\n`);
            process.exitCode = 1;
            return;
          }
          const cleared = clearStale(db, config.store.path, givenValues, { by, selection: selection.describe, vacuum: opts.vacuum === true });
          if (cleared.left.length) {
            process.stderr.write(`aaawatch purge-secret: ${selection.describe}: in no stored row, but a stale copy stays in ${cleared.left.join(' and ')}; ${opts.vacuum ? 'even after VACUUM' : 'stop aaawatch and run this again with --vacuum'}\n`);
            process.exitCode = 1;
            return;
          }
          process.stdout.write(`no row held ${selection.describe}; its stale copies in the file's free space are gone (${opts.vacuum ? 'VACUUM' : `${cleared.pages} pages zeroed`})\n`);
          return;
        }
        const { entry, counts, checkpointed } = done;
        if (!checkpointed) {
          process.stderr.write('aaawatch purge-secret: the write-ahead log could not be emptied while other connections read it; the old text stays in it until the next checkpoint, at the latest when aaawatch stops\n');
        }
        logActivity(db, {
          at, user: by, address: null, action: 'purge-secret',
          detail: { purge: entry.id, hash: entry.hash, reason: entry.reason, selection: entry.selection, records: entry.records.length, rechained: counts.rechain, tables: counts.tables },
        });
        // The values given, or found by a pattern or a newer redaction, are looked for in the files
        // themselves: SQLite may keep a stale copy in a page's free space.
        const values = [...new Set([...givenValues, ...[...found].filter((v) => v.length >= MIN_VALUE)])];
        const stale = values.length ? residue(config.store.path, values) : [];
        const cleared = stale.length || opts.vacuum ? clearStale(db, config.store.path, values, { by, selection: selection.describe, vacuum: opts.vacuum === true }) : { pages: 0, left: [] };
        const left = cleared.left;
        if (left.length) {
          process.stderr.write(`aaawatch purge-secret: no row holds it any more, but a stale copy stays in ${left.join(' and ')}; ${opts.vacuum ? 'even after VACUUM' : 'stop aaawatch and run this again with --vacuum to rewrite the file'}\n`);
        }
        if (opts.json) printJson({ purge: entry, rechain: counts.rechain, staleCopies: left, pagesZeroed: cleared.pages });
        else {
          process.stdout.write(
            [`purge #${entry.id}: ${selection.describe} removed from ${entry.records.length + Object.values(entry.tables).reduce((a, b) => a + b, 0)} stored rows`, ...describeCounts(counts), `recorded by ${by}; \`aaawatch verify\` lists it`].join('\n') + '\n',
          );
        }
      } finally {
        db.close();
      }
    });
}

/**
 * On a shared PostgreSQL store: every collector's chain that holds it re-chained with a purge entry
 * in that collector's purge log, the rows outside the chains and the activity log's entries
 * rewritten (that log re-chained), all in one transaction (src/store/pg/purge.ts); the purge
 * mirrored in the estate's activity log. PostgreSQL keeps the
 * old row versions until vacuum reuses their space (and its WAL and backups longer): --vacuum
 * rewrites the tables changed (VACUUM FULL), which holds every collector's writes to them meanwhile.
 */
async function purgeOnPostgres(config: Config, selection: Selection, opts: PurgeOptions, by: string): Promise<void> {
  const { connectPool } = await import('../store/pg/connection.js');
  const { purgePg } = await import('../store/pg/purge.js');
  const { activityLogPg, PG_NUMBERS } = await import('../web/data/pg-access.js');
  const { openWebAccess } = await import('../web/data/open.js');
  const pool = await connectPool({ url: resolveSecret(config.store.url!, 'store.url'), key: 'store.url' }, { max: 1, types: PG_NUMBERS });
  const at = Date.now();
  let result: Awaited<ReturnType<typeof purgePg>>;
  try {
    result = await purgePg(pool, selection, { by, reason: opts.reason?.trim() ?? '', at }, config.collector!, opts.dryRun === true, [activityLogPg]);
  } catch (err) {
    await pool.end();
    if (!(err instanceof PurgeRefused)) throw err;
    process.stderr.write(`aaawatch purge-secret: refused: ${err.message}\n`);
    process.exitCode = 1;
    return;
  }
  try {
    if (!result) {
      process.stderr.write(`aaawatch purge-secret: ${selection.describe}: found in no stored row${opts.dryRun ? '' : '; nothing changed'}\n`);
      process.exitCode = 1;
      if (opts.json && opts.dryRun) printJson({ dryRun: true, selection: selection.describe, collectors: [] });
      return;
    }
    const rows = (c: { records: number[]; tables: Record<string, number> }): number => c.records.length + Object.values(c.tables).reduce((a, b) => a + b, 0);
    const found = result.collectors.reduce((n, c) => n + rows(c), 0);
    const lines = (c: (typeof result.collectors)[number]): string[] =>
      describeCounts({ records: c.records, rechain: c.rechain ?? (c.records.length ? { from: c.records[0]!, to: c.records.at(-1)! } : null), tables: c.tables });
    if (opts.dryRun) {
      if (opts.json) printJson({ dryRun: true, selection: selection.describe, collectors: result.collectors });
      else {
        process.stdout.write(
          [`dry run: ${selection.describe} found in ${found} stored rows; nothing changed`, ...result.collectors.flatMap((c) => [`collector ${c.collector}:`, ...lines(c)])].join('\n') + '\n',
        );
      }
      return;
    }
    const tables = [...new Set(result.collectors.flatMap((c) => [...(c.rechain ? ['events'] : []), ...Object.keys(c.tables)]))].sort();
    if (opts.vacuum) for (const t of tables) await pool.query(`VACUUM (FULL) ${t}`);
    const access = await openWebAccess(config, { connections: 1 });
    try {
      await access.logActivity({
        at, user: by, address: null, action: 'purge-secret',
        detail: {
          reason: opts.reason!.trim(), selection: selection.describe,
          collectors: result.collectors.map((c) => ({ collector: c.collector, purge: c.entry!.id, hash: c.entry!.hash, records: c.records.length, rechained: c.rechain, tables: c.tables })),
        },
      });
    } finally {
      await access.close();
    }
    if (!opts.vacuum) {
      process.stderr.write(
        `aaawatch purge-secret: PostgreSQL keeps the old versions of the rows changed until vacuum reuses their space, and its WAL and backups keep them longer; ` +
          `run it again with --vacuum (VACUUM FULL of ${tables.join(', ')}: every collector's writes to them wait meanwhile) to rewrite those tables now\n`,
      );
    }
    if (opts.json) printJson({ purges: result.collectors.map((c) => ({ collector: c.collector, purge: c.entry, rechain: c.rechain })), vacuumed: opts.vacuum === true ? tables : [] });
    else {
      process.stdout.write(
        [
          `${selection.describe} removed from ${found} stored rows`,
          ...result.collectors.flatMap((c) => [`collector ${c.collector}: purge #${c.entry!.id}`, ...lines(c)]),
          `recorded by ${by}; \`aaawatch verify\` lists it`,
        ].join('\n') + '\n',
      );
    }
  } finally {
    await pool.end();
  }
}
