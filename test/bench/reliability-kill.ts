// bench:reliability:kill — what a kill -9 of `aaawatch serve` costs a sender, per transport. rsyslog
// (the real sender: imfile reading numbered lines, an action queue retrying for ever) forwards to
// serve over plain TCP (omfwd) and over RELP (omrelp); serve is killed with SIGKILL mid-stream
// `BENCH_KILLS` times and restarted (test/support/crash-rounds.ts). rsyslog drops nothing itself, so
// a line missing from the store was one the sender had handed over and taken as delivered
// (acknowledged by TCP, or by a RELP answer): acknowledged-but-lost. Lines stored twice are counted
// too, with how many resends the RELP listener recognised (answered, not stored again).
//
// Prints the figures and adds a row to BENCHMARKS.md.

import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { crashRounds, type CrashResult, type CrashTransport } from '../support/crash-rounds.js';
import { mulberry32 } from '../support/random.js';
import { rsyslog } from '../support/tools.js';
import { recordRow } from './record.js';

const LINES = Number(process.env.BENCH_LINES ?? 20_000);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const KILLS = Number(process.env.BENCH_KILLS ?? 10);
const SEED = Number(process.env.BENCH_SEED ?? 12);

const rs = rsyslog();
if (!rs) {
  console.error('bench:reliability:kill needs rsyslogd with omrelp (test/support/tools.ts rsyslog())');
  process.exit(1);
}

const load = loadavg()[0]!;
const results = new Map<CrashTransport, CrashResult>();
for (const transport of ['tcp', 'relp'] as const) {
  const dir = mkdtempSync(join(tmpdir(), `aaawatch-bench-kill-${transport}-`));
  try {
    const r = await crashRounds({
      transport, rsyslogd: rs.rsyslogd, modules: rs.modules, dir, lines: LINES, rate: RATE, rounds: KILLS,
      upMs: [800, 1600], downMs: 300, random: mulberry32(SEED),
    });
    results.set(transport, r);
    console.log(`${transport}: ${JSON.stringify(r)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const tcp = results.get('tcp')!;
const relp = results.get('relp')!;
const pct = (n: number): string => `${((100 * n) / LINES).toFixed(2)}%`;
const loadNote = `load ${load.toFixed(1)}–${loadavg()[0]!.toFixed(1)} (preliminary, shared machine)`;
recordRow(
  'bench:reliability:kill — kill -9 of serve mid-stream, rsyslog as the sender',
  ['lines at lines/s', 'kills', 'TCP (omfwd): acknowledged-but-lost', 'TCP: stored twice', 'RELP (omrelp): acknowledged-but-lost', 'RELP: stored twice', 'RELP resends recognised', 'load'],
  [
    `${LINES.toLocaleString('en')} at ${RATE}`, `${tcp.kills} / ${relp.kills}`, `${tcp.lost} (${pct(tcp.lost)})`, String(tcp.duplicates),
    `${relp.lost} (${pct(relp.lost)})`, String(relp.duplicates), String(relp.resendsRecognised), loadNote,
  ],
  'rsyslog 8.2302 (imfile → action queue, resumeRetryCount -1, so it drops nothing itself) forwards numbered lines to `aaawatch serve` over plain TCP (omfwd) and over RELP (omrelp, librelp 1.11); serve is killed with SIGKILL after 0.8–1.6 s of delivery, 10 times, restarted 0.3 s later, then the rest is delivered and counted (test/bench/reliability-kill.ts, test/support/crash-rounds.ts). A line missing from the store was taken as delivered by the sender: acknowledged-but-lost. RELP resends recognised = frames committed whose answers died with the process, sent again and answered without being stored twice.',
);
