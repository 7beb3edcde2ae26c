// `aaawatch migrate` (the built command): a SQLite store filled by `aaawatch import` of corpus and
// hostile lines, copied into a throwaway PostgreSQL as one collector; `aaawatch verify` on
// PostgreSQL then passes with the head SQLite's verify ends on, raw bytes and NULs round-trip as
// the PostgreSQL writer keeps them, a second copy is refused, a broken source chain copies nothing,
// and a chain cut by retention keeps its anchor.

import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createPipeline } from '../../src/ingest/service.js';
import type { IngestBatch } from '../../src/store/batch.js';
import { BatchStore } from '../../src/store/batch-store.js';
import { chainBody, type ChainedFields } from '../../src/store/chain.js';
import { openDatabase } from '../../src/store/db.js';
import { PgBatchWriter } from '../../src/store/pg/batch-writer.js';
import { copyFromSqlite } from '../../src/store/pg/copy-from-sqlite.js';
import { createIngestTables } from '../../src/store/pg/migrate.js';
import { pgText } from '../../src/store/pg/multi-insert.js';
import { INGEST_TABLES } from '../../src/store/schema/ingest.js';
import { tablesOn } from '../../src/store/schema/table.js';
import { applyRetention } from '../../src/store/retention.js';
import { verifyChains } from '../../src/store/pg/verify.js';
import { IngestWriter } from '../../src/store/writer.js';
import { corpusPath, REPO } from '../support/corpus.js';
import { iosCommand, iosCommands } from '../support/ingest-batches.js';
import { freePort } from '../support/ports.js';
import { postgresAvailable, startPostgres, type ThrowawayPostgres } from '../support/postgres.js';
import { aaawatch, watch } from '../support/process.js';
import { tempDir } from '../support/temp.js';
import { toolOrSkip } from '../support/tools.js';

const exec = promisify(execFile);

type Row = Record<string, unknown>;

describe.skipIf(!postgresAvailable())('aaawatch migrate into PostgreSQL', () => {
  let cluster: ThrowawayPostgres;
  let pool: pg.Pool;
  let dir: string;
  const env = (): Record<string, string> => ({ AAAWATCH_TEST_PG: cluster.url });
  /** A configuration on a SQLite store of its own (no store.url: the target comes from --to). */
  const sqliteConfig = (name: string): { config: string; db: string } => {
    const db = join(dir, `${name}.db`);
    const config = join(dir, `${name}.yaml`);
    writeFileSync(config, `store:\n  path: ${db}\n  storeAllMessages: true\n`);
    return { config, db };
  };
  /** A configuration whose store.url is the cluster, for `verify` on PostgreSQL. */
  const pgConfig = (collector: string): string => {
    const config = join(dir, `pg-${collector}.yaml`);
    writeFileSync(config, `collector: ${collector}\nstore:\n  path: ${join(dir, 'unused.db')}\n  url: { env: AAAWATCH_TEST_PG }\n`);
    return config;
  };
  const importLines = async (config: string, name: string, lines: Array<string | Buffer>): Promise<void> => {
    const file = join(dir, name);
    writeFileSync(file, Buffer.concat(lines.map((l) => Buffer.concat([Buffer.from(l), Buffer.from('\n')]))));
    const r = await aaawatch(['import', file, '--config', config]);
    expect(r.code, r.stderr).toBe(0);
  };
  const sqliteVerify = async (config: string): Promise<{ checked: number; head: string }> => {
    const r = await aaawatch(['verify', '--json', '--config', config]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    return JSON.parse(r.stdout) as { checked: number; head: string };
  };
  const countsOf = async (collector: string): Promise<Record<string, number>> => {
    const out: Record<string, number> = {};
    for (const t of INGEST_TABLES) {
      const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t.name} WHERE collector = $1`, [collector]);
      out[t.name] = rows[0]!.n;
    }
    return out;
  };

  beforeAll(async () => {
    cluster = await startPostgres();
    pool = new pg.Pool({ connectionString: cluster.url, max: 2 });
    dir = tempDir('aaawatch-migrate-');
  });
  afterAll(async () => {
    await pool?.end();
    cluster?.stop();
  });

  it('copies every table PostgreSQL has, chain intact: verify on PostgreSQL passes with SQLite\'s head; bytes and NULs round-trip', async () => {
    const { config, db: dbPath } = sqliteConfig('site-a');
    const hostile = [
      iosCommand(9001, 'interface Gi1/0/1\u0000nul'),
      Buffer.concat([Buffer.from(iosCommand(9002, 'description caf')), Buffer.from([0xe9, 0xff, 0x5c, 0x00]), Buffer.from(' end')]),
      Buffer.concat([Buffer.from('<13>Nov 21 22:10:01 h1 app: latin '), Buffer.from([0xe9, 0xfe])]),
      '<13>Nov 21 22:10:01 h1 app: chat\u0000ter',
      // What PostgreSQL array literals quote (the copy sends a column's values as one array).
      iosCommand(9003, 'description {a,"b"}\\c NULL \'q\''),
      '<13>Nov 21 22:10:01 h1 app: NULL',
      ...readFileSync(corpusPath('hostile-strings.txt'), 'utf8').split('\n').filter(Boolean).map((h, i) => iosCommand(9100 + i, `description ${h}`)),
    ];
    // Logins: the import moves them into events_by_login, an index of SQLite's own, not data to copy.
    const logins = readFileSync(corpusPath('syslog', 'cisco-ios', 'elastic-test-cisco-ios.log'), 'utf8').split('\n').filter((l) => l.includes('LOGIN_SUCCESS'));
    await importLines(config, 'a.log', [...readFileSync(corpusPath('syslog', 'cisco-ios', 'lab-syslog.log'), 'utf8').split('\n').filter(Boolean), ...iosCommands(1, 4_500, ' a'), ...hostile, ...logins]);
    // The estate: a web user (and the activity log's entry for it).
    const user = await aaawatch(['user', 'add', 'alice', '--role', 'viewer', '--config', config], { AAAWATCH_PASSWORD: 'correct horse battery' });
    expect(user.code, user.stderr).toBe(0);
    const lite = await sqliteVerify(config);
    expect(lite.checked).toBeGreaterThan(4_500);

    const run = await aaawatch(['migrate', '--to', 'env:AAAWATCH_TEST_PG', '--collector', 'site-a', '--config', config], env());
    expect(run.code, run.stderr).toBe(0);
    const db = openDatabase(dbPath);
    // The copied activity log verifies to the head the SQLite store's last entry holds.
    const activityHead = (db.prepare('SELECT hash FROM web_audit ORDER BY id DESC LIMIT 1').pluck().get() as Buffer).toString('hex');
    const sqliteCount = (t: string): number => db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
    const copied = await countsOf('site-a');
    for (const t of INGEST_TABLES.filter((t) => t.name !== 'chain_heads')) {
      expect(copied[t.name], t.name).toBe(sqliteCount(t.name));
      expect(run.stdout).toMatch(new RegExp(`^  ${t.name} +${sqliteCount(t.name)} (records|rows)$`, 'm'));
    }
    expect(sqliteCount('events_by_login')).toBeGreaterThan(0);
    expect(copied.chain_heads).toBe(1);
    expect(copied.messages).toBeGreaterThan(0);
    expect(run.stdout).toContain(`chain: ${lite.checked} records, head ${lite.head}, as the SQLite store's verify ends\n`);
    expect(run.stdout).toMatch(/^  web_users +1 rows$/m);
    // The user's entry and the import's (each import is in the activity log since aud19b).
    expect(run.stdout).toMatch(/^  web_audit +2 rows$/m);
    expect(run.stdout).not.toContain('not copied');

    const verify = await aaawatch(['verify', '--config', pgConfig('site-a')], env());
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toBe(`collector site-a: chain OK, ${lite.checked} records, head ${lite.head}\nactivity log OK: 2 entries chained, head ${activityHead}\n`);

    // Row for row: hashes as SQLite's, raw bytes as SQLite kept them, a NUL record's exact body beside it.
    const liteEvents = db.prepare('SELECT * FROM events ORDER BY id').all() as Row[];
    const pgEvents = (await pool.query("SELECT * FROM events WHERE collector = 'site-a' ORDER BY seq")).rows as Row[];
    expect(pgEvents.map((r) => [(r.hash as Buffer).toString('hex'), r.raw_bytes, r.raw, r.body !== null]))
      .toEqual(liteEvents.map((r) => [(r.hash as Buffer).toString('hex'), r.raw_bytes, pgText(r.raw as string), chainBody(r as unknown as ChainedFields).includes('\\u0000')]));
    // At least the NUL command, and the bytes line, whose NUL is valid UTF-8 so stays a character
    // (the hostile strings may hold more).
    expect(pgEvents.filter((r) => r.body !== null).length).toBeGreaterThanOrEqual(2);
    expect(pgEvents.filter((r) => r.raw_bytes !== null)).toHaveLength(1);
    expect((pgEvents.find((r) => r.raw_bytes !== null)!.raw_bytes as Buffer).includes(Buffer.from([0xe9, 0xff, 0x5c, 0x00]))).toBe(true);
    const liteMessages = db.prepare('SELECT raw, raw_bytes FROM messages ORDER BY id').all() as Array<{ raw: string; raw_bytes: Buffer | null }>;
    const pgMessages = (await pool.query("SELECT raw, raw_bytes FROM messages WHERE collector = 'site-a' ORDER BY id")).rows as Array<{ raw: string; raw_bytes: Buffer | null }>;
    expect(pgMessages).toEqual(liteMessages.map((m) => ({ raw: pgText(m.raw), raw_bytes: m.raw_bytes ?? (m.raw.includes('\0') ? Buffer.from(m.raw) : null) })));
    expect(pgMessages.filter((m) => m.raw_bytes !== null).length).toBeGreaterThanOrEqual(2);
    db.close();

    // A second copy as the same collector is refused, and changes nothing; --replace replaces.
    const again = await aaawatch(['migrate', '--to', 'env:AAAWATCH_TEST_PG', '--collector', 'site-a', '--config', config], env());
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`aaawatch: --to (${cluster.url}): already holds collector site-a's chain (${lite.checked} records)`);
    expect(again.stderr).toContain('--replace');
    expect(await countsOf('site-a')).toEqual(copied);
    const replaced = await aaawatch(['migrate', '--to', 'env:AAAWATCH_TEST_PG', '--collector', 'site-a', '--replace', '--json', '--config', config], env());
    expect(replaced.code, replaced.stderr).toBe(0);
    // Its rows and the estate: the user, the activity log's entries (the import's and the user's), and where account-created started (its time, and site-a's place).
    expect(JSON.parse(replaced.stdout)).toMatchObject({ collector: 'site-a', head: lite.head, idsKept: true, replaced: Object.values(copied).reduce((a, b) => a + b, 0) + 5 });
    expect(await countsOf('site-a')).toEqual(copied);

    // Tampering after the copy: verify names the collector and the record.
    const tampered = await pool.query("UPDATE events SET actor = 'mallory' WHERE collector = 'site-a' AND seq = 1234 RETURNING id");
    const broken = await aaawatch(['verify', '--config', pgConfig('site-a')], env());
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`collector site-a: chain BROKEN at record ${tampered.rows[0].id}, number 1234 in its chain: its content or message was changed\n`);
  });

  it('copies a store `serve` filled from logger over UDP and TCP; serve on PostgreSQL then continues the chain', async (ctx) => {
    toolOrSkip(ctx, 'logger');
    const port = await freePort();
    const db = join(dir, 'served.db');
    const config = join(dir, 'served.yaml');
    writeFileSync(config, `ingest:\n  udp: { host: 127.0.0.1, port: ${port} }\n  tcp: { host: 127.0.0.1, port: ${port} }\n  batchMillis: 20\nstore:\n  path: ${db}\n  storeAllMessages: true\nweb: { enabled: false }\n`);
    const serve = watch(spawn(process.execPath, [join(REPO, 'dist/src/cli.js'), 'serve', '--config', config], { env: { ...process.env, AAAWATCH_CONFIG: '' } }));
    try {
      await serve.said('syslog TCP listening');
      // Account records from the Linux corpus's programs, one logger line each, and chatter kept whole.
      const users = join(dir, 'users.txt');
      writeFileSync(users, Array.from({ length: 300 }, (_, i) => `new user: name=user${i}, UID=${2000 + i}, GID=${2000 + i}, home=/home/user${i}, shell=/bin/bash`).join('\n') + '\n');
      // Over TCP: 300 datagrams at once could overrun a capped UDP receive buffer on a loaded machine.
      await exec('logger', ['-T', '-n', '127.0.0.1', '-P', String(port), '--octet-count', '--rfc3164', '-t', 'useradd', '-f', users]);
      for (const line of readFileSync(corpusPath('syslog', 'linux', 'test-usermod-group.log'), 'utf8').split('\n').filter(Boolean)) {
        const [, tag, message] = /^\S+ \S+ (\w+)\[\d+\]: (.*)$/.exec(line)!;
        await exec('logger', ['-T', '-n', '127.0.0.1', '-P', String(port), '--octet-count', '--rfc5424', '-t', tag!, message!]);
      }
      await exec('logger', ['--udp', '-n', '127.0.0.1', '-P', String(port), '--rfc3164', '-t', 'cron', 'routine']);
      const stored = (): number => {
        const d = openDatabase(db, { readonly: true });
        try {
          return d.prepare('SELECT count(*) FROM events').pluck().get() as number;
        } finally {
          d.close();
        }
      };
      const deadline = Date.now() + 60_000;
      while (stored() < 302) {
        if (Date.now() > deadline) throw new Error(`serve stored ${stored()} of 302 records:\n${serve.output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      expect(await serve.stop()).toBe(0);
    }
    const lite = await sqliteVerify(config);
    expect(lite.checked).toBe(302);
    // site-a's estate is the target's: this store's is refused, and with --records-only left in SQLite.
    const refused = await aaawatch(['migrate', '--to', 'env:AAAWATCH_TEST_PG', '--collector', 'served', '--config', config], env());
    expect(refused.code).toBe(1);
    // (site-a's estate: its user, the activity log's entry, and where account-created started.)
    expect(refused.stderr).toContain('already holds an estate (reconcile_state 2, web_users 1, web_audit 2), from another store or a serve; nothing copied. Give --records-only');
    expect((await countsOf('served')).events).toBe(0);
    const run = await aaawatch(['migrate', '--to', 'env:AAAWATCH_TEST_PG', '--collector', 'served', '--records-only', '--config', config], env());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^not copied: \S+ \(\d+ rows\): the estate was not copied \(--records-only/m);
    // site-a's records hold the same ids.
    expect(run.stdout).toContain("as the SQLite store's verify ends; records numbered after the target's\n");
    expect(run.stdout).toMatch(/^  events +302 records$/m);
    expect(run.stdout).toMatch(/^  messages +[1-9]\d* rows$/m);
    const verify = await aaawatch(['verify', '--json', '--config', pgConfig('served')], env());
    const chains = (JSON.parse(verify.stdout) as { collectors: Array<{ collector: string; ok: boolean; checked: number; head: string }> }).collectors;
    expect(chains.find((c) => c.collector === 'served')).toEqual({ collector: 'served', ok: true, checked: 302, head: lite.head });

    // Moved up: serve on PostgreSQL as the same collector continues the copied chain.
    const onPg = join(dir, 'served-pg.yaml');
    writeFileSync(onPg, `collector: served\ningest:\n  udp: { enabled: false }\n  tcp: { host: 127.0.0.1, port: ${port} }\n  batchMillis: 20\nstore:\n  path: ${db}\n  url: { env: AAAWATCH_TEST_PG }\nweb: { enabled: false }\n`);
    const served = watch(spawn(process.execPath, [join(REPO, 'dist/src/cli.js'), 'serve', '--config', onPg], { env: { ...process.env, AAAWATCH_CONFIG: '', ...env() } }));
    try {
      await served.said('running as collector');
      const more = join(dir, 'more.txt');
      writeFileSync(more, Array.from({ length: 5 }, (_, i) => `new user: name=later${i}, UID=${3000 + i}, GID=${3000 + i}, home=/home/later${i}, shell=/bin/bash`).join('\n') + '\n');
      await exec('logger', ['-T', '-n', '127.0.0.1', '-P', String(port), '--octet-count', '--rfc3164', '-t', 'useradd', '-f', more]);
      const deadline = Date.now() + 60_000;
      while (((await countsOf('served')).events ?? 0) < 307) {
        if (Date.now() > deadline) throw new Error(`serve on PostgreSQL did not store the 5 records:\n${served.output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await served.stop();
    }
    // (Other tests' collectors share the database; one of them is tampered with on purpose.)
    const after = await aaawatch(['verify', '--config', pgConfig('served')], env());
    expect(after.stdout).toMatch(/^collector served: chain OK, 307 records, head [0-9a-f]{64}$/m);
  });

  it('stores what the PostgreSQL writer stores for the same batches: every column of every table, ids and collector aside', async () => {
    const path = join(dir, 'same.db');
    const sqlite = openDatabase(path);
    const batches: IngestBatch[] = [];
    const writer = new IngestWriter({ write: (b) => void batches.push(b) }, { batchRows: 50, batchMillis: 60_000, keepRejectedPerReason: 100 });
    const { pipeline } = createPipeline(configSchema.parse({ store: { path, storeAllMessages: true } }), sqlite, writer);
    const latin1 = (...parts: Array<string | number[]>): string => Buffer.concat(parts.map((p) => Buffer.from(p as string))).toString('latin1');
    const lines: Array<[string, boolean]> = [
      ...iosCommands(1, 120, ' same').map((l): [string, boolean] => [l, false]),
      [iosCommand(200, 'interface Gi1/0/1\u0000nul'), false],
      [latin1(iosCommand(201, 'description caf'), [0xe9, 0xff, 0x5c, 0x00]), true],
      [latin1('<13>Nov 21 22:10:01 h1 app: latin ', [0xe9, 0xfe]), true],
      ['<13>Nov 21 22:10:01 h1 app: chat\u0000ter', false],
      [iosCommand(202, 'username bob privilege 15 password 0 Cleartext1'), false],
      ['not syslog at all \u0001', false],
    ];
    for (const [text, isLatin1] of lines) pipeline.message(text, isLatin1, '192.0.2.9', 'udp', Date.UTC(2026, 10, 21, 22, 10, 5));
    // A native sender's requests and its packets that did not read, with the last one's reason.
    writer.nativeRequest('radius', '192.0.2.20', 'nas-1', Date.UTC(2026, 10, 21, 22, 10, 6), 'accepted');
    writer.nativeMalformed('radius', '192.0.2.20', '192.0.2.20', Date.UTC(2026, 10, 21, 22, 10, 7), 'radius-bad-attribute');
    writer.nativeMalformed('tacacs', '192.0.2.21', '192.0.2.21', Date.UTC(2026, 10, 21, 22, 10, 8), 'tacacs-bad-flags');
    writer.flush();
    const store = new BatchStore(sqlite, 100);
    for (const b of batches) store.write(b);
    await createIngestTables(pool);
    for (const b of batches) await new PgBatchWriter(pool, 'direct', 100).write(b);
    await copyFromSqlite(sqlite, pool, { collector: 'copied', replace: false });
    const recorded = sqlite.prepare('SELECT count(*) FROM events').pluck().get() as number;
    sqlite.close();

    for (const t of tablesOn('postgres', INGEST_TABLES)) {
      // updated_at: when the counter was written, which differs between the two writes;
      // last_write: the writer's own batch bookkeeping, which a copy has none of.
      const columns = t.columns.filter((c) => c.type !== 'id' && !['collector', 'updated_at', 'last_write'].includes(c.name)).map((c) => c.name);
      const order = t.name === 'events' ? 'seq' : t.columns.some((c) => c.type === 'id') ? 'id' : t.primaryKey.filter((k) => k !== 'collector').join(', ') || '1';
      const rows = async (collector: string): Promise<Row[]> =>
        (await pool.query(`SELECT ${columns.join(', ')} FROM ${t.name} WHERE collector = $1 ORDER BY ${order}`, [collector])).rows as Row[];
      const direct = await rows('direct');
      expect(await rows('copied'), t.name).toEqual(direct);
      if (['events', 'messages', 'traffic', 'chain_heads', 'counters', 'native_senders'].includes(t.name)) expect(direct.length, t.name).toBeGreaterThan(0);
    }
    expect((await pool.query("SELECT transport, source, malformed::int, last_malformed_reason FROM native_senders WHERE collector = 'copied' AND malformed > 0 ORDER BY source")).rows).toEqual([
      { transport: 'radius', source: '192.0.2.20', malformed: 1, last_malformed_reason: 'radius-bad-attribute' },
      { transport: 'tacacs', source: '192.0.2.21', malformed: 1, last_malformed_reason: 'tacacs-bad-flags' },
    ]);
    const events = (await pool.query("SELECT body, raw_bytes FROM events WHERE collector = 'copied'")).rows as Row[];
    expect(events.filter((r) => r.body !== null).length).toBe(2);
    expect(events.filter((r) => r.raw_bytes !== null).length).toBe(1);
    const messages = (await pool.query("SELECT raw_bytes FROM messages WHERE collector = 'copied' AND raw_bytes IS NOT NULL")).rows as Row[];
    expect(messages.length).toBeGreaterThanOrEqual(2);
    const reports = await verifyChains(pool);
    expect(reports.filter((r) => r.collector === 'direct' || r.collector === 'copied').map((r) => [r.collector, r.ok, r.checked])).toEqual([['copied', true, recorded], ['direct', true, recorded]]);
    // The 120 commands, the two hostile ones, and the username line's command and account.
    expect(recorded).toBe(124);
  });

  // The stores below hold their imports' activity entries (an estate, since each import is logged) and the target
  // holds site-a's estate, so each is copied --records-only (the refusal without it is tested above).
  it('refuses a SQLite store whose own chain is broken, leaving no half-copied chain', async () => {
    const { config, db: dbPath } = sqliteConfig('site-b');
    await importLines(config, 'b.log', iosCommands(1, 5_000, ' b'));
    const db = openDatabase(dbPath);
    // Past the first batches, so some were already written when the break is read.
    const id = db.prepare("UPDATE events SET actor = 'mallory' WHERE id = (SELECT id FROM events ORDER BY id LIMIT 1 OFFSET 4500) RETURNING id").pluck().get() as number;
    db.close();
    const run = await aaawatch(['migrate', '--to', 'env:AAAWATCH_TEST_PG', '--records-only', '--collector', 'site-b', '--config', config], env());
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`aaawatch: the SQLite store ${dbPath}: its chain is broken at record ${id}: its content or message was changed (aaawatch verify says more); nothing copied\n`);
    expect(Object.values(await countsOf('site-b')).every((n) => n === 0)).toBe(true);
  });

  it('leaves nothing of the collector when killed mid-copy; a new migrate then copies it whole', async () => {
    const { config } = sqliteConfig('site-e');
    await importLines(config, 'e.log', iosCommands(1, 30_000, ' e'));
    // Held here, the copy stops at counters, the last table, with every record sent but not committed.
    await createIngestTables(pool);
    const holder = await pool.connect();
    let backend: number | undefined;
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE counters IN SHARE MODE');
      const child = spawn(process.execPath, [join(REPO, 'dist/src/cli.js'), 'migrate', '--to', 'env:AAAWATCH_TEST_PG', '--records-only', '--collector', 'site-e', '--config', config],
        { env: { ...process.env, AAAWATCH_CONFIG: '', ...env() }, stdio: 'ignore' });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      while (backend === undefined) {
        const { rows } = await pool.query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO counters %'");
        backend = rows[0]?.pid;
        if (child.exitCode !== null) throw new Error('migrate ended before it was killed');
        if (backend === undefined) await new Promise((r) => setTimeout(r, 20));
      }
      child.kill('SIGKILL');
      await exited;
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    // The server ends the session when it sees the connection gone, rolling its transaction back.
    while ((await pool.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [backend])).rowCount) await new Promise((r) => setTimeout(r, 50));
    expect(Object.values(await countsOf('site-e')).every((n) => n === 0)).toBe(true);

    const run = await aaawatch(['migrate', '--to', 'env:AAAWATCH_TEST_PG', '--records-only', '--collector', 'site-e', '--config', config], env());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^  events +30000 records$/m);
  });

  it('keeps the retention anchor: a chain whose start was removed verifies from it', async () => {
    const { config, db: dbPath } = sqliteConfig('site-c');
    await importLines(config, 'c1.log', iosCommands(1, 300, ' old'));
    const between = Date.now();
    await new Promise((r) => setTimeout(r, 20));
    await importLines(config, 'c2.log', iosCommands(301, 200, ' new'));
    const db = openDatabase(dbPath);
    expect(applyRetention(db, 1, between + 86_400_000).events).toBe(300);
    db.close();
    const lite = await sqliteVerify(config);
    expect(lite.checked).toBe(200);

    const run = await aaawatch(['migrate', '--to', 'env:AAAWATCH_TEST_PG', '--records-only', '--collector', 'site-c', '--config', config], env());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`chain: 200 records, head ${lite.head} (starting at the retention anchor)`);
    const verify = await aaawatch(['verify', '--json', '--config', pgConfig('site-c')], env());
    const report = JSON.parse(verify.stdout) as { collectors: Array<{ collector: string; ok: boolean; checked: number; head: string }> };
    expect(report.collectors.find((c) => c.collector === 'site-c')).toEqual({ collector: 'site-c', ok: true, checked: 200, head: lite.head });
  });

  it('takes the target from file: or store.url, and the collector from the configuration, else the host name', async () => {
    const { config: local, db } = sqliteConfig('site-f');
    await importLines(local, 'f.log', iosCommands(1, 20, ' f'));
    const urlFile = join(dir, 'pg-url');
    writeFileSync(urlFile, `${cluster.url}\n`);
    const byHost = await aaawatch(['migrate', '--to', `file:${urlFile}`, '--records-only', '--config', local]);
    expect(byHost.code, byHost.stderr).toBe(0);
    expect(byHost.stdout).toContain(`into ${cluster.url} as collector ${hostname()} in `);
    // store.url from {file}, collector from the configuration; the same SQLite store under a name of its own.
    const shared = join(dir, 'f-shared.yaml');
    writeFileSync(shared, `collector: site-f\nstore:\n  path: ${db}\n  url: { file: ${urlFile} }\n`);
    const byConfig = await aaawatch(['migrate', '--json', '--records-only', '--config', shared]);
    expect(byConfig.code, byConfig.stderr).toBe(0);
    expect(JSON.parse(byConfig.stdout)).toMatchObject({ collector: 'site-f', to: cluster.url, tables: expect.arrayContaining([{ table: 'events', rows: 20 }]) });
    const verify = await aaawatch(['verify', '--json', '--config', shared]);
    const chains = (JSON.parse(verify.stdout) as { collectors: Array<{ collector: string; ok: boolean; checked: number }> }).collectors;
    expect(chains.filter((c) => c.collector === 'site-f' || c.collector === hostname()).map((c) => [c.ok, c.checked])).toEqual([[true, 20], [true, 20]]);
  });

  it('says what is wrong with the target or the collector name, never printing a password', async () => {
    const { config } = sqliteConfig('site-d');
    await importLines(config, 'd.log', iosCommands(1, 10, ' d'));
    const noTarget = await aaawatch(['migrate', '--config', config]);
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toContain('give --to postgres://');
    const notPg = await aaawatch(['migrate', '--to', 'mysql://root:hunter2secret@db/x', '--config', config]);
    expect(notPg.code).toBe(2);
    expect(notPg.stderr).toContain('--to mysql://root:***@db/x: must be a PostgreSQL URL');
    const badName = await aaawatch(['migrate', '--to', cluster.url, '--collector', '-x', '--config', config]);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain('--collector: must be 1-63 letters');
    // A wrong password: the server refuses; the message names the target with the password hidden.
    const port = new URL(cluster.url).port;
    const wrong = await aaawatch(['migrate', '--to', `postgres://nobody:hunter2secret@127.0.0.1:${port}/postgres`, '--collector', 'x', '--config', config]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`aaawatch: --to (postgres://nobody:***@127.0.0.1:${port}/postgres): cannot connect: `);
    expect(wrong.stdout + wrong.stderr).not.toContain('hunter2secret');
    // TLS asked of a server without it.
    const tls = await aaawatch(['migrate', '--to', `${cluster.url}?sslmode=verify-full`, '--collector', 'x', '--config', config]);
    expect(tls.code).toBe(1);
    expect(tls.stderr).toBe(`aaawatch: --to (${cluster.url}?sslmode=verify-full): cannot connect: TLS: the server does not accept TLS connections (sslmode in the URL asks for it)\n`);
  });
});
