// `npm run bench:reliability`: what is lost without a count when things go wrong, with real senders.
//
// 1. Disk full, plain TCP: aaawatch serve with its store on a tmpfs of its own, filled (a filler file
//    leaving 1 MiB) while loggen streams LINES lines over one TCP connection; after HOLD_SECONDS of
//    the store being unwritable the filler is deleted. Acknowledged-but-lost = lines loggen wrote
//    (the kernel acknowledged them) − lines stored − lines counted as dropped. Needs root (mount).
//    The same over RELP: rsyslog (imfile reading LINES numbered lines, omrelp with an action queue
//    retrying for ever) as the sender, whose answers wait while the store cannot be written;
//    acknowledged-but-lost = lines missing from the store (rsyslog drops nothing itself), and lines
//    stored twice are counted.
// 2. UDP at twice the sustained rate: command-accounting lines (each a record to store) over TCP
//    as fast as flow control allows find the rate the store sustains; then loggen sends them over
//    UDP at twice that for UDP_SECONDS.
//    Sent / received / stored / counted as dropped (store backlog, kernel socket), the rest
//    unaccounted, and aaawatch's peak RSS.
//
// The `relp` work adds kill -9 rows (plain TCP against RELP) in a script of its own.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { rsyslog } from '../support/tools.js';
import { portOpen, settle } from './loggen.js';
import { peakRss, sleep, startProcess, stop } from './process.js';
import { median, recordRow } from './record.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/src/cli.js');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const LINES = Number(process.env.BENCH_LINES ?? 50_000);
const HOLD_SECONDS = Number(process.env.BENCH_HOLD_SECONDS ?? 10);
const UDP_SECONDS = Number(process.env.BENCH_UDP_SECONDS ?? 20);

const fmt = (n: number): string => Math.round(n).toLocaleString('en');

interface Loggen {
  sent: number;
  seconds: number;
}

function loggen(args: string[]): Promise<Loggen> {
  return new Promise((resolve, reject) => {
    const p = spawn('loggen', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
    p.on('error', reject);
    p.on('close', () => {
      const m = /average rate = [\d.]+ msg\/sec, count=(\d+), time=([\d.]+)/.exec(out);
      if (!m) reject(new Error(`loggen said: ${out.slice(-400)}`));
      else resolve({ sent: Number(m[1]), seconds: Number(m[2]) });
    });
  });
}

function serveConfig(dir: string, port: number, dbPath: string, extra = ''): string {
  const file = join(dir, `aaawatch-${port}.yaml`);
  writeFileSync(
    file,
    `ingest:\n  udp: { host: 127.0.0.1, port: ${port} }\n  tcp: { host: 127.0.0.1, port: ${port} }\n${extra}` +
      `store:\n  path: ${dbPath}\n  storeAllMessages: true\nweb: { enabled: false }\nlog: { level: warn }\n`,
  );
  return file;
}

/** A running serve whose output is searched for what it says. */
async function startServe(config: string, port: number): Promise<{ p: ChildProcess; said: (text: string) => Promise<void> }> {
  const p = await startProcess('node', [CLI, 'serve', '-c', config], () => portOpen(port), 'aaawatch');
  let out = '';
  p.stdout!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-100_000)));
  const said = async (text: string): Promise<void> => {
    while (!out.includes(text)) {
      if (p.exitCode !== null) throw new Error(`aaawatch exited: ${out.slice(-500)}`);
      await sleep(50);
    }
  };
  return { p, said };
}

function counters(db: Database.Database): Record<string, number> {
  return Object.fromEntries((db.prepare('SELECT name, value FROM counters').all() as Array<{ name: string; value: number }>).map((r) => [r.name, r.value]));
}

function fillLeaving(dir: string, leave: number): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(1 << 20);
  const s = statfsSync(dir);
  try {
    for (let want = s.bavail * s.bsize - leave; want > 0; want -= chunk.length) writeSync(fd, chunk, 0, Math.min(chunk.length, want));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  return path;
}

/** Once serve says the store cannot be written: HOLD_SECONDS later the filler goes; how long it was held until serve said so. */
async function holdFull(serve: { said: (text: string) => Promise<void> }, filler: string): Promise<number> {
  await serve.said('the store cannot be written at');
  const heldAt = Date.now();
  await sleep(HOLD_SECONDS * 1000);
  rmSync(filler);
  await serve.said('the store can be written again');
  return (Date.now() - heldAt) / 1000;
}

interface DiskFullRound {
  sent: number;
  stored: number;
  dropped: number;
  lost: number;
  heldSeconds: number;
  loggenSeconds: number;
}

async function diskFull(dir: string, round: number): Promise<DiskFullRound | undefined> {
  const disk = join(dir, `disk-${round}`);
  mkdirSync(disk);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=96m', 'tmpfs', disk], { stdio: 'pipe' });
  } catch {
    console.warn('disk full: cannot mount a tmpfs here (needs root); skipped');
    return undefined;
  }
  const port = 30_000 + (process.pid % 10_000) + round;
  const dbPath = join(disk, 'aaawatch.db');
  const serve = await startServe(serveConfig(dir, port, dbPath), port);
  try {
    const filler = fillLeaving(disk, 1 << 20);
    const sending = loggen(['--inet', '--stream', '--number', String(LINES), '--rate', '50000', '--size', '300', '--interval', '900', '127.0.0.1', String(port)]);
    const heldSeconds = await holdFull(serve, filler);
    const sent = await sending;
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      const stored = (await settle(() => (db.prepare("SELECT count(*) AS n FROM messages WHERE transport = 'tcp'").get() as { n: number }).n, 2000)).n;
      const c = counters(db);
      const dropped = (c['dropped.store-behind'] ?? 0) + (c['dropped.store-unwritable'] ?? 0);
      const r = { sent: sent.sent, stored, dropped, lost: sent.sent - stored - dropped, heldSeconds, loggenSeconds: sent.seconds };
      console.log(`disk full, round ${round + 1}: loggen wrote ${fmt(r.sent)} lines over TCP in ${r.loggenSeconds.toFixed(1)} s (store unwritable ~${heldSeconds.toFixed(1)} s): stored ${fmt(r.stored)}, counted dropped ${fmt(r.dropped)}, acknowledged but lost ${fmt(r.lost)}`);
      return r;
    } finally {
      db.close();
    }
  } finally {
    await stop(serve.p);
    execFileSync('umount', ['-l', disk]);
  }
}

interface RelpDiskFullRound {
  sent: number;
  stored: number;
  lost: number;
  duplicates: number;
  heldSeconds: number;
}

/** Disk full under RELP: rsyslog forwards LINES numbered lines while the store cannot be written. */
async function diskFullRelp(dir: string, round: number, rs: { rsyslogd: string; modules: string }): Promise<RelpDiskFullRound | undefined> {
  const disk = join(dir, `relp-disk-${round}`);
  mkdirSync(disk);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=96m', 'tmpfs', disk], { stdio: 'pipe' });
  } catch {
    return undefined;
  }
  const port = 30_000 + (process.pid % 10_000) + 50 + round;
  const relpPort = port + 100;
  const dbPath = join(disk, 'aaawatch.db');
  const serve = await startServe(serveConfig(dir, port, dbPath, `  relp: { enabled: true, host: 127.0.0.1, port: ${relpPort} }\n`), port);
  const work = join(dir, `rsyslog-${round}`);
  mkdirSync(work);
  const input = join(work, 'input.log');
  writeFileSync(input, '');
  const conf = join(work, 'rsyslog.conf');
  writeFileSync(
    conf,
    `global(workDirectory="${work}")
module(load="${rs.modules}/imfile.so" mode="inotify")
module(load="${rs.modules}/omrelp.so")
input(type="imfile" file="${input}" tag="app:" ruleset="fwd")
ruleset(name="fwd") {
  action(type="omrelp" target="127.0.0.1" port="${relpPort}"
         queue.type="LinkedList" queue.size="1000000" action.resumeRetryCount="-1" action.resumeInterval="1")
}
`,
  );
  const sender = spawn(rs.rsyslogd, ['-n', '-f', conf, '-i', join(work, 'rsyslogd.pid'), '-M', rs.modules], { stdio: 'ignore' });
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const filler = fillLeaving(disk, 1 << 20);
    let text = '';
    for (let i = 0; i < LINES; i++) text += `line ${String(i).padStart(8, '0')}\n`;
    writeFileSync(input, text);
    const heldSeconds = await holdFull(serve, filler);
    const distinct = (): number => (db.prepare("SELECT count(DISTINCT substr(raw, -8)) AS n FROM messages WHERE transport = 'relp'").get() as { n: number }).n;
    // Until every line is in, or nothing more comes for 20 s (rsyslog retries once a second).
    for (let last = -1, still = 0; still < 40; await sleep(500)) {
      const n = distinct();
      if (n >= LINES) break;
      still = n === last ? still + 1 : 0;
      last = n;
    }
    const stored = distinct();
    const rows = (db.prepare("SELECT count(*) AS n FROM messages WHERE transport = 'relp'").get() as { n: number }).n;
    const r = { sent: LINES, stored, lost: LINES - stored, duplicates: rows - stored, heldSeconds };
    console.log(`disk full, RELP round ${round + 1}: rsyslog sent ${fmt(r.sent)} lines (store unwritable ~${heldSeconds.toFixed(1)} s): stored ${fmt(r.stored)}, acknowledged but lost ${fmt(r.lost)}, stored twice ${fmt(r.duplicates)}`);
    return r;
  } finally {
    db.close();
    sender.kill('SIGKILL');
    await stop(serve.p);
    execFileSync('umount', ['-l', disk]);
  }
}

/** Lines that each make one command record: what the store has to keep, not only count. */
function commandLines(path: string, n: number): void {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    lines.push(`<189>${i}: r${i % 200}: .Nov 21 2026 22:10:01.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin${i % 7}  logged command:interface GigabitEthernet1/0/${i % 48}`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

interface UdpRun {
  rate: number;
  sent: number;
  received: number;
  stored: number;
  storeDropped: number;
  kernelDropped: number;
  unaccounted: number;
}

async function udpAtTwice(dir: string): Promise<{ sustained: number; run: UdpRun; rss: number }> {
  const port = 40_000 + (process.pid % 10_000);
  const dbPath = join(dir, 'udp.db');
  const lines = join(dir, 'commands.log');
  commandLines(lines, 100_000);
  const serve = await startServe(serveConfig(dir, port, dbPath), port);
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  const events = (): number => (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  const args = (rate: number, seconds: number, transport = '--dgram'): string[] => [
    '--inet', transport, '--read-file', lines, '--dont-parse', '--loop-reading', '--rate', String(rate), '--interval', String(seconds), '127.0.0.1', String(port),
  ];
  try {
    // Warm-up, then as fast as TCP flow control lets loggen send: the store sets the pace and
    // nothing is dropped, so what it stores per second is the rate it sustains.
    await loggen(args(5_000, 2));
    await settle(events, 2000);
    const e0 = events();
    const t0 = Date.now();
    await loggen(args(1_000_000, 10, '--stream'));
    const e1 = (await settle(events, 1500)).n;
    const sustained = (e1 - e0) / ((Date.now() - t0 - 1500) / 1000);
    console.log(`command lines over TCP, as fast as the store takes them: ${fmt(sustained)} records/s`);

    const before = counters(db);
    const s0 = events();
    const rate = Math.round(sustained * 2);
    const sent = (await loggen(args(rate, UDP_SECONDS))).sent;
    await settle(events, 2000);
    await sleep(10_500); // the kernel drop counter is sampled every 10 s
    const after = counters(db);
    const delta = (name: string): number => (after[name] ?? 0) - (before[name] ?? 0);
    const received = delta('received.udp');
    const run: UdpRun = {
      rate,
      sent,
      received,
      stored: events() - s0,
      storeDropped: delta('dropped.store-behind') + delta('dropped.store-unwritable'),
      kernelDropped: delta('kernel.udp.socket_drops'),
      unaccounted: sent - received - delta('kernel.udp.socket_drops'),
    };
    console.log(
      `UDP at ${fmt(rate)} msgs/s (2× sustained) for ${UDP_SECONDS} s: sent ${fmt(run.sent)}, received ${fmt(run.received)}, stored ${fmt(run.stored)}, ` +
        `counted dropped: store ${fmt(run.storeDropped)}, kernel ${fmt(run.kernelDropped)}; unaccounted ${fmt(run.unaccounted)}`,
    );
    return { sustained, run, rss: peakRss(serve.p.pid!) };
  } finally {
    db.close();
    await stop(serve.p);
  }
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error('build first: npm run build');
  const dir = mkdtempSync(join(tmpdir(), 'aaawatch-bench-reliability-'));
  try {
    const rounds: DiskFullRound[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const d = await diskFull(dir, r);
      if (!d) break;
      rounds.push(d);
    }
    const relpRounds: RelpDiskFullRound[] = [];
    const rs = rsyslog();
    for (let r = 0; rs && r < ROUNDS; r++) {
      const d = await diskFullRelp(dir, r, rs);
      if (!d) break;
      relpRounds.push(d);
    }
    const { sustained, run, rss } = await udpAtTwice(dir);
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
    console.log(`aaawatch peak RSS over the UDP runs: ${(rss / 2 ** 20).toFixed(0)} MB; load ${load}`);
    recordRow(
      'bench:reliability — disk full (plain TCP and RELP) and UDP at twice the sustained rate',
      [
        'disk full, TCP: lines written / stored / counted dropped / acknowledged but lost (per round)', 'store unwritable (s, median)',
        'disk full, RELP (rsyslog omrelp): lines sent / stored / acknowledged but lost / stored twice (per round)',
        'sustained (records/s)', 'UDP at 2×: sent / received / stored / dropped (store, kernel) / unaccounted', 'peak RSS', 'load',
      ],
      [
        rounds.length ? rounds.map((d) => `${fmt(d.sent)} / ${fmt(d.stored)} / ${fmt(d.dropped)} / ${fmt(d.lost)}`).join('; ') : 'not run (needs root)',
        rounds.length ? median(rounds.map((d) => d.heldSeconds)).toFixed(1) : '—',
        relpRounds.length ? relpRounds.map((d) => `${fmt(d.sent)} / ${fmt(d.stored)} / ${fmt(d.lost)} / ${fmt(d.duplicates)}`).join('; ') : 'not run (needs root and rsyslog with omrelp)',
        fmt(sustained),
        `${fmt(run.sent)} / ${fmt(run.received)} / ${fmt(run.stored)} / ${fmt(run.storeDropped)}, ${fmt(run.kernelDropped)} / ${fmt(run.unaccounted)}`,
        `${(rss / 2 ** 20).toFixed(0)} MB`,
        String(load),
      ],
      `Disk full: aaawatch serve (every message kept) with its store on a 96 MiB tmpfs, filled but for 1 MiB by a filler file while loggen streams ${fmt(LINES)} ` +
        `300-byte lines over one TCP connection; ${HOLD_SECONDS} s after the store first fails the filler is deleted. Acknowledged but lost = lines loggen wrote − ` +
        'stored − counted as dropped: what a plain-TCP sender was told (by TCP) had arrived and is nowhere. The same over RELP with rsyslog 8.2302 ' +
        `(imfile, ${fmt(LINES)} numbered lines, omrelp, an action queue retrying for ever): lines missing from the store, and lines stored twice. ` +
        'UDP: command-accounting lines (one record ' +
        'each) sent over TCP for 10 s as fast as flow control allows give the records/s the store sustains; loggen then sends them over UDP at twice that. Received = read by aaawatch; dropped = counted ' +
        '(dropped.store-behind / dropped.store-unwritable, and the kernel\'s drops on the socket); unaccounted = sent − received − kernel drops ' +
        '(lost on the loopback path before the socket). Figures preliminary: shared machine, load in the last column.',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
