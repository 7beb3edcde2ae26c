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
const targets = devices.map((d) => emulatedTarget(d.port, d.platform, { name: d.name, timeouts: { connect: 15_000, login: 20_000, command: 30_000, total: 120_000 } }));

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);
const started = process.hrtime.bigint();
const results = await pullAll(ctx, targets);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);

const failed = results.filter((r) => r.outcome === 'failed');
const mb = peakRss / (1024 * 1024);
const snapshots = (db.prepare('SELECT count(*) AS n FROM snapshots').get() as { n: number }).n;
const accounts = (db.prepare('SELECT count(*) AS n FROM accounts').get() as { n: number }).n;
db.close();
fleet.stdin!.end();
rmSync(dir, { recursive: true, force: true });

process.stdout.write(
  [
    `devices          ${DEVICES} (concurrency ${CONCURRENCY}, ${new Set(devices.map((d) => d.platform)).size} platforms)`,
    `pulled           ${results.length - failed.length}, failed ${failed.length}${failed.length ? ` (${failed.slice(0, 3).map((f) => `${f.device}: ${f.error}`).join('; ')})` : ''}`,
    `stored           ${snapshots} snapshots, ${accounts} accounts, ${warnings} warnings logged`,
    `wall time        ${seconds.toFixed(2)} s`,
    `pulls/s          ${(results.length / seconds).toFixed(1)}`,
    `peak RSS         ${mb.toFixed(0)} MB`,
    `target           all ${DEVICES} within 30 s, RSS under 300 MB: ${failed.length === 0 && seconds < 30 && mb < 300 ? 'met' : 'NOT met'}`,
    '',
  ].join('\n'),
);
if (failed.length) process.exitCode = 1;
