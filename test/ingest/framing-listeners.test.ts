// Bad frames on real connections: an oversize LF-framed message is kept up to the limit and
// flagged, an oversize octet-counted frame is skipped, and the good messages on either side of
// either one are stored; only a count no frame can have closes the connection. Senders: node's
// net, util-linux `logger` (LF framing and --octet-count, several messages on one connection from
// a file), syslog-ng's `loggen`.

import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestIngest, type TestIngest } from '../support/ingest.js';
import { tempDir } from '../support/temp.js';
import { toolOrSkip } from '../support/tools.js';

const run = promisify(execFile);

let t: TestIngest | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });
}

const closed = (s: net.Socket): Promise<void> => new Promise((r) => (s.destroyed ? r() : s.once('close', () => r())));
const octet = (m: string): string => `${Buffer.byteLength(m)} ${m}`;

function messages(db: TestIngest['db']): Array<{ raw: string; truncated: number }> {
  return db.prepare('SELECT raw, truncated FROM messages ORDER BY id').all() as never;
}

function rejects(db: TestIngest['db']): Array<{ reason: string; raw: Buffer }> {
  return db.prepare('SELECT reason, raw FROM rejects ORDER BY id').all() as never;
}

/** A self-signed certificate for a TLS listener. */
function selfSigned(): { cert: string; key: string } {
  const dir = tempDir('aaawatch-framing-tls-');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-days', '2', '-subj', '/CN=localhost'], { cwd: dir, stdio: 'pipe' });
  return { cert: join(dir, 'c.pem'), key: join(dir, 'k.pem') };
}

/** A test ingest with TLS on a self-signed certificate and messages cut at `maxMessageBytes` (every one stored with `storeAll`). */
function startWithTls(maxMessageBytes: number, o: { storeAll?: boolean } = {}): Promise<TestIngest> {
  const c = selfSigned();
  return startTestIngest((cfg) => {
    if (o.storeAll) cfg.store.storeAllMessages = true;
    cfg.ingest.maxMessageBytes = maxMessageBytes;
    cfg.ingest.tls = { ...cfg.ingest.tls, cert: c.cert, key: c.key };
  });
}

const good = (n: number): string => `<13>Nov  1 22:10:01 h app: good line ${n}`;

describe('LF framing: an oversize message is truncated and reading resumes at its LF', () => {
  it('good, oversize, good on one connection: all three stored, the oversize one cut at the limit and flagged', async () => {
    t = await startTestIngest((c) => {
      c.store.storeAllMessages = true;
      c.ingest.maxMessageBytes = 1024;
    });
    const s = await connect(t.ingest.tcp!.port);
    const big = `<13>Nov  1 22:10:01 h app: big ${'y'.repeat(5000)}`;
    // Written in pieces, so the oversize one spans several reads.
    s.write(`${good(1)}\n${big.slice(0, 3000)}`);
    await new Promise((r) => setTimeout(r, 50));
    s.write(`${big.slice(3000)}\n${good(2)}\n`);
    await t.until(() => t!.counter('received.tcp') === 3);
    expect(messages(t.db)).toEqual([
      { raw: good(1), truncated: 0 },
      { raw: big.slice(0, 1024), truncated: 1 },
      { raw: good(2), truncated: 0 },
    ]);
    expect(t.counter('malformed.oversize-line')).toBe(1);
    expect(rejects(t.db).map((r) => [r.reason, r.raw.toString()])).toEqual([['oversize-line', big.slice(0, 1024)]]);
    expect(s.destroyed).toBe(false);
    s.destroy();
  });

  it('a record read from a truncated message is stored and flagged truncated', async () => {
    t = await startTestIngest((c) => {
      c.ingest.maxMessageBytes = 600;
    });
    const s = await connect(t.ingest.tcp!.port);
    const banner = `<189>2406: router1: *Nov 21 22:10:01.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:banner motd ^${'x'.repeat(900)}^`;
    s.end(`${banner}\n<189>2407: router1: *Nov 21 22:10:02.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:no banner motd\n`);
    await t.until(() => t!.counter('recognised.records') === 2);
    const rows = t.db.prepare('SELECT command, truncated, length(raw) AS n FROM events ORDER BY id').all();
    expect(rows).toEqual([
      { command: `banner motd ^${'x'.repeat(600 - banner.indexOf('banner') - 'banner motd ^'.length)}`, truncated: 1, n: 600 },
      { command: 'no banner motd', truncated: 0, n: expect.any(Number) as number },
    ]);
  });

  it('real sender: logger (LF framing) sends good, oversize, good from a file on one connection', async (ctx) => {
    toolOrSkip(ctx, 'logger');
    t = await startTestIngest((c) => {
      c.store.storeAllMessages = true;
      c.ingest.maxMessageBytes = 1024;
    });
    const file = join(t.dir, 'lines');
    writeFileSync(file, ['first good', `oversize ${'z'.repeat(4000)}`, 'second good'].join('\n') + '\n');
    await run('logger', ['-T', '-n', '127.0.0.1', '-P', String(t.ingest.tcp!.port), '--rfc3164', '-t', 'lf', '--size', '8192', '-f', file]);
    await t.until(() => t!.counter('received.tcp') === 3);
    const rows = messages(t.db);
    expect(rows.map((r) => r.raw.replace(/^.* lf: /, ''))).toEqual(['first good', expect.stringMatching(/^oversize z+$/) as string, 'second good']);
    expect(rows.map((r) => [Buffer.byteLength(r.raw) <= 1024, r.truncated])).toEqual([[true, 0], [true, 1], [true, 0]]);
    expect(Buffer.byteLength(rows[1]!.raw)).toBe(1024);
    expect(t.counter('malformed.oversize-line')).toBe(1);
  });

  it('real sender: loggen over LF framing, every message over the limit: each kept truncated and counted, none lost', async (ctx) => {
    toolOrSkip(ctx, 'loggen');
    t = await startTestIngest((c) => {
      c.ingest.maxMessageBytes = 512;
    });
    await run('loggen', ['--inet', '--stream', '--size', '2000', '--number', '1000', '--rate', '100000', '127.0.0.1', String(t.ingest.tcp!.port)]);
    await t.until(() => t!.counter('received.tcp') === 1000);
    expect(t.counter('malformed.oversize-line')).toBe(1000);
    expect(t.counter('rejected.bad-octet-count') + t.counter('rejected.oversize-frame')).toBe(0);
  });
});

describe('octet counting: a count over the limit is skipped, a count no frame can have closes', () => {
  it('good, oversize (70000), good on one connection: both good frames stored, the oversize one counted and sampled', async () => {
    t = await startTestIngest((c) => {
      c.store.storeAllMessages = true;
    });
    const s = await connect(t.ingest.tcp!.port);
    const big = `<13>Nov  1 22:10:01 h app: big ${'q'.repeat(70_000 - 31)}`;
    expect(Buffer.byteLength(big)).toBe(70_000);
    s.write(octet(good(1)) + octet(big) + octet(good(2)) + `${good(3)}\n`);
    await t.until(() => t!.counter('received.tcp') === 3);
    expect(messages(t.db).map((r) => r.raw)).toEqual([good(1), good(2), good(3)]);
    expect(t.counter('rejected.oversize-frame')).toBe(1);
    const kept = rejects(t.db);
    expect(kept.map((r) => r.reason)).toEqual(['oversize-frame']);
    expect(kept[0]!.raw.toString()).toBe(`70000 ${big}`.slice(0, 256));
    expect(s.destroyed).toBe(false);
    s.destroy();
  });

  it('`12345678901 ` is a bad octet count: counted as such, the connection closed, the good frame before it stored', async () => {
    t = await startTestIngest((c) => {
      c.store.storeAllMessages = true;
    });
    const s = await connect(t.ingest.tcp!.port);
    s.write(octet(good(1)) + '12345678901 <13>Nov  1 22:10:01 h app: never a frame');
    await closed(s);
    await t.until(() => t!.counter('rejected.bad-octet-count') === 1);
    expect(messages(t.db).map((r) => r.raw)).toEqual([good(1)]);
    expect(t.counter('rejected.oversize-frame')).toBe(0);
    expect(rejects(t.db).map((r) => [r.reason, r.raw.toString().slice(0, 12)])).toEqual([['bad-octet-count', '12345678901 ']]);
  });

  it('real sender: logger --octet-count sends good, oversize, good from a file on one connection', async (ctx) => {
    toolOrSkip(ctx, 'logger');
    t = await startTestIngest((c) => {
      c.store.storeAllMessages = true;
      c.ingest.maxMessageBytes = 1024;
    });
    const file = join(t.dir, 'lines');
    writeFileSync(file, ['first good', `oversize ${'z'.repeat(4000)}`, 'second good'].join('\n') + '\n');
    await run('logger', ['-T', '--octet-count', '-n', '127.0.0.1', '-P', String(t.ingest.tcp!.port), '--rfc5424', '-t', 'oc', '--size', '8192', '-f', file]);
    await t.until(() => t!.counter('received.tcp') === 2 && t!.counter('rejected.oversize-frame') === 1);
    expect(messages(t.db).map((r) => r.raw.replace(/^.*\] /, ''))).toEqual(['first good', 'second good']);
    expect(t.counter('rejected.bad-octet-count')).toBe(0);
  });
});

describe('what is kept of a bad frame has its secrets removed', () => {
  it('the sample of a skipped octet-counted frame and the kept start of a truncated line', async () => {
    t = await startTestIngest((c) => {
      c.store.storeAllMessages = true;
      c.ingest.maxMessageBytes = 512;
    });
    const secretLine = '<189>2406: r1: *Nov 21 22:10:01.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:bob  logged command:username eve secret 0 FrameSecret1 ';
    const s = await connect(t.ingest.tcp!.port);
    s.end(octet(secretLine + 'p'.repeat(1000)) + `${secretLine}${'q'.repeat(1000)}\n` + `${good(1)}\n`);
    await t.until(() => t!.counter('received.tcp') === 2 && t!.counter('rejected.oversize-frame') === 1);
    const kept = rejects(t.db).map((r) => [r.reason, r.raw.toString()]);
    expect(kept.map(([reason]) => reason).sort()).toEqual(['oversize-frame', 'oversize-line']);
    for (const [, raw] of kept) {
      expect(raw).not.toContain('FrameSecret1');
      expect(raw).toContain('username eve secret 0 <redacted>');
    }
    expect(JSON.stringify(messages(t.db))).not.toContain('FrameSecret1');
  });
});

describe('TLS: the same framing inside the TLS stream', () => {
  it('good, oversize octet-counted, good, oversize LF-framed, good on one TLS connection: every good one stored', async (ctx) => {
    toolOrSkip(ctx, 'openssl');
    t = await startWithTls(1024, { storeAll: true });
    const bigLf = `<13>Nov  1 22:10:01 h app: big lf ${'w'.repeat(3000)}`;
    await new Promise<void>((resolve, reject) => {
      const s = tls.connect({ port: t!.ingest.tls!.port, host: '127.0.0.1', ca: readFileSync(t!.config.ingest.tls.cert!), servername: 'localhost' }, () =>
        s.end(octet(good(1)) + octet(`<13>${'o'.repeat(5000)}`) + octet(good(2)) + `${bigLf}\n` + octet(good(3))),
      );
      s.on('error', reject);
      s.on('close', () => resolve());
    });
    await t.until(() => t!.counter('received.tls') === 4);
    expect(messages(t.db)).toEqual([
      { raw: good(1), truncated: 0 },
      { raw: good(2), truncated: 0 },
      { raw: bigLf.slice(0, 1024), truncated: 1 },
      { raw: good(3), truncated: 0 },
    ]);
    expect([t.counter('rejected.oversize-frame'), t.counter('malformed.oversize-line')]).toEqual([1, 1]);
  });

  it('real sender: loggen over TLS with every message over the limit: each kept truncated, none lost', async (ctx) => {
    toolOrSkip(ctx, 'openssl');
    toolOrSkip(ctx, 'loggen');
    t = await startWithTls(512);
    await run('loggen', ['-U', '--size', '2000', '--number', '500', '--rate', '50000', '127.0.0.1', String(t.ingest.tls!.port)]);
    await t.until(() => t!.counter('received.tls') === 500);
    expect(t.counter('malformed.oversize-line')).toBe(500);
  });
});

describe('bytes that are no frame on a connection that sends no LF', () => {
  // An octet-counting sender (rsyslog's omfwd with TCP_Framing="octet-counted", RFC 5425 TLS)
  // writes no LF: bytes where a count was expected must cost only themselves, not every frame after.
  const junk = ['garbage', '0 ', `${Buffer.byteLength(good(900))}${good(900)}`, '\u0000\u00ff'];
  const stream = (tag: string): { bytes: Buffer; want: string[] } => {
    let s = '';
    const want: string[] = [];
    for (let i = 0; i < 200; i++) {
      if (i % 20 === 10) s += junk[(i / 20) % junk.length | 0];
      const m = good(i).replace('good', tag);
      s += i % 50 === 25 ? `000${octet(m)}` : octet(m);
      want.push(m);
    }
    return { bytes: Buffer.from(s, 'latin1'), want };
  };

  async function send(open: () => net.Socket, bytes: Buffer, event: 'connect' | 'secureConnect'): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const s = open();
      s.on(event, async () => {
        // In writes of 1 to 700 bytes, so frames and junk are split anywhere.
        for (let p = 0, n = 1; p < bytes.length; p += n, n = (n * 7) % 701 || 1) {
          s.write(bytes.subarray(p, p + n));
          if (p % 5 === 0) await new Promise((r) => setImmediate(r));
        }
        s.end();
      });
      s.on('error', reject);
      s.on('close', () => resolve());
    });
  }

  it('TCP and TLS: every good frame stored as itself, the junk kept as messages of its own, the connection open', async (ctx) => {
    toolOrSkip(ctx, 'openssl');
    t = await startWithTls(1024, { storeAll: true });
    const tcp = stream('tcp');
    await send(() => net.connect(t!.ingest.tcp!.port, '127.0.0.1'), tcp.bytes, 'connect');
    const tlsStream = stream('tls');
    await send(() => tls.connect({ port: t!.ingest.tls!.port, host: '127.0.0.1', rejectUnauthorized: false }), tlsStream.bytes, 'secureConnect');
    await t.until(() => t!.counter('received.tcp') === 210 && t!.counter('received.tls') === 210);
    const raws = messages(t.db).map((m) => m.raw);
    expect(raws.filter((r) => r.includes(' tcp line '))).toEqual(tcp.want);
    expect(raws.filter((r) => r.includes(' tls line '))).toEqual(tlsStream.want);
    // The junk: 10 pieces a connection, each a message of its own, none truncated.
    expect(raws.filter((r) => !r.startsWith('<13>')).length).toBe(2 * 10);
    expect(messages(t.db).every((m) => m.truncated === 0)).toBe(true);
  });

  it('NUL-terminated frames (syslog-ng, older devices) are one message each', async () => {
    t = await startTestIngest((cfg) => {
      cfg.store.storeAllMessages = true;
    });
    const lines = Array.from({ length: 50 }, (_, i) => good(i));
    await send(() => net.connect(t!.ingest.tcp!.port, '127.0.0.1'), Buffer.from(lines.join('\0') + '\0'), 'connect');
    await t.until(() => t!.counter('received.tcp') === 50);
    expect(messages(t.db).map((m) => m.raw)).toEqual(lines);
  });
});

describe('a stop while a sender is mid-frame', () => {
  it('counts the frame held as stopped-mid-frame with its start kept, over TCP and TLS, as a stall counts it', async () => {
    for (const transport of ['tcp', 'tls'] as const) {
      const ti = await startWithTls(1024, { storeAll: true });
      t = ti;
      const port = ti.ingest[transport]!.port;
      const s = transport === 'tcp' ? net.connect(port, '127.0.0.1') : tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false });
      s.on('error', () => {});
      await new Promise<void>((r) => s.once(transport === 'tcp' ? 'connect' : 'secureConnect', () => r()));
      // A whole line, then the start of the next: the sender is still writing it when serve stops.
      s.write(`${good(1)}\n<13>Nov  1 22:10:01 h app: cut by the st`);
      await ti.until(() => ti.counter(`received.${transport}`) === 1);
      await ti.ingest.stop();
      t = undefined;
      // Read as the connection's last message, as at a stall, but no longer as if nothing was wrong with it.
      expect(messages(ti.db)).toEqual([{ raw: good(1), truncated: 0 }, { raw: '<13>Nov  1 22:10:01 h app: cut by the st', truncated: 0 }]);
      expect(rejects(ti.db).map((r) => [r.reason, Buffer.from(r.raw).toString()])).toEqual([['stopped-mid-frame', '<13>Nov  1 22:10:01 h app: cut by the st']]);
      expect(ti.counter('rejected.stopped-mid-frame')).toBe(1);
      s.destroy();
      ti.db.close();
    }
  });
});
