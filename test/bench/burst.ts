// `npm run bench:ingest -- --profile burst`: an automation run pushing 10,000 new accounts to a
// fleet within a minute, on top of a steady aaa-only feed. aaawatch serve (defaults, its
// reconciliation thread included) receives the steady feed from one loggen over TCP at a fixed
// rate; 15 s in, a second loggen sends 10,000 distinct account creations (ISE, tac_plus, IOS,
// Junos, ASA 502101, useradd, FortiOS) over BENCH_BURST_SECONDS (30). Measured: the steady feed's
// stored rate before and during the burst (target: unaffected), and how long after the burst's
// last line every one of its 10,000 `account-created` findings was raised (target: ≤ 60 s).

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { CORPUS } from '../support/corpus.js';
import { freePort } from '../support/ports.js';
import { loggen, portOpen } from './loggen.js';
import { measure, peakRss, sleep, startProcess, stop } from './process.js';
import { recordRow } from './record.js';
import { accountPrefix, writeProfile } from './profiles.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STEADY_RATE = Number(process.env.BENCH_BURST_STEADY_RATE ?? 2000);
const BURST_ACCOUNTS = Number(process.env.BENCH_BURST_ACCOUNTS ?? 10_000);
const BURST_SECONDS = Number(process.env.BENCH_BURST_SECONDS ?? 30);
const BEFORE_SECONDS = 15;
/** How long findings are waited for after the burst, at most. */
const WAIT_SECONDS = 180;

const loadavg = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ')[0]!;

export async function burst(seed: number): Promise<void> {
  const load0 = loadavg();
  const dir = mkdtempSync(join(tmpdir(), 'aaawatch-bench-burst-'));
  const steadyFile = join(dir, 'steady.log');
  const burstFile = join(dir, 'burst.log');
  writeProfile(steadyFile, 'aaa-only', 200_000, seed, CORPUS);
  writeProfile(burstFile, 'burst', BURST_ACCOUNTS, seed + 1, CORPUS);
  const prefix = accountPrefix(seed + 1);
  console.log(`profile burst, seed ${seed}: steady aaa-only at ${STEADY_RATE} msgs/s; ${BURST_ACCOUNTS} accounts (${prefix}…) over ${BURST_SECONDS} s (repeat with --profile burst --seed ${seed})`);
  const port = await freePort();
  const awDb = join(dir, 'aaawatch.db');
  const awConf = join(dir, 'aaawatch.yaml');
  writeFileSync(awConf, `ingest:\n  udp: { enabled: false }\n  tcp: { host: 127.0.0.1, port: ${port} }\nstore:\n  path: ${awDb}\nweb: { enabled: false }\nlog: { level: warn }\n`);
  const cli = join(ROOT, 'dist/src/cli.js');
  if (!existsSync(cli)) throw new Error('build first: npm run build');
  const aw = await startProcess('node', [cli, 'serve', '-c', awConf], () => portOpen(port), 'aaawatch');
  const db = new Database(awDb, { readonly: true, fileMustExist: true });
  const received = (): number => (db.prepare(`SELECT value FROM counters WHERE name = 'received.tcp'`).get() as { value: number } | undefined)?.value ?? 0;
  const raised = (): number =>
    (db.prepare(`SELECT count(*) AS n FROM findings WHERE kind = 'account-created' AND account >= ? AND account < ?`).get(prefix, prefix + '\uffff') as { n: number }).n;
  try {
    const cost = measure(aw.pid!);
    const total = BEFORE_SECONDS + BURST_SECONDS + 30;
    const steadyArgs = ['--inet', '--stream', '--read-file', steadyFile, '--dont-parse', '--loop-reading', '--rate', String(STEADY_RATE), '--interval', String(total), '127.0.0.1', String(port)];
    const steady = loggen(steadyArgs);
    // The stored count each second: the steady feed's rate before and during the burst.
    const samples: Array<{ at: number; n: number }> = [];
    const t0 = Date.now();
    const sampler = setInterval(() => samples.push({ at: Date.now() - t0, n: received() }), 1000);
    await sleep(BEFORE_SECONDS * 1000);
    const burstRate = Math.ceil(BURST_ACCOUNTS / BURST_SECONDS);
    const sent = await loggen(['--inet', '--stream', '--read-file', burstFile, '--dont-parse', '--rate', String(burstRate), '--interval', String(BURST_SECONDS + 30), '127.0.0.1', String(port)]);
    const burstEnd = Date.now();
    let all = 0;
    let allAt: number | undefined;
    while (Date.now() - burstEnd < WAIT_SECONDS * 1000) {
      all = raised();
      if (all >= BURST_ACCOUNTS) {
        allAt = Date.now();
        break;
      }
      await sleep(250);
    }
    await steady;
    clearInterval(sampler);
    const rate = (from: number, to: number): number => {
      const xs = samples.filter((s) => s.at >= from * 1000 && s.at <= to * 1000);
      return xs.length < 2 ? 0 : ((xs.at(-1)!.n - xs[0]!.n) / (xs.at(-1)!.at - xs[0]!.at)) * 1000;
    };
    const burstStartS = BEFORE_SECONDS;
    const burstEndS = (burstEnd - t0) / 1000;
    // Messages stored per second, less the burst's own lines, in each phase (the first 5 s warm up).
    const before = rate(5, burstStartS);
    const during = rate(burstStartS, burstEndS) - sent.sent / (burstEndS - burstStartS);
    const cpu = cost.stop();
    const rss = peakRss(aw.pid!);
    const latency = allAt === undefined ? undefined : (allAt - burstEnd) / 1000;
    console.log(`steady feed stored: ${Math.round(before)} msgs/s before the burst, ${Math.round(during)} during it (${(during / before).toFixed(2)}×; sent at ${STEADY_RATE})`);
    console.log(`burst: ${sent.sent} creations in ${sent.seconds.toFixed(1)} s; account-created findings for them: ${all}${latency === undefined ? ` after ${WAIT_SECONDS} s (target: all within 60 s)` : `, all raised ${latency.toFixed(1)} s after the burst's last line (target ≤ 60 s)`}`);
    console.log(`aaawatch CPU ${cpu.toFixed(1)} s, peak RSS ${(rss / 2 ** 20).toFixed(0)} MB; load ${load0} → ${loadavg()}`);
    const fmt = (n: number): string => Math.round(n).toLocaleString('en');
    recordRow(
      'bench:ingest --profile burst — 10,000 accounts created within a minute, on a steady AAA feed',
      ['seed', 'steady feed (msgs/s sent)', 'stored before / during the burst (msgs/s)', 'ratio', 'burst: accounts / seconds', 'findings raised', 'all raised after the burst (s)', 'peak RSS', 'load average (start → end)'],
      [
        String(seed), fmt(STEADY_RATE), `${fmt(before)} / ${fmt(during)}`, (during / before).toFixed(2), `${fmt(sent.sent)} / ${sent.seconds.toFixed(1)}`,
        `${fmt(all)} of ${fmt(BURST_ACCOUNTS)}`, latency === undefined ? `not within ${WAIT_SECONDS}` : latency.toFixed(1), `${(rss / 2 ** 20).toFixed(0)} MB`, `${load0} → ${loadavg()}`,
      ],
      'Preliminary while the machine is shared (load average in the last column). aaawatch serve (defaults, no roster) takes a steady aaa-only feed (test/bench/profiles.ts) from loggen over TCP at a fixed rate; ' +
        `${BEFORE_SECONDS} s in, a second loggen sends ${BURST_ACCOUNTS.toLocaleString('en')} distinct account creations (seven vendors' forms) evenly over ${BURST_SECONDS} s. ` +
        'Stored before / during = messages committed per second (counters) in the 5th–15th second and while the burst was sent, the burst\'s own lines taken out. ' +
        'All raised = seconds from the burst\'s last line until every one of its accounts had its account-created finding. Targets: ratio ≈ 1.00, ≤ 60 s.',
    );
    if (latency === undefined || latency > 60) process.exitCode = 1;
  } finally {
    db.close();
    await stop(aw);
    rmSync(dir, { recursive: true, force: true });
  }
}
