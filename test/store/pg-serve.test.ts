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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/corpus.js';
import { iosCommand } from '../support/ingest-batches.js';
import { freePort } from '../support/ports.js';
import { postgresAvailable, startPostgres, type ThrowawayPostgres } from '../support/postgres.js';
import { watch, type Watched } from '../support/process.js';
import { RelpTestClient } from '../support/relp-client.js';
import { tempDir } from '../support/temp.js';
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
}

async function configFor(collector: string): Promise<{ file: string; ports: Ports }> {
  const ports = { udp: await freePort(), tcp: await freePort(), relp: await freePort() };
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
    '',
  ].join('\n'));
  return { file, ports };
}

async function serve(file: string): Promise<{ child: ChildProcess; out: Watched }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--config', file], {
    env: { ...process.env, AAAWATCH_CONFIG: '', AAAWATCH_TEST_PG: cluster.url }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const out = watch(child);
  // The last line serve says at start on PostgreSQL.
  await out.said('pulls off:');
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

  it('stores what every listener reads as its collector, says what does not run on PostgreSQL, and loses nothing acknowledged across an outage', { timeout: 180_000 }, async (ctx) => {
    toolOrSkip(ctx, 'logger');
    const { file, ports } = await configFor('site-a');
    const { child, out } = await serve(file);
    const port = new URL(cluster.url).port;
    expect(out.output()).toContain(`aaawatch starting on PostgreSQL 127.0.0.1:${port}/postgres as collector site-a`);
    for (const off of ['web interface off:', 'reconciliation off:', 'pulls off:']) expect(out.output()).toContain(off);
    expect(out.output()).not.toContain(cluster.url.replace('postgres://', ''));

    await run('logger', ['--udp', '-n', '127.0.0.1', '-P', String(ports.udp), '--rfc3164', '-t', 'useradd', useradd('h-udp', 1).replace(/^.*useradd\[1\]: /, '')]);
    await run('logger', ['-T', '--octet-count', '-n', '127.0.0.1', '-P', String(ports.tcp), '--rfc5424', '-t', 'useradd', useradd('h-tcp', 2).replace(/^.*useradd\[2\]: /, '')]);
    await until('logger lines stored', async () => (await count("SELECT count(*) AS n FROM events WHERE collector = 'site-a' AND kind = 'account'")) === 2);
    expect((await pool.query("SELECT target, transport FROM events WHERE collector = 'site-a' ORDER BY target")).rows).toEqual([
      { target: 'u1', transport: 'udp' }, { target: 'u2', transport: 'tcp' },
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
    await out.said('the store cannot be written at PostgreSQL');
    const answeredWhileDown = relp.frames.length;
    await sleep(2000);
    // Held: nothing more is answered while nothing can be committed.
    expect(relp.frames.length).toBe(answeredWhileDown);
    expect(answeredWhileDown).toBeLessThan(total + 1);
    cluster.up();
    await relp.until(total + 1, 60_000);
    await out.said('the store can be written again');
    const acknowledged = relp.frames.filter((f) => f.command === 'rsp' && f.data.startsWith('200') && sent.has(f.txnr)).map((f) => sent.get(f.txnr)!);
    expect(acknowledged).toHaveLength(total);
    const { rows } = await pool.query<{ command: string; n: string }>("SELECT command, count(*) AS n FROM events WHERE collector = 'site-a' AND command LIKE '% relp' GROUP BY command");
    const stored = new Map(rows.map((r) => [r.command, Number(r.n)]));
    expect(acknowledged.filter((c) => stored.get(c) !== 1)).toEqual([]);
    relp.destroy();

    const checked = await verify(file);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(new RegExp(`^collector site-a: chain OK, ${total + 2} records, head [0-9a-f]{64}\\n$`));
    expect(await out.stop()).toBe(0);
    expect(child.exitCode).toBe(0);
  });
});
