// Names longer than a PostgreSQL index entry holds (about 2.7 KB): a syslog line naming a 10 KB
// account, by a 10 KB actor, on a device whose name is 10 KB, must be stored like any other (an
// index holding the whole name failed the insert, and the batch holding it was tried again
// forever), found exactly by every look-up, and raise findings and cases like any other
// (src/store/pg/text-keys.ts). An older store's indexes are rebuilt (src/store/pg/migrate.ts).
// The pages' parity with SQLite over such names: test/store/pg-pages-parity.test.ts.

import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestBatch } from '../../src/store/batch.js';
import { PgBatchWriter } from '../../src/store/pg/batch-writer.js';
import { raiseFindingPg } from '../../src/store/pg/findings.js';
import { createIngestTables } from '../../src/store/pg/migrate.js';
import { PgPullStore } from '../../src/store/pg/pull-store.js';
import { createPullTables } from '../../src/store/pg/pull-tables.js';
import { RECORD_COLUMNS } from '../../src/store/schema/ingest.js';
import { inTransaction } from '../../src/store/pg/transaction.js';
import { verifyChains } from '../../src/store/pg/verify.js';
import { createWebTables, pgAccess, PG_NUMBERS } from '../../src/web/data/pg-access.js';
import { batchesFor, iosCommand } from '../support/ingest-batches.js';
import { postgresAvailable, startPostgres, type ThrowawayPostgres } from '../support/postgres.js';
import { tempDir } from '../support/temp.js';

/** A name of `n` characters that does not compress (an index entry is compressed before it is judged too long). */
const noise = (tag: string, n = 10_000): string => (tag + randomBytes(n).toString('base64').replace(/[+/=]/g, 'x')).slice(0, n);
/** Another name sharing `name`'s first 300 characters: told apart only by the whole name. */
const twin = (name: string, tag: string): string => name.slice(0, 300) + noise(tag, name.length - 300);

/**
 * A stored record line (chain body, tab, arrival) with other names. The parsers cut an actor's and
 * an account's name at 256 characters (parsers/lib/record.ts), but not a device's (an RFC 5424
 * hostname is as long as the sender makes it), and a record need not come through them (native
 * accounting, a parser to come): the store takes what it is given.
 */
function renamed(line: string, names: { device: string; actor: string; target: string }): string {
  const tab = line.indexOf('\t');
  const body = JSON.parse(line.slice(0, tab)) as unknown[];
  for (const [column, name] of Object.entries(names)) {
    const i = RECORD_COLUMNS.indexOf(column as (typeof RECORD_COLUMNS)[number]);
    if (body[i] !== null) body[i] = name;
  }
  return `${JSON.stringify(body)}${line.slice(tab)}`;
}

describe.skipIf(!postgresAvailable())('PostgreSQL: names longer than an index entry', () => {
  let cluster: ThrowawayPostgres;
  let pool: pg.Pool;

  beforeAll(async () => {
    cluster = await startPostgres();
    pool = new pg.Pool({ connectionString: cluster.url, max: 4, types: PG_NUMBERS });
    await createIngestTables(pool);
    await createPullTables(pool);
    await createWebTables(pool);
  });
  afterAll(async () => {
    await pool?.end();
    cluster?.stop();
  });

  it('stores a batch naming a 10 KB device, actor and account, finds exactly their records, and raises their findings and cases', async () => {
    const [actor, account, device] = [noise('a'), noise('t'), noise('d')];
    const [actor2, account2, device2] = [twin(actor, 'b'), twin(account, 'u'), twin(device, 'e')];
    const lines = [1, 2].map((n) => iosCommand(n, `username bob${n} privilege 15 secret 0 Xyz${n}`)).concat(iosCommand(3, 'interface Gi1/0/3'));
    const [batch, ...more] = batchesFor(lines, { dbPath: join(tempDir(), 'pipeline.db') });
    // The traffic counted follows in a batch of its own (src/store/writer.ts, COUNTS_MS).
    expect(more.map((b) => [b.records.length, b.traffic.length])).toEqual([[0, 1]]);
    // Each username line is a command record and an account record; the third, a command.
    expect(batch!.records).toHaveLength(5);
    const names = [{ device, actor, target: account }, { device: device2, actor: actor2, target: account2 }];
    const named: IngestBatch = { ...batch!, records: batch!.records.map((r, i) => (i < 4 ? renamed(r, names[i >> 1]!) : r)) };

    // An index holding the whole name failed this insert ("index row size … exceeds btree version 4 maximum").
    await new PgBatchWriter(pool, 'site-a', 100).write(named);
    const [report, ...others] = await verifyChains(pool);
    expect(others).toEqual([]);
    expect(report).toMatchObject({ collector: 'site-a', ok: true, checked: 5 });

    // The audit trail, by each name: exactly its records, not those of the name sharing its prefix.
    const web = pgAccess(pool);
    const search = async (q: Record<string, string>): Promise<Array<{ actor: string | null; target: string | null; device: string; kind: string }>> =>
      (await web.searchEvents(q, {}, 50)).rows;
    const byActor = await search({ actor });
    expect(byActor.map((r) => [r.kind, r.actor === actor, r.device === device])).toEqual([['account', true, true], ['command', true, true]].sort().reverse().sort());
    expect((await search({ actor: actor2 })).every((r) => r.actor === actor2)).toBe(true);
    expect(await search({ actor: actor.slice(0, 256) })).toEqual([]);
    expect((await search({ device })).map((r) => r.device === device)).toEqual([true, true]);
    expect((await search({ device: device2, target: account2 })).map((r) => [r.kind, r.target === account2])).toEqual([['account', true]]);
    expect(await search({ device, target: account2 })).toEqual([]);
    expect((await search({ target: account })).map((r) => r.kind)).toEqual(['account']);
    expect((await search({ text: 'interface Gi1/0/3' })).map((r) => r.device)).toEqual(['192.0.2.7']);
    // Its page: its last command and account record, found by the name's hash (not the twin's records).
    const { rows: times } = await pool.query<{ time: number }>('SELECT time FROM events WHERE device = $1 ORDER BY id', [device]);
    const page = (await web.device([{ name: device, address: '192.0.2.99', platform: 'cisco-ios', groups: [], pull: false }], device, []))!;
    expect([page.detail.lastCommand, page.detail.lastAccountRecord]).toEqual([times[0]!.time, times[1]!.time]);

    // Findings and cases on the long names: one open finding per kind, device and account, told
    // apart from the twin by the whole names; a repeat refreshes it.
    const raise = (d: string, a: string): Promise<{ created: boolean }> =>
      inTransaction(pool, (c) => raiseFindingPg(c, { kind: 'account-created', severity: 'high', device: d, account: a, summary: 'created', evidence: { events: [] }, at: 1_000 }));
    expect((await raise(device, account)).created).toBe(true);
    expect((await raise(device, account2)).created).toBe(true);
    expect((await raise(device2, account)).created).toBe(true);
    expect((await raise(device, account)).created).toBe(false);
    const { rows: findings } = await pool.query<{ device: string; account: string; occurrences: number }>('SELECT device, account, occurrences FROM findings ORDER BY id');
    expect(findings.map((f) => [f.device === device, f.account === account, f.occurrences])).toEqual([[true, true, 2], [true, false, 1], [false, true, 1]]);
    const cases = await web.listCases({ device }, undefined, 10);
    expect(cases.rows.map((c) => [c.device === device, c.account])).toEqual([account, account2].sort().map((a) => [true, a]));
    expect((await web.listCases({ account }, undefined, 10)).rows.map((c) => c.device)).toEqual([device, device2].sort());
    // A case decided as a whole: its findings alone, not its twin's.
    const [outcome] = await web.decideCases([{ device, account: account2 }], 'acknowledged', { by: 'alice', path: { kind: 'web', user: 'alice' }, reason: 'known', at: 2_000 });
    expect(outcome!.decided).toHaveLength(1);
    expect((await pool.query('SELECT status FROM findings ORDER BY id')).rows.map((r) => r.status)).toEqual(['open', 'acknowledged', 'open']);
    await web.close();
  }, 60_000);

  it('records a pulled configuration naming a 10 KB account, and the next pull finds it present, not new', async () => {
    const store = new PgPullStore(pool, 'site-a');
    const long = noise('pulled');
    const account = { name: long, privilege: '15', roles: [], credentials: [], lines: [`username ${long.slice(0, 40)}…`] };
    const other = { ...account, name: twin(long, 'pulled-twin') };
    const pull = (startedAt: number, hash: string): Promise<unknown> =>
      store.recordSuccess({
        device: 'edge1', platform: 'cisco-ios', startedAt, finishedAt: startedAt + 1, attempts: 1,
        digest: { redacted: 'hostname edge1', hash, accounts: [account, other] },
        hostKey: { type: 'ssh-ed25519', blob: createHash('sha256').update('edge1').digest(), fingerprint: 'SHA256:edge1' },
        keySource: 'tofu',
      });
    await pull(1_000, 'h1');
    await pull(2_000, 'h2');
    const { rows } = await pool.query<{ name: string; removed_at: number | null }>("SELECT name, removed_at FROM accounts WHERE device = 'edge1' ORDER BY id");
    expect(rows.map((r) => [r.name.length, r.name === long, r.removed_at])).toEqual([[10_000, true, null], [10_000, false, null]]);
    const changes = await pool.query<{ change: string }>("SELECT change FROM account_changes WHERE device = 'edge1' ORDER BY id");
    expect(changes.rows.map((r) => r.change)).toEqual(['added', 'added']);
  });

  it('rebuilds an older store\'s indexes of whole names by prefix, and its cases\' key and triggers', async () => {
    await pool.query('CREATE DATABASE older');
    const url = new URL(cluster.url);
    url.pathname = '/older';
    const older = new pg.Pool({ connectionString: url.toString(), max: 2, types: PG_NUMBERS });
    try {
      await createIngestTables(older);
      await createPullTables(older);
      // As the store was before: indexes of whole names, the cases keyed by whole names, the delete trigger of the older name.
      await older.query(`
        DROP INDEX events_actor_prefix; CREATE INDEX events_actor ON events (actor, time);
        DROP INDEX events_account_key_prefix; CREATE INDEX events_account_key ON events (device, target, time, id) INCLUDE (action) WHERE kind = 'account';
        DROP INDEX findings_one_open_digest; CREATE UNIQUE INDEX findings_one_open ON findings (kind, device, account) WHERE status <> 'resolved';
        DROP INDEX finding_cases_key; ALTER TABLE finding_cases ADD PRIMARY KEY (device, account);
        ALTER TRIGGER findings_cases_deleted ON findings RENAME TO findings_cases_delete;
        DROP INDEX accounts_present_digest; CREATE UNIQUE INDEX accounts_present ON accounts (device, name) WHERE removed_at IS NULL;
        DROP INDEX accounts_device_prefix; CREATE INDEX accounts_device ON accounts (device, name);`);
      const long = noise('x');
      const insertLong = (): Promise<unknown> =>
        older.query(
          `INSERT INTO events (collector, seq, kind, action, time, device, platform, actor, target, prev_hash, hash)
           VALUES ('a', 1, 'account', 'account.create', 1, 'sw1', 'cisco-ios', $1, 'bob', '', '')`,
          [long],
        );
      await expect(insertLong()).rejects.toThrow(/index row/);

      await createIngestTables(older);
      await createPullTables(older);
      const indexes = (await older.query<{ relname: string }>("SELECT relname FROM pg_class WHERE relkind = 'i'")).rows.map((r) => r.relname);
      expect(indexes.filter((i) => /prefix|digest|finding_cases_key/.test(i)).sort()).toEqual(expect.arrayContaining(['events_actor_prefix', 'events_account_key_prefix', 'findings_one_open_digest', 'finding_cases_key', 'accounts_present_digest', 'accounts_device_prefix']));
      for (const old of ['events_actor', 'events_account_key', 'findings_one_open', 'finding_cases_pkey', 'accounts_present', 'accounts_device']) expect(indexes).not.toContain(old);
      const triggers = (await older.query<{ tgname: string }>("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname")).rows.map((r) => r.tgname);
      expect(triggers).toEqual(['findings_cases_deleted', 'findings_cases_insert', 'findings_cases_update']);
      // The planner told that a name decides its prefix (text-keys.ts prefixStatistics).
      const statistics = (await older.query<{ stxname: string }>('SELECT stxname FROM pg_statistic_ext')).rows.map((r) => r.stxname);
      expect(statistics).toEqual(expect.arrayContaining(['events_device_prefix_stats', 'events_actor_prefix_stats', 'events_target_prefix_stats', 'findings_account_prefix_stats']));

      await insertLong();
      const raised = await inTransaction(older, (c) =>
        raiseFindingPg(c, { kind: 'unauthorised-account', severity: 'high', device: 'sw1', account: long, summary: 's', evidence: { events: [] }, at: 1 }));
      expect((await older.query('SELECT count(*)::int AS n FROM finding_cases')).rows[0].n).toBe(1);
      await older.query('DELETE FROM findings WHERE id = $1', [raised.id]);
      expect((await older.query('SELECT count(*)::int AS n FROM finding_cases')).rows[0].n).toBe(0);
    } finally {
      await older.end();
    }
  }, 60_000);
});
