// `npm run bench:migrate`: `aaawatch migrate`'s copy (src/store/pg/copy-from-sqlite.ts) of a SQLite
// store filled by `aaawatch import` (100,000 IOS command records and 10,000 other lines kept whole,
// BENCH_RECORDS to change) into a throwaway PostgreSQL 15 on this machine, run BENCH_RUNS times
// (the tables emptied between runs). Prints and records in BENCHMARKS.md records/s by the wall clock,
// CPU per record of the copying process and of the PostgreSQL backend it talks to (both, as
// other work shares the machine), and the process's peak RSS.

import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase } from '../../src/store/db.js';
import { copyFromSqlite } from '../../src/store/pg/copy-from-sqlite.js';
import { INGEST_TABLES } from '../../src/store/schema/ingest.js';
import { REPO } from '../support/corpus.js';
import { iosCommands } from '../support/ingest-batches.js';
import { startPostgres } from '../support/postgres.js';
import { tempDir } from '../support/temp.js';
import { median, recordRow } from './record.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const OTHER = Math.round(RECORDS / 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** CPU seconds a process has used, from /proc (user + system). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const dir = tempDir('aaawatch-bench-migrate-');
const dbPath = join(dir, 'store.db');
const config = join(dir, 'config.yaml');
writeFileSync(config, `store:\n  path: ${dbPath}\n  storeAllMessages: true\n`);
const log = join(dir, 'feed.log');
const chatter = Array.from({ length: OTHER }, (_, i) => `<13>Nov 21 22:10:${String(i % 60).padStart(2, '0')} h${i % 50} app[${i}]: job ${i} finished`);
writeFileSync(log, [...iosCommands(1, RECORDS, ' bench'), ...chatter].join('\n') + '\n');
execFileSync(process.execPath, [join(REPO, 'dist/src/cli.js'), 'import', log, '--config', config], { stdio: 'inherit' });

const cluster = await startPostgres();
const pool = new pg.Pool({ connectionString: cluster.url, max: 1 });
const db = openDatabase(dbPath);
const records = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
const messages = db.prepare('SELECT count(*) FROM messages').pluck().get() as number;
const runs: Array<{ seconds: number; cpuNode: number; cpuPg: number }> = [];
try {
  for (let run = 0; run < RUNS; run++) {
    if (run > 0) await pool.query(`TRUNCATE ${INGEST_TABLES.map((t) => t.name).join(', ')}`);
    // max 1: the pool's one connection is the one the copy uses.
    const backend = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const pgBefore = cpuSeconds(backend);
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    const report = await copyFromSqlite(db, pool, { collector: 'bench', replace: false });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    runs.push({ seconds, cpuNode: (used.user + used.system) / 1e6, cpuPg: cpuSeconds(backend) - pgBefore });
    const copied = report.tables.find((t) => t.table === 'events')!.rows;
    if (copied !== records) throw new Error(`copied ${copied} records of ${records}`);
    console.log(`run ${run + 1}: ${records} records + ${messages} messages in ${seconds.toFixed(2)} s: ${Math.round(records / seconds)} records/s; CPU node ${runs.at(-1)!.cpuNode.toFixed(2)} s, PostgreSQL ${runs.at(-1)!.cpuPg.toFixed(2)} s`);
  }
} finally {
  db.close();
  await pool.end();
  cluster.stop();
  // A bench runs outside vitest, whose setup removes what tempDir made: its folder goes here.
  rmSync(dir, { recursive: true, force: true });
}

const wall = median(runs.map((r) => r.seconds));
const perRecord = (s: number): string => `${((s / records) * 1e6).toFixed(1)}`;
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const rssMb = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(`median ${Math.round(records / wall)} records/s (load ${load}), peak RSS ${rssMb} MB`);
recordRow(
  'bench:migrate — a SQLite store copied into PostgreSQL',
  ['load (1/5/15 min)', 'records', 'messages', 'runs', 'records/s, median', 'CPU µs/record: node', 'CPU µs/record: PostgreSQL backend', 'peak RSS (MB)'],
  [load, records.toLocaleString('en'), messages.toLocaleString('en'), String(RUNS), Math.round(records / wall).toLocaleString('en'),
    perRecord(median(runs.map((r) => r.cpuNode))), perRecord(median(runs.map((r) => r.cpuPg))), String(rssMb)],
  'test/bench/migrate.ts: `aaawatch migrate`\'s copy of a store filled by `aaawatch import` (IOS command records, and one other line kept whole per ten) into a throwaway PostgreSQL 15 on the same machine (fsync off), in one transaction; records/s by the wall clock over the whole copy (messages and the other tables included), CPU per record of the copying process and of its PostgreSQL backend. Memory: the copy holds two batches of 2,000 rows at most, so peak RSS does not grow with the store.',
);
