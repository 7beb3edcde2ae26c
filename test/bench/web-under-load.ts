// `npm run bench:web-under-load`: pages and exports beside intake (issue 14). `aaawatch serve`
// (the built command) over the bench:web store (1,000,000 records, 100,000 findings), with syslog
// listeners and the web interface; loggen (syslog-ng-core) sends bench:ingest's traffic file.
// Measured over HTTP with a signed-in session, as a browser asks:
//
// - pages (overview, findings lists and pages, audit searches, accounts, devices), idle and while
//   loggen sends over TCP as fast as aaawatch takes it, with the TCP rate reached alone and beside
//   them;
// - one evidence pack of the whole store while loggen sends UDP at 20,000 msgs/s for as long as
//   the pack takes: its time, the datagrams lost, and the reading thread's longest stall; then the
//   same UDP run for as long without a pack (target: the same loss, 0).
//
// BENCH_CLI runs another build of aaawatch (e.g. an older commit built in a scratch folder) to
// compare; BENCH_NOTE adds a note to the recorded row. Figures go to BENCHMARKS.md.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openDatabase } from '../../src/store/db.js';
import { hashPassword } from '../../src/web/passwords.js';
import { saveUser } from '../../src/web/store.js';
import { CORPUS } from '../support/corpus.js';
import { mulberry32 } from '../support/random.js';
import { portOpen, settle } from './loggen.js';
import { sleep, startProcess, stop } from './process.js';
import { median, percentile, recordRow } from './record.js';
import { writeTrafficFile } from './traffic.js';
import { ACTORS, DAY, DEVICES, KINDS, SEVERITIES, actor, build, device } from './web-store.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const FINDINGS = Number(process.env.BENCH_FINDINGS ?? 100_000);
const UDP_RATE = Number(process.env.BENCH_UDP_RATE ?? 20_000);
const TCP_SECONDS = Number(process.env.BENCH_TCP_SECONDS ?? 30);
const PAGES = Number(process.env.BENCH_PAGES ?? 150);
const CLI = process.env.BENCH_CLI ?? join(ROOT, 'dist/src/cli.js');

/** loggen's own count of what it sent (it prints it on exit). */
function loggen(args: string[]): Promise<{ sent: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn('loggen', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', () => {
      const m = /average rate = [\d.]+ msg\/sec, count=(\d+), time=([\d.]+)/.exec(out);
      if (!m) reject(new Error(`loggen said: ${out.slice(-400)}`));
      else resolve({ sent: Number(m[1]), seconds: Number(m[2]) });
    });
  });
}

interface Pages {
  median: number;
  p95: number;
  n: number;
}

async function main(): Promise<void> {
  try {
    execFileSync('sh', ['-c', 'command -v loggen'], { stdio: 'pipe' });
  } catch {
    console.error('loggen is missing: apt-get install -y syslog-ng-core');
    process.exit(2);
  }
  if (!existsSync(CLI)) throw new Error(`build first (npm run build): ${CLI} is missing`);
  const dir = mkdtempSync(join(tmpdir(), 'aaawatch-bench-webload-'));
  const dbPath = join(dir, 'aaawatch.db');
  const now = Date.now();
  const built = performance.now();
  const db = openDatabase(dbPath, { cacheMiB: 64 });
  build(db, now, RECORDS, FINDINGS);
  saveUser(db, 'bench', 'admin', await hashPassword('bench-password-1'), now, false);
  db.close();
  console.log(`store built: ${RECORDS.toLocaleString('en-US')} records, ${FINDINGS.toLocaleString('en-US')} findings in ${((performance.now() - built) / 1000).toFixed(1)} s`);
  const traffic = join(dir, 'traffic.log');
  writeTrafficFile(traffic, 200_000, CORPUS);

  const base = 21_000 + (process.pid % 19_000);
  const port = { syslog: base, web: base + 1 };
  const conf = join(dir, 'aaawatch.yaml');
  writeFileSync(
    conf,
    `ingest:\n  udp: { host: 127.0.0.1, port: ${port.syslog} }\n  tcp: { host: 127.0.0.1, port: ${port.syslog} }\n` +
      `store:\n  path: ${dbPath}\nweb: { host: 127.0.0.1, port: ${port.web} }\nlog: { level: warn }\n`,
  );
  const aw = await startProcess('node', [CLI, 'serve', '-c', conf], () => portOpen(port.syslog) && portOpen(port.web), 'aaawatch', {}, 60_000);
  const counters = new Database(dbPath, { readonly: true, fileMustExist: true });
  const counter = (name: string): number => (counters.prepare('SELECT value FROM counters WHERE name = ?').get(name) as { value: number } | undefined)?.value ?? 0;
  const url = `http://127.0.0.1:${port.web}`;

  try {
    const form = await fetch(`${url}/login`);
    const loginCookie = form.headers.getSetCookie()[0]!.split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const login = await fetch(`${url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, user: 'bench', password: 'bench-password-1' }).toString(),
    });
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith('aaawatch_session='))!.split(';')[0]!;

    const r = mulberry32(11);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const some = (n: number): number => Math.floor(r() * n);
    const day = (offset: number): string => new Date(now - offset * DAY).toISOString().slice(0, 10);
    const pageUrl = (): string =>
      pick([
        '/',
        '/findings',
        `/findings?severity=${pick(SEVERITIES)}&kind=${pick(KINDS)}`,
        `/findings?sort=last_seen&status=any&device=${encodeURIComponent(device(some(DEVICES)))}`,
        `/findings/${1 + some(FINDINGS)}`,
        `/audit?device=${encodeURIComponent(device(some(DEVICES)))}`,
        `/audit?actor=${actor(some(ACTORS))}&kind=command`,
        `/audit?from=${day(40)}&to=${day(39)}`,
        '/accounts',
        `/accounts?device=${encodeURIComponent(device(some(DEVICES)))}`,
        '/devices',
      ]);
    /** `n` page requests one after another (or until `until` says stop), as one person clicks. */
    const pages = async (n: number, until: () => boolean = () => false): Promise<Pages> => {
      const ms: number[] = [];
      for (let i = 0; i < n && !until(); i++) {
        const u = pageUrl();
        const t0 = performance.now();
        const res = await fetch(`${url}${u}`, { headers: { cookie } });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${u} answered ${res.status}`);
        ms.push(performance.now() - t0);
      }
      return { median: median(ms), p95: percentile(ms, 95), n: ms.length };
    };
    /** One evidence pack over the whole store (the last 90 days), read to its end. */
    const exportPack = async (): Promise<{ seconds: number; mib: number }> => {
      const t0 = performance.now();
      const res = await fetch(`${url}/exports/evidence.zip`, { headers: { cookie } });
      if (res.status !== 200) throw new Error(`the evidence pack answered ${res.status}`);
      let bytes = 0;
      for await (const chunk of res.body!) bytes += (chunk as Uint8Array).byteLength;
      return { seconds: (performance.now() - t0) / 1000, mib: bytes / 2 ** 20 };
    };
    const tcp = (seconds: number): Promise<{ sent: number }> =>
      loggen(['--inet', '--stream', '--read-file', traffic, '--dont-parse', '--loop-reading', '--rate', '2000000', '--interval', String(seconds), '127.0.0.1', String(port.syslog)]);
    const udp = (seconds: number): Promise<{ sent: number }> =>
      loggen(['--inet', '--dgram', '--read-file', traffic, '--dont-parse', '--loop-reading', '--rate', String(UDP_RATE), '--interval', String(seconds), '127.0.0.1', String(port.syslog)]);
    /** TCP messages/s received while `beside` runs next to loggen. */
    const tcpRate = async <T>(beside: (running: () => boolean) => Promise<T>): Promise<{ rate: number; beside: T }> => {
      const before = counter('received.tcp');
      let running = true;
      const t0 = Date.now();
      const sending = tcp(TCP_SECONDS).finally(() => (running = false));
      const result = await beside(() => running);
      await sending;
      const done = await settle(() => counter('received.tcp'), 2000);
      return { rate: (done.n - before) / ((done.at - t0) / 1000), beside: result };
    };
    /**
     * The reading thread's longest event-loop stall since the last scrape (prom-client's
     * nodejs_eventloop_lag_max_seconds, reset by each scrape), in ms: what keeps it from the sockets.
     */
    const stall = async (): Promise<number> => {
      const text = await (await fetch(`${url}/metrics`, { headers: { cookie } })).text();
      const m = /^nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(text);
      return m ? Number(m[1]) * 1000 : NaN;
    };
    /**
     * UDP at UDP_RATE, in 5-second loggen runs, until `beside` has ended and at least `minSeconds`
     * have passed: datagrams sent and not received (the kernel's drops as aaawatch samples them).
     */
    const udpLoss = async <T>(beside: () => Promise<T>, minSeconds = 0): Promise<{ seconds: number; sent: number; lost: number; kernel: number; stallMs: number; beside: T }> => {
      const before = counter('received.udp');
      const kBefore = counter('kernel.udp.socket_drops');
      await stall();
      const t0 = Date.now();
      let done = false;
      let sent = 0;
      const sending = (async () => {
        while (!done || Date.now() - t0 < minSeconds * 1000) sent += (await udp(5)).sent;
      })();
      await sleep(2000);
      const result = await beside();
      done = true;
      await sending;
      const seconds = (Date.now() - t0) / 1000;
      const stallMs = await stall();
      const received = (await settle(() => counter('received.udp'), 2000)).n - before;
      await sleep(10_500); // the kernel drop counters are sampled every 10 s
      return { seconds, sent, lost: sent - received, kernel: counter('kernel.udp.socket_drops') - kBefore, stallMs, beside: result };
    };

    // Warm-up: the first reconciliation over the new store, the page cache, a short UDP run.
    await pages(20);
    await udp(3);
    await settle(() => counter('received.udp'), 2000);

    const idlePages = await pages(PAGES);
    console.log(`idle: pages median ${idlePages.median.toFixed(1)} ms, p95 ${idlePages.p95.toFixed(1)} ms (${idlePages.n})`);
    const tcpAlone = await tcpRate(async () => undefined);
    const tcpPages = await tcpRate((running) => pages(100_000, () => !running()));
    console.log(`TCP alone ${Math.round(tcpAlone.rate)} msgs/s; beside pages ${Math.round(tcpPages.rate)} msgs/s, pages median ${tcpPages.beside.median.toFixed(1)} ms, p95 ${tcpPages.beside.p95.toFixed(1)} ms (${tcpPages.beside.n})`);

    const udpExport = await udpLoss(() => exportPack());
    console.log(`UDP ${UDP_RATE} msgs/s during an evidence pack (${udpExport.beside.seconds.toFixed(1)} s, ${udpExport.beside.mib.toFixed(1)} MiB): sent ${udpExport.sent}, lost ${udpExport.lost} (kernel ${udpExport.kernel}), longest stall of the reading thread ${udpExport.stallMs.toFixed(0)} ms`);
    const udpAlone = await udpLoss(async () => undefined, udpExport.seconds);
    console.log(`UDP ${UDP_RATE} msgs/s for as long without a pack: sent ${udpAlone.sent}, lost ${udpAlone.lost} (kernel ${udpAlone.kernel}), longest stall ${udpAlone.stallMs.toFixed(0)} ms`);

    const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
    const load = loadavg().map((l) => l.toFixed(1)).join(' ');
    const measured = CLI === join(ROOT, 'dist/src/cli.js') ? 'this commit' : relative(ROOT, CLI);
    recordRow(
      'bench:web-under-load — pages and evidence packs beside intake',
      [
        'aaawatch run', 'store: records / findings', 'pages median / p95 idle (ms)', 'pages median / p95 under TCP load (ms)', 'TCP msgs/s alone / beside pages',
        `evidence pack under UDP ${fmt(UDP_RATE)}/s (s)`, 'UDP sent: lost during the pack / lost without it (kernel drops)', 'reading thread\'s longest stall: during the pack / without (ms)',
        'load average (1 5 15 min) at the end', 'note',
      ],
      [
        measured,
        `${fmt(RECORDS)} / ${fmt(FINDINGS)}`,
        `${idlePages.median.toFixed(1)} / ${idlePages.p95.toFixed(1)}`,
        `${tcpPages.beside.median.toFixed(1)} / ${tcpPages.beside.p95.toFixed(1)}`,
        `${fmt(tcpAlone.rate)} / ${fmt(tcpPages.rate)}`,
        udpExport.beside.seconds.toFixed(1),
        `${fmt(udpExport.sent)}: ${fmt(udpExport.lost)} (${fmt(udpExport.kernel)}) / ${fmt(udpAlone.sent)}: ${fmt(udpAlone.lost)} (${fmt(udpAlone.kernel)})`,
        `${udpExport.stallMs.toFixed(0)} / ${udpAlone.stallMs.toFixed(0)}`,
        load,
        process.env.BENCH_NOTE ?? '',
      ],
      'aaawatch serve (the built command) over the bench:web store (by default 1,000,000 records and 100,000 findings; BENCH_RECORDS and BENCH_FINDINGS make it smaller; 2,000 devices), UDP and TCP listeners and the web interface on loopback; a signed-in session over HTTP. Pages: the overview, findings lists (default order, filters, by last seen), finding pages, audit searches, the Accounts page, devices, one after another. TCP load: loggen replaying bench:ingest\'s traffic file as fast as aaawatch takes it for ' +
        `${TCP_SECONDS} s (messages received / time until the last was counted). Evidence pack: /exports/evidence.zip over the last 90 days (every record, finding and account), read to its end, while loggen sends UDP at a fixed rate from 2 s before it until it ends; then UDP at the same rate for as long without a pack. Lost = sent − received. Longest stall: prom-client's nodejs_eventloop_lag_max_seconds of the serving process's main thread (test/bench/web-under-load.ts).`,
    );
  } finally {
    counters.close();
    await stop(aw);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
