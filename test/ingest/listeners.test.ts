// The listeners over real sockets on loopback, with real senders where they exist (util-linux
// `logger`, syslog-ng's `loggen`, OpenSSL certificates).

import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, type TestContext } from 'vitest';
import { toolOrSkip } from '../support/tools.js';
import { startTestIngest, type TestIngest } from '../support/ingest.js';
import { tempDir } from '../support/temp.js';

// Senders run asynchronously: the listener lives in this process, and a synchronous child would
// block the event loop it needs to answer (a TLS handshake deadlocks).
const run = promisify(execFile);

let t: TestIngest | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const storeAll = (c: { store: { storeAllMessages: boolean } }): void => {
  c.store.storeAllMessages = true;
};

function rows(db: TestIngest['db']): Array<{ raw: string; transport: string; source: string; program: string | null }> {
  return db.prepare('SELECT raw, transport, source, program FROM messages ORDER BY id').all() as never;
}

function sendUdp(port: number, payload: Buffer | string, host = '127.0.0.1'): Promise<void> {
  const s = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  return new Promise((resolve, reject) => s.send(payload, port, host, (err) => (s.close(), err ? reject(err) : resolve())));
}

function connect(port: number, from = '127.0.0.1'): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1', localAddress: from }, () => resolve(s));
    s.on('error', reject);
  });
}

const closed = (s: net.Socket): Promise<void> => new Promise((r) => (s.destroyed ? r() : s.once('close', () => r())));

describe('UDP', () => {
  it('stores one message per datagram over IPv4 and IPv6, and reports the granted receive buffer', async () => {
    t = await startTestIngest(storeAll);
    const port = t.ingest.udp!.port;
    await sendUdp(port, '<13>Nov  1 22:10:01 v4host app: over IPv4\n');
    await sendUdp(port, '<13>Nov  1 22:10:01 v6host app: over IPv6', '::1');
    await t.until(() => t!.counter('received.udp') === 2);
    expect(rows(t.db).map((r) => [r.raw, r.source])).toEqual([
      ['<13>Nov  1 22:10:01 v4host app: over IPv4\n', '127.0.0.1'],
      ['<13>Nov  1 22:10:01 v6host app: over IPv6', '::1'],
    ]);
    expect(t.ingest.udp!.recvBufferBytes).toBeGreaterThanOrEqual(212992);
  });

  it('keeps a datagram over the size limit up to the limit, flagged truncated, and counts it', async () => {
    t = await startTestIngest((c) => {
      storeAll(c);
      c.ingest.maxMessageBytes = 600;
    });
    await sendUdp(t.ingest.udp!.port, '<13>' + 'x'.repeat(700));
    await sendUdp(t.ingest.udp!.port, '<13>fits');
    await t.until(() => t!.counter('received.udp') === 2 && t!.counter('malformed.oversize-datagram') === 1);
    const stored = t.db.prepare('SELECT length(raw) AS n, truncated FROM messages ORDER BY id').all();
    expect(stored).toEqual([{ n: 600, truncated: 1 }, { n: 8, truncated: 0 }]);
    const kept = t.db.prepare('SELECT reason, length(raw) AS n FROM rejects').all();
    expect(kept).toEqual([{ reason: 'oversize-datagram', n: 600 }]);
  });

  it('keeps an oversize datagram, as a message and as a reject, with its secrets removed', async () => {
    t = await startTestIngest((c) => {
      storeAll(c);
      c.ingest.maxMessageBytes = 600;
    });
    const line = '<13>Nov  1 22:10:01 r1 %PARSER-5-CFGLOG_LOGGEDCMD: User:bob  logged command:username eve secret 0 OversizeSecret1 ';
    await sendUdp(t.ingest.udp!.port, line + 'x'.repeat(700));
    await t.until(() => t!.counter('malformed.oversize-datagram') === 1);
    // A clear (type 0) value runs to the line's end as IOS reads it: the padding after it is part of it.
    const redacted = line.replace('OversizeSecret1 ', '<redacted>');
    const reject = (t.db.prepare('SELECT raw FROM rejects').get() as { raw: Buffer }).raw.toString('utf8');
    expect(reject).toBe(redacted);
    for (const r of t.db.prepare('SELECT raw FROM messages').all() as Array<{ raw: string }>) expect(r.raw).not.toContain('OversizeSecret1');
    expect(reject).not.toContain('OversizeSecret1');
  });

  it('the allow-list refuses other senders', async () => {
    t = await startTestIngest((c) => {
      c.ingest.allow = ['10.0.0.0/8', '2001:db8::/32'];
    });
    await sendUdp(t.ingest.udp!.port, '<13>from loopback');
    const s = await connect(t.ingest.tcp!.port);
    await closed(s);
    await t.until(() => t!.counter('rejected.source-not-allowed') === 2);
    expect(t.counter('received.udp')).toBe(0);
  });

  it('real sender: util-linux logger, RFC 3164 and RFC 5424', async (ctx) => {
    toolOrSkip(ctx, 'logger');
    t = await startTestIngest(storeAll);
    const port = String(t.ingest.udp!.port);
    await run('logger', ['--udp', '-n', '127.0.0.1', '-P', port, '--rfc3164', '-t', 'bsdtag', 'hello 3164']);
    await run('logger', ['--udp', '-n', '127.0.0.1', '-P', port, '--rfc5424', '-t', 'tag5424', '--msgid', 'CMD', '--sd-id', 'x@32473', '--sd-param', 'user="admin"', 'hello 5424']);
    await t.until(() => t!.counter('received.udp') === 2);
    expect(rows(t.db).map((r) => r.program)).toEqual(['bsdtag', 'tag5424']);
  });
});

describe('TCP', () => {
  it('reads octet-counted and LF-framed messages on the same port', async () => {
    t = await startTestIngest(storeAll);
    const s = await connect(t.ingest.tcp!.port);
    const m = '<13>1 2026-11-21T22:10:01Z h app - - - multi\nline';
    s.end(`${Buffer.byteLength(m)} ${m}<13>Nov  1 22:10:01 h app: lf framed\n`);
    await t.until(() => t!.counter('received.tcp') === 2);
    expect(rows(t.db).map((r) => r.raw)).toEqual([m, '<13>Nov  1 22:10:01 h app: lf framed']);
  });

  it('a 9 MB burst on one connection arrives whole (reads rest between bursts, never lose any)', async () => {
    t = await startTestIngest();
    const s = await connect(t.ingest.tcp!.port);
    const lines = Array.from({ length: 50_000 }, (_, i) => `<13>Nov  1 22:10:01 h app: line ${i} ${'x'.repeat(160)}\n`);
    s.end(lines.join(''));
    await t.until(() => t!.counter('received.tcp') === 50_000);
    // Traffic counts follow their records by up to a second (the writer holds them, src/store/writer.ts COUNTS_MS).
    const traffic = (): unknown => t!.db.prepare("SELECT messages FROM traffic WHERE device = 'h' AND program = 'app'").get();
    await t.until(() => (traffic() as { messages: number } | undefined)?.messages === 50_000);
    expect(traffic()).toEqual({ messages: 50_000 });
  });

  it('while the store is behind, connections are not read; reading resumes after', async () => {
    t = await startTestIngest();
    const s = await connect(t.ingest.tcp!.port);
    s.write('<13>Nov  1 22:10:01 h app: first\n');
    await t.until(() => t!.counter('received.tcp') === 1);
    t.ingest.tcp!.setPaused(true);
    await new Promise<void>((r) => s.write('<13>Nov  1 22:10:01 h app: second\n', () => r()));
    // On loopback the line is in the listener's socket queue now; an unpaused socket would read
    // it on the next turn of the event loop. Give it many.
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    await t.ingest.settle();
    expect(t.counter('received.tcp')).toBe(1);
    t.ingest.tcp!.setPaused(false);
    await t.until(() => t!.counter('received.tcp') === 2);
    s.destroy();
  });

  it('an octet count of 2^31 closes that connection only, as a bad count; an oversize LF-framed message closes none', async () => {
    t = await startTestIngest((c) => {
      storeAll(c);
      c.ingest.maxMessageBytes = 1024;
    });
    const good = await connect(t.ingest.tcp!.port);
    const big = await connect(t.ingest.tcp!.port);
    const huge = await connect(t.ingest.tcp!.port);
    big.write('<13>' + 'y'.repeat(5000));
    huge.write('2147483648 <13>start of a frame that will never end');
    await closed(huge);
    good.write('<13>Nov  1 22:10:01 h app: still here\n');
    await t.until(() => t!.counter('received.tcp') === 2);
    expect([good.destroyed, big.destroyed]).toEqual([false, false]);
    good.destroy();
    big.destroy();
    expect(t.counter('rejected.bad-octet-count')).toBe(1);
    expect(t.counter('malformed.oversize-line')).toBe(1);
  });

  it('a client that sends half a frame and stalls is closed at the idle timeout, and counted', async () => {
    t = await startTestIngest((c) => {
      c.ingest.tcp.idleTimeoutSeconds = 1;
    });
    const s = await connect(t.ingest.tcp!.port);
    s.write('200 <13>only part of the promised two hundred bytes');
    await closed(s);
    await t.until(() => t!.counter('rejected.stalled-mid-frame') === 1);
    expect(t.counter('received.tcp')).toBe(0);
  });

  it('500 idle connections from other senders do not stop a new sender', async () => {
    t = await startTestIngest(storeAll);
    const port = t.ingest.tcp!.port;
    const idle = await Promise.all(Array.from({ length: 500 }, (_, i) => connect(port, `127.0.0.${10 + (i % 5)}`)));
    await t.until(() => t!.ingest.tcp!.connections() === 500);
    const s = await connect(port);
    s.end('<13>Nov  1 22:10:01 h app: after 500 idle\n');
    await t.until(() => t!.counter('received.tcp') === 1);
    for (const i of idle) i.destroy();
  });

  it('with the table full while the store is behind, the extra connection is refused and counted (none closed to make room)', async () => {
    t = await startTestIngest((c) => {
      c.ingest.tcp.maxConnections = 3;
      c.ingest.tcp.maxConnectionsPerSource = 3;
    });
    const open = await Promise.all([1, 2, 3].map(() => connect(t!.ingest.tcp!.port)));
    await t.until(() => t!.ingest.tcp!.connections() === 3);
    t.ingest.tcp!.setPaused(true);
    const extra = await connect(t.ingest.tcp!.port, '127.0.0.2');
    await closed(extra);
    await t.until(() => t!.counter('rejected.connection-limit') === 1);
    expect(open.map((s) => s.destroyed)).toEqual([false, false, false]);
    expect(t.counter('rejected.connection-evicted')).toBe(0);
    for (const s of open) s.destroy();
  });

  it('a non-UTF-8 payload is stored byte for byte and counted', async () => {
    t = await startTestIngest(storeAll);
    const s = await connect(t.ingest.tcp!.port);
    const sent = Buffer.concat([Buffer.from('<13>Nov  1 22:10:01 h app: user '), Buffer.from([0xc3, 0x28, 0xff])]);
    s.end(Buffer.concat([sent, Buffer.from('\n')]));
    await t.until(() => t!.counter('received.tcp') === 1);
    expect(rows(t.db)[0]!.raw).toBe('<13>Nov  1 22:10:01 h app: user \\xC3(\\xFF');
    expect(t.db.prepare('SELECT raw_bytes FROM messages').pluck().get()).toEqual(sent);
    expect(t.counter('malformed.not-utf8')).toBe(1);
  });

  it('stopping reads what senders already sent before closing their connections', async (ctx) => {
    toolOrSkip(ctx, 'loggen');
    t = await startTestIngest((c) => c);
    await run('loggen', ['--inet', '--stream', '--number', '100000', '--rate', '1000000', '127.0.0.1', String(t.ingest.tcp!.port)]);
    // loggen is done once its bytes are in the kernel; much of them are unread here yet.
    await t.ingest.stop();
    const stored = t.db.prepare("SELECT value FROM counters WHERE name = 'received.tcp'").get() as { value: number };
    expect(stored.value).toBe(100_000);
    const dir = t.dir;
    t.db.close();
    rmSync(dir, { recursive: true, force: true });
    t = undefined;
  });

  it('real senders: logger with octet counting, loggen with LF framing and RFC 5424 octet counting', async (ctx) => {
    toolOrSkip(ctx, 'logger');
    toolOrSkip(ctx, 'loggen');
    t = await startTestIngest((c) => c);
    const port = String(t.ingest.tcp!.port);
    await run('logger', ['-T', '-n', '127.0.0.1', '-P', port, '--octet-count', '--rfc5424', '-t', 'x', 'octet counted']);
    await run('loggen', ['--inet', '--stream', '--number', '2000', '--rate', '100000', '127.0.0.1', port]);
    await run('loggen', ['--inet', '--stream', '--syslog-proto', '--number', '2000', '--rate', '100000', '127.0.0.1', port]);
    await t.until(() => t!.counter('received.tcp') === 4001);
    expect(t.counter('malformed.rfc5424-bad-timestamp') + t.counter('malformed.bad-pri')).toBe(0);
  });
});

describe('TLS (RFC 5425)', () => {
  function certificates(ctx: TestContext): { dir: string; ca: string; serverCert: string; serverKey: string; clientCert: string; clientKey: string } {
    toolOrSkip(ctx, 'openssl');
    const dir = tempDir('aaawatch-tls-');
    const run = (...args: string[]): void => {
      execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    };
    run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=test-ca');
    for (const who of ['server', 'client']) {
      run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=${who === 'server' ? 'localhost' : 'router1'}`);
      run('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${who}.pem`, '-days', '2');
    }
    return {
      dir, ca: join(dir, 'ca.pem'), serverCert: join(dir, 'server.pem'), serverKey: join(dir, 'server.key'),
      clientCert: join(dir, 'client.pem'), clientKey: join(dir, 'client.key'),
    };
  }

  function tlsSend(port: number, ca: string, payload: string, client?: { cert: string; key: string }): Promise<'sent' | 'refused'> {
    return new Promise((resolve) => {
      const s = tls.connect({
        port, host: '127.0.0.1', ca: readFileSync(ca), servername: 'localhost',
        ...(client ? { cert: readFileSync(client.cert), key: readFileSync(client.key) } : {}),
      }, () => {
        s.end(payload);
      });
      s.on('error', () => resolve('refused'));
      s.on('close', () => resolve('sent'));
    });
  }

  it('receives octet-counted messages; with mutual TLS, only clients with a certificate from the CA', async (ctx) => {
    const c = certificates(ctx);
    t = await startTestIngest((cfg) => {
      storeAll(cfg);
      cfg.ingest.tls = { ...cfg.ingest.tls, cert: c.serverCert, key: c.serverKey, ca: c.ca, requireClientCert: true };
    });
    const port = t.ingest.tls!.port;
    const msg = '<13>1 2026-11-21T22:10:01Z router1 app - - - over mutual TLS';
    expect(await tlsSend(port, c.ca, `${msg.length} ${msg}`, { cert: c.clientCert, key: c.clientKey })).toBe('sent');
    await tlsSend(port, c.ca, `${msg.length} ${msg}`);
    await t.until(() => t!.counter('received.tls') === 1 && t!.counter('rejected.tls-client-certificate') + t!.counter('rejected.tls-handshake') >= 1);
    expect(rows(t.db).map((r) => [r.raw, r.transport])).toEqual([[msg, 'tls']]);
  });

  it('without client certificates, syslog-ng’s loggen delivers over TLS', async (ctx) => {
    toolOrSkip(ctx, 'loggen');
    const c = certificates(ctx);
    t = await startTestIngest((cfg) => {
      cfg.ingest.tls = { ...cfg.ingest.tls, cert: c.serverCert, key: c.serverKey };
    });
    await run('loggen', ['-U', '-P', '--number', '500', '--rate', '50000', '127.0.0.1', String(t.ingest.tls!.port)]);
    await t.until(() => t!.counter('received.tls') === 500);
  });
});
