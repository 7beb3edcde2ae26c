// The pull store's contract (src/pull/pull-store.ts), run against both engines: a SQLite file and
// a throwaway PostgreSQL cluster. The same outcomes recorded through the same calls must leave the
// same snapshots, accounts, changes, host keys, runs, state and findings, read back with one SQL.

import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Digest } from '../../src/pull/digest.js';
import { HostKeyChanged, PullError } from '../../src/pull/errors.js';
import type { HostKey } from '../../src/pull/hostkeys.js';
import { sqlitePullStore, type PullStore } from '../../src/pull/pull-store.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { createPullTables } from '../../src/store/pg/pull-tables.js';
import { inTransaction, raiseFindingPg } from '../../src/store/pg/findings.js';
import { PgPullStore } from '../../src/store/pg/pull-store.js';
import type { LocalAccount } from '../../src/types.js';
import { postgresAvailable, startPostgres, type ThrowawayPostgres } from '../support/postgres.js';
import { tempDir } from '../support/temp.js';

type Row = Record<string, unknown>;

interface Engine {
  store: PullStore;
  /** Rows of a query written with `?` parameters; integers as numbers on both engines. */
  rows(sql: string, ...args: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

interface EngineKind {
  name: string;
  available: () => boolean;
  open(): Promise<Engine>;
}

let cluster: ThrowawayPostgres | undefined;
let databases = 0;

const ENGINES: EngineKind[] = [
  {
    name: 'sqlite',
    available: () => true,
    open: async () => {
      const db: Db = openDatabase(join(tempDir('aaawatch-pullstore-'), 'a.db'));
      return {
        store: sqlitePullStore(db),
        rows: async (sql, ...args) => db.prepare(sql).all(...args) as Row[],
        close: async () => void db.close(),
      };
    },
  },
  {
    name: 'postgres',
    available: postgresAvailable,
    open: async () => {
      cluster ??= await startPostgres();
      // A database per test: each starts from empty tables.
      const name = `pullstore${++databases}`;
      const admin = new pg.Client({ connectionString: cluster.url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const pool = new pg.Pool({ connectionString: cluster.url.replace(/\/postgres$/, `/${name}`), max: 4 });
      await createPullTables(pool);
      // bigint (oid 20) read as a number, as SQLite's integers are, for this test's reads only.
      const types = { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 ? Number : pg.types.getTypeParser(oid, format)) } as pg.CustomTypesConfig;
      return {
        store: new PgPullStore(pool, 'c1'),
        rows: async (sql, ...args) => {
          let n = 0;
          return (await pool.query<Row>({ text: sql.replace(/\?/g, () => `$${++n}`), values: args, types })).rows;
        },
        close: () => pool.end(),
      };
    },
  },
];

afterAll(() => cluster?.stop());

const key = (seed: string): HostKey => {
  const blob = createHash('sha256').update(seed).digest();
  return { type: 'ssh-ed25519', blob, fingerprint: `SHA256:${blob.toString('base64').replace(/=+$/, '')}` };
};
const account = (name: string, privilege: string, roles: string[] = []): LocalAccount => ({
  name, privilege, roles, credentials: ['secret'], lines: [`username ${name} privilege ${privilege} secret 9 <redacted>`],
});
const digestOf = (accounts: LocalAccount[], text = accounts.map((a) => a.lines[0]).join('\n')): Digest => ({
  redacted: text, hash: createHash('sha256').update(text).digest('hex'), accounts,
});
const success = (at: number, accounts: LocalAccount[], hostKey = key('one')) => ({
  device: 'sw1', platform: 'cisco-ios', startedAt: at - 500, finishedAt: at, attempts: 1, digest: digestOf(accounts), hostKey, keySource: 'tofu' as const,
});
const failure = (at: number, error: PullError) => ({
  device: 'sw1', startedAt: at - 500, finishedAt: at, attempts: 1, error, message: error.message, failuresBeforeFinding: 2,
});

for (const kind of ENGINES) {
  describe.skipIf(!kind.available())(`pull store on ${kind.name}`, () => {
    let e: Engine;
    beforeAll(async () => {
      e = await kind.open();
    });
    afterAll(() => e.close());

    it('records snapshots only when the configuration changed, and every account change between two of them', async () => {
      const first = await e.store.recordSuccess(success(1_000, [account('admin', '15'), account('ops', '5')]));
      expect(first).toEqual({ changed: true, snapshotId: expect.any(Number) as number, accounts: { added: 2, removed: 0, changed: 0 } });
      const same = await e.store.recordSuccess(success(2_000, [account('admin', '15'), account('ops', '5')]));
      expect(same).toEqual({ changed: false, snapshotId: first.snapshotId, accounts: { added: 0, removed: 0, changed: 0 } });
      const third = await e.store.recordSuccess(success(3_000, [account('admin', '15'), account('ops', '15'), account('temp', '1')]));
      expect(third.changed).toBe(true);
      expect(third.accounts).toEqual({ added: 1, removed: 0, changed: 1 });
      const fourth = await e.store.recordSuccess(success(4_000, [account('admin', '15'), account('ops', '15')]));
      expect(fourth.accounts).toEqual({ added: 0, removed: 1, changed: 0 });

      expect(await e.rows('SELECT id, taken_at FROM snapshots ORDER BY id')).toEqual([
        { id: first.snapshotId, taken_at: 1_000 }, { id: third.snapshotId, taken_at: 3_000 }, { id: fourth.snapshotId, taken_at: 4_000 },
      ]);
      expect(await e.rows('SELECT name, change, at, before, after, from_snapshot_id, to_snapshot_id FROM account_changes ORDER BY id')).toEqual([
        { name: 'admin', change: 'added', at: 1_000, before: null, after: '{"privilege":"15","roles":[],"credentials":["secret"]}', from_snapshot_id: null, to_snapshot_id: first.snapshotId },
        { name: 'ops', change: 'added', at: 1_000, before: null, after: '{"privilege":"5","roles":[],"credentials":["secret"]}', from_snapshot_id: null, to_snapshot_id: first.snapshotId },
        {
          name: 'ops', change: 'changed', at: 3_000, before: '{"privilege":"5","roles":[],"credentials":["secret"]}',
          after: '{"privilege":"15","roles":[],"credentials":["secret"]}', from_snapshot_id: first.snapshotId, to_snapshot_id: third.snapshotId,
        },
        { name: 'temp', change: 'added', at: 3_000, before: null, after: '{"privilege":"1","roles":[],"credentials":["secret"]}', from_snapshot_id: first.snapshotId, to_snapshot_id: third.snapshotId },
        { name: 'temp', change: 'removed', at: 4_000, before: '{"privilege":"1","roles":[],"credentials":["secret"]}', after: null, from_snapshot_id: third.snapshotId, to_snapshot_id: fourth.snapshotId },
      ]);
      expect(await e.rows('SELECT name, privilege, first_seen, last_seen, removed_at FROM accounts ORDER BY id')).toEqual([
        { name: 'admin', privilege: '15', first_seen: 1_000, last_seen: 4_000, removed_at: null },
        { name: 'ops', privilege: '15', first_seen: 1_000, last_seen: 4_000, removed_at: null },
        { name: 'temp', privilege: '1', first_seen: 3_000, last_seen: 3_000, removed_at: 4_000 },
      ]);
      expect(await e.rows('SELECT device, last_attempt, last_success, snapshot_id, failures, last_error FROM pull_state')).toEqual([
        { device: 'sw1', last_attempt: 4_000, last_success: 4_000, snapshot_id: fourth.snapshotId, failures: 0, last_error: null },
      ]);
      expect((await e.rows('SELECT outcome FROM pull_runs ORDER BY id')).map((r) => r.outcome)).toEqual(['changed', 'unchanged', 'changed', 'changed']);
      const pinned = await e.store.hostKey('sw1');
      expect(pinned).toMatchObject({ device: 'sw1', source: 'tofu', pinned_at: 1_000, last_seen: 4_000, fingerprint: key('one').fingerprint });
      expect(pinned!.key.equals(key('one').blob)).toBe(true);
      expect(await e.store.lastRunStarted('sw1')).toBe(3_500);
      expect(await e.store.lastRunStarted('nowhere')).toBeUndefined();
    });

    it('counts failures in a row, raises pull-failed once and refreshes it, and keeps a changed key waiting with its finding', async () => {
      const refused = new PullError('connect', `connect ECONNREFUSED; the device said password ${randomBytes(4).toString('hex')}`);
      expect(await e.store.recordFailure(failure(5_000, refused))).toBe(1);
      expect(await e.rows(`SELECT kind FROM findings`)).toEqual([]);
      expect(await e.store.recordFailure(failure(6_000, refused))).toBe(2);
      expect(await e.store.recordFailure(failure(7_000, refused))).toBe(3);
      const runs = await e.rows(`SELECT id FROM pull_runs WHERE outcome = 'failed' ORDER BY id DESC`);
      const [pullFailed] = await e.rows(`SELECT kind, severity, status, occurrences, first_seen, last_seen, evidence FROM findings WHERE kind = 'pull-failed'`);
      expect(pullFailed).toMatchObject({ kind: 'pull-failed', severity: 'medium', status: 'open', occurrences: 2, first_seen: 6_000, last_seen: 7_000 });
      expect((JSON.parse(pullFailed!.evidence as string) as { runs: number[] }).runs.sort()).toEqual(runs.map((r) => r.id).sort());

      const changed = new HostKeyChanged(key('two'), [key('one').fingerprint]);
      expect(await e.store.recordFailure(failure(8_000, changed))).toBe(4);
      expect(await e.rows('SELECT device, fingerprint, first_seen, last_seen FROM host_key_changes')).toEqual([
        { device: 'sw1', fingerprint: key('two').fingerprint, first_seen: 8_000, last_seen: 8_000 },
      ]);
      expect(await e.rows(`SELECT kind, severity, occurrences FROM findings ORDER BY id`)).toEqual([
        { kind: 'pull-failed', severity: 'medium', occurrences: 2 },
        { kind: 'host-key-changed', severity: 'high', occurrences: 1 },
      ]);
      expect(await e.rows(`SELECT to_status, severity, by FROM finding_history ORDER BY id`)).toEqual([
        { to_status: 'open', severity: 'medium', by: 'aaawatch' },
        { to_status: 'open', severity: 'high', by: 'aaawatch' },
      ]);
      expect(await e.rows('SELECT failures FROM pull_state')).toEqual([{ failures: 4 }]);
    });

    it('prunes runs started before a time', async () => {
      expect(await e.store.pruneRuns(3_000)).toBe(3);
      expect((await e.rows('SELECT started_at FROM pull_runs ORDER BY id')).map((r) => r.started_at)).toEqual([3_500, 4_500, 5_500, 6_500, 7_500]);
    });
  });
}

describe.skipIf(!postgresAvailable())('findings raised by several collectors at once (PostgreSQL)', () => {
  it('the same finding raised from many connections at the same moment is one finding, refreshed by the rest', async () => {
    cluster ??= await startPostgres();
    const pools = [0, 1].map(() => new pg.Pool({ connectionString: cluster!.url, max: 10 }));
    await createPullTables(pools[0]!);
    const finding = { kind: 'pull-failed', severity: 'medium' as const, device: 'race1', summary: 'failed', evidence: { runs: [1] }, at: 1 };
    await Promise.all(Array.from({ length: 20 }, (_, i) => inTransaction(pools[i % 2]!, (c) => raiseFindingPg(c, { ...finding, at: i + 1, evidence: { runs: [i] } }))));
    const { rows } = await pools[0]!.query<{ occurrences: string; evidence: string }>(`SELECT occurrences, evidence FROM findings WHERE device = 'race1'`);
    expect(rows).toHaveLength(1);
    expect(Number(rows[0]!.occurrences)).toBe(20);
    // A run list is the latest raiser's (mergeEvidence merges events and snapshots only).
    expect((JSON.parse(rows[0]!.evidence) as { runs: number[] }).runs).toHaveLength(1);
    await Promise.all(pools.map((p) => p.end()));
  });
});
