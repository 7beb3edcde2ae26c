// When the store cannot be written: the built `aaawatch serve` with its store on a small tmpfs of
// its own, filled while syslog-ng's loggen streams over TCP and UDP datagrams arrive. Nothing read
// is lost without a count: TCP reading stops (flow control holds loggen back), the kept batches are
// stored once a filler file is deleted, UDP records past the backlog are counted as dropped. At
// start, a full disk stops serve with the path and the free space. And listeners first: with a
// backlog of account records to judge, the sockets are reading before the catch-up run finishes; a
// restart over records a crash left unmoved stores what comes; a store from before the
// sorted index tables (migrations 017, 018, 020) is upgraded without copying its records, which the
// store thread moves into the tables in the background while serve reads.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { BatchStore } from '../../src/store/batch-store.js';
import sortedIndex from '../../src/store/migrations/017-sorted-index.js';
import { batchesFor, iosCommands } from '../support/ingest-batches.js';
import { storeBefore } from '../support/old-store.js';
import { REPO } from '../support/corpus.js';
import { freePort } from '../support/ports.js';
import { watch, type Watched } from '../support/process.js';
import { startTestIngest } from '../support/ingest.js';
import { tempDir } from '../support/temp.js';
import { fill, tmpfsOrSkip, unmountAll } from '../support/tmpfs.js';
import { toolOrSkip } from '../support/tools.js';
import { PASSWORD, signIn } from '../web/fixture.js';

const CLI = join(REPO, 'dist/src/cli.js');
const exec = promisify(execFile);

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  unmountAll();
});

function serve(config: string): { child: ChildProcess; out: Watched } {
  const child = spawn(process.execPath, [CLI, 'serve', '--config', config], { env: { ...process.env, AAAWATCH_CONFIG: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return { child, out: watch(child) };
}

async function until<T>(what: string, f: () => T | undefined | Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not reached in time`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A function reading the store at `path` as another process would: opened for each read. */
function reading(path: string): <T>(f: (db: Database.Database) => T) => T {
  return (f) => {
    const db = new Database(path, { readonly: true });
    try {
      return f(db);
    } finally {
      db.close();
    }
  };
}

/** The store's counters and how many messages it holds per transport, read as another process would. */
function readStore(path: string): { counters: Record<string, number>; messages: Record<string, number> } {
  const db = new Database(path, { readonly: true });
  try {
    const counters = Object.fromEntries((db.prepare('SELECT name, value FROM counters').all() as Array<{ name: string; value: number }>).map((r) => [r.name, r.value]));
    const messages = Object.fromEntries((db.prepare('SELECT transport, count(*) AS n FROM messages GROUP BY transport').all() as Array<{ transport: string; n: number }>).map((r) => [r.transport, r.n]));
    return { counters, messages };
  } finally {
    db.close();
  }
}

const LINES = 30_000;

describe('the store cannot be written', () => {
  it('holds TCP senders back, counts the UDP records it drops, keeps what it read, and resumes when space returns', async (ctx) => {
    toolOrSkip(ctx, 'loggen');
    const disk = tmpfsOrSkip(ctx, 64);
    const dir = tempDir('aaawatch-storefail-');
    const port = await freePort();
    const webPort = await freePort();
    const dbPath = join(disk, 'aaawatch.db');
    const config = join(dir, 'aaawatch.yaml');
    // Every message kept, small batches: the disk fills fast and the UDP backlog reaches its bound.
    // 2 s idle and 1 s stall timeouts: a connection paused while the store is held is neither.
    writeFileSync(
      config,
      `ingest:\n  batchRows: 100\n  udp: { host: 127.0.0.1, port: ${port} }\n  tcp: { host: 127.0.0.1, port: ${port}, idleTimeoutSeconds: 2, stallTimeoutSeconds: 1 }\n` +
        `store:\n  path: ${dbPath}\n  storeAllMessages: true\nweb: { host: 127.0.0.1, port: ${webPort} }\n`,
    );
    const passwordFile = join(dir, 'password');
    writeFileSync(passwordFile, PASSWORD.viewer);
    await exec(process.execPath, [CLI, 'user', 'add', 'viewer', '--role', 'viewer', '--password-file', passwordFile, '--config', config]);
    const { out } = serve(config);
    await out.said('web interface on');
    // Signed in while there is room (a sign-in is a write).
    const viewer = await signIn(`http://127.0.0.1:${webPort}`, 'viewer');
    const filler = fill(disk, 1024 * 1024);

    // 30,000 lines of 300 bytes over one TCP stream: far more than the 1 MiB left (and less than
    // the 63 MiB there is once the filler is gone, with the WAL's 16 MiB). (loggen stops
    // after --interval seconds whatever --number says: long enough to wait out the hold.)
    const loggen = spawn('loggen', ['--inet', '--stream', '--number', String(LINES), '--rate', '20000', '--size', '300', '--interval', '600', '127.0.0.1', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(loggen);
    const loggenOut = watch(loggen);
    let loggenDone = false;
    const loggenExit = new Promise<number | null>((resolve) => loggen.on('exit', (code) => {
      loggenDone = true;
      resolve(code);
    }));
    await out.said('the store cannot be written at');
    const held = out.output().split('\n').find((l) => l.includes('the store cannot be written at'))!;
    expect(held).toContain(`${dbPath} (`);
    expect(held).toMatch(/\d[\d.]* (B|KiB|MiB) free of 64 MiB(; the filesystem is full)?\): database or disk is full/);
    expect(JSON.parse(held)).toMatchObject({ level: 50, database: dbPath, code: 'SQLITE_FULL' });

    // Held: UDP datagrams are read and, past the backlog, dropped and counted.
    const udp = dgram.createSocket('udp4');
    for (let i = 0; i < 20_000; i++) {
      udp.send(`<13>Nov 21 22:10:01 h1 app: udp line ${i}`, port, '127.0.0.1');
      if (i % 200 === 199) await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 500));
    udp.close();
    // loggen is held back by TCP flow control while the store cannot be written.
    expect(loggenDone).toBe(false);
    await out.said('records are dropped and counted (dropped.store-unwritable)');
    // The overview says it first, with the path and the free space; so does /healthz.
    const page = await (await viewer.get('/')).text();
    expect(page).toMatch(/<p class="alert" role="alert"><strong>Nothing new is being stored.<\/strong> the store cannot be written \(database or disk is full\) at /);
    expect(page).toContain(`${dbPath} (`);
    const health = (await (await fetch(`http://127.0.0.1:${webPort}/healthz`)).json()) as { checks: Record<string, { ok: boolean; detail: string }> };
    expect(health.checks.writable!.ok).toBe(false);
    expect(health.checks.store!.ok).toBe(true);

    rmSync(filler);
    await out.said('the store can be written again');
    expect(await loggenExit).toBe(0);
    expect(loggenOut.output()).toMatch(new RegExp(`count=${LINES},`));
    // Everything loggen sent is read and stored; every UDP line read is stored or counted.
    const settled = await until('every TCP line stored', () => {
      const s = readStore(dbPath);
      return s.messages.tcp === LINES ? s : undefined;
    });
    expect(settled.counters['received.tcp']).toBe(LINES);
    expect(settled.counters['rejected.idle-timeout'] ?? 0).toBe(0);
    expect(settled.counters['rejected.stalled-mid-frame'] ?? 0).toBe(0);
    const udpRead = settled.counters['received.udp']!;
    const dropped = settled.counters['dropped.store-unwritable'] ?? 0;
    expect(dropped).toBeGreaterThan(0);
    expect((settled.messages.udp ?? 0) + dropped + (settled.counters['dropped.store-behind'] ?? 0)).toBe(udpRead);
    expect(settled.counters['store.unwritable.episodes']).toBe(1);
    expect(settled.counters['store.unwritable.ms']).toBeGreaterThan(0);
    // The gap is on record as a finding on aaawatch itself, once there is room to write it.
    const finding = await until('the store-unwritable finding', () => {
      const db = new Database(dbPath, { readonly: true });
      try {
        return db.prepare("SELECT severity, device, summary FROM findings WHERE kind = 'store-unwritable'").get() as { severity: string; device: string; summary: string } | undefined;
      } finally {
        db.close();
      }
    });
    expect(finding).toMatchObject({ severity: 'high', device: '(aaawatch)' });
    expect(finding.summary).toMatch(new RegExp(`^the store ${dbPath} could not be written from \\S+Z to \\S+Z \\(database or disk is full\\): TCP, TLS and RELP senders were held back, RELP, TACACS\\+ and RADIUS answers waited, ${dropped} UDP records were dropped and counted`));

    // `stats` says it: the counters, and where the store is with its free space.
    const stats = (await exec(process.execPath, [CLI, 'stats', '--config', config])).stdout;
    expect(stats).toMatch(/dropped\.store-unwritable\s+\d+/);
    expect(stats).toMatch(/store\.unwritable\.episodes\s+1/);
    expect(stats).toContain(`store: ${dbPath} (`);
    expect(await (await viewer.get('/')).text()).not.toContain('class="alert"');
    expect(await out.stop()).toBe(0);
  });

  it('stops at start with the path and the free space when the disk is full', async (ctx) => {
    const disk = tmpfsOrSkip(ctx, 4);
    const dir = tempDir('aaawatch-storefail-');
    const port = await freePort();
    const dbPath = join(disk, 'aaawatch.db');
    const config = join(dir, 'aaawatch.yaml');
    writeFileSync(config, `ingest:\n  udp: { host: 127.0.0.1, port: ${port} }\n  tcp: { host: 127.0.0.1, port: ${port} }\nstore:\n  path: ${dbPath}\nweb: { enabled: false }\n`);
    // A store made while there was room, then the disk filled.
    const first = serve(config);
    await first.out.said('"why":"start"');
    expect(await first.out.stop()).toBe(0);
    const filler = fill(disk);
    for (const when of ['existing store', 'no store yet']) {
      if (when === 'no store yet') for (const f of ['', '-wal', '-shm']) rmSync(dbPath + f, { force: true });
      const { child, out } = serve(config);
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code, when).toBe(1);
      expect(out.output(), when).toMatch(new RegExp(`aaawatch: cannot write the store at ${dbPath} \\(0 B free of 4\\.0 MiB; the filesystem is full\\): \\S`));
      expect(out.output(), when).not.toContain('listening');
    }
    rmSync(filler);
  });
});

describe('the store cannot be opened at start, as a user without root', () => {
  it('names the folder and the user when the folder cannot be written (SQLite says only "unable to open database file")', async (ctx) => {
    const runuser = toolOrSkip(ctx, 'runuser');
    if (process.getuid?.() !== 0) throw new Error('this test runs serve as the user nobody: run it as root');
    const dir = tempDir('aaawatch-storeperm-');
    const port = await freePort();
    const folder = join(dir, 'store folder');
    mkdirSync(folder);
    chmodSync(dir, 0o755);
    chmodSync(folder, 0o555);
    const dbPath = join(folder, 'aaawatch.db');
    const config = join(dir, 'aaawatch.yaml');
    writeFileSync(config, `ingest:\n  udp: { host: 127.0.0.1, port: ${port} }\n  tcp: { host: 127.0.0.1, port: ${port} }\nstore:\n  path: ${dbPath}\nweb: { enabled: false }\n`);
    chmodSync(config, 0o644);
    const child = spawn(runuser, ['-u', 'nobody', '--', process.execPath, CLI, 'serve', '--config', config], { env: { ...process.env, AAAWATCH_CONFIG: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    const out = watch(child);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(out.output()).toContain(`aaawatch: cannot write the store at ${dbPath} (`);
    expect(out.output()).toMatch(new RegExp(`: unable to open database file \\(the folder ${folder} is not writable by user nobody\\)`));
  });
});

describe('native accounting while the store cannot be written', () => {
  it('RADIUS: no Accounting-Response while the request cannot be stored; stored once there is room, and answered from then on', async (ctx) => {
    const radclient = toolOrSkip(ctx, 'radclient');
    const disk = tmpfsOrSkip(ctx, 8);
    process.env.AAAWATCH_TEST_RADIUS = 'radius-s3cret';
    const t = await startTestIngest((c) => {
      c.store.path = join(disk, 'aaawatch.db');
      c.ingest.radius.port = 0;
      c.ingest.radius.secrets = [{ devices: [], sources: ['127.0.0.0/8', '::1'], secret: { env: 'AAAWATCH_TEST_RADIUS' } }];
    });
    try {
      const packets = join(t.dir, 'packets.txt');
      writeFileSync(packets, 'Acct-Status-Type = Start, Acct-Session-Id = "sess-1", NAS-Identifier = "core-rtr-9", NAS-IP-Address = 127.0.0.1, User-Name = "netops"\n');
      const send = (tries: number): Promise<string> =>
        new Promise((resolve) => {
          execFile(radclient, ['-f', packets, '-r', String(tries), '-t', '1', `127.0.0.1:${t.ingest.native.radius!.port}`, 'acct', 'radius-s3cret'], (err, stdout, stderr) => resolve(stdout + stderr));
        });
      // An empty write-ahead log first: a request then needs new space on the disk whenever the
      // checkpointer last ran (after a checkpoint SQLite rewrites the log's old frames in place, and
      // a request written there was stored and answered with the disk full).
      // (Tried until no other connection holds the log: the checkpoint thread or a move may.)
      await t.until(() => {
        const [r] = t.db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number; log: number }>;
        return r!.busy === 0 && r!.log === 0;
      });
      const filler = fill(disk);
      const unanswered = await send(2);
      // Sent, unanswered, sent again: the device is told nothing while nothing can be stored.
      expect(unanswered.match(/Sent Accounting-Request/g)?.length).toBe(2);
      expect(unanswered).not.toContain('Received Accounting-Response');
      expect(t.ingest.store.state().held?.failure.code).toBe('SQLITE_FULL');
      rmSync(filler);
      await until('writes resumed', () => (t.ingest.store.state().held ? undefined : true));
      const answered = await send(3);
      expect(answered).toContain('Received Accounting-Response');
      // The unanswered request was kept and stored when the store could be written again (its
      // device would send it again, and a resend is answered from the duplicate cache).
      await t.until(() => (t.db.prepare("SELECT count(*) AS n FROM events WHERE device = 'core-rtr-9'").get() as { n: number }).n === 2);
    } finally {
      await t.stop();
      delete process.env.AAAWATCH_TEST_RADIUS;
    }
  });
});

describe('listeners first', () => {
  it('reads syslog before the catch-up over a backlog of account records finishes', async () => {
    const dir = tempDir('aaawatch-storefail-');
    const port = await freePort();
    const dbPath = join(dir, 'aaawatch.db');
    const config = join(dir, 'aaawatch.yaml');
    writeFileSync(config, `ingest:\n  udp: { host: 127.0.0.1, port: ${port} }\n  tcp: { host: 127.0.0.1, port: ${port} }\nstore:\n  path: ${dbPath}\nweb: { enabled: false }\n`);
    // A first run marks where reconciliation has judged up to; then, while serve is down, 20,000
    // account commands arrive (imported), for the next start to catch up on.
    const first = serve(config);
    await first.out.said('"why":"start"');
    expect(await first.out.stop()).toBe(0);
    const backlog = join(dir, 'backlog.log');
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      lines.push(`<189>${i}: r${i % 50}: .Nov 21 2026 22:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:username user${i} privilege 15 secret 0 Hunter22`);
    }
    writeFileSync(backlog, lines.join('\n') + '\n');
    await exec(process.execPath, [CLI, 'import', '--config', config, backlog]);

    const { out } = serve(config);
    await out.said('syslog TCP listening');
    // A device's line over TCP as soon as the listener says it is there: stored while the catch-up
    // run has not finished.
    await new Promise<void>((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => s.end('<189>1: r-live: .Nov 21 2026 23:00:00.000 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:username live privilege 1 secret 0 x\n'));
      s.on('error', reject);
      s.on('close', () => resolve());
    });
    await until('the live line stored', () => {
      const db = new Database(dbPath, { readonly: true });
      try {
        return db.prepare("SELECT id FROM events WHERE device = 'r-live'").get() ? true : undefined;
      } finally {
        db.close();
      }
    });
    expect(out.output()).not.toContain('"why":"start"');
    await out.said('"why":"start"');
    const log = out.output();
    const at = (text: string): number => log.indexOf(text);
    expect(at('syslog TCP listening')).toBeLessThan(at('catch-up started in the background'));
    expect(at('catch-up started in the background')).toBeLessThan(at('"why":"start"'));
    const run = JSON.parse(log.split('\n').find((l) => l.includes('"why":"start"'))!) as { created: number };
    expect(run.created).toBeGreaterThan(0);
    expect(await out.stop()).toBe(0);
  });

  it('stores what arrives after a restart from a store a crash left with records not yet moved', async () => {
    // As a kill -9 leaves it: records committed, not yet moved into the index tables.
    const dir = tempDir('aaawatch-storefail-');
    const dbPath = join(dir, 'aaawatch.db');
    const db = openDatabase(dbPath);
    const store = new BatchStore(db, 50);
    for (const b of batchesFor(iosCommands(1, 200), { source: '192.0.2.7' })) store.write(b);
    expect(db.prepare('SELECT min(moved) FROM index_moves').pluck().get()).toBe(0);
    db.close();
    const port = await freePort();
    const config = join(dir, 'aaawatch.yaml');
    writeFileSync(config, `ingest:\n  udp: { enabled: false }\n  tcp: { host: 127.0.0.1, port: ${port} }\nstore:\n  path: ${dbPath}\nweb: { enabled: false }\n`);
    const { out } = serve(config);
    await out.said('syslog TCP listening');
    await new Promise<void>((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => s.end('<189>1: r-live: .Nov 21 2026 23:00:00.000 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:interface Gi9/9\n'));
      s.on('error', reject);
      s.on('close', () => resolve());
    });
    const read = reading(dbPath);
    await until('the live line stored', () => (read((d) => d.prepare("SELECT id FROM events WHERE device = 'r-live'").get()) ? true : undefined));
    await until('the records moved', () => (read((d) => d.prepare('SELECT min(moved) FROM index_moves').pluck().get()) === 201 ? true : undefined));
    expect(out.output()).not.toContain('store thread failed');
    expect(await out.stop()).toBe(0);
  });

  it('upgrades a large store from before the index tables without copying it first: reading at once, the moves fill the tables behind', async () => {
    const { path: dbPath, old } = storeBefore(sortedIndex);
    // Past two moves' worth (MOVE_STEP 20,000 a step): the store thread moves them after start.
    const RECORDS = 45_000;
    const store = new BatchStore(old, 500);
    for (const b of batchesFor(iosCommands(1, RECORDS), { source: '192.0.2.7' })) store.write(b);
    old.close();
    const dir = tempDir('aaawatch-storefail-');
    const port = await freePort();
    const config = join(dir, 'aaawatch.yaml');
    writeFileSync(config, `ingest:\n  udp: { host: 127.0.0.1, port: ${port} }\n  tcp: { host: 127.0.0.1, port: ${port} }\nstore:\n  path: ${dbPath}\nweb: { enabled: false }\n`);
    const { out } = serve(config);
    await out.said('syslog UDP listening');
    const sock = dgram.createSocket('udp4');
    await new Promise<void>((r) => sock.send('<189>1: r-live: .Nov 21 2026 23:00:00.000 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:interface Gi9/9\n', port, '127.0.0.1', () => r()));
    sock.close();
    const read = reading(dbPath);
    await until('the live line stored', () => (read((db) => db.prepare("SELECT id FROM events WHERE device = 'r-live'").get()) ? true : undefined));
    // Every record reaches every table by the store thread's moves, the migration having copied none.
    await until('the moves done', () => read((db) => {
      const events = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
      const moved = db.prepare('SELECT min(moved) FROM index_moves').pluck().get() as number;
      const head = db.prepare('SELECT max(id) FROM events').pluck().get() as number;
      return moved === head && db.prepare('SELECT count(*) FROM events_by_device').pluck().get() === events ? true : undefined;
    }), 120_000);
    expect(read((db) => db.prepare('SELECT count(*) FROM events_by_actor').pluck().get())).toBe(RECORDS + 1);
    expect(await out.stop()).toBe(0);
    const verified = await exec(process.execPath, [CLI, 'verify', '--config', config]);
    expect(verified.stdout).toMatch(/ok|intact|verified/i);
  }, 300_000);
});
