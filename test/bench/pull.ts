// `npm run bench:pull`: 500 emulated devices (the corpus's real recordings, cycled) pulled over
// loopback with concurrency 50, into a fresh database. The devices run in a child process, so the
// figures are aaawatch's own: wall time, pulls per second and this process's peak RSS.
// Target: all 500 within 30 s, RSS under 300 MB.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { pullAll } from '../../src/pull/run.js';
import { openDatabase } from '../../src/store/db.js';
import { REPO } from '../support/corpus.js';
import { emulatedTarget, pullContext } from '../support/emulator/targets.js';
import { median, recordRow } from './record.js';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);

interface FleetDevice {
  name: string;
  port: number;
  platform: string;
}

const fleet = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'test/support/emulator/fleet.ts'), String(DEVICES)], {
  cwd: REPO,
  stdio: ['pipe', 'pipe', 'inherit'],
});
const devices: FleetDevice[] = [];
for await (const line of createInterface({ input: fleet.stdout! })) {
  if (line === 'ready') break;
  devices.push(JSON.parse(line) as FleetDevice);
}

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const targets = devices.map((d) => emulatedTarget(d.port, d.platform, { name: d.name, timeouts: { connect: 15_000, login: 20_000, command: 30_000, total: 120_000 } }));

interface Run {
  seconds: number;
  failed: string[];
  snapshots: number;
  accounts: number;
  warnings: number;
}

/** One pull of every device into a fresh database (so every pull stores a snapshot and its accounts). */
async function run(): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'aaawatch-bench-'));
  const db = openDatabase(join(dir, 'bench.db'));
  let warnings = 0;
  const log = pino(
    { level: 'warn' },
    new Writable({
      write(_chunk, _enc, done) {
        warnings++;
        done();
      },
    }),
  );
  const ctx = pullContext(db, { log, pull: { concurrency: CONCURRENCY } });
  const started = process.hrtime.bigint();
  const results = await pullAll(ctx, targets);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const snapshots = (db.prepare('SELECT count(*) AS n FROM snapshots').get() as { n: number }).n;
  const accounts = (db.prepare('SELECT count(*) AS n FROM accounts').get() as { n: number }).n;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  const failed = results.filter((r) => r.outcome === 'failed').map((f) => `${f.device}: ${f.error}`);
  return { seconds, failed, snapshots, accounts, warnings };
}

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);
const runs: Run[] = [];
for (let i = 0; i < RUNS; i++) runs.push(await run());
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
fleet.stdin!.end();

const seconds = median(runs.map((r) => r.seconds));
const failed = runs.flatMap((r) => r.failed);
const last = runs.at(-1)!;
const mb = peakRss / (1024 * 1024);
const met = failed.length === 0 && seconds < 30 && mb < 300;
process.stdout.write(
  [
    `devices          ${DEVICES} (concurrency ${CONCURRENCY}, ${new Set(devices.map((d) => d.platform)).size} platforms), ${RUNS} runs`,
    `pulled           ${DEVICES * RUNS - failed.length}, failed ${failed.length}${failed.length ? ` (${failed.slice(0, 3).join('; ')})` : ''}`,
    `stored per run   ${last.snapshots} snapshots, ${last.accounts} accounts, ${last.warnings} warnings logged`,
    `wall time        median ${seconds.toFixed(2)} s (${runs.map((r) => r.seconds.toFixed(2)).join(', ')})`,
    `pulls/s          ${(DEVICES / seconds).toFixed(1)}`,
    `peak RSS         ${mb.toFixed(0)} MB`,
    `target           all ${DEVICES} within 30 s, RSS under 300 MB: ${met ? 'met' : 'NOT met'}`,
    '',
  ].join('\n'),
);
recordRow(
  'bench:pull — configuration pulls from emulated devices',
  ['devices', 'concurrency', 'failed', 'wall time, median (s)', 'pulls/s', 'peak RSS', 'target'],
  [
    String(DEVICES), String(CONCURRENCY), String(failed.length), `${seconds.toFixed(2)} (${RUNS} runs)`,
    (DEVICES / seconds).toFixed(1), `${mb.toFixed(0)} MB`, `500 in < 30 s, < 300 MB: ${met ? 'met' : 'not met'}`,
  ],
  'The corpus recordings (15, seven platforms) replayed by an ssh2 device emulator in a child process, cycled over 500 devices on loopback; each run pulls every device into a fresh SQLite file (test/bench/pull.ts).',
);
if (failed.length) process.exitCode = 1;
