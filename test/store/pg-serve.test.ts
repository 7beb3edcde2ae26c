// `aaawatch serve` (the built command) on a shared PostgreSQL store: real senders (util-linux
// logger, syslog-ng's loggen, a RELP client written from the specification) into serve, serve into
// a throwaway PostgreSQL 15 cluster as its collector. The server is stopped mid-stream and started
// again: nothing RELP acknowledged is lost. Two collectors on one database, one killed with
// SIGKILL mid-stream and restarted: `aaawatch verify` passes for both chains and names each.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/corpus.js';
import { PgBatchWriter } from '../../src/store/pg/batch-writer.js';
import { createIngestTables } from '../../src/store/pg/migrate.js';
import { batchesFor, iosCommand, iosCommands } from '../support/ingest-batches.js';
import { freePort } from '../support/ports.js';
import { postgresAvailable, startPostgres, type ThrowawayPostgres } from '../support/postgres.js';
import { watch, type Watched } from '../support/process.js';
import { RelpTestClient } from '../support/relp-client.js';
import { tempDir } from '../support/temp.js';
import { sendDatagrams } from '../support/udp.js';
import { toolOrSkip } from '../support/tools.js';

const CLI = join(REPO, 'dist/src/cli.js');
const run = promisify(execFile);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const children: ChildProcess[] = [];
let cluster: ThrowawayPostgres;
let pool: pg.Pool;
let dir: string;

interface Ports {
  udp: number;
  tcp: number;
  relp: number;
  radius: number;
}

async function configFor(collector: string): Promise<{ file: string; ports: Ports }> {
  const ports = { udp: await freePort(), tcp: await freePort(), relp: await freePort(), radius: await freePort() };
  const file = join(dir, `${collector}.yaml`);
  writeFileSync(file, [
    `collector: ${collector}`,
    'store:',
    `  path: ${join(dir, `${collector}.db`)}`,
    '  url: { env: AAAWATCH_TEST_PG }',
    'ingest:',
    `  udp: { host: 127.0.0.1, port: ${ports.udp} }`,
    `  tcp: { host: 127.0.0.1, port: ${ports.tcp} }`,
    `  relp: { enabled: true, host: 127.0.0.1, port: ${ports.relp} }`,
    `  radius: { host: 127.0.0.1, port: ${ports.radius}, secrets: [{ sources: [127.0.0.0/8], secret: { env: AAAWATCH_TEST_RADIUS } }] }`,
    // The web on PostgreSQL is test/web/pg-web.test.ts's.
    'web: { enabled: false }',
    '',
  ].join('\n'));
  return { file, ports };
}

async function serve(file: string): Promise<{ child: ChildProcess; out: Watched }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--config', file], {
    env: { ...process.env, AAAWATCH_CONFIG: '', AAAWATCH_TEST_PG: cluster.url, AAAWATCH_TEST_RADIUS: RADIUS_SECRET }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const out = watch(child);
  // The last line serve says at start on PostgreSQL.
  await out.said('running as collector');
  return { child, out };
}

const verify = async (file: string): Promise<{ code: number; stdout: string }> => {
  try {
    const r = await run(process.execPath, [CLI, 'verify', '--config', file], { env: { ...process.env, AAAWATCH_TEST_PG: cluster.url } });
    return { code: 0, stdout: r.stdout };
  } catch (err) {
    return { code: (err as { code: number }).code, stdout: (err as { stdout: string }).stdout };
  }
};

const count = async (sql: string, values: unknown[] = []): Promise<number> => Number((await pool.query<{ n: string }>(sql, values)).rows[0]!.n);

async function until(what: string, f: () => Promise<boolean> | boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached in time`);
    await sleep(100);
  }
}

const RADIUS_SECRET = 'radius-s3cret';

/** radclient (freeradius-utils) sending accounting packets; its exit code and output. */
async function radclient(port: number, packets: string[], tries: string[] = ['-r', '2', '-t', '2']): Promise<{ code: number; out: string }> {
  const file = join(dir, `packets-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(file, packets.join('\n\n') + '\n');
  try {
    const r = await run('radclient', ['-f', file, ...tries, `127.0.0.1:${port}`, 'acct', RADIUS_SECRET], { timeout: 30_000 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, out: (e.stdout ?? '') + (e.stderr ?? '') };
  }
}

const accounting = (session: string, status: string, extra = ''): string =>
  `Acct-Status-Type = ${status}, Acct-Session-Id = "${session}", NAS-Identifier = "core-rtr-9", NAS-IP-Address = 127.0.0.1, User-Name = "netops"${extra}`;

const useradd = (host: string, n: number): string =>
  `<86>Dec  3 10:00:00 ${host} useradd[${n}]: new user: name=u${n}, UID=${10_000 + n}, GID=100, home=/home/u${n}, shell=/bin/bash, from=/dev/pts/0`;

describe.skipIf(!postgresAvailable())('aaawatch serve on a shared PostgreSQL store', () => {
  beforeAll(async () => {
    cluster = await startPostgres();
    pool = new pg.Pool({ connectionString: cluster.url, max: 2 });
    pool.on('error', () => undefined);
    dir = tempDir();
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await pool?.end();
    cluster?.stop();
  });
  // A test that fails (or times out) mid-outage leaves the server up for the next one.
  afterEach(() => cluster.up());

  it('stores what every listener reads as its collector, says what does not run on PostgreSQL, and loses nothing acknowledged across an outage', async (ctx) => {
    toolOrSkip(ctx, 'logger');
    toolOrSkip(ctx, 'radclient');
    // A collector that no longer runs left records older than store.retentionDays (400 by default):
    // the reconcile leader removes them from its chain as it starts leading.
    await createIngestTables(pool);
    await new PgBatchWriter(pool, 'retired', 100).writeMany(batchesFor(iosCommands(1, 20, ' retired'), { receivedAt: Date.now() - 500 * 86_400_000 }));
    const { file, ports } = await configFor('site-a');
    const { child, out } = await serve(file);
    await out.said('retention: removed records older than 400 days');
    expect(await count("SELECT count(*) AS n FROM events WHERE collector = 'retired'")).toBe(0);
    const port = new URL(cluster.url).port;
    expect(out.output()).toContain(`aaawatch starting on PostgreSQL 127.0.0.1:${port}/postgres as collector site-a`);
    expect(out.output()).toContain('running as collector site-a: pulls each device under its pull lease');
    expect(out.output()).toContain("while leader removes records older than store.retentionDays (400) from every collector's chain");
    expect(out.output()).toContain('a time this collector cannot write raises store-unwritable once it can');
    expect(out.output()).toContain('competing for the estate leader lease');
    expect(out.output()).not.toContain(cluster.url.replace('postgres://', ''));

    await run('logger', ['--udp', '-n', '127.0.0.1', '-P', String(ports.udp), '--rfc3164', '-t', 'useradd', useradd('h-udp', 1).replace(/^.*useradd\[1\]: /, '')]);
    await run('logger', ['-T', '--octet-count', '-n', '127.0.0.1', '-P', String(ports.tcp), '--rfc5424', '-t', 'useradd', useradd('h-tcp', 2).replace(/^.*useradd\[2\]: /, '')]);
    await until('logger lines stored', async () => (await count("SELECT count(*) AS n FROM events WHERE collector = 'site-a' AND kind = 'account'")) === 2);
    expect((await pool.query("SELECT target, transport FROM events WHERE collector = 'site-a' ORDER BY target")).rows).toEqual([
      { target: 'u1', transport: 'udp' }, { target: 'u2', transport: 'tcp' },
    ]);

    // RADIUS accounting: answered once committed in PostgreSQL, so the rows are there at once.
    const answered = await radclient(ports.radius, [
      accounting('sess-1', 'Start', ', Service-Type = NAS-Prompt-User'),
      accounting('sess-1', 'Interim-Update', ', Juniper-Interactive-Command = "set system login user eve class super-user authentication encrypted-password \\"$6$salt$NeverStoredHash\\""'),
    ]);
    expect(answered.code, answered.out).toBe(0);
    expect(answered.out.match(/Received Accounting-Response/g)).toHaveLength(2);
    expect((await pool.query("SELECT kind, action, target, transport FROM events WHERE collector = 'site-a' AND transport = 'radius' ORDER BY seq")).rows).toEqual([
      { kind: 'session', action: 'session.start', target: null, transport: 'radius' },
      { kind: 'command', action: 'command', target: null, transport: 'radius' },
      { kind: 'account', action: 'account.create', target: 'eve', transport: 'radius' },
    ]);
    expect(await count("SELECT count(*) AS n FROM events WHERE raw LIKE '%NeverStoredHash%' OR command LIKE '%NeverStoredHash%'")).toBe(0);
    // A known sender's counts follow its records by up to a second (the writer holds them with the traffic counts, rad19).
    await until('the RADIUS sender counted', async () => (await count("SELECT coalesce(sum(accepted), 0) AS n FROM native_senders WHERE transport = 'radius'")) >= 2);
    expect((await pool.query("SELECT collector, device, accepted FROM native_senders WHERE transport = 'radius'")).rows).toEqual([{ collector: 'site-a', device: 'core-rtr-9', accepted: '2' }]);
    // A datagram that does not parse (an attribute running past its end): counted against the sender, with the reason, under
    // the sender itself (what it names is not read).
    const broken = Buffer.concat([Buffer.from([4, 200, 0, 26]), Buffer.alloc(16), Buffer.from([1, 200, 0x61, 0x62, 0x63, 0x64])]);
    await sendDatagrams(ports.radius, [broken]);
    await until('the malformed packet counted', async () => (await count("SELECT coalesce(sum(malformed), 0) AS n FROM native_senders WHERE transport = 'radius'")) === 1);
    expect((await pool.query("SELECT collector, device, accepted, malformed, last_malformed_reason FROM native_senders WHERE transport = 'radius' ORDER BY device")).rows).toEqual([
      { collector: 'site-a', device: '127.0.0.1', accepted: '0', malformed: '1', last_malformed_reason: 'radius-bad-attribute' },
      { collector: 'site-a', device: 'core-rtr-9', accepted: '2', malformed: '0', last_malformed_reason: null },
    ]);

    // RELP frames one after another; the server goes away after the first answers and comes back.
    const relp = await RelpTestClient.connect(ports.relp);
    relp.open();
    const total = 400;
    const sent = new Map<number, string>();
    for (let n = 1; n <= 100; n++) sent.set(relp.send('syslog', iosCommand(n, `interface Gi1/0/${n} relp`)), `interface Gi1/0/${n} relp`);
    await relp.until(101);
    cluster.down();
    for (let n = 101; n <= total; n++) {
      sent.set(relp.send('syslog', iosCommand(n, `interface Gi1/0/${n} relp`)), `interface Gi1/0/${n} relp`);
      if (n % 50 === 0) await sleep(100);
    }
    await out.said('the store cannot be written at PostgreSQL', 60_000);
    const answeredWhileDown = relp.frames.length;
    // A RADIUS request while PostgreSQL is down is not answered (radclient gives up); it is kept.
    const unanswered = await radclient(ports.radius, [accounting('sess-down', 'Start')], ['-r', '1', '-t', '1']);
    expect(unanswered.code).not.toBe(0);
    expect(unanswered.out).not.toContain('Received Accounting-Response');
    // Held: nothing more is answered while nothing can be committed.
    expect(relp.frames.length).toBe(answeredWhileDown);
    expect(answeredWhileDown).toBeLessThan(total + 1);
    cluster.up();
    await relp.until(total + 1, 60_000);
    await out.said('the store can be written again', 60_000);
    // The gap is on record: SQLite's finding on aaawatch itself, naming this collector's store.
    await until('store-unwritable raised', async () => (await count("SELECT count(*) AS n FROM findings WHERE kind = 'store-unwritable'")) === 1);
    const gap = (await pool.query<{ device: string; status: string; summary: string; evidence: string }>("SELECT device, status, summary, evidence FROM findings WHERE kind = 'store-unwritable'")).rows[0]!;
    expect(gap).toMatchObject({ device: '(aaawatch)', status: 'open' });
    expect(gap.summary).toMatch(new RegExp(`^the store PostgreSQL 127\\.0\\.0\\.1:${port}/postgres as collector site-a could not be written from \\S+Z to \\S+Z \\(`));
    expect(JSON.parse(gap.evidence)).toMatchObject({ path: `PostgreSQL 127.0.0.1:${port}/postgres as collector site-a`, from: expect.any(Number), to: expect.any(Number) });
    const acknowledged = relp.frames.filter((f) => f.command === 'rsp' && f.data.startsWith('200') && sent.has(f.txnr)).map((f) => sent.get(f.txnr)!);
    expect(acknowledged).toHaveLength(total);
    const { rows } = await pool.query<{ command: string; n: string }>("SELECT command, count(*) AS n FROM events WHERE collector = 'site-a' AND command LIKE '% relp' GROUP BY command");
    const stored = new Map(rows.map((r) => [r.command, Number(r.n)]));
    expect(acknowledged.filter((c) => stored.get(c) !== 1)).toEqual([]);
    relp.destroy();
    expect(await count("SELECT count(*) AS n FROM events WHERE collector = 'site-a' AND session = 'sess-down'")).toBe(1);

    const checked = await verify(file);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(new RegExp(
      `^collector retired: chain OK, 0 records from number 21 \\(those before removed by retention\\), head [0-9a-f]{64}\\n` +
        `collector site-a: chain OK, ${total + 2 + 3 + 1} records, head [0-9a-f]{64}\\n$`,
    ));
    expect(await out.stop()).toBe(0);
    expect(child.exitCode).toBe(0);
  });

  it('stops at start, naming store.url without the password, when PostgreSQL cannot be reached', async () => {
    const closed = await freePort();
    const file = join(dir, 'unreachable.yaml');
    writeFileSync(file, `collector: site-x\nstore:\n  url: postgres://aaawatch:Never-Shown-9@127.0.0.1:${closed}/aaawatch\ningest:\n  udp: { enabled: false }\n  tcp: { enabled: false }\n`);
    const r = await run(process.execPath, [CLI, 'serve', '--config', file], { env: { ...process.env, AAAWATCH_CONFIG: '' } }).then(
      () => ({ code: 0, out: '' }),
      (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, out: err.stdout + err.stderr }),
    );
    expect(r.code).toBe(1);
    expect(r.out).toContain(`aaawatch: store.url (postgres://aaawatch:***@127.0.0.1:${closed}/aaawatch): cannot connect: nothing accepts connections there (connect ECONNREFUSED 127.0.0.1:${closed})\n`);
    expect(r.out).not.toContain('Never-Shown-9');
  });

  it('two collectors on one database: each its own chain, one killed with SIGKILL mid-stream continues its chain, verify names both', async (ctx) => {
    toolOrSkip(ctx, 'loggen');
    toolOrSkip(ctx, 'logger');
    const lines = (host: string, from: number, n: number): string => Array.from({ length: n }, (_, i) => useradd(host, from + i)).join('\n') + '\n';
    const fileA = join(dir, 'a.log');
    const fileB1 = join(dir, 'b1.log');
    const fileB2 = join(dir, 'b2.log');
    writeFileSync(fileA, lines('host-a', 1, 3000));
    writeFileSync(fileB1, lines('host-b', 1, 3000));
    writeFileSync(fileB2, lines('host-b', 5001, 2000));
    const loggen = (file: string, port: number, rate: number): ChildProcess => {
      const p = spawn('loggen', ['--inet', '--stream', '--read-file', file, '--dont-parse', '--rate', String(rate), '--interval', '60', '127.0.0.1', String(port)], { stdio: 'ignore' });
      children.push(p);
      return p;
    };
    const exited = (p: ChildProcess): Promise<void> => new Promise((resolve) => (p.exitCode !== null || p.signalCode !== null ? resolve() : p.once('exit', () => resolve())));
    const stored = (collector: string): Promise<number> => count("SELECT count(*) AS n FROM events WHERE collector = $1 AND kind = 'account'", [collector]);

    const a = await configFor('a');
    const b = await configFor('b');
    const [serveA, firstB] = await Promise.all([serve(a.file), serve(b.file)]);
    let serveB = firstB;
    const toA = loggen(fileA, a.ports.tcp, 1000);
    const toB = loggen(fileB1, b.ports.tcp, 300);
    await until('b storing', async () => (await stored('b')) >= 300);
    serveB.child.kill('SIGKILL');
    await exited(serveB.child);
    const killedAt = Date.now();
    // What b committed before it died stays; loggen's connection died with it.
    await Promise.race([exited(toB), sleep(10_000)]);
    if (toB.exitCode === null) toB.kill('SIGKILL');
    const beforeKill = await stored('b');
    expect(beforeKill).toBeGreaterThanOrEqual(300);
    expect(beforeKill).toBeLessThan(3000);

    serveB = await serve(b.file);
    const toB2 = loggen(fileB2, b.ports.tcp, 1000);
    await run('logger', ['--udp', '-n', '127.0.0.1', '-P', String(b.ports.udp), '--rfc3164', '-t', 'useradd', useradd('host-b', 9001).replace(/^.*useradd\[9001\]: /, '')]);
    await exited(toA);
    await exited(toB2);
    await until('a stored everything', async () => (await stored('a')) === 3000);
    await until('b stored after its restart', async () => (await stored('b')) === beforeKill + 2001);

    // b's chain runs on across the kill: records after it continue the same chain.
    const after = await count("SELECT count(*) AS n FROM events WHERE collector = 'b' AND received_at > $1", [killedAt]);
    expect(after).toBe(2001);
    const devices = (await pool.query("SELECT collector, device, count(*)::int AS n FROM events WHERE collector IN ('a', 'b') AND transport = 'tcp' GROUP BY 1, 2 ORDER BY 1, 2")).rows;
    expect(devices).toEqual([
      { collector: 'a', device: 'host-a', n: 3000 },
      { collector: 'b', device: 'host-b', n: beforeKill + 2000 },
    ]);
    // logger names its own host as the device.
    expect((await pool.query("SELECT collector, transport FROM events WHERE target = 'u9001'")).rows).toEqual([{ collector: 'b', transport: 'udp' }]);

    const checked = await verify(a.file);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(new RegExp(`^collector a: chain OK, 3000 records, head [0-9a-f]{64}$`, 'm'));
    expect(checked.stdout).toMatch(new RegExp(`^collector b: chain OK, ${beforeKill + 2001} records, head [0-9a-f]{64}$`, 'm'));
    // Broken behind b's restart, verify names b and the record, and a stays OK.
    const { rows } = await pool.query<{ id: string; seq: string }>("UPDATE events SET target = 'mallory' WHERE collector = 'b' AND seq = $1 RETURNING id, seq", [beforeKill + 5]);
    const broken = await verify(b.file);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^collector a: chain OK, 3000 records/m);
    expect(broken.stdout).toContain(`collector b: chain BROKEN at record ${rows[0]!.id}, number ${beforeKill + 5} in its chain: its content or message was changed`);

    expect(await serveA.out.stop()).toBe(0);
    expect(await serveB.out.stop()).toBe(0);
  });
});
