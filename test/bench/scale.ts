// `npm run bench:scale` (ingest; the web half of issue 17's bench:scale is test/bench/scale-web.ts,
// `npm run bench:scale-web`): the aaa-only feed (test/bench/profiles.ts) replayed by loggen over
// TCP into one `aaawatch serve` on SQLite, then into two `serve` processes (collectors a and b) on
// one throwaway PostgreSQL 15 cluster (test/support/postgres.ts), each fed by its own loggen at the
// same time. Prints records stored per second (from the first line sent until the store stops
// growing) and CPU per record: the serve processes, and PostgreSQL's own processes. Records the
// figures in BENCHMARKS.md.

import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { INGEST_TABLES } from '../../src/store/schema/ingest.js';
import { CORPUS } from '../support/corpus.js';
import { freePort } from '../support/ports.js';
import { startPostgres, type ThrowawayPostgres } from '../support/postgres.js';
import { loggen, portOpen } from './loggen.js';
import { cpuSeconds, sleep, startProcess, stop } from './process.js';
import { median, recordRow } from './record.js';
import { writeProfile } from './profiles.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SEED = Number(process.env.BENCH_SEED ?? 1);
const CLI = join(ROOT, 'dist/src/cli.js');
const loadavg = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ')[0]!;

/** CPU seconds of a process and its children (a PostgreSQL server: the postmaster and its backends). */
function treeCpu(main: number): number {
  let total = cpuSeconds(main);
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const f = readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ');
      if (Number(f[1]) === main) total += (Number(f[11]) + Number(f[12])) / 100;
    } catch {
      // Gone meanwhile.
    }
  }
  return total;
}

/** Poll `count` until it stops growing for `quietMs`; the count and when it last grew. */
async function settle(count: () => Promise<number>, quietMs = 2000): Promise<{ n: number; at: number }> {
  let n = await count();
  let at = Date.now();
  for (;;) {
    await sleep(200);
    const m = await count();
    if (m !== n) {
      n = m;
      at = Date.now();
    } else if (Date.now() - at > quietMs) return { n, at };
  }
}

interface Run {
  records: number;
  perSecond: number;
  /** CPU microseconds per record: the serve processes, and the database server's. */
  serveUs: number;
  serverUs: number;
}

const feedArgs = (file: string, port: number): string[] => [
  '--inet', '--stream', '--read-file', file, '--dont-parse', '--loop-reading', '--rate', '2000000', '--interval', String(SECONDS), '127.0.0.1', String(port),
];

async function serveOn(config: string, port: number, env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
  return startProcess(process.execPath, [CLI, 'serve', '--config', config], () => portOpen(port), 'aaawatch serve', { env: { ...process.env, AAAWATCH_CONFIG: '', ...env } }, 60_000);
}

async function sqliteRun(dir: string, feed: string, round: number): Promise<Run> {
  const port = await freePort();
  const path = join(dir, `sqlite-${round}.db`);
  const config = join(dir, `sqlite-${round}.yaml`);
  writeFileSync(config, `ingest:\n  udp: { enabled: false }\n  tcp: { host: 127.0.0.1, port: ${port} }\nstore:\n  path: ${path}\nweb: { enabled: false }\nlog: { level: warn }\n`);
  const serve = await serveOn(config, port);
  try {
    const db = new Database(path, { readonly: true });
    const cpu0 = cpuSeconds(serve.pid!);
    const t0 = Date.now();
    await loggen(feedArgs(feed, port));
    const done = await settle(async () => (db.prepare('SELECT coalesce(max(id), 0) AS n FROM events').get() as { n: number }).n);
    const cpu = cpuSeconds(serve.pid!) - cpu0;
    db.close();
    return { records: done.n, perSecond: done.n / ((done.at - t0) / 1000), serveUs: (cpu * 1e6) / done.n, serverUs: 0 };
  } finally {
    await stop(serve);
  }
}

async function postgresRun(dir: string, feed: string, cluster: ThrowawayPostgres, pool: pg.Pool, round: number): Promise<Run> {
  await pool.query(`DROP TABLE IF EXISTS ${INGEST_TABLES.map((t) => t.name).join(', ')}`);
  const serves: Array<{ child: ChildProcess; port: number }> = [];
  try {
    for (const name of ['a', 'b']) {
      const port = await freePort();
      const config = join(dir, `pg-${name}-${round}.yaml`);
      writeFileSync(config, `collector: ${name}\ningest:\n  udp: { enabled: false }\n  tcp: { host: 127.0.0.1, port: ${port} }\nstore:\n  url: { env: AAAWATCH_BENCH_PG }\nweb: { enabled: false }\nlog: { level: warn }\n`);
      serves.push({ child: await serveOn(config, port, { AAAWATCH_BENCH_PG: cluster.url }), port });
    }
    const postmaster = Number(readFileSync(join(cluster.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const cpu0 = serves.map((s) => cpuSeconds(s.child.pid!));
    const server0 = treeCpu(postmaster);
    const t0 = Date.now();
    await Promise.all(serves.map((s) => loggen(feedArgs(feed, s.port))));
    const done = await settle(async () => Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n));
    const cpu = serves.reduce((sum, s, i) => sum + cpuSeconds(s.child.pid!) - cpu0[i]!, 0);
    const server = treeCpu(postmaster) - server0;
    return { records: done.n, perSecond: done.n / ((done.at - t0) / 1000), serveUs: (cpu * 1e6) / done.n, serverUs: (server * 1e6) / done.n };
  } finally {
    await Promise.all(serves.map((s) => stop(s.child)));
  }
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error('build first: npm run build');
  const dir = mkdtempSync(join(tmpdir(), 'aaawatch-bench-scale-'));
  const cluster = await startPostgres();
  const pool = new pg.Pool({ connectionString: cluster.url, max: 1 });
  try {
    const feed = join(dir, 'feed.log');
    const written = writeProfile(feed, 'aaa-only', 200_000, SEED, CORPUS);
    console.log(`aaa-only feed: ${written.lines} lines, seed ${SEED}; ${ROUNDS} rounds of ${SECONDS} s; load ${loadavg()}`);
    const lite: Run[] = [];
    const two: Run[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Back to back in the same minutes, so a busy machine weighs on both alike.
      lite.push(await sqliteRun(dir, feed, round));
      two.push(await postgresRun(dir, feed, cluster, pool, round));
      console.log(`round ${round + 1}: SQLite ${Math.round(lite.at(-1)!.perSecond)} records/s, ${lite.at(-1)!.serveUs.toFixed(1)} µs CPU/record; ` +
        `2 collectors on PostgreSQL ${Math.round(two.at(-1)!.perSecond)} records/s, serve ${two.at(-1)!.serveUs.toFixed(1)} + PostgreSQL ${two.at(-1)!.serverUs.toFixed(1)} µs CPU/record`);
    }
    const m = (rs: Run[], k: keyof Run): number => median(rs.map((r) => r[k]));
    const ratio = m(two, 'perSecond') / m(lite, 'perSecond');
    console.log(`median: SQLite ${Math.round(m(lite, 'perSecond'))} records/s; 2 collectors on PostgreSQL ${Math.round(m(two, 'perSecond'))} (${ratio.toFixed(2)}×); load ${loadavg()}`);
    recordRow(
      'bench:scale — two collectors on one PostgreSQL against one on SQLite (aaa-only, TCP)',
      ['records/s SQLite (1 serve)', 'records/s PostgreSQL (2 serve)', 'ratio', 'CPU µs/record SQLite serve', 'CPU µs/record PostgreSQL: serve + server', 'load'],
      [
        String(Math.round(m(lite, 'perSecond'))), String(Math.round(m(two, 'perSecond'))), ratio.toFixed(2), m(lite, 'serveUs').toFixed(1),
        `${m(two, 'serveUs').toFixed(1)} + ${m(two, 'serverUs').toFixed(1)}`, loadavg(),
      ],
      'Records stored per second from the first line sent until the store stops growing; loggen replays the aaa-only feed over TCP as fast as it can, one loggen per serve, SQLite and PostgreSQL back to back in each round. PostgreSQL is a throwaway cluster on the same machine (fsync off, test/support/postgres.ts), so its CPU competes with the collectors\' for the same cores. Medians of the rounds. The web half of bench:scale (page p95 at 10M records) waits for the web on PostgreSQL.',
    );
  } finally {
    await pool.end();
    cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
