// The accounts page and the cases list on PostgreSQL against SQLite over the same rows: each
// engine's page, filter by filter, page after page through its cursor, must be the same rows in
// the same order with the same cursor and budget flag. PostgreSQL answers them its own way — the
// population's candidates by a skip scan, the source and findings filters judged in SQL before rows
// are copied, candidates read in chunks sized by the matches (src/web/data/pg-population.ts); the
// cases from a summary a trigger keeps (src/store/schema/findings.ts) — and SQLite's statements
// are the reference. The store is a few hundred accounts over eight devices, made from a seeded
// generator: pulled (some removed, some re-added), syslog-only (created, deleted, grouped, before
// and after the period), missing must-exist accounts, names that sort differently byte-wise and by
// locale, findings of every status and severity; then findings decided, touched, resolved,
// moved, deleted and added, and the cases compared again.

import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCases, type CaseCursor, type CaseQuery } from '../../src/reconcile/cases.js';
import { RosterIndex } from '../../src/reconcile/evaluate.js';
import { PAGE_BUDGET, populationPage, type AccountKey, type PopulationContext, type PopulationFilter, type PopulationPage } from '../../src/reconcile/population.js';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import { scopeTest } from '../../src/report/period.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { createIngestTables } from '../../src/store/pg/migrate.js';
import { RECORD_COLUMNS } from '../../src/store/schema/ingest.js';
import { createPullTables } from '../../src/store/pg/pull-tables.js';
import { deviceHealthPage, type DeviceListPage, type InventoryDevice } from '../../src/web/data/devices.js';
import { searchEvents, TEXT_SCAN_BUDGET, type EventRow } from '../../src/web/data/events.js';
import { createWebTables, numbered, pgAccess, PG_NUMBERS } from '../../src/web/data/pg-access.js';
import type { Direction, Page } from '../../src/web/paging.js';
import { listCasesPg } from '../../src/web/data/pg-cases.js';
import { deviceListPg } from '../../src/web/data/pg-devices.js';
import { nextChunk, populationPagePg } from '../../src/web/data/pg-population.js';
import { postgresAvailable, startPostgres, type ThrowawayPostgres } from '../support/postgres.js';
import { mulberry32 } from '../support/random.js';
import { tempDir } from '../support/temp.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const FROM = NOW - 90 * DAY;
const DEVICES = ['core-1', 'core-2', 'edge 3', 'Sw-4', 'sw-4', 'sw-é5', 'zz-6', 'sw-ü7'];
const NAMES = [
  ...Array.from({ length: 44 }, (_, i) => `acct${i}`), 'Bob', 'bob', 'x y', 'Émile', 'ops', 'bg', 'zed', 'äpfel',
];
// Names longer than a PostgreSQL index entry holds whole (src/store/pg/text-keys.ts: 256
// characters), sharing their first 256 with one another and with one of exactly that length, and
// of 255: as a hostile sender may name devices and accounts in records. Not pulled (the accounts
// table takes the names a device's configuration holds).
const STEM = `ü${'n'.repeat(254)}`;
const LONG_DEVICES = ['sw-4', `${STEM}d`, `${STEM}d${'q'.repeat(5000)}`, `${STEM}${'e'.repeat(3000)}`];
const LONG_NAMES = [STEM, `${STEM}a`, `${STEM}b`, `${STEM}a${'z'.repeat(9000)}`, `${STEM}a${'Z'.repeat(300)}`, `${STEM}a${'z'.repeat(20)}`];
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
const KINDS = ['unauthorised-account', 'account-created', 'unlogged-change', 'dormant-account'];
const STATUSES = ['open', 'open', 'acknowledged', 'accepted', 'resolved'];

/** Statements on both stores, `?` placeholders; rows for both, written in the order given (so the ids match). */
interface Both {
  run(sqlite: string, args: unknown[]): Promise<void>;
  insert(table: string, rows: ReadonlyArray<Record<string, unknown>>): Promise<void>;
}

const HASH = Buffer.from([0]);

/** The same rows on both engines. */
async function fill(both: Both): Promise<void> {
  const r = mulberry32(1729);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const events: Array<Record<string, unknown>> = [];
  const event = (kind: string, action: string, time: number, device: string, actor: string | null, address: string | null, target: string | null, extra: { privilege?: string; grp?: string } = {}): void => {
    events.push({
      kind, action, time, device, platform: 'cisco-ios', actor, actor_address: address, target, privilege: extra.privilege ?? null, grp: extra.grp ?? null, path: 'cli',
      raw: `<189>${action} ${target ?? ''}`, received_at: time, transport: 'udp', prev_hash: HASH, hash: HASH,
    });
  };
  // Pulls: six devices pulled (one whose pull never succeeded), accounts some removed, some re-added.
  const snapshots: Array<Record<string, unknown>> = [];
  const pullState: Array<Record<string, unknown>> = [];
  const runs: Array<Record<string, unknown>> = [];
  const accounts: Array<Record<string, unknown>> = [];
  for (const [i, device] of DEVICES.slice(0, 6).entries()) {
    snapshots.push({ device, platform: i % 2 ? 'cisco-ios' : 'juniper-junos', taken_at: NOW - DAY, hash: `h${i}`, config: 'hostname x', bytes: 10 });
    pullState.push({ device, last_attempt: NOW - DAY, last_success: i === 5 ? null : NOW - DAY, snapshot_id: i + 1, failures: 0 });
    // Earlier runs: successful ones (a syslog-only account made before one and not shown by it is gone at it), a failed one (says nothing).
    if (i !== 5) for (const at of [NOW - 40 * DAY, NOW - 20 * DAY]) runs.push({ device, started_at: at - 60_000, finished_at: at, attempts: 1, outcome: i % 2 ? 'changed' : 'unchanged', snapshot_id: i + 1 });
    runs.push({ device, started_at: NOW - 10 * DAY, finished_at: NOW - 10 * DAY, attempts: 3, outcome: 'failed', failure: 'timeout', error: 'timed out', snapshot_id: null });
    for (const name of NAMES) {
      const roll = r();
      if (roll < 0.45) continue;
      const first = NOW - Math.floor(r() * 200) * DAY;
      const removed = roll < 0.6 ? first + Math.floor(r() * 60) * DAY : null;
      const row = { device, name, credentials: '[]', lines: '[]', first_snapshot_id: i + 1, last_snapshot_id: i + 1 };
      accounts.push({ ...row, privilege: pick(['15', '1', null]), roles: pick(['[]', '["super-user"]']), first_seen: first, last_seen: removed ?? NOW - DAY, removed_at: removed, removed_snapshot_id: removed === null ? null : i + 1 });
      // Removed, then added again: the latest row is what stands.
      if (removed !== null && r() < 0.4) accounts.push({ ...row, privilege: '15', roles: '[]', first_seen: removed + DAY, last_seen: NOW - DAY, removed_at: null, removed_snapshot_id: null });
    }
  }
  // Account records and sign-ins, on every device, some before the period and some after its end.
  for (let n = 0; n < 900; n++) {
    const device = pick(DEVICES);
    const name = pick(NAMES);
    const time = NOW - Math.floor(r() * 150 * DAY) + (r() < 0.05 ? 5 * DAY : 0);
    const actor = pick(['admin', 'ops', 'bob', 'Émile']);
    const roll = r();
    if (roll < 0.4) event('account', 'account.create', time, device, actor, r() < 0.5 ? '10.0.0.9' : null, name, { privilege: pick(['15', '1']) });
    else if (roll < 0.55) event('account', 'account.delete', time, device, actor, null, name);
    else if (roll < 0.65) event('account', 'group.add_member', time, device, actor, null, name, { grp: pick(['wheel', 'ops']) });
    else if (roll < 0.7) event('account', 'group.create', time, device, actor, null, name, { grp: 'wheel' });
    else if (roll < 0.9) event('session', 'login', time, device, name, r() < 0.7 ? '10.0.0.7' : null, null);
    else event('command', 'command', time, device, actor, null, null);
  }
  // Findings on about a third of the accounts and on some devices themselves; a history row for each decided one.
  const findings: Array<Record<string, unknown>> = [];
  const history: Array<Record<string, unknown>> = [];
  for (const device of DEVICES) {
    for (const name of ['', ...NAMES]) {
      if (r() > (name === '' ? 0.25 : 0.3)) continue;
      for (let k = 0, count = 1 + Math.floor(r() * 3); k < count; k++) {
        const status = pick(STATUSES);
        const seen = NOW - Math.floor(r() * 100) * DAY;
        findings.push({
          kind: KINDS[k], severity: pick(SEVERITIES), device, account: name, status, summary: `finding ${findings.length + 1}`, evidence: '{"events":[],"snapshots":[]}',
          first_seen: seen - DAY, last_seen: seen, occurrences: 1, accepted_until: status === 'accepted' ? NOW + DAY : null, updated_at: seen,
        });
        if (status !== 'open') history.push({ finding_id: findings.length, at: seen, by: 'alice', from_status: 'open', to_status: status, reason: 'reviewed' });
      }
    }
  }
  // Long names' account records, sign-ins and findings; the findings of one severity and last seen,
  // so their cases are put in order by their names alone.
  for (const [i, device] of LONG_DEVICES.entries()) {
    for (const [j, name] of LONG_NAMES.entries()) {
      if ((i + j) % 4 === 3) continue;
      const time = NOW - (10 + i * 7 + j) * DAY;
      event('account', 'account.create', time, device, 'admin', null, name, { privilege: '15' });
      if (j % 2 === 0) event('session', 'login', time + DAY, device, name, '10.0.0.7', null);
      findings.push({
        kind: 'account-created', severity: 'high', device, account: name, status: j === 1 ? 'acknowledged' : 'open', summary: `finding ${findings.length + 1}`,
        evidence: '{"events":[],"snapshots":[]}', first_seen: NOW - 20 * DAY, last_seen: NOW - 2 * DAY, occurrences: 1, accepted_until: null, updated_at: NOW - 2 * DAY,
      });
    }
  }
  await both.insert('snapshots', snapshots);
  await both.insert('pull_state', pullState);
  await both.insert('pull_runs', runs);
  await both.insert('accounts', accounts);
  await both.insert('events', events);
  await both.insert('device_activity', DEVICES.map((device) => ({ device, source: '192.0.2.1', first_seen: NOW - 160 * DAY, last_seen: NOW })));
  await both.insert('findings', findings);
  await both.insert('finding_history', history);
}

/**
 * The filters PostgreSQL judges its own way (the source, findings and severity, in SQL) alone and
 * with the others; the roster and type filters run the same code on both (populationRow).
 */
function filters(): Array<[string, PopulationFilter]> {
  return [
    ['everything', {}], ['one device', { device: 'sw-4' }], ['a name part', { account: 'B' }], ['pulled', { source: 'pulled' }], ['syslog', { source: 'syslog' }],
    ['roster', { source: 'roster' }], ['removed', { state: 'removed' }], ['findings open', { findings: 'open' }],
    ['no findings', { findings: 'none' }], ['high and worse', { severity: 'high' }], ['syslog with findings', { source: 'syslog', findings: 'open' }],
    ['pulled on one device, critical', { device: 'core-2', source: 'pulled', severity: 'critical' }],
    ['a long device', { device: LONG_DEVICES[1] }], ['a longer device sharing its prefix', { device: LONG_DEVICES[2] }],
    ['a group in scope, pulled', { scope: scopeTest({ devices: [], groups: ['core'], platforms: [] }), source: 'pulled' }],
  ];
}

/** Every page of one filter, following each page's cursor. */
async function walk(page: (after: AccountKey | undefined) => Promise<PopulationPage>): Promise<PopulationPage[]> {
  const pages: PopulationPage[] = [];
  let after: AccountKey | undefined;
  for (;;) {
    const p = await page(after);
    pages.push(p);
    if (!p.next || pages.length > 200) return pages;
    after = p.next;
  }
}

async function walkCases(page: (after: CaseCursor | undefined) => Promise<{ rows: unknown[]; next?: CaseCursor }>): Promise<unknown[]> {
  const pages: unknown[] = [];
  let after: CaseCursor | undefined;
  for (;;) {
    const p = await page(after);
    pages.push(p);
    if (!p.next || pages.length > 200) return pages;
    after = p.next;
  }
}

const CASE_QUERIES: CaseQuery[] = [
  {}, { severity: 'high' }, { undecided: true }, { kind: 'account-created' }, { device: 'sw-4' }, { account: 'bob' }, { account: '' },
  { severity: 'medium', undecided: true, kind: 'unauthorised-account' }, { device: 'core-1', severity: 'low' },
  { device: LONG_DEVICES[1] }, { account: LONG_NAMES[1] }, { account: LONG_NAMES[3] }, { account: STEM },
];

describe.skipIf(!postgresAvailable())('PostgreSQL pages against SQLite over the same store', () => {
  let cluster: ThrowawayPostgres;
  let pool: pg.Pool;
  let db: Db;
  let both: Both;
  let ctx: PopulationContext;

  beforeAll(async () => {
    cluster = await startPostgres();
    pool = new pg.Pool({ connectionString: cluster.url, max: 2, types: PG_NUMBERS });
    await createIngestTables(pool);
    await createWebTables(pool);
    await createPullTables(pool);
    db = openDatabase(join(tempDir(), 'store.db'));
    both = {
      run: async (sql, args) => {
        db.prepare(sql).run(...args);
        await pool.query(numbered(sql), args);
      },
      insert: async (table, rows) => {
        // PostgreSQL's ingest tables name the collector that wrote each row, and number its records.
        const pgRows: ReadonlyArray<Record<string, unknown>> = table === 'events' ? rows.map((row, i) => ({ ...row, collector: 'a', seq: i + 1 }))
          : table === 'device_activity' || table === 'pull_runs' ? rows.map((row) => ({ ...row, collector: 'a' })) : rows;
        for (const [engine, list] of [['sqlite', rows], ['postgres', pgRows]] as const) {
          const columns = Object.keys(list[0]!);
          for (let i = 0; i < list.length; i += 200) {
            const chunk = list.slice(i, i + 200);
            const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ')}`;
            const args = chunk.flatMap((row) => columns.map((c) => row[c] ?? null));
            if (engine === 'sqlite') db.prepare(sql).run(...args);
            else await pool.query(numbered(sql), args);
          }
        }
      },
    };
    await fill(both);
    // A record whose text held a NUL, as each engine stores one: SQLite keeps the text; PostgreSQL
    // holds U+FFFD there and the exact values in the chain body (src/store/pg/batch-writer.ts).
    const nul = {
      kind: 'account', action: 'account.create', time: NOW - 3 * DAY, device: 'zz-6', platform: 'cisco-ios', actor: 'ad\0min', actor_address: '10.0.0.9',
      target: 'nulrec', privilege: '1\u00005', path: 'cli', raw: '<189>username nulrec', received_at: NOW - 3 * DAY, transport: 'udp', prev_hash: HASH, hash: HASH,
    };
    const columns = Object.keys(nul);
    db.prepare(`INSERT INTO events (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(...Object.values(nul));
    const seq = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n) + 1;
    const body = JSON.stringify(RECORD_COLUMNS.map((c) => (nul as Record<string, unknown>)[c] ?? null));
    const stored = Object.values(nul).map((v) => (typeof v === 'string' ? v.replaceAll('\0', '\uFFFD') : v));
    await pool.query(
      `INSERT INTO events (${columns.join(', ')}, collector, seq, body) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}, 'a', $${columns.length + 1}, $${columns.length + 2})`,
      [...stored, seq, body],
    );
    const roster = parseRosterYaml(
      'accounts:\n  - { name: bg, devices: ["*"], privilege: 15, type: break-glass, owner: Head of Networks, approval: ACC-2 }\n' +
        '  - { name: ops, devices: ["core-*"], privilege: 15, type: shared, owner: NOC, approval: ACC-3 }\n' +
        '  - { name: acct3, devices: ["*"], privilege: 1, type: human, owner: Ann, approval: ACC-4 }\n',
      'roster.yaml',
    );
    ctx = {
      roster: new RosterIndex(roster), dormantDays: 90, from: FROM, to: NOW,
      inventory: new Map(DEVICES.slice(0, 5).map((d, i) => [d, { name: d, platform: i % 2 ? 'cisco-ios' : 'juniper-junos', groups: d.startsWith('core') ? ['core'] : [] }])),
    };
  }, 120_000);
  afterAll(async () => {
    db?.close();
    await pool?.end();
    cluster?.stop();
  });

  /** Both engines' pages of a filter, with the PostgreSQL side in one read-only snapshot per page as the web reads it. */
  const pagesOf = async (f: PopulationFilter, limit: number, budget: number, byteOrder = true): Promise<[PopulationPage[], PopulationPage[]]> => {
    const sqlite = await walk(async (after) => populationPage(db, ctx, f, after, limit, budget));
    const postgres = await walk(async (after) => {
      const c = await pool.connect();
      try {
        await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        return await populationPagePg(c, byteOrder, ctx, f, after, limit, budget);
      } finally {
        await c.query('COMMIT');
        c.release();
      }
    });
    return [sqlite, postgres];
  };

  it('the accounts page: every filter, page by page through the cursors, the same rows, cursors and budget flags', async () => {
    for (const [name, f] of filters()) {
      const [sqlite, postgres] = await pagesOf(f, 100, PAGE_BUDGET);
      expect(postgres, name).toEqual(sqlite);
      const rows = sqlite.flatMap((p) => p.rows);
      expect(rows.length, `${name} matches something`).toBeGreaterThan(0);
      if (name === 'everything') {
        // The store is what the filters need: hundreds of candidates (more than one chunk of 250), every source and state.
        expect(rows.length).toBeGreaterThan(300);
        expect(new Set(rows.map((r) => r.source))).toEqual(new Set(['pulled', 'syslog', 'roster']));
        expect(new Set(rows.map((r) => r.state))).toEqual(new Set(['present', 'removed', 'missing']));
        // The record whose text held a NUL shows its exact values (from its chain body on PostgreSQL).
        expect(rows.find((r) => r.account === 'nulrec')).toMatchObject({ createdBy: 'ad\0min', source: 'syslog' });
        // Syslog-only accounts a later successful pull lacks are removed at that pull (its run, or the pull state's latest success).
        const lacked = rows.filter((r) => r.source === 'syslog' && r.removal?.startsWith('not found at the pull of'));
        expect(new Set(lacked.map((r) => r.removedAt))).toEqual(new Set([NOW - 40 * DAY, NOW - 20 * DAY, NOW - DAY]));
        expect(lacked.every((r) => r.state === 'removed' && r.snapshots.length === 1)).toBe(true);
      }
    }
    // Small pages and a small budget: pages that stop at the budget, cursors mid-device.
    let spent = 0;
    for (const [name, f] of filters().filter(([n]) => ['syslog', 'roster', 'a long device'].includes(n))) {
      const [sqlite, postgres] = await pagesOf(f, 9, 40);
      expect(postgres, `${name}, 9 a page, budget 40`).toEqual(sqlite);
      spent += sqlite.filter((p) => p.budgetSpent).length;
    }
    expect(spent).toBeGreaterThan(0);
    // A database whose collation is not byte-wise: the same pages without the indexes' order.
    for (const [name, f] of filters().filter(([n]) => n === 'syslog')) {
      const [sqlite, postgres] = await pagesOf(f, 100, PAGE_BUDGET, false);
      expect(postgres, `${name}, not byte-wise`).toEqual(sqlite);
    }
  }, 120_000);

  it('reads later chunks as the matches so far say the page needs, within the budget', () => {
    expect(nextChunk(51, 50, 1, 950)).toBe(250);
    expect(nextChunk(51, 1, 49, 950)).toBe(950);
    expect(nextChunk(301, 10, 40, 700)).toBe(700);
    expect(nextChunk(51, 0, 50, 950)).toBe(950);
    expect(nextChunk(1000, 3, 47, 1)).toBe(1);
  });

  it('the devices list: page by page, the pulled devices and the inventory\'s, names byte-wise', async () => {
    const inventory: InventoryDevice[] = [...DEVICES.slice(3), 'aa-never-heard', 'Zz-listed'].map((name) => ({ name, address: '192.0.2.9', platform: 'cisco-ios', groups: [], pull: true }));
    const walkDevices = async (page: (after: string | undefined) => Promise<DeviceListPage>): Promise<DeviceListPage[]> => {
      const pages: DeviceListPage[] = [];
      for (let after: string | undefined; pages.length < 50;) {
        const p = await page(after);
        pages.push(p);
        if (!p.next) break;
        after = p.next;
      }
      return pages;
    };
    const sqlite = await walkDevices(async (after) => deviceHealthPage(db, inventory, after, 3, NOW));
    expect(sqlite.flatMap((p) => p.rows).length).toBe(new Set([...DEVICES.slice(0, 6), ...inventory.map((d) => d.name)]).size);
    expect(await walkDevices((after) => deviceListPg(pool, inventory, after, 3, NOW))).toEqual(sqlite);
  });

  it('the cases list: every filter through its cursors; then after decisions, touches, moves, resolutions, deletions and new findings', async () => {
    const compare = async (when: string): Promise<void> => {
      for (const q of CASE_QUERIES) {
        for (const limit of q === CASE_QUERIES[0] ? [13, 500] : [13]) {
          const sqlite = await walkCases(async (after) => listCases(db, q, after, limit, NOW));
          const postgres = await walkCases((after) => listCasesPg(pool, q, after, limit, NOW));
          expect(postgres, `${when}: ${JSON.stringify(q)}, ${limit} a page`).toEqual(sqlite);
        }
      }
    };
    await compare('as filled');
    expect((await walkCases(async (after) => listCases(db, {}, after, 500, NOW))).length).toBe(1);

    // What reconciliation, pulls and people do to findings, on both engines.
    await both.run(`UPDATE findings SET status = 'acknowledged', updated_at = ? WHERE id % 7 = 0 AND status = 'open'`, [NOW]);
    await both.run(`UPDATE findings SET last_seen = last_seen + ? WHERE id % 3 = 0`, [3 * DAY]);
    await both.run(`UPDATE findings SET status = 'resolved' WHERE id % 5 = 0`, []);
    await both.run(`UPDATE findings SET status = 'open' WHERE id % 11 = 0`, []);
    await both.run(`UPDATE findings SET severity = 'critical', kind = 'telemetry-gap' WHERE id % 13 = 0`, []);
    await both.run(`UPDATE findings SET account = 'moved' || id WHERE id % 17 = 0`, []);
    await both.run(`UPDATE findings SET last_seen = last_seen - ? WHERE id % 19 = 0`, [DAY]);
    await both.run('DELETE FROM finding_history WHERE finding_id % 23 = 0', []);
    await both.run('DELETE FROM findings WHERE id % 23 = 0', []);
    await both.run(
      'INSERT INTO findings (kind, severity, device, account, status, summary, evidence, first_seen, last_seen, occurrences, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)',
      ['account-created', 'critical', 'zz-6', 'newcomer', 'open', 'new', '{"events":[],"snapshots":[]}', NOW, NOW, NOW],
    );
    await compare('after changes');

    // A store whose findings were written before the summary existed: made from them when it is created.
    for (const t of ['insert', 'update', 'deleted']) await pool.query(`DROP TRIGGER findings_cases_${t} ON findings`);
    await pool.query('DROP TABLE finding_cases');
    await both.run(`UPDATE findings SET status = 'accepted' WHERE id % 29 = 0 AND status <> 'resolved'`, []);
    await createWebTables(pool);
    await compare('summary made afresh');
  }, 120_000);

  it('the audit trail by account: page by page, the same records as SQLite whatever kind is asked, on one device or all, long names too', async () => {
    const pgWeb = pgAccess(pool);
    const strip = (p: Page<EventRow>): Page<EventRow> => ({ ...p, rows: p.rows.map(({ collector: _c, ...r }) => r as EventRow) });
    const found = new Map<string, number>();
    // The device with most of acct3's records, and a long device name.
    const busiest = (db.prepare(`SELECT device FROM events WHERE target = 'acct3' GROUP BY device ORDER BY count(*) DESC, device LIMIT 1`).get() as { device: string }).device;
    for (const target of ['acct3', 'bob', LONG_NAMES[3]!, 'no-such-account']) {
      for (const device of [undefined, busiest, LONG_DEVICES[2]!]) {
        for (const kind of [undefined, 'account', 'session', 'command'] as const) {
          const q = { target, ...(device ? { device } : {}), ...(kind ? { kind } : {}) };
          let dir: Direction = {};
          let rows = 0;
          for (let n = 0; n < 3; n++) {
            const sqlite = searchEvents(db, q, dir, 7);
            expect(strip(await pgWeb.searchEvents(q, dir, 7)), `${JSON.stringify(q).slice(0, 120)}, page ${n + 1}`).toEqual(sqlite);
            rows += sqlite.rows.length;
            if (!sqlite.older) break;
            dir = { before: sqlite.older };
          }
          found.set(`${kind ?? 'any'} ${device === undefined ? 'all devices' : device === busiest ? 'one device' : 'long device'} ${target.length > 100 ? 'long' : target}`, rows);
        }
      }
    }
    // The searches compared found records where there are some (more than a page: the cursors were walked), and none of another kind.
    expect(found.get('any all devices acct3')).toBeGreaterThan(7);
    expect(found.get('account all devices acct3')).toBe(found.get('any all devices acct3'));
    expect(found.get('account one device acct3')).toBeGreaterThan(0);
    expect(found.get('any long device long')).toBeGreaterThan(0);
    for (const [name, n] of found) if (/^(session|command) /.test(name) || name.endsWith('no-such-account')) expect(n, name).toBe(0);
    await pgWeb.close();
  }, 120_000);

  it('the audit trail\'s text search: pages, a search that reads its whole budget, and the cursor it leaves', async () => {
    // More records than one search reads (TEXT_SCAN_BUDGET): commands, a few naming what is searched for.
    const more = Array.from({ length: TEXT_SCAN_BUDGET + 500 }, (_, i) => ({
      kind: 'command', action: 'command', time: NOW - 200 * DAY + i * 1000, device: DEVICES[i % DEVICES.length]!, platform: 'cisco-ios',
      actor: i % 7 === 0 ? 'Émile' : 'admin', command: i % 5000 === 17 ? `show needle ${i}` : `interface Gi0/${i}`, path: 'cli', raw: `<189>cmd ${i}`,
      received_at: NOW, transport: 'udp', prev_hash: HASH, hash: HASH,
    }));
    // As another collector's on PostgreSQL (its own chain's numbers), in the same order as SQLite's, so the ids match.
    const columns = Object.keys(more[0]!);
    const insert = db.prepare(`INSERT INTO events (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    db.transaction(() => more.forEach((r) => insert.run(...Object.values(r))))();
    for (let i = 0; i < more.length; i += 1000) {
      const chunk = more.slice(i, i + 1000);
      await pool.query(
        `INSERT INTO events (${columns.join(', ')}, collector, seq)
         SELECT ${columns.map((_, k) => `u.c${k}`).join(', ')}, 'b', ${i} + u.o
           FROM unnest(${columns.map((c, k) => `$${k + 1}::${typeof chunk[0]![c as keyof (typeof chunk)[0]] === 'number' ? 'bigint' : c.endsWith('hash') ? 'bytea' : 'text'}[]`).join(', ')})
           WITH ORDINALITY AS u(${columns.map((_, k) => `c${k}`).join(', ')}, o)`,
        columns.map((c) => chunk.map((r) => r[c as keyof typeof r])),
      );
    }
    const pgWeb = pgAccess(pool);
    const strip = (p: Page<EventRow>): Page<EventRow> => ({ ...p, rows: p.rows.map(({ collector: _c, ...r }) => r as EventRow) });
    // By account alone too: SQLite reads it device by device (no index by target, migration 019), PostgreSQL by its index.
    const byAccount = [{ target: 'acct3' }, { target: 'Bob', kind: 'account' as const }, { target: 'acct7', text: 'CREATE' }, { target: 'no-such-account' }];
    for (const q of [{ text: 'no-such-text' }, { text: 'NEEDLE' }, { text: 'interface' }, { text: 'émile' }, { text: 'needle', device: DEVICES[2]! }, ...byAccount]) {
      // Newest first, page by page through the cursors: each page with its rows and cursors, as SQLite's.
      let dir: Direction = {};
      let spent = 0;
      for (let n = 0; n < 4; n++) {
        const sqlite = searchEvents(db, q, dir, 20);
        expect(strip(await pgWeb.searchEvents(q, dir, 20)), `${JSON.stringify(q)}, page ${n + 1}`).toEqual(sqlite);
        if (sqlite.scannedTo !== undefined) spent++;
        if (!sqlite.older) break;
        dir = { before: sqlite.older };
      }
      if (q.text === 'no-such-text') expect(spent, 'a search matching nothing stops at its budget and goes on from there').toBeGreaterThan(0);
    }
    const acct3 = searchEvents(db, { target: 'acct3' }, {}, 5);
    expect(acct3.rows.length, 'an account named on several devices is found on each').toBe(5);
    expect(new Set(searchEvents(db, { target: 'acct3' }, {}, 1000).rows.map((r) => r.device)).size).toBeGreaterThan(3);
    expect(acct3.rows.every((r) => r.target === 'acct3')).toBe(true);
    const next = searchEvents(db, { target: 'acct3' }, { before: acct3.older! }, 5);
    expect(next.rows[0]!.id).not.toBe(acct3.rows[4]!.id);
    expect((await pgWeb.searchEvents({ target: 'acct3' }, { before: acct3.older! }, 5)).rows.map((r) => r.id)).toEqual(next.rows.map((r) => r.id));
    await pgWeb.close();
  }, 120_000);
});
