// `npm run bench:web`: the web interface answering over a store of 1,000,000 records and
// 100,000 findings (issue 6). Builds the store in a temp folder (records spread over 90 days,
// 2,000 devices and 400 actors; findings of every kind and status, each citing records and two
// snapshots; 20 pulled accounts per device, and the ~95,000 accounts the account records name),
// starts the web server on loopback, signs in, and times the findings list (with filters and deep
// pages), a finding page, audit-trail searches (by device, actor, account, time range and text),
// and the Accounts page (issue 15: filters, deep pages) as a browser would ask for them, over
// HTTP; then one evidence pack over the whole store, downloaded. Target: each page under 150 ms at
// the 95th percentile. Prints the figures and records them in BENCHMARKS.md.

import { mkdtempSync, rmSync } from 'node:fs';
import { mulberry32 } from '../support/random.js';
import { DEVICES, build, device } from './web-store.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { configSchema } from '../../src/config/schema.js';
import { openDatabase } from '../../src/store/db.js';
import { hashPassword } from '../../src/web/passwords.js';
import { startWeb } from '../../src/web/server.js';
import { saveUser } from '../../src/web/store.js';
import { median, percentile, recordRow } from './record.js';
import { pageSuites, timePages } from './web-pages.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const FINDINGS = Number(process.env.BENCH_FINDINGS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const TARGET_MS = 150;
/** Sorted Accounts views timed, each a view not read before (so every matching row is read and sorted); 0: none. */
const SORTED = Number(process.env.BENCH_SORTED ?? 0);
/** `0`: no evidence pack (a run that times the sorted views alone). */
const PACK = process.env.BENCH_PACK !== '0';

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'aaawatch-bench-web-'));
  const config = configSchema.parse({ store: { path: join(dir, 'aaawatch.db') } });
  config.web.port = 0;
  const db = openDatabase(config.store.path, { cacheMiB: 64 });
  const now = Date.now();
  const t0 = performance.now();
  build(db, now, RECORDS, FINDINGS);
  const buildSeconds = (performance.now() - t0) / 1000;
  console.log(`store built: ${RECORDS.toLocaleString('en-US')} records, ${FINDINGS.toLocaleString('en-US')} findings in ${buildSeconds.toFixed(1)} s`);
  saveUser(db, 'bench', 'admin', await hashPassword('bench-password-1'), now, false);
  const web = await startWeb(config, db, pino({ level: 'silent' }));

  const form = await fetch(`${web.url}/login`);
  const loginCookie = form.headers.getSetCookie()[0]!.split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const login = await fetch(`${web.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, user: 'bench', password: 'bench-password-1' }).toString(),
  });
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith('aaawatch_session='))!.split(';')[0]!;

  const r = mulberry32(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const deepEvent = db.prepare('SELECT time, id FROM events ORDER BY time DESC, id DESC LIMIT 1 OFFSET ?').get(Math.floor(RECORDS / 2)) as { time: number; id: number };
  const suites = pageSuites(r, { now, findings: FINDINGS, deepEvent });
  suites.push({
    name: 'accounts page',
    urls: () =>
      pick([
        '/accounts',
        `/accounts?device=${encodeURIComponent(device(Math.floor(r() * DEVICES)))}`,
        '/accounts?source=pulled',
        '/accounts?source=syslog&findings=open',
        `/accounts?account=acct${Math.floor(r() * 5000)}`,
        '/accounts?severity=high',
        `/accounts?afterDevice=${encodeURIComponent(device(Math.floor(r() * DEVICES)))}&afterAccount=acct${Math.floor(r() * 5000)}`,
      ]),
  });
  const timings = await timePages(web.url, cookie, suites, REQUESTS);
  if (SORTED > 0) {
    // Sorted Accounts views (issue 15): a view other than the stored order, each asked for the first
    // time, so the server reads and sorts the population; wall time and this process's CPU (the
    // web runs in it) a request.
    const population = (db.prepare(`SELECT count(*) AS n FROM (SELECT device, name FROM accounts UNION SELECT device, target FROM events WHERE kind = 'account')`).get() as { n: number }).n;
    const views = ['severity', 'findings', 'created', 'lastLogin', 'privilege', 'roster', 'createdBy', 'account'].flatMap((s) => [`/accounts?sort=${s}`, `/accounts?sort=${s}&reverse=1`]).slice(0, SORTED);
    const wall: number[] = [];
    const cpu: number[] = [];
    for (const url of views) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const res = await fetch(`${web.url}${url}`, { headers: { cookie } });
      const body = await res.text();
      wall.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
      if (!body.includes('Sorted by')) throw new Error(`${url}: not a sorted view`);
    }
    console.log(`sorted accounts views over ~${population.toLocaleString('en-US')} population rows: wall median ${median(wall).toFixed(0)} ms, p95 ${percentile(wall, 95).toFixed(0)} ms; CPU median ${median(cpu).toFixed(0)} ms, p95 ${percentile(cpu, 95).toFixed(0)} ms (${views.length} views; peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB)`);
  }
  if (!PACK) {
    for (const t of timings) console.log(`${t.name.padEnd(20)} median ${t.median.toFixed(1).padStart(6)} ms   p95 ${t.p95.toFixed(1).padStart(6)} ms   (${t.n} requests)`);
    await web.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  // One evidence pack over the whole store (the last 90 days: every record, finding and account), downloaded as a browser would.
  const packStarted = performance.now();
  const pack = await fetch(`${web.url}/exports/evidence.zip`, { headers: { cookie } });
  if (pack.status !== 200) throw new Error(`the evidence pack answered ${pack.status}`);
  let packBytes = 0;
  for await (const chunk of pack.body!) packBytes += (chunk as Uint8Array).byteLength;
  const packSeconds = (performance.now() - packStarted) / 1000;
  const exported = JSON.parse((db.prepare(`SELECT detail FROM web_audit WHERE action = 'export' ORDER BY id DESC LIMIT 1`).get() as { detail: string }).detail) as { rows: number; findings: number };
  const peakMB = Math.round(process.resourceUsage().maxRSS / 1024);
  await web.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`evidence pack: ${exported.rows.toLocaleString('en-US')} accounts, ${exported.findings.toLocaleString('en-US')} findings, ${(packBytes / 2 ** 20).toFixed(1)} MiB in ${packSeconds.toFixed(1)} s; peak RSS ${peakMB} MB`);

  for (const t of timings) {
    console.log(`${t.name.padEnd(20)} median ${t.median.toFixed(1).padStart(6)} ms   p95 ${t.p95.toFixed(1).padStart(6)} ms   (${t.n} requests)  ${t.p95 < TARGET_MS ? 'ok' : `OVER the ${TARGET_MS} ms target`}`);
  }
  if (RECORDS !== 1_000_000 || FINDINGS !== 100_000) {
    console.log('not recorded in BENCHMARKS.md: the store is smaller than the issue asks for');
    if (timings.some((t) => t.p95 >= TARGET_MS)) process.exitCode = 1;
    return;
  }
  const note = process.env.BENCH_NOTE ?? '';
  recordRow(
    'bench:web — the Accounts page and an evidence pack over 1,000,000 records',
    ['records', 'findings', 'accounts', 'accounts page median / p95 (ms)', 'evidence pack: time (s) / size (MiB)', 'peak RSS (MB)', 'target p95', 'note'],
    [
      RECORDS.toLocaleString('en-US'),
      FINDINGS.toLocaleString('en-US'),
      exported.rows.toLocaleString('en-US'),
      `${timings[3]!.median.toFixed(1)} / ${timings[3]!.p95.toFixed(1)}`,
      `${packSeconds.toFixed(1)} / ${(packBytes / 2 ** 20).toFixed(1)}`,
      String(peakMB),
      `< ${TARGET_MS} ms`,
      note,
    ],
    'The store of bench:web\'s pages (below) plus 20 pulled accounts on each of its 2,000 devices; the ~95,000 accounts its account records name are in the population too (syslog-only). Pages of /accounts with filters (device, source, findings, severity, account name) and deep cursors over HTTP with a signed-in session, then one /exports/evidence.zip over the whole store (the last 90 days), read to its end (test/bench/web.ts).',
  );
  recordRow(
    'bench:web — pages over 1,000,000 records and 100,000 findings',
    ['records', 'findings', 'findings list median / p95 (ms)', 'finding page median / p95 (ms)', 'audit search median / p95 (ms)', 'target p95'],
    [
      RECORDS.toLocaleString('en-US'),
      FINDINGS.toLocaleString('en-US'),
      ...timings.slice(0, 3).map((t) => `${t.median.toFixed(1)} / ${t.p95.toFixed(1)}`),
      `< ${TARGET_MS} ms`,
    ],
    'Requests over HTTP on loopback with a signed-in session, as a browser asks for the pages: the findings list with filters and a page 1,000 deep, a random finding page (records with raw messages, a snapshot diff, history), and audit-trail searches by device, actor, account, time range and text (test/bench/web.ts).',
  );
  if (timings.some((t) => t.p95 >= TARGET_MS)) process.exitCode = 1;
}

await main();
