// The web's data access (src/web/data/access.ts), one contract for both engines: the same
// fixtures (records made by the real pipeline from syslog lines, written by each engine's store
// writer; users, findings and decisions through the interface) and the same expected results.

import { execFile } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import pg from 'pg';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { configSchema, type Config } from '../../../src/config/schema.js';
import { RosterIndex } from '../../../src/reconcile/evaluate.js';
import { RequestError, TransitionError } from '../../../src/reconcile/lifecycle.js';
import { EARLY_KEYED, sortPopulation } from '../../../src/reconcile/population-order.js';
import type { AccountKey, PopulationContext, PopulationFilter, PopulationRow } from '../../../src/reconcile/population.js';
import { mulberry32 } from '../../support/random.js';
import { parseRosterYaml } from '../../../src/reconcile/roster.js';
import type { FindingRow as StoredFindingRow } from '../../../src/reconcile/findings.js';
import { iso, storedWords } from '../../../src/report/document.js';
import { verifyEvidence } from '../../../src/report/evidence.js';
import { reportJson } from '../../../src/report/formats.js';
import { keyFingerprint, type SigningKey } from '../../../src/report/signing.js';
import type { IngestBatch } from '../../../src/store/batch.js';
import { BatchStore } from '../../../src/store/batch-store.js';
import { openDatabase } from '../../../src/store/db.js';
import { PgBatchWriter } from '../../../src/store/pg/batch-writer.js';
import { createIngestTables } from '../../../src/store/pg/migrate.js';
import type { WebAccess } from '../../../src/web/data/access.js';
import { createWebTables, numbered, PG_NUMBERS, pgAccess } from '../../../src/web/data/pg-access.js';
import { sortedPopulation } from '../../../src/web/accounts.js';
import { createPullTables } from '../../../src/store/pg/pull-tables.js';
import { sqliteAccess } from '../../../src/web/data/sqlite-access.js';
import { cursorText, type Direction } from '../../../src/web/paging.js';
import { activityBody, activityHash, GENESIS } from '../../../src/web/store.js';
import { timeView } from '../../../src/web/time.js';
import { accountsPage } from '../../../src/web/views/accounts.js';
import { casePage, casesPage } from '../../../src/web/views/cases.js';
import { devicePage, devicesPage } from '../../../src/web/views/devices.js';
import { overviewModel, overviewPage } from '../../../src/web/views/overview.js';
import type { InventoryDevice } from '../../../src/web/data/devices.js';
import type { PageContext } from '../../../src/web/views/layout.js';
import { describeEngines, type StoreTarget } from '../../support/engines.js';
import { batchesFor, iosCommand } from '../../support/ingest-batches.js';
import { tempDir } from '../../support/temp.js';
import { requireTool } from '../../support/tools.js';
import { recordChecks, runSteps, steps, type Step } from '../../support/verify-steps.js';

const execFileP = promisify(execFile);
/** What VERIFY.txt's commands need (test/report/evidence runs every one of them on SQLite's pack). */
const VERIFY_TOOLS = ['openssl', 'sha256sum', 'unzip', 'base64', 'bash', 'awk'].every((t) => requireTool(t) !== undefined);

const HOUR = 3_600_000;
/** When the fixture's records were received (the pipeline's clock) and the review's end. */
const RECEIVED = Date.UTC(2026, 10, 21, 22, 10, 5);
const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);

/** Three devices' syslog: IOS commands (one makes the account bob, one carries a password), a login, chatter. */
function fixtureLines(): string[] {
  return [
    iosCommand(1, 'interface Gi1/0/1'),
    iosCommand(2, 'username bob privilege 15 password 0 Cleartext1'),
    iosCommand(3, 'description uplink to core'),
    iosCommand(4, 'username carol privilege 1 secret 0 AnotherSecret2'),
    iosCommand(5, 'no shutdown'),
    '<13>Nov 21 22:10:01 h1 app: chatter',
  ];
}

interface Opened {
  access: WebAccess;
  write(batches: IngestBatch[]): Promise<void>;
  /** PostgreSQL: write as another collector, its own chain beside the first's. */
  writeAs?(collector: string, batches: IngestBatch[]): Promise<void>;
  /** The records' ids with their collector and place in its chain, as the store keeps them (SQLite: none kept). */
  chainPlaces(): Promise<Array<{ id: number; collector: string; seq: number }> | undefined>;
  /** One statement with `?` placeholders, as a pull would leave rows (the pull tables' columns are the same on both engines). */
  sql(text: string, args: unknown[]): Promise<void>;
}

async function open(target: StoreTarget, collector = 'site-a'): Promise<Opened> {
  if (target.kind === 'sqlite') {
    const db = openDatabase(target.path);
    const store = new BatchStore(db, 100);
    return {
      access: sqliteAccess(db, true, () => NOW), write: async (bs) => void bs.forEach((b) => store.write(b)), sql: async (text, args) => void db.prepare(text).run(...args),
      chainPlaces: async () => undefined,
    };
  }
  const pool = new pg.Pool({ connectionString: target.url, max: 4, types: PG_NUMBERS });
  // As connectPool does: a connection dropped while idle is reported by the next query, not as an uncaught error.
  pool.on('error', () => undefined);
  await createIngestTables(pool);
  await createWebTables(pool);
  await createPullTables(pool);
  const writer = new PgBatchWriter(pool, collector, 100);
  const others = new Map<string, PgBatchWriter>();
  return {
    access: pgAccess(pool, true, () => NOW),
    writeAs: async (name, bs) => {
      const w = others.get(name) ?? others.set(name, new PgBatchWriter(pool, name, 100)).get(name)!;
      for (const b of bs) await w.write(b);
    },
    chainPlaces: async () => (await pool.query<{ id: number; collector: string; seq: number }>('SELECT id, collector, seq FROM events ORDER BY id')).rows,
    sql: async (text, args) => void (await pool.query(numbered(text), args)),
    write: async (bs) => {
      for (const b of bs) await writer.write(b);
    },
  };
}

const DAY = 86_400_000;
/** A device name a sender chose: every page shows it escaped. */
const HOSTILE = 'sw<script>alert(1)</script>"\'&';
const HOSTILE_ACCOUNT = '<img src=x onerror=alert(2)>';

const pageContext = (path: string): PageContext => ({ user: { id: 1, name: 'alice', role: 'admin' }, csrf: 'c', time: timeView('UTC'), zone: 'UTC', now: NOW, path });

/** What the renderers made of a device string: escaped, never markup. */
function expectEscaped(page: string): void {
  expect(page).not.toContain('<script>alert(1)');
  expect(page).not.toContain('<img src=x');
  expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
}

/**
 * A device pulled twice as a pull leaves it (the pull tables' columns are the same on both engines;
 * on PostgreSQL the runs name the collector that pulled, site-b): `ops` in both snapshots, `temp`
 * added by the second; its snapshots are ids base + 1 and base + 2.
 */
async function pulled(s: Opened, engine: 'sqlite' | 'postgres', device: string, base = 0, extra: string[] = []): Promise<void> {
  const config = (names: string[]): string => `hostname x\n${names.map((n) => `username ${n} privilege 15 secret 5 <redacted>\n`).join('')}`;
  await s.sql('INSERT INTO snapshots (device, platform, taken_at, hash, config, bytes) VALUES (?, ?, ?, ?, ?, ?)', [device, 'cisco-ios', RECEIVED - 2 * DAY, 'h1', config(['ops']), 60]);
  await s.sql('INSERT INTO snapshots (device, platform, taken_at, hash, config, bytes) VALUES (?, ?, ?, ?, ?, ?)', [device, 'cisco-ios', RECEIVED - DAY, 'h2', config(['ops', 'temp', ...extra]), 120]);
  await s.sql('INSERT INTO pull_state (device, last_attempt, last_success, snapshot_id, failures, last_error) VALUES (?, ?, ?, ?, 0, NULL)', [device, RECEIVED - DAY, RECEIVED - DAY, base + 2]);
  const run = 'INSERT INTO pull_runs (device, started_at, finished_at, attempts, outcome, failure, error, snapshot_id) VALUES (?, ?, ?, 1, ?, NULL, NULL, ?)';
  for (const [at, id] of [[RECEIVED - 2 * DAY, base + 1], [RECEIVED - DAY, base + 2]]) {
    if (engine === 'postgres') await s.sql(run.replace('(device,', '(collector, device,').replace('VALUES (', "VALUES ('site-b', "), [device, at, at, 'changed', id]);
    else await s.sql(run, [device, at, at, 'changed', id]);
  }
  for (const [name, first] of [['ops', 1], ['temp', 2], ...extra.map((n) => [n, 2] as const)] as const) {
    await s.sql(
      'INSERT INTO accounts (device, name, privilege, roles, credentials, lines, first_seen, last_seen, removed_at, first_snapshot_id, last_snapshot_id, removed_snapshot_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, NULL)',
      [device, name, '15', '[]', '["secret"]', '[1]', first === 1 ? RECEIVED - 2 * DAY : RECEIVED - DAY, RECEIVED - DAY, base + first, base + 2],
    );
  }
  await s.sql('INSERT INTO snapshot_audit (snapshot_id, checks) VALUES (?, ?)', [base + 2, JSON.stringify([{ check: 'command accounting to a server', ok: true }, { check: 'logging host', ok: false, detail: 'none' }])]);
}

const finding = (over: Partial<StoredFindingRow>): Omit<StoredFindingRow, 'id'> => ({
  kind: 'unauthorised-account', severity: 'high', device: 'sw1', account: 'bob', status: 'open', summary: 'bob is not on the roster',
  technique: 'T1136', attribution: null, evidence: '{"events":[],"snapshots":[]}', first_seen: RECEIVED, last_seen: RECEIVED,
  occurrences: 1, accepted_until: null, updated_at: RECEIVED, ...over,
});

function testKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), fingerprint: keyFingerprint(publicKey) };
}

describeEngines('web data access', (engine) => {
  let batches: IngestBatch[];
  let store: Opened;
  let config: Config;

  beforeAll(() => {
    batches = batchesFor(fixtureLines(), { dbPath: join(tempDir(), 'pipeline.db'), receivedAt: RECEIVED });
  });
  beforeEach(async () => {
    const target = await engine.fresh();
    store = await open(target);
    config = configSchema.parse({ store: { path: join(tempDir(), 'unused.db') } });
  });
  afterEach(async () => {
    await store.access.close();
  });

  it('users: added once, replaced with their sessions and tokens ended, tokens that expire, removed with both', async () => {
    const a = store.access;
    expect(await a.userCount()).toBe(0);
    expect(await a.saveUser('alice', 'admin', 'scrypt$x', 1000, false)).toBe('added');
    await expect(a.saveUser('alice', 'viewer', 'scrypt$y', 1001, false)).rejects.toThrow(/exists/);
    const alice = (await a.findUser('alice'))!;
    expect(alice).toMatchObject({ name: 'alice', role: 'admin', password: 'scrypt$x', created_at: 1000, updated_at: 1000 });
    expect(typeof alice.id).toBe('number');

    const s = await a.createSession(alice.id, 2000);
    const limits = { idleMs: 10_000, maxMs: 100_000 };
    expect(await a.touchSession(s.id, 5000, limits)).toEqual({ user: { id: alice.id, name: 'alice', role: 'admin' }, csrf: s.csrf, created_at: 2000, last_seen: 2000 });
    expect(await a.touchSession('not-a-session', 5000, limits)).toBeUndefined();
    // Idle past the limit: gone, and stays gone.
    expect(await a.touchSession(s.id, 20_000, limits)).toBeUndefined();
    expect(await a.touchSession(s.id, 5000, limits)).toBeUndefined();

    const token = await a.createToken(alice.id, 'ci', 3000, 50_000);
    expect(token).toMatch(/^aaw_/);
    expect(await a.userByToken(token, 49_999)).toEqual({ id: alice.id, name: 'alice', role: 'admin', token: { id: expect.any(Number), label: 'ci' } });
    expect(await a.userByToken(token, 50_000)).toBeUndefined();
    expect(await a.userByToken(`${token}x`, 4000)).toBeUndefined();
    // A token that ran out names its owner (for the refusal's entry); one still good, or unknown, does not.
    expect(await a.expiredToken(token, 50_000)).toEqual({ user: 'alice', label: 'ci', expiredAt: 50_000 });
    expect(await a.expiredToken(token, 49_999)).toBeUndefined();
    expect(await a.expiredToken(`${token}x`, 60_000)).toBeUndefined();

    const s2 = await a.createSession(alice.id, 30_000);
    expect(await a.listUsers(40_000)).toEqual([{ id: alice.id, name: 'alice', role: 'admin', created_at: 1000, tokens: 1, tokensExpire: 50_000, sessions: 1 }]);
    // A new role or password ends the sessions the old one opened, and the API tokens issued before it.
    expect(await a.saveUser('alice', 'auditor', 'scrypt$z', 31_000, true)).toBe('updated');
    expect(await a.touchSession(s2.id, 31_001, limits)).toBeUndefined();
    expect(await a.userByToken(token, 31_001)).toBeUndefined();
    expect((await a.findUser('alice'))!.role).toBe('auditor');

    const s3 = await a.createSession(alice.id, 32_000);
    expect(await a.pruneSessions(32_000 + 10_001, limits)).toBe(1);
    expect(await a.touchSession(s3.id, 32_001, limits)).toBeUndefined();
    await a.createSession(alice.id, 33_000);
    // A token issued after the replacement works under the new role, and is revoked like any.
    const after = await a.createToken(alice.id, 'ci', 33_000, 50_000);
    expect(await a.userByToken(after, 33_001)).toEqual({ id: alice.id, name: 'alice', role: 'auditor', token: { id: expect.any(Number), label: 'ci' } });
    expect(await a.revokeTokens(alice.id)).toBe(1);
    expect(await a.removeUser('alice')).toBe(true);
    expect(await a.removeUser('alice')).toBe(false);
    expect(await a.userCount()).toBe(0);
    expect(await a.userByToken(token, 4000)).toBeUndefined();
  });

  it('activity log: one hash chain, newest first, paged by id', async () => {
    const a = store.access;
    const entries = Array.from({ length: 5 }, (_, i) => ({ at: 1000 + i, user: i % 2 ? 'bob' : 'alice', address: i === 3 ? null : '192.0.2.1', action: 'login', detail: { n: i } }));
    for (const e of entries) await a.logActivity(e);
    const first = await a.activity({}, 3);
    expect(first.rows.map((r) => r.at)).toEqual([1004, 1003, 1002]);
    expect(first.rows[1]).toMatchObject({ user: 'bob', address: null, action: 'login', detail: '{"n":3}' });
    const older = await a.activity({ before: first.older! }, 3);
    expect(older.rows.map((r) => r.at)).toEqual([1001, 1000]);
    expect(older.older).toBeUndefined();
    const back = await a.activity({ after: older.newer! }, 3);
    expect(back.rows.map((r) => r.at)).toEqual([1004, 1003, 1002]);
    // The same chain an engine-free computation gives.
    let prev: Buffer = GENESIS;
    const expected = entries.map((e) => (prev = activityHash(prev, activityBody(e.at, e.user, e.address, e.action, JSON.stringify(e.detail)))).toString('hex'));
    const all = [...first.rows, ...older.rows].reverse() as unknown as Array<{ hash: Buffer }>;
    expect(all.map((r) => r.hash.toString('hex'))).toEqual(expected);
  });

  it('findings: the same pages in every order, forwards and back', async () => {
    const a = store.access;
    const sev = ['critical', 'high', 'medium', 'low', 'info'] as const;
    const ids: number[] = [];
    for (let i = 0; i < 23; i++) {
      ids.push(await a.insertFinding(finding({
        severity: sev[i % 5], device: `sw${i % 4}`, account: `user${i}`, kind: i % 2 ? 'unauthorised-account' : 'dormant-account',
        status: i % 7 === 0 ? 'resolved' : i % 5 === 1 ? 'acknowledged' : 'open', last_seen: RECEIVED + (i % 6) * HOUR, first_seen: RECEIVED - i * HOUR,
      })));
    }
    const rank = { critical: 4, high: 3, medium: 2, low: 1, info: 0 } as const;
    const all = ids.map((id, i) => ({ id, i, sev: sev[i % 5]!, last: RECEIVED + (i % 6) * HOUR, device: `sw${i % 4}`, resolved: i % 7 === 0 }));
    const unresolved = all.filter((f) => !f.resolved);
    const bySeverity = [...unresolved].sort((x, y) => rank[y.sev] - rank[x.sev] || y.last - x.last || y.id - x.id).map((f) => f.id);
    const byDevice = [...unresolved].sort((x, y) => x.device.localeCompare(y.device) || y.last - x.last || y.id - x.id).map((f) => f.id);

    const walk = async (q: Parameters<WebAccess['listFindings']>[0]): Promise<number[]> => {
      const out: number[] = [];
      let page = await a.listFindings(q, {}, 5);
      out.push(...page.rows.map((r) => r.id));
      while (page.older) {
        page = await a.listFindings(q, { before: page.older }, 5);
        out.push(...page.rows.map((r) => r.id));
      }
      // And back from the last page to the first.
      const back: number[] = [...page.rows.map((r) => r.id)];
      while (page.newer) {
        page = await a.listFindings(q, { after: page.newer }, 5);
        back.unshift(...page.rows.map((r) => r.id));
      }
      expect(back).toEqual(out);
      return out;
    };
    expect(await walk({ status: 'unresolved' })).toEqual(bySeverity);
    // A position naming no finding is stale (the route refuses it), not the first page read as no position.
    const missing = { time: Math.max(...ids) + 1000, id: Math.max(...ids) + 1000 };
    expect(await a.listFindings({ status: 'unresolved' }, { before: missing }, 5)).toEqual({ rows: [], stale: true });
    expect(await a.listFindings({ status: 'unresolved' }, { after: missing }, 5)).toEqual({ rows: [], stale: true });
    expect(await walk({ status: 'unresolved', sort: 'device' })).toEqual(byDevice);
    expect(await walk({ status: 'unresolved', sort: 'device', reverse: true })).toEqual(
      [...unresolved].sort((x, y) => y.device.localeCompare(x.device) || y.last - x.last || y.id - x.id).map((f) => f.id),
    );
    expect(await walk({ status: 'any', sort: 'id' })).toEqual([...ids].reverse());
    expect(await walk({ status: 'resolved', sort: 'id' })).toEqual(all.filter((f) => f.resolved).map((f) => f.id).reverse());
    expect(await walk({ status: 'unresolved', severity: 'high', device: 'sw1' })).toEqual(
      unresolved.filter((f) => f.sev === 'high' && f.device === 'sw1').sort((x, y) => y.last - x.last || y.id - x.id).map((f) => f.id),
    );
    const counts = await a.openFindingCounts();
    expect(counts.reduce((n, c) => n + c.n, 0)).toBe(unresolved.length);
    expect(counts.find((c) => c.kind === 'dormant-account' && c.severity === 'critical' && c.status === 'open')?.n).toBe(
      unresolved.filter((f) => f.i % 2 === 0 && f.sev === 'critical' && f.i % 5 !== 1).length,
    );
  });

  it('decisions: moved with who, when, why and the ticket; what the status does not allow is refused', async () => {
    const a = store.access;
    const id = await a.insertFinding(finding({}));
    await a.decide(id, 'acknowledged', { by: 'alice', path: { kind: 'web', user: 'alice' }, reason: 'looking', at: RECEIVED + 1000 });
    await a.decide(id, 'accepted', { by: 'alice', path: { kind: 'web', user: 'alice' }, reason: 'vendor access', until: RECEIVED + 86_400_000, ticket: 'CHG-1', at: RECEIVED + 2000 });
    expect(await a.getFinding(id)).toMatchObject({ id, status: 'accepted', accepted_until: RECEIVED + 86_400_000, updated_at: RECEIVED + 2000 });
    await a.decide(id, 'resolved', { by: 'bob', path: { kind: 'web', user: 'bob' }, reason: 'removed', at: RECEIVED + 3000 });
    await expect(a.decide(id, 'open', { by: 'bob', path: { kind: 'web', user: 'bob' }, reason: 'again', at: RECEIVED + 4000 })).rejects.toThrow(TransitionError);
    await expect(a.decide(id, 'accepted', { by: 'bob', path: { kind: 'web', user: 'bob' }, reason: 'x', at: RECEIVED + 4000 })).rejects.toThrow(/needs an end/);
    await expect(a.decide(999_999, 'acknowledged', { by: 'bob', path: { kind: 'web', user: 'bob' }, reason: 'x' })).rejects.toThrow(/no finding/);
    expect((await a.findingHistory(id)).map(({ id: _id, ...h }) => h)).toEqual([
      { at: RECEIVED + 1000, by: 'alice', from_status: 'open', to_status: 'acknowledged', reason: 'looking', until: null, severity: 'high', ticket: null, path: 'web', path_user: 'alice', path_token: null },
      { at: RECEIVED + 2000, by: 'alice', from_status: 'acknowledged', to_status: 'accepted', reason: 'vendor access', until: RECEIVED + 86_400_000, severity: 'high', ticket: 'CHG-1', path: 'web', path_user: 'alice', path_token: null },
      { at: RECEIVED + 3000, by: 'bob', from_status: 'accepted', to_status: 'resolved', reason: 'removed', until: null, severity: 'high', ticket: null, path: 'web', path_user: 'bob', path_token: null },
    ]);
    expect(await a.getFinding(id + 1)).toBeUndefined();
  });

  it('decisions: a reason holding NUL, or a ticket a control character, is a malformed request on both engines, and nothing is stored', async () => {
    const a = store.access;
    const id = await a.insertFinding(finding({}));
    const web = { kind: 'web', user: 'alice' } as const;
    await expect(a.decide(id, 'acknowledged', { by: 'alice', path: web, reason: 'looking\u0000 into it', at: RECEIVED + 1000 })).rejects.toThrow(RequestError);
    await expect(a.decide(id, 'acknowledged', { by: 'alice', path: web, reason: 'looking', ticket: 'CHG\t1', at: RECEIVED + 1000 })).rejects.toThrow(RequestError);
    // A state the finding is in is not the asker's mistake: a conflict, not a malformed request.
    await a.decide(id, 'resolved', { by: 'bob', path: web, reason: 'removed', at: RECEIVED + 2000 });
    const refused = await a.decide(id, 'open', { by: 'bob', path: web, reason: 'again', at: RECEIVED + 3000 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TransitionError);
    expect(refused).not.toBeInstanceOf(RequestError);
    expect((await a.findingHistory(id)).map((h) => h.reason)).toEqual(['removed']);
  });

  it('an acceptance that has ended reads as open in every view before anything writes its reopening; a decision on it reopens it first', async () => {
    // asof19: the cases list and page, device health and the overview read the stored status: with
    // serve stopped (or until reconciliation's next look) an acceptance that had run out stood as accepted.
    const a = store.access;
    const ended = await a.insertFinding(finding({ device: 'sw1', account: 'bob', severity: 'critical', status: 'accepted', accepted_until: NOW - HOUR }));
    const standing = await a.insertFinding(finding({ kind: 'account-created', device: 'sw1', account: 'bob', severity: 'medium', status: 'accepted', accepted_until: NOW + DAY }));
    const cases = await a.listCases({}, undefined, 10);
    expect(cases.rows.map((c) => [c.device, c.account, c.severity, c.findings, c.undecided])).toEqual([['sw1', 'bob', 'critical', 2, 1]]);
    expect((await a.listCases({ undecided: true }, undefined, 10)).rows.map((c) => [c.account, c.undecided])).toEqual([['bob', 1]]);
    const ctx: PopulationContext = { roster: undefined, dormantDays: 90, from: NOW - 30 * DAY, to: NOW, inventory: new Map() };
    const kase = (await a.caseModel({ device: 'sw1', account: 'bob' }, ctx))!;
    expect(kase.findings.map((f) => [f.id, f.status, f.acceptedUntil])).toEqual([[ended, 'open', null], [standing, 'accepted', NOW + DAY]]);
    const inventory = [{ name: 'sw1', address: '192.0.2.1', platform: 'cisco-ios', groups: [], pull: false }];
    const health = expect.objectContaining({ device: 'sw1', openFindings: 2, undecidedFindings: 1, worstUndecided: 'critical' });
    expect(await a.allDeviceHealth(inventory)).toEqual([health]);
    expect((await a.deviceList(inventory, undefined, 10)).rows.map((r) => r.health)).toEqual([health]);
    expect((await a.device(inventory, 'sw1', []))!.health).toEqual(health);
    const counts = (await a.openFindingCounts()).map((c) => [c.kind, c.status, Number(c.n)]).sort();
    expect(counts).toEqual([['account-created', 'accepted', 1], ['unauthorised-account', 'open', 1]]);
    expect((await a.listFindings({ status: 'open' }, {}, 10)).rows.map((r) => [r.id, r.status, r.accepted_until])).toEqual([[ended, 'open', null]]);
    expect((await a.listFindings({ status: 'accepted' }, {}, 10)).rows.map((r) => r.id)).toEqual([standing]);
    expect((await a.listFindings({ status: 'unresolved' }, {}, 10)).rows.map((r) => [r.id, r.status])).toEqual([[ended, 'open'], [standing, 'accepted']]);
    expect(await a.getFinding(ended)).toMatchObject({ status: 'open', accepted_until: null });

    // Acknowledging it (as it is shown: open) is taken, after the reopening reconciliation would have written.
    await a.decide(ended, 'acknowledged', { by: 'alice', path: { kind: 'web', user: 'alice' }, reason: 'looking again', at: NOW });
    expect((await a.findingHistory(ended)).map((h) => [h.by, h.from_status, h.to_status])).toEqual([['aaawatch', 'accepted', 'open'], ['alice', 'open', 'acknowledged']]);
    // A case decision alike; one it does not apply to (reopen: it is open already) writes nothing.
    const eve = await a.insertFinding(finding({ device: 'sw2', account: 'eve', status: 'accepted', accepted_until: NOW - HOUR }));
    expect(await a.decideCases([{ device: 'sw2', account: 'eve' }], 'open', { by: 'alice', path: { kind: 'web', user: 'alice' }, reason: 'x', at: NOW })).toEqual([{ device: 'sw2', account: 'eve', decided: [], skipped: [{ id: eve, why: 'already open' }] }]);
    expect(await a.findingHistory(eve)).toEqual([]);
    expect(await a.decideCases([{ device: 'sw2', account: 'eve' }], 'acknowledged', { by: 'alice', path: { kind: 'web', user: 'alice' }, reason: 'x', at: NOW })).toEqual([{ device: 'sw2', account: 'eve', decided: [eve], skipped: [] }]);
    expect((await a.findingHistory(eve)).map((h) => [h.by, h.from_status, h.to_status])).toEqual([['aaawatch', 'accepted', 'open'], ['alice', 'open', 'acknowledged']]);
  });

  it('the findings list sorted by status reads the status as it stands now: an acceptance that has ended sorts as open, paged either way', async () => {
    const a = store.access;
    // Newest first within a status: ack last seen latest, then the ended acceptance, then the standing one.
    const ack = await a.insertFinding(finding({ device: 'sw1', account: 'ack', status: 'acknowledged', last_seen: NOW - 1000 }));
    const ended = await a.insertFinding(finding({ device: 'sw1', account: 'ended', status: 'accepted', accepted_until: NOW - HOUR, last_seen: NOW - 2000 }));
    const standing = await a.insertFinding(finding({ device: 'sw1', account: 'standing', status: 'accepted', accepted_until: NOW + DAY, last_seen: NOW - 3000 }));
    const open = await a.insertFinding(finding({ device: 'sw1', account: 'open', status: 'open', last_seen: NOW - 4000 }));
    const order = [ended, open, ack, standing];
    const list = async (reverse: boolean, limit: number): Promise<Array<[number, string]>> => {
      const out: Array<[number, string]> = [];
      let dir: Direction = {};
      for (;;) {
        const page = await a.listFindings({ status: 'unresolved', sort: 'status', reverse }, dir, limit);
        out.push(...page.rows.map((r): [number, string] => [r.id, r.status]));
        if (!page.older) return out;
        dir = { before: page.older };
      }
    };
    const expected = order.map((id) => [id, id === ack ? 'acknowledged' : id === standing ? 'accepted' : 'open']);
    expect(await list(false, 10)).toEqual(expected);
    expect(await list(false, 1)).toEqual(expected);
    // Reversed, the last status first; ties stay newest first.
    expect((await list(true, 1)).map(([id]) => id)).toEqual([standing, ack, ended, open]);
  });

  it('records: searched by device, kind and text, paged, with their raw messages, and the collector where the store keeps one', async () => {
    await store.write(batches);
    const a = store.access;
    const all = await a.searchEvents({}, {}, 100);
    // Newest first by the device's stamp; an account record follows the command that made it.
    const carol = 'username carol privilege 1 secret 0 <redacted>';
    const bobCmd = 'username bob privilege 15 password 0 <redacted>';
    expect(all.rows.map((r) => [r.kind, r.command, r.target])).toEqual([
      ['command', 'no shutdown', null], ['account', carol, 'carol'], ['command', carol, null], ['command', 'description uplink to core', null],
      ['account', bobCmd, 'bob'], ['command', bobCmd, null], ['command', 'interface Gi1/0/1', null],
    ]);
    expect(all.rows[0]!.time).toBe(Date.UTC(2026, 10, 21, 22, 10, 5, 123));
    expect(JSON.stringify(all.rows)).not.toMatch(/Cleartext1|AnotherSecret2/);
    const collectors = new Set(all.rows.map((r) => r.collector));
    expect([...collectors]).toEqual([engine.kind === 'postgres' ? 'site-a' : undefined]);
    const accounts = await a.searchEvents({ kind: 'account' }, {}, 100);
    expect(accounts.rows.map((r) => r.target)).toEqual(['carol', 'bob']);
    const bob = await a.searchEvents({ text: 'BOB' }, {}, 100);
    expect(bob.rows.map((r) => r.kind).sort()).toEqual(['account', 'command']);
    const first = await a.searchEvents({}, {}, 2);
    const second = await a.searchEvents({}, { before: first.older! }, 2);
    expect([...first.rows, ...second.rows].map((r) => r.id)).toEqual(all.rows.slice(0, 4).map((r) => r.id));
    expect(cursorText(first.older!)).toMatch(/^\d+\.\d+$/);
    const raw = await a.eventsWithRaw([accounts.rows[1]!.id, accounts.rows[0]!.id, 987_654]);
    expect(raw.map((r) => [r.target, r.transport, r.source, r.escaped, r.truncated])).toEqual([['bob', 'udp', '192.0.2.7', 0, 0], ['carol', 'udp', '192.0.2.7', 0, 0]]);
    expect(raw[0]!.raw).toContain('username bob privilege 15 password 0 <redacted>');
    expect(raw[0]!.received_at).toBe(RECEIVED);
  });

  it('text search folds case in every script, as JavaScript does, on both engines', async () => {
    // The Kelvin sign lowers to an ASCII k; Ä to ä.
    await store.write(batchesFor([iosCommand(1, 'description \u212Aelvin-rack ÄDMIN'), iosCommand(2, 'description kelvin-room'), iosCommand(3, 'description other')], { dbPath: join(tempDir(), 'p.db'), receivedAt: RECEIVED }));
    const a = store.access;
    const found = async (text: string): Promise<string[]> => (await a.searchEvents({ text }, {}, 100)).rows.map((r) => r.command!).sort();
    expect(await found('KELVIN')).toEqual(['description kelvin-room', 'description \u212Aelvin-rack ÄDMIN']);
    expect(await found('ädmin')).toEqual(['description \u212Aelvin-rack ÄDMIN']);
    expect(await found('N-RACK')).toEqual(['description \u212Aelvin-rack ÄDMIN']);
    expect(await found('room')).toEqual(['description kelvin-room']);
    expect(await found('nowhere')).toEqual([]);
    const page = await a.searchEvents({ text: 'description' }, {}, 2);
    expect(page.rows).toHaveLength(2);
    expect((await a.searchEvents({ text: 'description' }, { before: page.older! }, 2)).rows.map((r) => r.command)).toEqual(['description \u212Aelvin-rack ÄDMIN']);
  });

  it('overview: counters, records per hour, device health and unverified senders', async () => {
    await store.write(batches);
    const a = store.access;
    const device = (await a.searchEvents({}, {}, 1)).rows[0]!.device;
    await a.insertFinding(finding({ device, severity: 'critical' }));
    const counters = Object.fromEntries((await a.counters()).map((c) => [c.name, c.value]));
    expect(counters['received.udp']).toBe(fixtureLines().length);
    const hours = await a.recordsPerHour(RECEIVED + 30 * 60_000, 3);
    expect(hours.map((h) => h.records)).toEqual([0, 0, 7]);
    expect(hours[2]!.hour).toBe(Math.floor(RECEIVED / HOUR) * HOUR);
    const inventory = [{ name: 'listed-sw', address: '192.0.2.99', platform: 'ios', groups: [], pull: false }];
    const health = await a.allDeviceHealth(inventory);
    expect(health).toEqual([expect.objectContaining({ device: 'listed-sw', inInventory: true, lastSyslog: null, openFindings: 0, pullFailures: 0 })]);
    const unverified = await a.unverifiedSenders(inventory, 10);
    expect(unverified.total).toBeGreaterThanOrEqual(1);
    const row = unverified.rows.find((r) => r.device === device)!;
    expect(row).toMatchObject({ senders: ['192.0.2.7'], records: 7 });
  });

  it('review and evidence pack: the same document and the same cited records on every engine', async () => {
    await store.write(batches);
    const a = store.access;
    const bob = (await a.searchEvents({ kind: 'account', target: 'bob' }, {}, 1)).rows[0]!;
    const id = await a.insertFinding(finding({ device: bob.device, account: 'bob', evidence: JSON.stringify({ events: [bob.id], snapshots: [] }) }));
    await a.decide(id, 'acknowledged', { by: 'alice', path: { kind: 'web', user: 'alice' }, reason: 'asked the owner', at: RECEIVED + 60_000 });
    await a.logActivity({ at: RECEIVED + 60_000, user: 'alice', address: '192.0.2.1', action: 'finding.acknowledge', detail: { finding: id } });
    // A pulled device with one local account, as a pull leaves them.
    await store.sql('INSERT INTO snapshots (device, platform, taken_at, hash, config, bytes) VALUES (?, ?, ?, ?, ?, ?)', ['core-sw9', 'cisco-ios', RECEIVED, 'h1', 'username ops privilege 15 secret 5 <redacted>\n', 48]);
    await store.sql('INSERT INTO pull_state (device, last_attempt, last_success, snapshot_id, failures, last_error) VALUES (?, ?, ?, 1, 0, NULL)', ['core-sw9', RECEIVED, RECEIVED]);
    await store.sql(
      'INSERT INTO accounts (device, name, privilege, roles, credentials, lines, first_seen, last_seen, removed_at, first_snapshot_id, last_snapshot_id, removed_snapshot_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, 1, 1, NULL)',
      ['core-sw9', 'ops', '15', '[]', '["secret"]', '[1]', RECEIVED, RECEIVED],
    );
    const key = testKey();
    const { doc, zip } = await a.review(config, undefined, { now: NOW, by: 'alice (web)', from: RECEIVED - 86_400_000, to: NOW }, async (doc, write) => {
      const parts: Uint8Array[] = [];
      await write('evidence.zip', () => key, (c) => void parts.push(c));
      return { doc, zip: Buffer.concat(parts) };
    });
    expect(doc.rows.map((r) => [r.device, r.account, r.source, r.state])).toEqual([
      [bob.device, 'bob', 'syslog', 'present'], [bob.device, 'carol', 'syslog', 'present'], ['core-sw9', 'ops', 'pulled', 'present'],
    ]);
    expect(doc.rows.find((r) => r.account === 'ops')).toMatchObject({ platform: 'cisco-ios', privilege: 'privilege 15' });
    expect(doc.findings.map((f) => [f.id, f.status, f.decision?.by, f.records])).toEqual([[id, 'acknowledged', 'alice', [bob.id]]]);
    expect(doc.decisions.map((d) => [d.findingId, d.by, d.to, d.reason])).toEqual([[id, 'alice', 'acknowledged', 'asked the owner']]);
    expect(doc.header.sources.find((s) => s.name === 'syslog records')!.rows).toBe(7);
    expect(doc.header.chain.records).toBe(7);
    const head = (await a.searchEvents({}, {}, 100)).rows.sort((x, y) => y.id - x.id)[0]!;
    expect(doc.header.chain.lastId).toBe(head.id);
    expect(doc.header.chain.head).toMatch(/^[0-9a-f]{64}$/);
    if (engine.kind === 'postgres') expect(doc.header.chain.collectors).toEqual([{ collector: 'site-a', records: 7, head: doc.header.chain.head }]);
    else expect(doc.header.chain.collectors).toBeUndefined();
    // What the store holds from when, the same on both engines: a review of a period before it says so, not an empty review alone.
    const firstRecord = iso(Math.min(...(await a.searchEvents({}, {}, 100)).rows.map((r) => r.time)));
    expect(doc.header.stored).toEqual({ firstRecord, firstSnapshot: iso(RECEIVED) });
    const held = `records from ${firstRecord}, configurations from ${iso(RECEIVED)}`;
    const before = `${held}. The period starts earlier: this review holds no record before ${firstRecord} and no pulled configuration before ${iso(RECEIVED)} (not collected yet, or removed by retention)`;
    expect(storedWords(doc.header)).toBe(before);
    const since = await a.review(config, undefined, { now: NOW, by: 'alice (web)', from: RECEIVED, to: NOW }, async (d) => d);
    expect(storedWords(since.header)).toBe(held);
    // A period wholly before what the store holds: empty, and the header says why (PostgreSQL's copy holds none of those rows: the figures are the store's).
    const early = await a.review(config, undefined, { now: NOW, by: 'alice (web)', from: RECEIVED - 10 * DAY, to: RECEIVED - 5 * DAY }, async (d) => d);
    expect(early.rows).toEqual([]);
    expect(early.header.stored).toEqual(doc.header.stored);
    expect(storedWords(early.header)).toBe(before);
    expect((JSON.parse(reportJson(early)) as { header: { stored: unknown } }).header.stored).toEqual(doc.header.stored);

    const checked = verifyEvidence(zip, key.publicKey);
    expect(checked.problems).toEqual([]);
    expect(checked.ok).toBe(true);
    const files = unzipSync(zip);
    const records = Buffer.from(files['records.jsonl']!).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: number; body: string; previousHash: string; hash: string });
    // Each cited record checks as the pack's VERIFY.txt says: SHA-256(previous hash ‖ body).
    for (const r of records) expect(createHash('sha256').update(Buffer.from(r.previousHash, 'hex')).update(r.body).digest('hex')).toBe(r.hash);
    expect(records.map((r) => r.id)).toEqual([...new Set([bob.id, ...doc.rows.flatMap((r) => r.records)])].sort((x, y) => x - y));
    expect(Buffer.from(files['activity.csv']!).toString('utf8')).toContain('finding.acknowledge');
    // The activity log's entries check the same way from activity.jsonl, on either engine's copy.
    const activity = Buffer.from(files['activity.jsonl']!).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { body: string; previousHash: string; hash: string });
    expect(activity.some((e) => e.body.includes('finding.acknowledge'))).toBe(true);
    for (const e of activity) expect(createHash('sha256').update(Buffer.from(e.previousHash, 'hex')).update(e.body).digest('hex')).toBe(e.hash);
  });

  it.skipIf(!VERIFY_TOOLS)("evidence pack: each record names its collector and its place in that collector's chain, and VERIFY.txt's commands check the links (two collectors on PostgreSQL)", async () => {
    // The collectors' writes interleave, so their records' ids do: only (collector, seq) says which chain a record is in.
    for (const b of batches) {
      await store.write([b]);
      await store.writeAs?.('site-b', [b]);
    }
    const a = store.access;
    const all = (await a.searchEvents({}, {}, 100)).rows.map((r) => r.id).sort((x, y) => x - y);
    expect(all.length).toBe(engine.kind === 'postgres' ? 14 : 7);
    await a.insertFinding(finding({ device: 'sw1', account: 'bob', evidence: JSON.stringify({ events: all, snapshots: [] }) }));
    const key = testKey();
    const zip = await a.review(config, undefined, { now: NOW, by: 'alice (web)', from: RECEIVED - DAY, to: NOW }, async (_doc, write) => {
      const parts: Uint8Array[] = [];
      await write('evidence.zip', () => key, (c) => void parts.push(c));
      return Buffer.concat(parts);
    });
    const records = Buffer.from(unzipSync(zip)['records.jsonl']!).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: number; collector: string; seq: number });
    const places = await store.chainPlaces();
    if (places) {
      expect(records.map((r) => [r.id, r.collector, r.seq])).toEqual(places.map((p) => [p.id, p.collector, p.seq]));
      expect(new Set(records.map((r) => r.collector))).toEqual(new Set(['site-a', 'site-b']));
    } else expect(records.every((r) => r.collector === hostname() && r.seq === r.id)).toBe(true);

    // Every command VERIFY.txt gives, run as written where the pack was saved: each prints what it says.
    const verify = Buffer.from(unzipSync(zip)['VERIFY.txt']!).toString('utf8');
    const list = steps(verify);
    const archive = /unzip -q \.\.\/(\S+)$/.exec(list[0]!.command)![1]!;
    const dir = tempDir('aaawatch-pack-');
    writeFileSync(join(dir, archive), zip);
    const { outputs, code } = await runSteps(list, dir);
    expect(code).toBe(0);
    list.forEach((s, i) => {
      if (s.prints.length) expect(outputs[i], s.command).toBe(s.prints.join('\n'));
    });
    const links = list.findIndex((s) => s.command.endsWith('records.jsonl'));
    expect(list[links]!.command).toMatch(/^awk /);
    expect(outputs[links]).toBe('');
    expect(verify).toMatch(/For example, record \d+, position \d+ in the chain of collector \S+ \(the last cited that needs no redaction\):/);
    // A record whose previous hash is not its predecessor's in its own chain is named, with the chain.
    const lines = readFileSync(join(dir, 'pack', 'records.jsonl'), 'utf8').trim().split('\n');
    const last = records.length - 1;
    lines[last] = lines[last]!.replace(/"previousHash":"[0-9a-f]{64}"/, `"previousHash":"${'0'.repeat(64)}"`);
    writeFileSync(join(dir, 'changed.jsonl'), lines.join('\n') + '\n');
    const awk = list[links]!.command.replace(/records\.jsonl$/, '../changed.jsonl');
    expect((await execFileP('bash', ['-c', awk], { cwd: join(dir, 'pack') })).stdout).toBe(`record ${records[last]!.id} does not follow the one before it in the chain of ${records[last]!.collector}\n`);

    // Every record's hash, the records cited and each chain's head, checked by those commands alone (every record is
    // cited here, so each chain's last is its head): a line changed, a record dropped, a head changed are each named.
    const checks = recordChecks(list);
    expect([checks.hashes, checks.cited, checks.links].map((s) => outputs[list.indexOf(s)])).toEqual(['', '', '']);
    const heads = readFileSync(join(dir, 'pack', 'chain-heads.txt'), 'utf8');
    const lastOf = (c: string): { id: number; seq: number } => records.filter((r) => r.collector === c).at(-1)!;
    const collectors = [...new Set(records.map((r) => r.collector))].sort();
    const headLine = (c: string): string => {
      const line = JSON.parse(lines[records.findIndex((r) => r.id === lastOf(c).id)]!) as { seq: number; hash: string };
      return `${line.seq} ${line.hash} ${c}\n`;
    };
    // Restored first: the file the link check was just run against was changed.
    lines[last] = readFileSync(join(dir, 'pack', 'records.jsonl'), 'utf8').trim().split('\n')[last]!;
    expect(heads).toBe(collectors.map(headLine).join(''));
    const printed = async (step: Step, file: string, text: string): Promise<string> => {
      const work = join(dir, 'tampered');
      rmSync(work, { recursive: true, force: true });
      cpSync(join(dir, 'pack'), work, { recursive: true });
      writeFileSync(join(work, file), text);
      return (await execFileP('bash', ['-c', step.command], { cwd: work }).catch((e: { stdout: string }) => e)).stdout;
    };
    const body = lines.map((l, k) => (k === 2 ? l.replace(/"body":"\[\\"/, '"body":"[\\"X') : l));
    expect(body[2]).not.toBe(lines[2]);
    expect(await printed(checks.hashes, 'records.jsonl', body.join('\n') + '\n')).toBe(`record ${records[2]!.id} does not match its hash\n`);
    expect(await printed(checks.cited, 'records.jsonl', lines.filter((_, k) => k !== 1).join('\n') + '\n')).toMatch(new RegExp(`^< ${records[1]!.id}$`, 'm'));
    const other = lastOf(collectors[0]!);
    expect(await printed(checks.links, 'chain-heads.txt', heads.replace(headLine(collectors[0]!).split(' ')[1]!, 'f'.repeat(64))))
      .toBe(`record ${other.id} is at the head of the chain of ${collectors[0]} and is not that head\n`);
  });

  it('devices: the list by name, a pulled device with its accounts, snapshots (and who pulled them), diff and checks, a syslog device with its senders; names escaped', async () => {
    await store.write(batches);
    await pulled(store, engine.kind, HOSTILE);
    const a = store.access;
    const syslogDevice = (await a.searchEvents({}, {}, 1)).rows[0]!.device;
    const inventory = [
      { name: 'a-sw', address: '192.0.2.98', platform: 'arista-eos', groups: [], pull: false },
      { name: 'listed-sw', address: '192.0.2.99', platform: 'cisco-nxos', groups: [], pull: false },
    ];
    const first = await a.deviceList(inventory, undefined, 2);
    expect(first.rows.map((r) => [r.health.device, r.platform, r.health.inInventory])).toEqual([['a-sw', 'arista-eos', true], ['listed-sw', 'cisco-nxos', true]]);
    expect(first.next).toBe('listed-sw');
    const second = await a.deviceList(inventory, first.next, 2);
    expect(second.rows.map((r) => [r.health.device, r.platform, r.health.inInventory, r.health.lastPullSuccess])).toEqual([[HOSTILE, 'cisco-ios', false, RECEIVED - DAY]]);
    expect(second.next).toBeUndefined();

    const view = (await a.device(inventory, HOSTILE, []))!;
    expect(view.detail.accounts.map((x) => x.name)).toEqual(['ops', 'temp']);
    expect(view.detail.snapshots.map((x) => [x.id, x.collector])).toEqual([[2, engine.kind === 'postgres' ? 'site-b' : undefined], [1, engine.kind === 'postgres' ? 'site-b' : undefined]]);
    expect(view.checks).toEqual([{ check: 'command accounting to a server', ok: true }, { check: 'logging host', ok: false, detail: 'none' }]);
    expect(view.diff).toMatchObject({ from: 1, to: 2 });
    expect(view.diff!.text).toContain('+username temp privilege 15 secret 5 <redacted>');
    expect(view.health).toMatchObject({ device: HOSTILE, lastPullSuccess: RECEIVED - DAY, pullFailures: 0 });
    // Pulled, and no records of it: no command nor account record stored (PostgreSQL reads both from indexes of those records alone).
    expect([view.detail.lastCommand, view.detail.lastAccountRecord]).toEqual([null, null]);
    expect(await a.snapshotPair(HOSTILE, [2, 1])).toEqual(view.diff);
    expect(await a.snapshotPair('listed-sw', [1, 2])).toBeUndefined();
    expect(await a.device(inventory, 'nobody-knows-me', [])).toBeUndefined();

    const heard = (await a.device(inventory, syslogDevice, []))!;
    // Not in the inventory: its own health (heard, never pulled), as an unverified sender's page shows it.
    expect(heard.health).toMatchObject({ device: syslogDevice, inInventory: false, syslogSource: '192.0.2.7', lastPullSuccess: null, pullFailures: 0 });
    expect(heard.health!.lastSyslog).not.toBeNull();
    expect(heard.senders.map((x) => [x.source, x.collector])).toEqual([['192.0.2.7', engine.kind === 'postgres' ? 'site-a' : undefined]]);
    expect(heard.detail.lastCommand).toBe(Date.UTC(2026, 10, 21, 22, 10, 5, 123));
    expect(heard.detail.lastAccountRecord).not.toBeNull();

    const events = await a.searchEvents({ device: HOSTILE }, {}, 10);
    const page = devicePage(pageContext('/devices'), {
      name: HOSTILE, inventory: undefined, health: view.health, problems: [], detail: view.detail, checks: view.checks, diff: view.diff!, events, kind: undefined, silentHours: 24, senders: view.senders, unverified: false,
    }).toString();
    expectEscaped(page);
    if (engine.kind === 'postgres') expect(page).toContain('<th scope="col">Pulled by</th>');
    expectEscaped(devicesPage(pageContext('/devices'), second.rows.map((r) => ({ ...r, problems: [] })), undefined, first.next, undefined).toString());
  });

  it('native accounting senders: a proxy\'s NASes and a claim as pairs; names outside the inventory unverified; the device pages and the overview show the pairs', async () => {
    const empty = { records: [], messages: [], hour: Math.floor(RECEIVED / HOUR), traffic: [], rejects: [], unknowns: [], activity: [], counters: [], gauges: [] };
    const row = (source: string, device: string, at: number, accepted: number, named: number, badKey = 0, malformed = 0, reason: string | null = null): NonNullable<IngestBatch['native']>[number] => ({
      transport: 'radius', source, device, first: at, last: at, accepted, lastAccepted: accepted ? at : null, badKey, lastBadKey: badKey ? at : null, refused: 0, named, lastNamed: named ? at : null,
      malformed, lastMalformed: malformed ? at : null, lastMalformedReason: reason,
    });
    await store.write([{
      ...empty,
      native: [
        // One of the proxy's requests for core-sw1 carried a malformed vendor attribute (stored all the same).
        row('10.0.0.100', 'core-sw1', RECEIVED, 2, 0, 0, 1, 'radius-vendor-attribute'), row('10.0.0.100', HOSTILE, RECEIVED + 1, 1, 0),
        row('10.0.0.7', '10.0.0.7', RECEIVED + 2, 1, 0, 3, 1, 'radius-short'), row('10.0.0.7', 'core-sw1', RECEIVED + 3, 0, 2),
        // A sender whose packets never read: listed, and its own page, as a sender with a wrong key only.
        row('10.0.0.8', '10.0.0.8', RECEIVED - 1, 0, 0, 0, 4, `<b>${HOSTILE}`),
      ],
    }]);
    // Added to as batches come: the last malformed packet's time and reason are the latest batch's.
    await store.write([{ ...empty, native: [row('10.0.0.7', '10.0.0.7', RECEIVED + 2, 0, 0, 0, 2, 'radius-bad-attribute')] }]);
    const inventory: InventoryDevice[] = [
      { name: 'core-sw1', address: '192.0.2.12', platform: 'cisco-ios', groups: [], pull: false },
      { name: 'radius-proxy', address: '10.0.0.100', platform: 'linux', groups: [], pull: false },
    ];
    const a = store.access;
    // Devices are the inventory's: the names native accounting carried are unverified senders.
    const health = await a.allDeviceHealth(inventory);
    expect(health.map((h) => [h.device, h.lastNative]).sort()).toEqual([['core-sw1', RECEIVED], ['radius-proxy', null]]);
    const unverified = await a.unverifiedSenders(inventory, 10);
    expect(unverified.total).toBe(2);
    expect(unverified.rows.map((r) => [r.device, r.senders, r.firstSeen, r.lastSeen])).toEqual([['10.0.0.7', ['10.0.0.7'], RECEIVED + 2, RECEIVED + 2], [HOSTILE, ['10.0.0.100'], RECEIVED + 1, RECEIVED + 1]]);
    const native = await a.nativeSenders(10);
    expect(native).toEqual({
      total: 3,
      rows: [
        { transport: 'radius', source: '10.0.0.7', devices: ['core-sw1', '10.0.0.7'], deviceCount: 2, accepted: 1, badKey: 3, named: 2, lastSeen: RECEIVED + 3, malformed: 3, lastMalformed: RECEIVED + 2, lastMalformedReason: 'radius-bad-attribute' },
        { transport: 'radius', source: '10.0.0.100', devices: [HOSTILE, 'core-sw1'], deviceCount: 2, accepted: 3, badKey: 0, named: 0, lastSeen: RECEIVED + 1, malformed: 1, lastMalformed: RECEIVED, lastMalformedReason: 'radius-vendor-attribute' },
        { transport: 'radius', source: '10.0.0.8', devices: ['10.0.0.8'], deviceCount: 1, accepted: 0, badKey: 0, named: 0, lastSeen: RECEIVED - 1, malformed: 4, lastMalformed: RECEIVED - 1, lastMalformedReason: `<b>${HOSTILE}` },
      ],
    });
    const pairs = (v: Awaited<ReturnType<WebAccess['device']>>): unknown[] => v!.detail.native.map((n) => [n.source, n.device, n.accepted, n.named]).sort();
    const core = await a.device(inventory, 'core-sw1', []);
    expect(pairs(core)).toEqual([['10.0.0.100', 'core-sw1', 2, 0], ['10.0.0.7', 'core-sw1', 0, 2]]);
    // The proxy's own page lists the NASes it relayed for; an unverified name's page is its own.
    const proxy = await a.device(inventory, 'radius-proxy', []);
    expect(pairs(proxy)).toEqual([['10.0.0.100', 'core-sw1', 2, 0], ['10.0.0.100', HOSTILE, 1, 0]]);
    const hostile = await a.device(inventory, HOSTILE, []);
    expect(hostile?.unverified).toBe(true);
    const model = (name: string, v: NonNullable<typeof core>, inv: InventoryDevice | undefined) => ({
      name, inventory: inv, health: v.health, problems: [], detail: v.detail, checks: v.checks, events: { rows: [] }, kind: undefined, silentHours: 24, senders: v.senders, unverified: v.unverified,
    });
    const corePage = devicePage(pageContext('/devices'), model('core-sw1', core!, inventory[0])).toString();
    expect(corePage).toContain('native RADIUS accounting from <code>10.0.0.100</code> (a configured proxy for it, or an address in its senders)');
    expect(corePage).toContain('native RADIUS requests naming this device from <code>10.0.0.7</code>');
    const proxyPage = devicePage(pageContext('/devices'), model('radius-proxy', proxy!, inventory[1])).toString();
    expectEscaped(proxyPage);
    expect(proxyPage).toContain("native RADIUS accounting from this device's address for <code>core-sw1</code>");
    // What it relayed for core-sw1 that did not read, on its page and on core-sw1's.
    expect(proxyPage).toMatch(/for <code>core-sw1<\/code>(?: to collector site-a)?<\/td><td><span class="badge st-unknown">n\/a<\/span><\/td><td>2 accepted .*?; <span class="bad">1 malformed<\/span> \(last <time [^>]*>[^<]*<\/time>: <code>radius-vendor-attribute<\/code>\)<\/td>/);
    expect(corePage).toMatch(/from <code>10\.0\.0\.100<\/code> \(a configured proxy for it, or an address in its senders\)(?: to collector site-a)?<\/td><td><span class="badge bad">fail<\/span><\/td><td>2 accepted .*?; <span class="bad">1 malformed<\/span>/);
    expectEscaped(devicePage(pageContext('/devices'), model(HOSTILE, hostile!, undefined)).toString());
    // The sender's own page: its malformed packets beside its wrong keys, the last reason and when; the check fails.
    const sender = await a.device(inventory, '10.0.0.7', []);
    expect(sender!.detail.native.filter((n) => n.device === '10.0.0.7').map((n) => [n.malformed, n.last_malformed, n.last_malformed_reason])).toEqual([[3, RECEIVED + 2, 'radius-bad-attribute']]);
    const senderPage = devicePage(pageContext('/devices'), model('10.0.0.7', sender!, undefined)).toString();
    expect(senderPage).toMatch(/native RADIUS accounting from <code>10\.0\.0\.7<\/code>(?: to collector site-a)?<\/td><td><span class="badge bad">fail<\/span><\/td><td>1 accepted .*; <span class="bad">3 with a wrong key<\/span> .*; <span class="bad">3 malformed<\/span> \(last <time [^>]*>[^<]*<\/time>: <code>radius-bad-attribute<\/code>\)/);
    const never = await a.device(inventory, '10.0.0.8', []);
    expect(never?.unverified).toBe(true);
    const neverPage = devicePage(pageContext('/devices'), model('10.0.0.8', never!, undefined)).toString();
    expectEscaped(neverPage);
    expect(neverPage).toMatch(/<td>0 accepted; <span class="bad">4 malformed<\/span>/);
    const overview = overviewPage(pageContext('/'), overviewModel([], [], [], [], 24, unverified.total, native)).toString();
    expectEscaped(overview);
    expect(overview).toContain('Native accounting senders (3)');
    expect(overview).toMatch(/<code>10\.0\.0\.7<\/code>.*<span class="bad">3<\/span> <small>\(last <time [^>]*>[^<]*<\/time>: <code>radius-bad-attribute<\/code>\)<\/small>/s);
  });

  it('device names: every name the store knows a device by (syslog, native accounting, pulls, findings), each once, for an export\'s scope', async () => {
    const a = store.access;
    expect(await a.deviceNames()).toEqual([]);
    await store.write(batches);
    const empty = { records: [], messages: [], hour: Math.floor(RECEIVED / HOUR), traffic: [], rejects: [], unknowns: [], activity: [], counters: [], gauges: [] };
    const native = { transport: 'radius' as const, source: '10.0.0.100', device: HOSTILE, first: RECEIVED, last: RECEIVED, accepted: 1, lastAccepted: RECEIVED, badKey: 0, lastBadKey: null, refused: 0, named: 0, lastNamed: null, malformed: 0, lastMalformed: null, lastMalformedReason: null };
    await store.write([{ ...empty, native: [native] }]);
    await pulled(store, engine.kind, 'core-sw9');
    await a.insertFinding(finding({ device: 'finding-only', account: 'x' }));
    const syslog = [...new Set(batches.flatMap((b) => b.activity.map((x) => x.device)))];
    expect(syslog.length).toBeGreaterThan(0);
    expect((await a.deviceNames()).sort()).toEqual([...syslog, HOSTILE, 'core-sw9', 'finding-only'].sort());
  });

  it('accounts and cases: the population a page at a time (missing accounts merged in), cases worst first, one case, decisions on many', async () => {
    await store.write(batches);
    await pulled(store, engine.kind, 'core-sw9');
    await pulled(store, engine.kind, HOSTILE, 2, [HOSTILE_ACCOUNT]);
    const a = store.access;
    const bob = (await a.searchEvents({ kind: 'account', target: 'bob' }, {}, 1)).rows[0]!;
    const sender = bob.device;
    const ids = {
      bob: await a.insertFinding(finding({ device: sender, account: 'bob', severity: 'high', evidence: JSON.stringify({ events: [bob.id], snapshots: [] }) })),
      bobCreated: await a.insertFinding(finding({ kind: 'account-created', device: sender, account: 'bob', severity: 'medium', last_seen: RECEIVED + HOUR })),
      bg: await a.insertFinding(finding({ kind: 'missing-account', device: 'core-sw9', account: 'bg', severity: 'critical', summary: 'bg is missing' })),
      hostile: await a.insertFinding(finding({ device: HOSTILE, account: HOSTILE_ACCOUNT, severity: 'low', summary: 'not on the roster' })),
      resolved: await a.insertFinding(finding({ device: 'core-sw9', account: 'ops', status: 'resolved' })),
    };
    const roster = parseRosterYaml('accounts:\n  - { name: bg, devices: ["*"], privilege: 15, type: break-glass, owner: Head of Networks, approval: ACC-2 }\n', 'roster.yaml');
    const ctx: PopulationContext = {
      roster: new RosterIndex(roster), dormantDays: 90, from: RECEIVED - 30 * DAY, to: NOW,
      inventory: new Map([['core-sw9', { name: 'core-sw9', platform: 'cisco-ios', groups: ['core'] }]]),
    };

    // Three pages of two: syslog-only accounts, then the pulled device with its missing break-glass account, then the hostile device.
    const keys: string[][] = [];
    let after: { device: string; account: string } | undefined;
    for (let i = 0; i < 5; i++) {
      const page = await a.populationPage(ctx, {}, after, 2);
      keys.push(...page.rows.map((r) => [r.device, r.account, r.source, r.state, r.rosterMatch]));
      if (!page.next) break;
      after = page.next;
    }
    expect(keys).toEqual([
      [sender, 'bob', 'syslog', 'present', 'not on roster'], [sender, 'carol', 'syslog', 'present', 'not on roster'],
      ['core-sw9', 'bg', 'roster', 'missing', 'missing'], ['core-sw9', 'ops', 'pulled', 'present', 'not on roster'], ['core-sw9', 'temp', 'pulled', 'present', 'not on roster'],
      [HOSTILE, HOSTILE_ACCOUNT, 'pulled', 'present', 'not on roster'], [HOSTILE, 'ops', 'pulled', 'present', 'not on roster'], [HOSTILE, 'temp', 'pulled', 'present', 'not on roster'],
    ]);
    const bobRow = (await a.populationPage(ctx, { account: 'bob' }, undefined, 10)).rows[0]!;
    expect(bobRow).toMatchObject({ createdBy: 'admin', createdAt: bob.time, privilege: 'privilege 15', superuser: true });
    expect(bobRow.findings.map((f) => [f.id, f.kind])).toEqual([[ids.bob, 'unauthorised-account'], [ids.bobCreated, 'account-created']]);
    expect(bobRow.records).toContain(bob.id);
    const opsRow = (await a.populationPage(ctx, { device: 'core-sw9', account: 'ops' }, undefined, 10)).rows[0]!;
    expect(opsRow).toMatchObject({ platform: 'cisco-ios', firstSeen: RECEIVED - 2 * DAY, snapshots: [1, 2] });
    expect((await a.populationPage(ctx, { roster: 'missing' }, undefined, 10)).rows.map((r) => [r.device, r.account])).toEqual([['core-sw9', 'bg']]);
    expect((await a.populationPage(ctx, { findings: 'open', severity: 'high' }, undefined, 10)).rows.map((r) => r.account)).toEqual(['bob', 'bg']);
    // Sorted server-side (the Accounts page's sort=): the worst open finding first, ties by (device, account); turned round.
    const bySeverity = await sortedPopulation(a, ctx, {}, { sort: 'severity', reverse: false }, 100);
    expect(bySeverity.total).toBe(8);
    expect(bySeverity.rows.map((r) => [r.device, r.account])).toEqual([
      ['core-sw9', 'bg'], [sender, 'bob'], [HOSTILE, HOSTILE_ACCOUNT], [sender, 'carol'], ['core-sw9', 'ops'], ['core-sw9', 'temp'], [HOSTILE, 'ops'], [HOSTILE, 'temp'],
    ]);
    expect((await sortedPopulation(a, ctx, { source: 'pulled' }, { sort: 'findings', reverse: true }, 100)).rows.map((r) => [r.device, r.account])).toEqual([
      ['core-sw9', 'ops'], ['core-sw9', 'temp'], [HOSTILE, 'ops'], [HOSTILE, 'temp'], [HOSTILE, HOSTILE_ACCOUNT],
    ]);

    const cases = await a.listCases({}, undefined, 2);
    expect(cases.rows.map((c) => [c.device, c.account, c.severity, c.findings, c.undecided, c.kinds, c.id])).toEqual([
      ['core-sw9', 'bg', 'critical', 1, 1, ['missing-account'], ids.bg], [sender, 'bob', 'high', 2, 2, ['account-created', 'unauthorised-account'], ids.bob],
    ]);
    const rest = await a.listCases({}, cases.next, 2);
    expect(rest.rows.map((c) => [c.device, c.account])).toEqual([[HOSTILE, HOSTILE_ACCOUNT]]);
    expect(rest.next).toBeUndefined();
    expect((await a.listCases({ kind: 'account-created' }, undefined, 10)).rows.map((c) => c.account)).toEqual(['bob']);
    expect((await a.listCases({ severity: 'high', device: sender }, undefined, 10)).rows.map((c) => c.account)).toEqual(['bob']);

    const bobCase = (await a.caseModel({ device: sender, account: 'bob' }, ctx))!;
    expect(bobCase.findings.map((f) => f.id)).toEqual([ids.bob, ids.bobCreated]);
    expect(bobCase.row).toMatchObject({ source: 'syslog', createdBy: 'admin' });
    expect(bobCase.timeline.map((t) => [t.what, t.record])).toEqual([['account.create', bob.id]]);
    expect(bobCase.records.map((r) => [r.id, r.collector])).toEqual([[bob.id, engine.kind === 'postgres' ? 'site-a' : undefined]]);
    const opsCase = (await a.caseModel({ device: 'core-sw9', account: 'ops' }, ctx))!;
    expect(opsCase.findings.map((f) => [f.id, f.status])).toEqual([[ids.resolved, 'resolved']]);
    expect(opsCase.timeline).toEqual([]);
    expect(await a.caseModel({ device: 'core-sw9', account: 'nobody' }, ctx)).toBeUndefined();

    const at = RECEIVED + 2 * HOUR;
    const decided = await a.decideCases([{ device: sender, account: 'bob' }, { device: 'core-sw9', account: 'bg' }], 'acknowledged', { by: 'alice', path: { kind: 'web', user: 'alice' }, reason: 'asked the owners', ticket: 'CHG-9', at });
    expect(decided).toEqual([
      { device: sender, account: 'bob', decided: [ids.bob, ids.bobCreated], skipped: [] },
      { device: 'core-sw9', account: 'bg', decided: [ids.bg], skipped: [] },
    ]);
    expect((await a.findingHistory(ids.bobCreated)).map((h) => [h.by, h.to_status, h.ticket])).toEqual([['alice', 'acknowledged', 'CHG-9']]);
    const again = await a.decideCases([{ device: sender, account: 'bob' }], 'acknowledged', { by: 'bob', path: { kind: 'web', user: 'bob' }, reason: 'again', at: at + 1 });
    expect(again[0]!.skipped).toEqual([{ id: ids.bob, why: 'already acknowledged' }, { id: ids.bobCreated, why: 'already acknowledged' }]);
    // A key without an open case fails the whole decision: the hostile case stays undecided.
    await expect(a.decideCases([{ device: HOSTILE, account: HOSTILE_ACCOUNT }, { device: 'core-sw9', account: 'ops' }], 'resolved', { by: 'alice', path: { kind: 'web', user: 'alice' }, reason: 'x', at })).rejects.toThrow(TransitionError);
    expect((await a.getFinding(ids.hostile))!.status).toBe('open');

    const hostileCase = (await a.caseModel({ device: HOSTILE, account: HOSTILE_ACCOUNT }, ctx))!;
    expect(hostileCase.timeline).toEqual([]);
    expectEscaped(casePage(pageContext('/case'), hostileCase).toString());
    expectEscaped(casesPage(pageContext('/cases'), {}, rest.rows, undefined, true).toString());
    const hostileRows = await a.populationPage(ctx, { device: HOSTILE }, undefined, 10);
    const model = { query: {}, page: hostileRows, paged: false, groups: [], platforms: [], period: { from: ctx.from, to: ctx.to }, problems: [] };
    expectEscaped(accountsPage(pageContext('/accounts'), { ...model, order: { sort: 'device', reverse: false } }).toString());
    expectEscaped(accountsPage(pageContext('/accounts'), {
      ...model, query: { sort: 'severity' }, order: { sort: 'severity', reverse: false }, sorted: { offset: 0, total: hostileRows.rows.length, depth: 10_000, pageSize: 10 },
    }).toString());
  });

  it('a sorted view is sorted over the whole population: a critical row 5,000 rows into device order is first by severity', async () => {
    const a = store.access;
    // 5,200 pulled accounts on one device (the old sort read the first 5,000 in device order and sorted those).
    // Beside the two a pull left (ops and temp, after them in device order).
    await pulled(store, engine.kind, 'bulk-sw');
    const names = Array.from({ length: 5200 }, (_, i) => `acct${String(i).padStart(5, '0')}`);
    for (let i = 0; i < names.length; i += 400) {
      const chunk = names.slice(i, i + 400);
      await store.sql(
        `INSERT INTO accounts (device, name, privilege, roles, credentials, lines, first_seen, last_seen, removed_at, first_snapshot_id, last_snapshot_id, removed_snapshot_id) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, NULL)').join(', ')}`,
        chunk.flatMap((n) => ['bulk-sw', n, '1', '[]', '["secret"]', '[]', RECEIVED - DAY, RECEIVED - DAY, 2, 2]),
      );
    }
    const late = names[5150]!;
    const critical = await a.insertFinding(finding({ device: 'bulk-sw', account: late, severity: 'critical', summary: `${late} has UID 0` }));
    const high = await a.insertFinding(finding({ device: 'bulk-sw', account: names[3]!, severity: 'high' }));
    const ctx: PopulationContext = { roster: undefined, dormantDays: 90, from: RECEIVED - 30 * DAY, to: NOW, inventory: new Map() };
    const first = await sortedPopulation(a, ctx, {}, { sort: 'severity', reverse: false }, 3);
    expect(first.rows.map((r) => [r.account, r.findings.map((f) => f.id)])).toEqual([[late, [critical]], [names[3], [high]], [names[0], []]]);
    expect(first.total).toBe(names.length + 2);
    // Turned round: rows without findings first (device order), the critical one last of all.
    const last = await sortedPopulation(a, ctx, {}, { sort: 'severity', reverse: true }, names.length + 2);
    expect(last.rows.map((r) => r.account).slice(-2)).toEqual([names[3], late]);
    expect(last.rows.map((r) => r.account).slice(0, 2)).toEqual([names[0], names[1]]);
    // Filters apply over the whole population too.
    expect((await sortedPopulation(a, ctx, { findings: 'open' }, { sort: 'findings', reverse: false }, 10)).rows.map((r) => r.account)).toEqual([names[3], late]);
  }, 120_000);

  it('a sorted view that counts the rows it cannot keep (without reading the rest of them) keeps what sorting every whole row keeps, ties and filters included', async () => {
    const a = store.access;
    const r = mulberry32(15);
    // 1,300 pulled accounts on two devices, privileges drawn from three (ties), findings of random severities and statuses on a third of them.
    await pulled(store, engine.kind, 'rand-a');
    await pulled(store, engine.kind, 'rand-b', 2);
    const keys = Array.from({ length: 1300 }, (_, i) => ({ device: i % 2 ? 'rand-a' : 'rand-b', account: `u${String(Math.floor(r() * 900)).padStart(3, '0')}-${i}` }));
    for (let i = 0; i < keys.length; i += 200) {
      const chunk = keys.slice(i, i + 200);
      await store.sql(
        `INSERT INTO accounts (device, name, privilege, roles, credentials, lines, first_seen, last_seen, removed_at, first_snapshot_id, last_snapshot_id, removed_snapshot_id) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, NULL)').join(', ')}`,
        chunk.flatMap((k) => [k.device, k.account, ['1', '7', '15'][Math.floor(r() * 3)]!, '[]', '["secret"]', '[]', RECEIVED - DAY, RECEIVED - DAY, 2, 2]),
      );
    }
    const sev = ['critical', 'high', 'medium', 'low', 'info'] as const;
    const status = ['open', 'open', 'acknowledged', 'resolved'] as const;
    for (const k of keys.filter(() => r() < 0.33)) {
      for (const kind of ['unauthorised-account', 'privilege-mismatch', 'dormant-account'].slice(0, 1 + Math.floor(r() * 3))) {
        await a.insertFinding(finding({ ...k, kind, severity: sev[Math.floor(r() * sev.length)]!, status: status[Math.floor(r() * status.length)]! }));
      }
    }
    const ctx: PopulationContext = { roster: undefined, dormantDays: 90, from: RECEIVED - 30 * DAY, to: NOW, inventory: new Map() };
    const every = async (filter: PopulationFilter): Promise<PopulationRow[]> => {
      const rows: PopulationRow[] = [];
      let after: AccountKey | undefined;
      do {
        const page = await a.populationPage(ctx, filter, after, 400);
        rows.push(...page.rows);
        after = page.next;
      } while (after !== undefined);
      return rows;
    };
    for (const filter of [{}, { findings: 'open' }, { severity: 'medium', source: 'pulled' }] as PopulationFilter[]) {
      const whole = await every(filter);
      for (const sort of EARLY_KEYED) {
        for (const reverse of [false, true]) {
          // 30 kept of ~1,300: the rows after the first merge (500 rows) are counted, not read whole; 700: after 1,000.
          for (const keep of Object.keys(filter).length ? [30] : [30, 700]) {
            const view = await sortedPopulation(a, ctx, filter, { sort, reverse }, keep);
            expect(view.total, `${sort} ${reverse} ${JSON.stringify(filter)}`).toBe(whole.length);
            expect(view.rows, `${sort} ${reverse} ${keep} ${JSON.stringify(filter)}`).toEqual(sortPopulation(whole, sort, reverse).slice(0, keep));
          }
        }
      }
    }
  }, 300_000);
});
