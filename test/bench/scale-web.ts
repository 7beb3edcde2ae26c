// `npm run bench:scale-web`: the web half of issue 17's bench:scale. A throwaway PostgreSQL 15
// cluster (test/support/postgres.ts) filled with BENCH_RECORDS records (default 10,000,000) from
// two collectors (a and b, each its own chain numbering) over 90 days, 2,000 devices and 400
// actors, and BENCH_FINDINGS findings (default 100,000) of every kind and status, each citing five
// records; the rows made by SQL (generate_series, deterministic), the indexes built after, as a
// store grown by ingest would have them. Then the web interface on it (the same express app and
// data access `serve` runs on PostgreSQL, src/web/data/pg-access.ts), a signed-in session, and
// the findings list (filters, a page 1,000 deep), a finding page and audit-trail searches (device,
// actor, account, time range, text, a deep cursor) timed over HTTP as a browser asks for them; then
// the accounts page, cases and devices over 20 pulled accounts per device (as bench:web's store).
// Target: p95 under 150 ms per kind of page.
//
// BENCH_PG_URL=postgres://… runs against a cluster of your own instead of a throwaway one, and
// builds the store there only once: a table `bench_store` remembers the size and the moment it
// was built for, so a second run (other code, same store) starts timing at once. The store is
// made with the schema of the code that built it; the code's own start (createIngestTables,
// createWebTables, createPullTables) then adds what a later schema has, as a grown store gets it.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { configSchema } from '../../src/config/schema.js';
import { createIngestTables } from '../../src/store/pg/migrate.js';
import { createPullTables } from '../../src/store/pg/pull-tables.js';
import { INGEST_TABLES } from '../../src/store/schema/ingest.js';
import { tablesOn } from '../../src/store/schema/table.js';
import { WEB_TABLES } from '../../src/store/schema/web.js';
import { createWebTables, PG_NUMBERS, pgAccess } from '../../src/web/data/pg-access.js';
import { hashPassword } from '../../src/web/passwords.js';
import { startWeb } from '../../src/web/server.js';
import { mulberry32 } from '../support/random.js';
import { startPostgres } from '../support/postgres.js';
import { ACTORS, DAY, DEVICES, KINDS, SEVERITIES, actor, device } from './web-store.js';
import { recordRow } from './record.js';
import { accountPageSuites, pageSuites, timePages } from './web-pages.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 10_000_000);
const FINDINGS = Number(process.env.BENCH_FINDINGS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const TARGET_MS = 150;

const load = (): string => (process.env.BENCH_LOAD ?? '');

/** The store, filled by SQL in the cluster itself: device and actor names as bench:web's (web-store.ts). */
async function build(pool: pg.Pool, now: number): Promise<void> {
  await createIngestTables(pool);
  await createWebTables(pool);
  await createPullTables(pool);
  // Indexes after the rows, as CREATE INDEX over a full table is what a grown store has.
  for (const t of tablesOn('postgres', [...INGEST_TABLES, ...WEB_TABLES])) for (const i of t.indexes) await pool.query(`DROP INDEX IF EXISTS ${i.name}`);
  const start = now - 90 * DAY;
  const devices = `'sw-' || lpad((h % ${DEVICES})::text, 4, '0') || '.dc' || ((h % ${DEVICES}) % 7)`;
  const actors = `'user' || lpad(((h / ${DEVICES}) % ${ACTORS})::text, 3, '0')`;
  const step = 1_000_000;
  for (let from = 1; from <= RECORDS; from += step) {
    const to = Math.min(RECORDS, from + step - 1);
    // h: a deterministic scramble of g (Knuth's multiplicative hash), for devices, actors and kinds.
    await pool.query(
      `INSERT INTO events (collector, seq, kind, action, time, device, platform, actor, actor_address, target, privilege, path, command, raw,
                           received_at, transport, source, prev_hash, hash)
       SELECT CASE WHEN g % 2 = 0 THEN 'a' ELSE 'b' END, (g + 1) / 2,
              k.kind, CASE k.kind WHEN 'command' THEN 'command' WHEN 'session' THEN 'login' ELSE 'account.create' END,
              ${start} + (g::bigint * ${90 * DAY}) / ${RECORDS}, ${devices}, 'juniper-junos', ${actors},
              '10.' || (g % 250) || '.' || ((g >> 8) % 250) || '.' || (g % 200),
              CASE WHEN k.kind = 'account' THEN 'acct' || (h % 5000) END, CASE WHEN k.kind = 'account' THEN 'super-user' END, 'cli',
              CASE k.kind WHEN 'command' THEN (ARRAY['show running-config', 'configure terminal', 'interface ge-0/0/1 description uplink', 'show interfaces terse', 'set system syslog host 192.0.2.10 any notice', 'show log messages'])[1 + (h % 6)]
                          WHEN 'account' THEN 'set system login user acct' || (h % 5000) || ' class super-user' END,
              '<29>1 ' || g || ' mgd 4242 UI_CMDLINE_READ_LINE', ${start} + (g::bigint * ${90 * DAY}) / ${RECORDS}, 'tcp', '192.0.2.1', '\\x00'::bytea, '\\x00'::bytea
         FROM generate_series(${from}::bigint, ${to}::bigint) g
        CROSS JOIN LATERAL (SELECT (g * 2654435761) % 4294967296 AS h) x
        CROSS JOIN LATERAL (SELECT CASE WHEN (h % 10) < 7 THEN 'command' WHEN (h % 10) < 9 THEN 'session' ELSE 'account' END AS kind) k`,
    );
    process.stdout.write(`  ${to.toLocaleString('en-US')} records\r`);
  }
  const r = mulberry32(42);
  const statuses = ['open', 'open', 'open', 'acknowledged', 'accepted', 'resolved'];
  const rows: unknown[][] = [];
  for (let i = 0; i < FINDINGS; i++) {
    const d = i % DEVICES;
    const at = now - Math.floor(r() * 90 * DAY);
    const status = statuses[Math.floor(r() * statuses.length)]!;
    const sentence = `acct${i} (privilege 15) on ${device(d)} created ${new Date(at).toISOString()} by ${actor(i % ACTORS)} from 10.1.2.3 over SSH CLI`;
    rows.push([KINDS[i % KINDS.length], SEVERITIES[Math.floor(r() * SEVERITIES.length)], device(d), `acct${i}`, status, sentence, sentence,
      JSON.stringify({ events: Array.from({ length: 5 }, () => 1 + Math.floor(r() * RECORDS)), snapshots: [] }), at, at, 1, status === 'accepted' ? at + 90 * DAY : null, at]);
  }
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = rows.slice(i, i + 5000);
    const cols = 13;
    await pool.query(
      `INSERT INTO findings (kind, severity, device, account, status, summary, attribution, evidence, first_seen, last_seen, occurrences, accepted_until, updated_at)
       VALUES ${chunk.map((_, j) => `(${Array.from({ length: cols }, (_, c) => `$${j * cols + c + 1}`).join(', ')})`).join(', ')}`,
      chunk.flat(),
    );
  }
  await pool.query(`INSERT INTO finding_history (finding_id, at, by, from_status, to_status, reason, severity)
    SELECT id, first_seen, 'aaawatch', NULL, 'open', NULL, severity FROM findings`);
  await pool.query(`INSERT INTO finding_history (finding_id, at, by, from_status, to_status, reason, severity)
    SELECT id, first_seen + 3600000, 'user' || lpad((id % ${ACTORS})::text, 3, '0'), 'open', status, 'reviewed in the quarterly access review', severity FROM findings WHERE status <> 'open'`);
  // One pull per device a day ago, holding 20 accounts (names the account records also use).
  await pool.query(
    `INSERT INTO snapshots (device, platform, taken_at, hash, config, bytes)
     SELECT 'sw-' || lpad(d::text, 4, '0') || '.dc' || (d % 7), 'juniper-junos', ${now - DAY}, 'h' || d, 'system { }', 10 FROM generate_series(0, ${DEVICES - 1}) d`,
  );
  await pool.query('INSERT INTO pull_state (device, last_attempt, last_success, snapshot_id, failures) SELECT device, taken_at, taken_at, id, 0 FROM snapshots');
  await pool.query(
    `INSERT INTO accounts (device, name, privilege, roles, credentials, lines, first_seen, last_seen, first_snapshot_id, last_snapshot_id)
     SELECT s.device, 'acct' || ((s.id * 20 + a) % 5000), 'super-user', '[]', '["password"]', '[]', ${start}, ${now - DAY}, s.id, s.id
       FROM snapshots s CROSS JOIN generate_series(0, 19) a`,
  );
  await createIngestTables(pool);
  await createWebTables(pool);
  await pool.query('ANALYZE');
}

/** The moment a store of this size was built for in the cluster at BENCH_PG_URL, when it was. */
async function builtBefore(pool: pg.Pool): Promise<number | undefined> {
  await pool.query('CREATE TABLE IF NOT EXISTS bench_store (records bigint NOT NULL, findings bigint NOT NULL, now bigint NOT NULL)');
  const { rows } = await pool.query<{ records: number; findings: number; now: number }>('SELECT records, findings, now FROM bench_store');
  const row = rows[0];
  if (row === undefined) return undefined;
  if (row.records !== RECORDS || row.findings !== FINDINGS) {
    throw new Error(`BENCH_PG_URL holds a store of ${row.records} records and ${row.findings} findings, not ${RECORDS} and ${FINDINGS}: use an empty database`);
  }
  return row.now;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'aaawatch-bench-scale-web-'));
  const own = process.env.BENCH_PG_URL;
  const cluster = own === undefined ? await startPostgres() : undefined;
  const url = own ?? cluster!.url;
  const pool = new pg.Pool({ connectionString: url, max: 4, types: PG_NUMBERS });
  try {
    const before = own === undefined ? undefined : await builtBefore(pool);
    const now = before ?? Date.now();
    if (before === undefined) {
      const t0 = performance.now();
      await build(pool, now);
      if (own !== undefined) await pool.query('INSERT INTO bench_store (records, findings, now) VALUES ($1, $2, $3)', [RECORDS, FINDINGS, now]);
      const buildSeconds = (performance.now() - t0) / 1000;
      const size = (await pool.query<{ s: string }>('SELECT pg_size_pretty(pg_database_size(current_database())) AS s')).rows[0]!.s;
      console.log(`store built: ${RECORDS.toLocaleString('en-US')} records (2 collectors), ${FINDINGS.toLocaleString('en-US')} findings in ${buildSeconds.toFixed(0)} s, ${size}`);
    } else {
      // The code's own start, as serve's: what a later schema adds to a grown store.
      await createIngestTables(pool);
      await createWebTables(pool);
      await createPullTables(pool);
      console.log(`store reused: built ${new Date(now).toISOString()} in ${own}`);
    }

    const config = configSchema.parse({ store: { path: join(dir, 'unused.db'), url }, collector: 'a' });
    config.web.port = 0;
    const access = pgAccess(pool);
    await access.saveUser('bench', 'admin', await hashPassword('bench-password-1'), now, before !== undefined);
    const web = await startWeb(config, access, pino({ level: 'silent' }));
    const form = await fetch(`${web.url}/login`);
    const loginCookie = form.headers.getSetCookie()[0]!.split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const login = await fetch(`${web.url}/login`, {
      method: 'POST', redirect: 'manual',
      headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, user: 'bench', password: 'bench-password-1' }).toString(),
    });
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith('aaawatch_session='))!.split(';')[0]!;

    const deepEvent = (await pool.query<{ time: number; id: number }>('SELECT time, id FROM events ORDER BY time DESC, id DESC LIMIT 1 OFFSET $1', [Math.floor(RECORDS / 2)])).rows[0]!;
    const timings = await timePages(web.url, cookie, pageSuites(mulberry32(7), { now, findings: FINDINGS, deepEvent }), REQUESTS);
    const more = await timePages(web.url, cookie, accountPageSuites(mulberry32(8), { findings: FINDINGS }), REQUESTS);
    await web.close();
    for (const t of [...timings, ...more]) {
      console.log(`${t.name.padEnd(20)} median ${t.median.toFixed(1).padStart(6)} ms   p95 ${t.p95.toFixed(1).padStart(6)} ms   (${t.n} requests; slowest ${t.worst})  ${t.p95 < TARGET_MS ? 'ok' : `OVER the ${TARGET_MS} ms target`}`);
    }
    if (process.env.BENCH_RECORD === '1') {
      recordRow(
        'bench:scale-web — pages on PostgreSQL',
        ['records', 'findings', 'findings list median / p95 (ms)', 'finding page median / p95 (ms)', 'audit search median / p95 (ms)', 'target p95', 'note'],
        [
          RECORDS.toLocaleString('en-US'), FINDINGS.toLocaleString('en-US'),
          ...timings.map((t) => `${t.median.toFixed(1)} / ${t.p95.toFixed(1)}`), `< ${TARGET_MS} ms`, `${RECORDS < 10_000_000 ? 'scaled down; ' : ''}${load()}`,
        ],
        'The web interface as `serve` runs it on PostgreSQL (src/web/data/pg-access.ts), over a throwaway PostgreSQL 15 cluster filled by SQL with records of two collectors over 90 days (2,000 devices, 400 actors) and findings each citing five records; requests over HTTP on loopback with a signed-in session, as bench:web asks them (test/bench/scale-web.ts). The accounts page, cases and devices are printed, not recorded here yet (BENCHMARKS.md says their figures).',
      );
    }
  } finally {
    await pool.end();
    cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
