// Fair connection limits on the TCP and TLS listeners: a per-source cap below the global one, a
// short stall timeout for half frames, and room made by closing the quietest connection of the
// busiest source, so one misbehaving host cannot lock the others out. Real sockets on loopback,
// with distinct 127.0.0.x addresses as distinct sources, and syslog-ng's `loggen` as the good sender.

import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { platforms } from '../../parsers/index.js';
import { ConfigError, parseConfig } from '../../src/config/load.js';
import { ConnectionTable, EVICT_QUIET_MS } from '../../src/ingest/admission.js';
import { HANDSHAKE_DEADLINE_MS } from '../../src/ingest/connections.js';
import { startTestIngest, type TestIngest } from '../support/ingest.js';
import { tempDir } from '../support/temp.js';
import { toolOrSkip } from '../support/tools.js';

const run = promisify(execFile);

let t: TestIngest | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

/** A connection from `from`; resolves once connected, or with undefined when refused or closed at once. */
function connect(port: number, from: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1', localAddress: from }, () => resolve(s));
    s.on('error', reject);
  });
}

const closed = (s: net.Socket): Promise<void> => new Promise((r) => (s.destroyed ? r() : s.once('close', () => r())));
const HALF = '300 <13>Nov  1 22:10:01 h app: the first bytes of a frame that never ends';

/** `n` connections from `from`, each sending `first` (half a frame) and then nothing. */
async function stallers(port: number, from: string, n: number, first = HALF): Promise<net.Socket[]> {
  const out: net.Socket[] = [];
  // In groups: a thousand connects at once overflow the listen backlog on a small machine.
  for (let i = 0; i < n; i += 100) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(100, n - i) }, () => connect(port, from)))));
  }
  for (const s of out) {
    s.on('error', () => {});
    if (!s.destroyed && first) s.write(first);
  }
  return out;
}

/** A folder holding a self-signed certificate (c.pem) and its key (k.pem), for a TLS listener. */
function certificateDir(): string {
  const dir = tempDir('aaawatch-fair-tls-');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-days', '2', '-subj', '/CN=localhost'], { cwd: dir, stdio: 'pipe' });
  return dir;
}

function rejects(db: TestIngest['db'], reason: string): Array<{ source: string; raw: Buffer }> {
  return db.prepare('SELECT source, raw FROM rejects WHERE reason = ? ORDER BY id').all(reason) as never;
}

describe('the connection table', () => {
  const limits = { maxConnections: 4, maxConnectionsPerSource: 3 };

  it('refuses a source past its own cap, whatever room the table has', () => {
    const table = new ConnectionTable<number>(limits);
    for (let i = 0; i < 3; i++) expect(table.admit('a', i, 0, true).admitted).toBe(true);
    expect(table.admit('a', 3, 10_000, true)).toEqual({ admitted: false, reason: 'source-connection-limit' });
    expect(table.admit('b', 4, 10_000, true).admitted).toBe(true);
  });

  it('when full, closes the quietest connection of the source holding most, not the oldest overall', () => {
    const table = new ConnectionTable<string>(limits);
    table.admit('b', 'b1', 0, true); // quiet longest, but b holds one
    table.admit('a', 'a1', 100, true);
    table.admit('a', 'a2', 50, true);
    table.admit('a', 'a3', 200, true);
    const a = table.admit('c', 'c1', 10_000, true);
    expect(a.admitted && a.evicted?.conn).toBe('a2');
    expect(table.size).toBe(4);
  });

  it('closes no connection that delivered bytes within the quiet time, nor any while not reading: the newcomer is refused', () => {
    const table = new ConnectionTable<string>(limits);
    for (const [s, c] of [['a', 'a1'], ['a', 'a2'], ['b', 'b1'], ['b', 'b2']]) table.admit(s!, c!, 1000, true);
    expect(table.admit('c', 'c1', 1000 + EVICT_QUIET_MS - 1, true)).toEqual({ admitted: false, reason: 'connection-limit' });
    expect(table.admit('c', 'c1', 1000 + EVICT_QUIET_MS, false)).toEqual({ admitted: false, reason: 'connection-limit' });
    expect(table.admit('c', 'c1', 1000 + EVICT_QUIET_MS, true).admitted).toBe(true);
  });

  it('a closed connection frees its slot and its source’s', () => {
    const table = new ConnectionTable<number>(limits);
    const slots = [0, 1, 2].map((i) => table.admit('a', i, 0, true)).map((a) => (a.admitted ? a.slot : undefined)!);
    table.remove(slots[0]!);
    table.remove(slots[0]!);
    expect(table.size).toBe(2);
    expect(table.admit('a', 3, 0, true).admitted).toBe(true);
  });
});

describe('configuration', () => {
  it('the per-source cap must be within the global one, the stall timeout within the idle one; errors name file, line and key', () => {
    const text = ['ingest:', '  tcp:', '    maxConnections: 50', '    maxConnectionsPerSource: 60', '  tls:', '    idleTimeoutSeconds: 20', '    stallTimeoutSeconds: 30', ''].join('\n');
    let problems: string[] = [];
    try {
      parseConfig(text, 'fair.yaml', platforms);
    } catch (err) {
      problems = (err as ConfigError).problems;
    }
    expect(problems).toEqual([
      'fair.yaml:4: ingest.tcp.maxConnectionsPerSource: maxConnectionsPerSource must not be above maxConnections',
      'fair.yaml:7: ingest.tls.stallTimeoutSeconds: stallTimeoutSeconds must not be above idleTimeoutSeconds',
    ]);
    // Past what a timer holds (24.8 days), a timeout would be cut short silently: refused.
    try {
      parseConfig('ingest:\n  tls:\n    idleTimeoutSeconds: 99999999999\n    stallTimeoutSeconds: 3000000\n', 'long.yaml', platforms);
      problems = [];
    } catch (err) {
      problems = (err as ConfigError).problems;
    }
    expect(problems).toEqual([
      'long.yaml:3: ingest.tls.idleTimeoutSeconds: Too big: expected number to be <=2147483',
      'long.yaml:4: ingest.tls.stallTimeoutSeconds: Too big: expected number to be <=2147483',
    ]);
    expect(parseConfig('ingest:\n  tcp:\n    maxConnectionsPerSource: 5\n    stallTimeoutSeconds: 5\n', 'ok.yaml', platforms).ingest.tcp).toMatchObject({
      maxConnections: 1000, maxConnectionsPerSource: 5, idleTimeoutSeconds: 900, stallTimeoutSeconds: 5,
    });
  });
});

describe('TCP', () => {
  it('1,000 stalled connections from one source hold only their own cap; another source gets every line through', async (ctx) => {
    toolOrSkip(ctx, 'loggen');
    t = await startTestIngest();
    const port = t.ingest.tcp!.port;
    const bad = await stallers(port, '127.0.0.2', 1000);
    await t.until(() => t!.counter('rejected.source-connection-limit') === 900);
    expect(t.ingest.tcp!.connections()).toBe(100);
    // loggen connects from 127.0.0.1: a source of its own.
    await run('loggen', ['--inet', '--stream', '--number', '5000', '--rate', '100000', '127.0.0.1', String(port)]);
    await t.until(() => t!.counter('received.tcp') === 5000);
    expect(t.counter('rejected.connection-limit') + t.counter('rejected.connection-evicted')).toBe(0);
    for (const s of bad) s.destroy();
  });

  it('a connection holding half a frame is closed at the stall timeout, long before the idle timeout; a quiet whole one stays', async () => {
    t = await startTestIngest((c) => {
      c.store.storeAllMessages = true;
      c.ingest.tcp.stallTimeoutSeconds = 1;
    });
    const port = t.ingest.tcp!.port;
    const half = await connect(port, '127.0.0.2');
    const quiet = await connect(port, '127.0.0.3');
    const noLf = await connect(port, '127.0.0.4');
    quiet.write('<13>Nov  1 22:10:01 h app: a whole line\n');
    half.write(HALF);
    // LF-framed, its LF not sent: at the stall it is read as at the connection's end, a message.
    noLf.write('<13>Nov  1 22:10:01 h app: a line whose LF never came');
    await Promise.all([closed(half), closed(noLf)]);
    await t.until(() => t!.counter('rejected.stalled-mid-frame') === 2 && t!.counter('received.tcp') === 2);
    expect(quiet.destroyed).toBe(false);
    expect(t.counter('rejected.idle-timeout') + t.counter('rejected.truncated-frame')).toBe(0);
    expect(rejects(t.db, 'stalled-mid-frame').map((r) => [r.source, r.raw.toString()]).sort()).toEqual([
      ['127.0.0.2', HALF],
      ['127.0.0.4', '<13>Nov  1 22:10:01 h app: a line whose LF never came'],
    ]);
    expect(t.db.prepare('SELECT raw FROM messages ORDER BY id').pluck().all()).toEqual([
      '<13>Nov  1 22:10:01 h app: a whole line',
      '<13>Nov  1 22:10:01 h app: a line whose LF never came',
    ]);
    quiet.destroy();
  });

  it('with the table full, a new source takes the slot of the quietest connection of the source holding most', async () => {
    t = await startTestIngest((c) => {
      c.store.storeAllMessages = true;
      c.ingest.tcp.maxConnections = 20;
      c.ingest.tcp.maxConnectionsPerSource = 15;
    });
    const port = t.ingest.tcp!.port;
    const many = await stallers(port, '127.0.0.2', 15);
    const few = await stallers(port, '127.0.0.4', 5);
    await t.until(() => t!.ingest.tcp!.connections() === 20);
    // Quiet long enough to be closed to make room (a busier connection never is).
    await new Promise((r) => setTimeout(r, EVICT_QUIET_MS + 200));
    const good = await connect(port, '127.0.0.3');
    const lines = Array.from({ length: 100 }, (_, i) => `<13>Nov  1 22:10:01 h app: line ${i}\n`).join('');
    good.end(lines);
    await t.until(() => t!.counter('received.tcp') === 100);
    expect(t.counter('rejected.connection-evicted')).toBe(1);
    expect(rejects(t.db, 'connection-evicted').map((r) => [r.source, r.raw.toString()])).toEqual([['127.0.0.2', HALF]]);
    expect(few.filter((s) => s.destroyed)).toHaveLength(0);
    await t.until(() => many.filter((s) => s.destroyed).length === 1);
    for (const s of [...many, ...few]) s.destroy();
  });
});

describe('TCP: half frames dribbled a byte at a time', () => {
  /** Every `ms`, one more byte of each socket's half frame: each read restarts any inactivity clock. */
  function dribble(sockets: net.Socket[], ms: number): NodeJS.Timeout {
    return setInterval(() => {
      for (const s of sockets) if (!s.destroyed) s.write('y');
    }, ms);
  }

  it('a connection dribbling half a frame is closed at the stall timeout from the frame’s first byte; one sending whole lines slowly stays', async () => {
    t = await startTestIngest((c) => {
      c.ingest.tcp.stallTimeoutSeconds = 1;
      c.ingest.tcp.idleTimeoutSeconds = 60;
    });
    const port = t.ingest.tcp!.port;
    const [slow] = await stallers(port, '127.0.0.2', 1);
    const lines = await connect(port, '127.0.0.3');
    const timer = dribble([slow!], 200);
    const wholeLines = setInterval(() => lines.write('<13>Nov  1 22:10:01 h app: a whole line\n'), 200);
    const started = Date.now();
    await Promise.race([closed(slow!), new Promise((r) => setTimeout(r, 5000))]);
    const held = Date.now() - started;
    clearInterval(timer);
    clearInterval(wholeLines);
    expect(slow!.destroyed).toBe(true);
    expect(held).toBeLessThan(3000);
    await t.until(() => t!.counter('rejected.stalled-mid-frame') === 1);
    expect(lines.destroyed).toBe(false);
    lines.destroy();
  });

  it('with the table full of connections dribbling half frames from many sources, a new sender still gets in', async () => {
    t = await startTestIngest((c) => {
      c.store.storeAllMessages = true;
      c.ingest.tcp.maxConnections = 40;
      c.ingest.tcp.maxConnectionsPerSource = 5;
      c.ingest.tcp.stallTimeoutSeconds = 30;
    });
    const port = t.ingest.tcp!.port;
    const bad: net.Socket[] = [];
    for (let i = 0; i < 10; i++) bad.push(...(await stallers(port, `127.0.0.${10 + i}`, 4)));
    await t.until(() => t!.ingest.tcp!.connections() === 40);
    // A byte from each every 300 ms: each connection "delivered bytes" within the last second, always.
    const timer = dribble(bad, 300);
    await new Promise((r) => setTimeout(r, EVICT_QUIET_MS + 500));
    const good = await connect(port, '127.0.0.3');
    good.end(Array.from({ length: 100 }, (_, i) => `<13>Nov  1 22:10:01 h app: line ${i}\n`).join(''));
    await t.until(() => t!.counter('received.tcp') === 100);
    clearInterval(timer);
    expect(t.counter('rejected.connection-limit')).toBe(0);
    expect(t.counter('rejected.connection-evicted')).toBe(1);
    for (const s of bad) s.destroy();
  });
});

describe('TLS', () => {
  it('connections that never finish their handshake count against their source before TLS spends work on them', async (ctx) => {
    toolOrSkip(ctx, 'openssl');
    const dir = certificateDir();
    t = await startTestIngest((c) => {
      c.store.storeAllMessages = true;
      c.ingest.tls = { ...c.ingest.tls, cert: join(dir, 'c.pem'), key: join(dir, 'k.pem'), maxConnectionsPerSource: 5 };
    });
    const port = t.ingest.tls!.port;
    // Plain TCP connections to the TLS port: no ClientHello, ever.
    const silent = await stallers(port, '127.0.0.2', 50, '');
    await t.until(() => t!.counter('rejected.source-connection-limit') === 45);
    const msg = '<13>1 2026-11-21T22:10:01Z router1 app - - - over TLS past the stalled ones';
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect({ port, host: '127.0.0.1', localAddress: '127.0.0.3' });
      const s = tls.connect({ socket, ca: readFileSync(join(dir, 'c.pem')), servername: 'localhost' }, () => s.end(`${msg.length} ${msg}`));
      s.on('error', reject);
      s.on('close', () => resolve());
    });
    await t.until(() => t!.counter('received.tls') === 1);
    expect(t.counter('rejected.tls-handshake')).toBe(0);
    for (const s of silent) s.destroy();
  });

  it('a handshake dribbled a byte at a time is closed 10 s after the connection, and counted', async (ctx) => {
    toolOrSkip(ctx, 'openssl');
    const dir = certificateDir();
    t = await startTestIngest((c) => {
      c.ingest.tls = { ...c.ingest.tls, cert: join(dir, 'c.pem'), key: join(dir, 'k.pem') };
    });
    const [s] = await stallers(t.ingest.tls!.port, '127.0.0.2', 1, '');
    // A TLS record header announcing a 512-byte ClientHello, then its bytes one every 2 s.
    const hello = Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]), Buffer.alloc(501, 1)]);
    let sent = 0;
    const timer = setInterval(() => s!.write(hello.subarray(sent, ++sent)), 2000);
    const started = Date.now();
    await closed(s!);
    clearInterval(timer);
    expect(Date.now() - started).toBeLessThan(HANDSHAKE_DEADLINE_MS + 1500);
    await t.until(() => t!.counter('rejected.tls-handshake') === 1);
  }, 20_000);
});
