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
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { configSchema } from '../../src/config/schema.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { hashPassword } from '../../src/web/passwords.js';
import { startWeb } from '../../src/web/server.js';
import { saveUser } from '../../src/web/store.js';
import { median, recordRow } from './record.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const FINDINGS = Number(process.env.BENCH_FINDINGS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const DEVICES = 2000;
const ACTORS = 400;
const ACCOUNTS_PER_DEVICE = 20;
const TARGET_MS = 150;
const DAY = 86_400_000;
const KINDS = ['unauthorised-account', 'privilege-mismatch', 'expired-authorisation', 'missing-account', 'dormant-account', 'account-created', 'unlogged-change', 'telemetry-gap', 'pull-failed', 'host-key-changed'];
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
const STATUSES = ['open', 'open', 'open', 'acknowledged', 'accepted', 'resolved'];


const device = (i: number): string => `sw-${String(i).padStart(4, '0')}.dc${i % 7}`;
const actor = (i: number): string => `user${String(i).padStart(3, '0')}`;

function build(db: Db, now: number): void {
  const r = mulberry32(42);
  const start = now - 90 * DAY;
  const event = db.prepare(
    `INSERT INTO events (kind, action, time, device, platform, actor, actor_address, target, privilege, path, command, raw,
       received_at, transport, source, prev_hash, hash)
     VALUES (?, ?, ?, ?, 'juniper-junos', ?, ?, ?, ?, 'cli', ?, ?, ?, 'tcp', '192.0.2.1', ?, ?)`,
  );
  const hash = Buffer.alloc(32);
  const COMMANDS = ['show running-config', 'configure terminal', 'interface ge-0/0/1 description uplink', 'show interfaces terse', 'set system syslog host 192.0.2.10 any notice', 'show log messages'];
  const BATCH = 50_000;
  for (let done = 0; done < RECORDS; done += BATCH) {
    db.transaction(() => {
      for (let i = done; i < Math.min(RECORDS, done + BATCH); i++) {
        // In time order, as ingest stores them.
        const time = start + Math.floor((i / RECORDS) * 90 * DAY);
        const d = device(Math.floor(r() * DEVICES));
        const a = actor(Math.floor(r() * ACTORS));
        const roll = r();
        const kind = roll < 0.7 ? 'command' : roll < 0.9 ? 'session' : 'account';
        const action = kind === 'command' ? 'command' : kind === 'session' ? 'login' : 'account.create';
        const target = kind === 'account' ? `acct${Math.floor(r() * 5000)}` : null;
        const command = kind === 'command' ? COMMANDS[Math.floor(r() * COMMANDS.length)]! : kind === 'account' ? `set system login user ${target} class super-user` : null;
        const raw = `<29>1 ${new Date(time).toISOString()} ${d} mgd 4242 UI_CMDLINE_READ_LINE [junos@2636 username="${a}" command="${command ?? ''}"]`;
        event.run(kind, action, time, d, a, `10.${i % 250}.${(i >> 8) % 250}.${i % 200}`, target, kind === 'account' ? 'super-user' : null, command, raw, time, hash, hash);
      }
    })();
  }
  const snapshot = db.prepare(`INSERT INTO snapshots (device, platform, taken_at, hash, config, bytes) VALUES (?, 'juniper-junos', ?, ?, ?, ?)`);
  const snapshotIds: Array<[number, number]> = [];
  db.transaction(() => {
    for (let d = 0; d < DEVICES; d++) {
      const base = Array.from({ length: 400 }, (_, k) => `set interfaces ge-0/0/${k} description "port ${k} of ${device(d)}"`).join('\n');
      const a = Number(snapshot.run(device(d), now - 2 * DAY, `a${d}`, `${base}\nset system login user admin class super-user\n`, base.length).lastInsertRowid);
      const b = Number(snapshot.run(device(d), now - DAY, `b${d}`, `${base}\nset system login user admin class super-user\nset system login user acct${d} class super-user\n`, base.length).lastInsertRowid);
      snapshotIds.push([a, b]);
    }
  })();
  // What pulls leave: 20 local accounts per device, present since the first snapshot, and each device's pull state and syslog.
  const account = db.prepare(
    `INSERT INTO accounts (device, name, privilege, roles, credentials, lines, first_seen, last_seen, first_snapshot_id, last_snapshot_id)
     VALUES (?, ?, ?, '[]', '["secret"]', '[]', ?, ?, ?, ?)`,
  );
  const pulled = db.prepare('INSERT INTO pull_state (device, last_attempt, last_success, snapshot_id, failures) VALUES (?, ?, ?, ?, 0)');
  const heard = db.prepare('INSERT INTO device_activity (device, source, first_seen, last_seen) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (let d = 0; d < DEVICES; d++) {
      const [a, b] = snapshotIds[d]!;
      for (let k = 0; k < ACCOUNTS_PER_DEVICE; k++) account.run(device(d), `acct${(d * 7 + k * 13) % 5000}`, k % 5 ? '1' : '15', now - 2 * DAY, now - DAY, a, b);
      pulled.run(device(d), now - DAY, now - DAY, b);
      heard.run(device(d), `192.0.2.${d % 250}`, start, now);
    }
  })();
  const finding = db.prepare(
    `INSERT INTO findings (kind, severity, device, account, status, summary, attribution, evidence, first_seen, last_seen, occurrences, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`,
  );
  const history = db.prepare(`INSERT INTO finding_history (finding_id, at, by, from_status, to_status, reason, severity) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  db.transaction(() => {
    for (let i = 0; i < FINDINGS; i++) {
      const d = i % DEVICES;
      const kind = KINDS[i % KINDS.length]!;
      const severity = SEVERITIES[Math.floor(r() * SEVERITIES.length)]!;
      const status = STATUSES[Math.floor(r() * STATUSES.length)]!;
      const account = `acct${i}`;
      const at = now - Math.floor(r() * 90 * DAY);
      const events = Array.from({ length: 5 }, () => 1 + Math.floor(r() * RECORDS));
      const [a, b] = snapshotIds[d]!;
      const sentence = `${account} (privilege 15) on ${device(d)} created ${new Date(at).toISOString()} by ${actor(i % ACTORS)} from 10.1.2.3 over SSH CLI`;
      const id = Number(finding.run(kind, severity, device(d), account, status, sentence, sentence, JSON.stringify({ events, snapshots: [a, b] }), at, at, at).lastInsertRowid);
      history.run(id, at, 'aaawatch', null, 'open', null, severity);
      if (status !== 'open') history.run(id, at + 3_600_000, actor(i % ACTORS), 'open', status, 'reviewed in the quarterly access review', severity);
    }
  })();
}

interface Timing {
  name: string;
  median: number;
  p95: number;
  n: number;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'aaawatch-bench-web-'));
  const config = configSchema.parse({ store: { path: join(dir, 'aaawatch.db') } });
  config.web.port = 0;
  const db = openDatabase(config.store.path, { cacheMiB: 64 });
  const now = Date.now();
  const t0 = performance.now();
  build(db, now);
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
  const day = (offset: number): string => new Date(now - offset * DAY).toISOString().slice(0, 10);
  // A deep cursor: the findings list 1,000 pages in, as an "Older →" link would carry it.
  const deepFinding = FINDINGS - 50_000;
  const deepEvent = db.prepare('SELECT time, id FROM events ORDER BY time DESC, id DESC LIMIT 1 OFFSET ?').get(Math.floor(RECORDS / 2)) as { time: number; id: number };
  const suites: Array<{ name: string; urls: () => string }> = [
    {
      name: 'findings list',
      urls: () =>
        pick([
          '/findings',
          `/findings?severity=${pick(SEVERITIES)}`,
          `/findings?kind=${pick(KINDS)}&status=open`,
          `/findings?status=any&device=${encodeURIComponent(device(Math.floor(r() * DEVICES)))}`,
          `/findings?account=acct${Math.floor(r() * FINDINGS)}&status=any`,
          `/findings?kind=${pick(KINDS)}&severity=${pick(SEVERITIES)}&status=${pick(['open', 'acknowledged', 'accepted', 'resolved'])}`,
          `/findings?before=${deepFinding}.${deepFinding}`,
        ]),
    },
    { name: 'finding page', urls: () => `/findings/${1 + Math.floor(r() * FINDINGS)}` },
    {
      name: 'audit-trail search',
      urls: () =>
        pick([
          '/audit',
          `/audit?device=${encodeURIComponent(device(Math.floor(r() * DEVICES)))}`,
          `/audit?actor=${actor(Math.floor(r() * ACTORS))}&kind=command`,
          `/audit?target=acct${Math.floor(r() * 5000)}`,
          `/audit?from=${day(40)}&to=${day(39)}`,
          `/audit?device=${encodeURIComponent(device(Math.floor(r() * DEVICES)))}&from=${day(60)}&to=${day(30)}`,
          `/audit?text=${pick(['description', 'syslog host', 'acct42', 'no-such-text-anywhere'])}`,
          `/audit?actor=${actor(Math.floor(r() * ACTORS))}&text=configure`,
          `/audit?before=${deepEvent.time}.${deepEvent.id}`,
        ]),
    },
  ];
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
  const timings: Timing[] = [];
  for (const s of suites) {
    const ms: number[] = [];
    for (let i = 0; i < REQUESTS + 20; i++) {
      const url = s.urls();
      const started = performance.now();
      const res = await fetch(`${web.url}${url}`, { headers: { cookie } });
      await res.arrayBuffer();
      const took = performance.now() - started;
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
      if (i >= 20) ms.push(took);
    }
    timings.push({ name: s.name, median: median(ms), p95: percentile(ms, 95), n: ms.length });
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
