// bench:aaa — native accounting, acknowledged. `aaawatch serve` runs as a child process with its
// TACACS+ and RADIUS receivers; every figure counts only what was answered, and every answered
// request is checked to be in the database afterwards (an answer is sent only once committed).
//
// - TACACS+: 50 devices, each one connection in Single Connection Mode, each sending command
//   accounting (STOP with `cmd=`) and waiting for its REPLY before the next, for a fixed time.
// - RADIUS: radclient (freeradius-utils; five processes, as five NASes) sends the same
//   Accounting-Requests (Starts of device-administration sessions, 50 in flight in all)
//   alternately to aaawatch and to FreeRADIUS, which one first alternating by round
//   (Debian freeradius, run unprivileged from a temporary raddb, writing its detail file),
//   after 25,000 requests of warm-up to each, not counted (RADIUS_WARMUP: the steady state of a
//   collector that has run a while; 5,000 before 2026-12-06).
//
// Besides requests/s and each receiver's CPU per request, it reports what radclient spends per
// request (radclient busy-loops: each turn of its loop walks every request left in its file, so
// on a 2-core machine the load generator takes most of the CPU and bounds both servers; it polls
// without waiting, 19,383 of 19,897 selects in 2 s with a zero timeout under load (strace,
// 2026-12-05), so it is always runnable: its CPU a request is what the server leaves, and a
// server's rate is its own CPU a request and how soon its threads get a core against five
// pollers, once per wake), the
// answer latency of each TACACS+ REPLY as the devices see it, and that of each RADIUS
// Accounting-Response inside aaawatch (datagram in to answer out, through the commit;
// answer-latency.mjs, preloaded).
//
// Prints the figures and adds a row to BENCHMARKS.md. On a shared machine the figures move with
// the machine's other load; the CPU each receiver spends per request moves least. It is counted
// above what the receiver spends idle (measured just before), so a slow run is not charged for
// the idle receiver's timers and background threads.

import { execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { acctReplyBody, obfuscate, readHeader, writeHeader, type Header } from '../../src/ingest/tacacs/packet.js';
import { freePort } from '../support/ports.js';
import { cpuSeconds, peakRss, sleep, startProcess, stop, threadCpuSeconds, threadSplit } from './process.js';
import { median, recordRow } from './record.js';
import { boxJiffies } from './sched.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TACACS_SECONDS = Number(process.env.BENCH_TACACS_SECONDS ?? 10);
const TACACS_DEVICES = Number(process.env.BENCH_TACACS_DEVICES ?? 50);
const RADIUS_REQUESTS = Number(process.env.BENCH_RADIUS_REQUESTS ?? 20_000);
const RADIUS_PARALLEL = Number(process.env.BENCH_RADIUS_PARALLEL ?? 50);
/**
 * radclient processes sending at once, each a share of the requests and of the parallelism: one
 * radclient walks its whole request list for every answer it reads, so one process with 20,000
 * requests measures radclient more than the server (FreeRADIUS: 3,361/s with 5,000 requests,
 * 599/s with 20,000 on the same machine). Several NASes are also what a server meets.
 */
const RADIUS_CLIENTS = Number(process.env.BENCH_RADIUS_CLIENTS ?? 5);
/**
 * Requests sent to each server before the measured rounds, not counted: aaawatch's first round
 * otherwise carried V8's compiling of the RADIUS path (its other threads 11.5–18.5 µs a request
 * in the first round against 2.5–9.0 in the next two, 2026-12-04, load ~10), which FreeRADIUS,
 * compiled ahead, never pays; nor does a collector that has run for days. The TACACS+ rounds before
 * warm only what the two share. 25,000 since rad18 (2026-12-06; 5,000 before): after 5,000 the
 * next 20,000 requests still took 260 TurboFan compiles, the 20,000 after them 22 and 20 (scratch
 * driver, --trace-opt, load 34–38), so rounds after a 5,000 warm-up measured the collector's first
 * minute, not its steady state. Both servers get the same warm-up.
 */
const RADIUS_WARMUP = Number(process.env.BENCH_RADIUS_WARMUP ?? 25_000);
const KEY = 'bench-tacacs-key';
const SECRET = 'bench-radius-secret';

function need(tool: string): string {
  try {
    return execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`${tool} is not installed (Debian: ${tool === 'radclient' ? 'freeradius-utils' : 'freeradius'})`);
  }
}

/** Whether something listens on this local port (TCP) or has bound it (UDP), from /proc/net. */
const portOpen = (port: number, proto: 'tcp' | 'udp'): boolean => {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const files = proto === 'tcp' ? ['/proc/net/tcp', '/proc/net/tcp6'] : ['/proc/net/udp', '/proc/net/udp6'];
  // `  sl: local_address rem_address st …`; the slot number's width varies, so match the fields, not their positions.
  const line = new RegExp(`^\\s*\\d+:\\s+[0-9A-F]+:${hex}\\s+[0-9A-F]+:[0-9A-F]{4}\\s+(${proto === 'tcp' ? '0A' : '07'})\\s`, 'm');
  return files.some((f) => existsSync(f) && line.test(readFileSync(f, 'utf8')));
};

// --- TACACS+ load: 50 single-connection devices ------------------------------------------------------

function commandPacket(session: number, first: boolean, n: number): Buffer {
  const args = ['task_id=' + n, 'timezone=UTC', 'service=shell', 'priv-lvl=15', `stop_time=${Math.floor(Date.now() / 1000)}`, `cmd=show interfaces GigabitEthernet1/0/${n % 48} <cr>`].map((a) => Buffer.from(a));
  const user = Buffer.from('bench');
  const port = Buffer.from('tty1');
  const rem = Buffer.from('10.0.0.5');
  const body = Buffer.concat([Buffer.from([0x04, 6, 15, 1, 1, user.length, port.length, rem.length, args.length, ...args.map((a) => a.length)]), user, port, rem, ...args]);
  const h: Header = { version: 0xc0, type: 3, seq: 1, flags: first ? 0x04 : 0, session, length: body.length };
  return Buffer.concat([writeHeader(h), obfuscate(body, h, Buffer.from(KEY))]);
}

/**
 * One device: a connection sending a request, waiting for its REPLY, until `until`. Returns the
 * requests acknowledged with SUCCESS; adds each REPLY's wait (ms) to `latencies`.
 */
function device(port: number, until: number, id: number, latencies: number[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    s.setNoDelay(true);
    let acked = 0;
    let buf = Buffer.alloc(0);
    let n = 0;
    let sentAt = 0;
    const success = acctReplyBody(0x01);
    const next = (): void => {
      if (Date.now() >= until) {
        s.end();
        return;
      }
      sentAt = performance.now();
      s.write(commandPacket((id << 20) + n, n === 0, n));
      n++;
    };
    s.on('connect', next);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 12 && buf.length >= 12 + buf.readUInt32BE(8)) {
        const h = readHeader(buf);
        const body = obfuscate(buf.subarray(12, 12 + h.length), h, Buffer.from(KEY));
        if (body.equals(success)) acked++;
        latencies.push(performance.now() - sentAt);
        buf = buf.subarray(12 + h.length);
        next();
      }
    });
    s.on('close', () => resolve(acked));
    s.on('error', reject);
  });
}

// --- RADIUS load: radclient ----------------------------------------------------------------------------

/** The round's requests (`round` names their sessions and files), split into one file per radclient. */
function radiusFiles(dir: string, round: number | string, requests = RADIUS_REQUESTS): string[] {
  const files: string[] = [];
  for (let c = 0; c < RADIUS_CLIENTS; c++) {
    let text = '';
    for (let i = c; i < requests; i += RADIUS_CLIENTS) {
      text += `Acct-Status-Type = Start, User-Name = "bench${i % 50}", Acct-Session-Id = "r${round}-${i}", NAS-IP-Address = 127.0.0.1, ` +
        `NAS-Identifier = "bench-nas-${i % 50}", Service-Type = NAS-Prompt-User, Calling-Station-Id = "10.0.${i % 200}.${i % 250}", Cisco-AVPair = "shell:priv-lvl=15"\n\n`;
    }
    const file = join(dir, `radius-${round}-${c}.txt`);
    writeFileSync(file, text);
    files.push(file);
  }
  return files;
}

/** CPU seconds (user + system) of this process's children that have ended: the radclients run so far. */
function childrenCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function radclientOne(port: number, file: string, parallel: number): Promise<{ accepted: number; lost: number }> {
  return new Promise((resolve, reject) => {
    execFile('radclient', ['-q', '-s', '-r', '3', '-t', '5', '-p', String(parallel), '-f', file, `127.0.0.1:${port}`, 'acct', SECRET], { maxBuffer: 1 << 24 }, (err, stdout) => {
      const accepted = Number(/Accepted\s*:\s*(\d+)/.exec(stdout)?.[1] ?? NaN);
      const lost = Number(/Lost\s*:\s*(\d+)/.exec(stdout)?.[1] ?? NaN);
      if (Number.isNaN(accepted)) reject(new Error(`radclient: ${err?.message ?? ''} ${stdout}`));
      else resolve({ accepted, lost });
    });
  });
}

/**
 * Every radclient at once, `RADIUS_PARALLEL` requests in flight in all; wall time until the last has
 * its answers, and the share of the machine left idle meanwhile. radclient busy-loops, so the box
 * goes idle only while its processes wait for answers: with their CPU a request, the idle share is
 * how the server's answer latency shows in the rate (BENCHMARKS.md, 2026-12-07).
 */
async function radclient(port: number, files: string[]): Promise<{ seconds: number; accepted: number; lost: number; clientCpu: number; idle: number }> {
  const cpu0 = childrenCpuSeconds();
  const ticks0 = boxJiffies();
  const started = process.hrtime.bigint();
  const parallel = Math.max(1, Math.round(RADIUS_PARALLEL / files.length));
  const results = await Promise.all(files.map((f) => radclientOne(port, f, parallel)));
  const ticks1 = boxJiffies();
  return {
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    accepted: results.reduce((a, r) => a + r.accepted, 0),
    lost: results.reduce((a, r) => a + r.lost, 0),
    clientCpu: childrenCpuSeconds() - cpu0,
    idle: (ticks1.idle - ticks0.idle) / Math.max(1, ticks1.total - ticks0.total),
  };
}

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))]! : NaN;
};
const latencyText = (xs: number[]): string => `p50 ${percentile(xs, 0.5).toFixed(1)}, p90 ${percentile(xs, 0.9).toFixed(1)}, p99 ${percentile(xs, 0.99).toFixed(1)} ms`;

/** What aaawatch's probe (answer-latency.mjs) gathered since it was last asked, in ms. */
interface Probe {
  /** RADIUS datagram in to Accounting-Response out. */
  latencies: number[];
  /** Each batch posted to the store thread to its answer received, and the store thread's own time for it. */
  roundTrips: number[];
  storeMs: number[];
}

async function probe(aw: ChildProcess, file: string): Promise<Probe> {
  if (existsSync(file)) unlinkSync(file);
  aw.kill('SIGUSR2');
  for (let i = 0; i < 100; i++) {
    await sleep(20);
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Probe;
    } catch {
      // Not written yet, or written in part.
    }
  }
  throw new Error('aaawatch did not write its answer latencies');
}

const batchText = (p: Probe): string =>
  p.roundTrips.length ? `store round trip a batch ${latencyText(p.roundTrips)}, of it the store thread's own time ${latencyText(p.storeMs)}` : 'no batch figures (the probe did not recognise the store thread\'s messages)';

// --- FreeRADIUS, unprivileged, accounting into its detail file -----------------------------------------

function freeradiusConfig(dir: string, port: number): string {
  const base = join(dir, 'freeradius');
  for (const d of ['raddb', 'log', 'run', 'radacct']) mkdirSync(join(base, d), { recursive: true });
  writeFileSync(join(base, 'raddb', 'dictionary'), '$INCLUDE /usr/share/freeradius/dictionary\n');
  writeFileSync(
    join(base, 'raddb', 'radiusd.conf'),
    `prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = ${base}
sbindir = /usr/sbin
logdir = ${base}/log
raddbdir = ${base}/raddb
radacctdir = ${base}/radacct
name = radiusd
confdir = \${raddbdir}
modconfdir = \${confdir}/mods-config
run_dir = ${base}/run
db_dir = ${base}
libdir = /usr/lib/freeradius
pidfile = \${run_dir}/\${name}.pid
max_request_time = 30
cleanup_delay = 5
max_requests = 65536
hostname_lookups = no
log {
  destination = files
  file = \${logdir}/radius.log
  auth = no
}
security {
  allow_core_dumps = no
  max_attributes = 200
  reject_delay = 0
  status_server = yes
}
thread pool {
  start_servers = 5
  max_servers = 32
  min_spare_servers = 3
  max_spare_servers = 10
  max_requests_per_server = 0
}
client localhost {
  ipaddr = 127.0.0.1
  secret = ${SECRET}
}
modules {
  detail {
    filename = \${radacctdir}/detail
    escape_filenames = no
    permissions = 0600
    header = "%t"
  }
}
server default {
  listen {
    type = acct
    ipaddr = 127.0.0.1
    port = ${port}
  }
  accounting {
    detail
  }
}
`,
  );
  return base;
}

function detailRecords(base: string): number {
  const file = join(base, 'radacct', 'detail');
  if (!existsSync(file)) return 0;
  return (readFileSync(file, 'utf8').match(/\tAcct-Status-Type = /g) ?? []).length;
}

/** CPU seconds a process spends idle per second, over `ms`. */
async function idleRate(pid: number, ms = 2000): Promise<number> {
  const c0 = cpuSeconds(pid);
  await sleep(ms);
  return (cpuSeconds(pid) - c0) / (ms / 1000);
}

/** Measure what a receiver spends on a run, above its idle rate; `stop` returns CPU seconds. */
async function measureWork(pid: number): Promise<{ stop: () => number }> {
  const idle = await idleRate(pid);
  const c0 = cpuSeconds(pid);
  const t0 = Date.now();
  return { stop: () => Math.max(0, cpuSeconds(pid) - c0 - (idle * (Date.now() - t0)) / 1000) };
}

// --- The run ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  need('radclient');
  const freeradius = need('freeradius');
  const dir = mkdtempSync(join(tmpdir(), 'aaawatch-bench-aaa-'));
  const [tacacsPort, radiusPort, frPort] = [await freePort(), await freePort(), await freePort()];
  const dbPath = join(dir, 'aaawatch.db');
  const latencyFile = join(dir, 'answer-latency.json');
  writeFileSync(
    join(dir, 'aaawatch.yaml'),
    `ingest:
  udp: { enabled: false }
  tcp: { enabled: false }
  tacacs:
    host: 127.0.0.1
    port: ${tacacsPort}
    keys: [{ sources: [127.0.0.0/8], key: { env: BENCH_TACACS_KEY } }]
  radius:
    host: 127.0.0.1
    port: ${radiusPort}
    secrets: [{ sources: [127.0.0.0/8], secret: { env: BENCH_RADIUS_SECRET } }]
store: { path: ${dbPath} }
web: { enabled: false }
log: { level: warn }
`,
  );
  const frBase = freeradiusConfig(dir, frPort);
  let aw: ChildProcess | undefined;
  let fr: ChildProcess | undefined;
  try {
    aw = await startProcess('node', ['--import', join(ROOT, 'test/bench/answer-latency.mjs'), join(ROOT, 'dist/src/cli.js'), 'serve', '--config', join(dir, 'aaawatch.yaml')], () => portOpen(tacacsPort, 'tcp') && portOpen(radiusPort, 'udp'), 'aaawatch serve', {
      env: { ...process.env, BENCH_TACACS_KEY: KEY, BENCH_RADIUS_SECRET: SECRET, AAAWATCH_BENCH_LATENCY_OUT: latencyFile },
    }, 60_000);
    fr = await startProcess(freeradius, ['-f', '-d', join(frBase, 'raddb'), '-n', 'radiusd', '-l', 'stdout'], () => portOpen(frPort, 'udp'), 'freeradius', {}, 60_000);
    const db = new Database(dbPath, { readonly: true });
    const stored = (transport: string): number => (db.prepare('SELECT count(*) AS n FROM events WHERE transport = ?').get(transport) as { n: number }).n;

    // TACACS+
    const tacacsRates: number[] = [];
    const tacacsCpu: number[] = [];
    const tacacsLatency: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const before = stored('tacacs');
      const cpu = await measureWork(aw.pid!);
      await probe(aw, latencyFile);
      const t0 = Date.now();
      const until = t0 + TACACS_SECONDS * 1000;
      const latencies: number[] = [];
      const acked = (await Promise.all(Array.from({ length: TACACS_DEVICES }, (_, i) => device(tacacsPort, until, r * 1000 + i, latencies)))).reduce((a, b) => a + b, 0);
      const seconds = (Date.now() - t0) / 1000;
      const spent = cpu.stop();
      const batches = await probe(aw, latencyFile);
      // Answered means committed: the rows are there without waiting.
      const rows = stored('tacacs') - before;
      if (rows < acked) throw new Error(`TACACS+: ${acked} acknowledged but only ${rows} stored`);
      tacacsRates.push(acked / seconds);
      tacacsCpu.push((spent / acked) * 1e6);
      for (const l of latencies) tacacsLatency.push(l);
      console.log(`TACACS+ round ${r + 1}: ${acked} acknowledged in ${seconds.toFixed(1)} s over ${TACACS_DEVICES} connections = ${Math.round(acked / seconds)} records/s (${rows} stored; ${((spent / acked) * 1e6).toFixed(1)} µs CPU each; REPLY after ${latencyText(latencies)})`);
      console.log(`  ${batchText(batches)}`);
    }

    // RADIUS, alternately at aaawatch and FreeRADIUS, the same file for both in a round; which one
    // goes first alternates too, so neither always meets the other's after-effects (aaawatch's
    // checkpoint of the WAL, its store's pages in the kernel's cache) or an emptier machine.
    const awRates: number[] = [];
    const frRates: number[] = [];
    const awCpu: number[] = [];
    const frCpu: number[] = [];
    const awClientCpu: number[] = [];
    const frClientCpu: number[] = [];
    const awIdle: number[] = [];
    const frIdle: number[] = [];
    const radiusLatency: number[] = [];
    const [awProc, frProc] = [aw, fr];
    if (RADIUS_WARMUP > 0) {
      const warm = radiusFiles(dir, 'warmup', RADIUS_WARMUP);
      const [a, f] = [await radclient(radiusPort, warm), await radclient(frPort, warm)];
      console.log(`RADIUS warm-up, not counted: ${a.accepted} answered by aaawatch, ${f.accepted} by FreeRADIUS`);
    }
    for (let r = 0; r < ROUNDS; r++) {
      const files = radiusFiles(dir, r);
      const atAaawatch = async () => {
        const before = stored('radius');
        const cpu = await measureWork(awProc.pid!);
        const threads0 = threadCpuSeconds(awProc.pid!);
        await probe(awProc, latencyFile);
        const run = await radclient(radiusPort, files);
        const spent = cpu.stop();
        const split = threadSplit(awProc.pid!, threads0, threadCpuSeconds(awProc.pid!));
        const seen = await probe(awProc, latencyFile);
        const rows = stored('radius') - before;
        if (rows < run.accepted) throw new Error(`RADIUS: ${run.accepted} answered but only ${rows} stored`);
        return { run, spent, split, seen, rows };
      };
      const atFreeradius = async () => {
        const before = detailRecords(frBase);
        const cpu = await measureWork(frProc.pid!);
        const run = await radclient(frPort, files);
        return { run, spent: cpu.stop(), rows: detailRecords(frBase) - before };
      };
      let awRun: Awaited<ReturnType<typeof atAaawatch>>;
      let frRun: Awaited<ReturnType<typeof atFreeradius>>;
      if (r % 2 === 0) {
        awRun = await atAaawatch();
        frRun = await atFreeradius();
      } else {
        frRun = await atFreeradius();
        awRun = await atAaawatch();
      }
      const { run: a, spent: awSpent, split, seen, rows } = awRun;
      const { run: f, spent: frSpent, rows: frRows } = frRun;
      const latencies = seen.latencies;
      for (const l of latencies) radiusLatency.push(l);
      awRates.push(a.accepted / a.seconds);
      frRates.push(f.accepted / f.seconds);
      awCpu.push((awSpent / a.accepted) * 1e6);
      frCpu.push((frSpent / f.accepted) * 1e6);
      awClientCpu.push((a.clientCpu / a.accepted) * 1e6);
      frClientCpu.push((f.clientCpu / f.accepted) * 1e6);
      awIdle.push(a.idle * 100);
      frIdle.push(f.idle * 100);
      console.log(
        `RADIUS round ${r + 1} (${r % 2 === 0 ? 'aaawatch' : 'FreeRADIUS'} first): aaawatch ${a.accepted}/${RADIUS_REQUESTS} answered in ${a.seconds.toFixed(2)} s = ${Math.round(a.accepted / a.seconds)}/s (${rows} stored, ${(awSpent / a.accepted * 1e6).toFixed(1)} µs CPU each); ` +
          `FreeRADIUS ${f.accepted} in ${f.seconds.toFixed(2)} s = ${Math.round(f.accepted / f.seconds)}/s (${frRows} in its detail file, ${(frSpent / f.accepted * 1e6).toFixed(1)} µs CPU each)`,
      );
      const us = (s: number): string => ((s / a.accepted) * 1e6).toFixed(1);
      console.log(`  aaawatch by thread, µs CPU a request (idle not taken off): main ${us(split.main)}, store ${us(split.store)}, reconcile ${us(split.reconcile)}, checkpoint ${us(split.checkpoint)}, the rest ${us(split.rest)}; load ${loadavg()[0]!.toFixed(1)}`);
      console.log(`  radclient µs CPU a request: at aaawatch ${awClientCpu.at(-1)!.toFixed(1)}, at FreeRADIUS ${frClientCpu.at(-1)!.toFixed(1)}; machine idle at aaawatch ${awIdle.at(-1)!.toFixed(1)}%, at FreeRADIUS ${frIdle.at(-1)!.toFixed(1)}%; aaawatch's Accounting-Response after ${latencyText(latencies)}; ${batchText(seen)}`);
    }
    const rss = peakRss(aw.pid!);
    db.close();

    const fmt = (n: number): string => Math.round(n).toLocaleString('en');
    const ratio = median(awRates) / median(frRates);
    console.log(`TACACS+ REPLY after ${latencyText(tacacsLatency)}; RADIUS Accounting-Response (aaawatch) after ${latencyText(radiusLatency)}`);
    console.log(`TACACS+ median: ${fmt(median(tacacsRates))} acknowledged records/s; RADIUS median: aaawatch ${fmt(median(awRates))}/s, FreeRADIUS ${fmt(median(frRates))}/s, ratio ${ratio.toFixed(2)} (goal ≥ 1.00)`);
    recordRow(
      'bench:aaa — native accounting, acknowledged after commit',
      ['TACACS+ records/s (50 single-connection devices)', 'CPU per TACACS+ record', 'RADIUS Accounting-Requests/s: FreeRADIUS / aaawatch', 'ratio', 'CPU per RADIUS request: FreeRADIUS / aaawatch', 'peak RSS', 'rounds'],
      [
        `${fmt(median(tacacsRates))} (REPLY p50 ${percentile(tacacsLatency, 0.5).toFixed(1)}, p99 ${percentile(tacacsLatency, 0.99).toFixed(1)} ms)`, `${median(tacacsCpu).toFixed(1)} µs`,
        `${fmt(median(frRates))} / ${fmt(median(awRates))} (aaawatch answer p50 ${percentile(radiusLatency, 0.5).toFixed(1)}, p99 ${percentile(radiusLatency, 0.99).toFixed(1)} ms)`, ratio.toFixed(2),
        `${median(frCpu).toFixed(1)} / ${median(awCpu).toFixed(1)} µs (radclient ${median(frClientCpu).toFixed(0)} / ${median(awClientCpu).toFixed(0)} µs; machine idle ${median(frIdle).toFixed(1)}% / ${median(awIdle).toFixed(1)}%)`, `${(rss / 2 ** 20).toFixed(0)} MB`, String(ROUNDS),
      ],
      `aaawatch serve with its TACACS+ and RADIUS receivers (test/bench/aaa.ts). TACACS+: ${TACACS_DEVICES} devices, one connection each in Single Connection Mode, each sending command accounting and waiting for its REPLY, ${TACACS_SECONDS} s per round; only SUCCESS replies count, and each round checks that every acknowledged record is in the database. ` +
        `RADIUS: radclient (freeradius-utils, ${RADIUS_CLIENTS} processes at once) sends ${RADIUS_REQUESTS.toLocaleString('en')} Accounting-Request Starts, ${RADIUS_PARALLEL} in flight in all, alternately to aaawatch and to FreeRADIUS 3.2 (unprivileged, accounting into its detail file), which one first alternating by round, after ${RADIUS_WARMUP.toLocaleString('en')} not counted to each; answered requests/s, every answered one checked stored. ` +
        'CPU per request = the receiver process\'s user + system time (all threads, /proc) over the run, less what it spends idle (measured for 2 s before), / requests answered; radclient\'s the same for its processes; machine idle = the share of both cores idle (/proc/stat) while the radclients ran. ' +
        'Latency: TACACS+ from request written to REPLY read, at the device; RADIUS from datagram read to Accounting-Response sent, inside aaawatch, for one request in 16 (test/bench/answer-latency.mjs).',
    );
  } finally {
    if (aw) await stop(aw);
    if (fr) await stop(fr);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
