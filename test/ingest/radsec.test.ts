// RadSec (RADIUS over TLS, RFC 6614) over a real TLS socket. The client is radsecproxy (Debian
// radsecproxy), run as a UDP → TLS proxy the way it stands in front of NASes that speak only UDP:
// radclient (freeradius-utils) sends to it over UDP, it forwards over TLS with its certificate and
// the RFC's secret "radsec", and relays aaawatch's answers. Certificates are made by openssl in
// the test's temporary folder. Framing and refusals are driven by a TLS client of the test's own.

import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/ports.js';
import { startTestIngest, type TestIngest } from '../support/ingest.js';
import { accountingStart } from '../support/radius.js';
import { tempDir } from '../support/temp.js';
import { toolOrSkip } from '../support/tools.js';

let t: TestIngest | undefined;
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  await t?.stop();
  t = undefined;
});

/** A CA, aaawatch's server certificate, and a client certificate from the same CA (and one from another). */
function certificates(): string {
  const dir = tempDir('aaawatch-radsec-');
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const ssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  for (const ca of ['ca', 'other-ca']) {
    ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${ca}.key`, '-out', `${ca}.pem`, '-days', '2', '-subj', `/CN=${ca}`);
  }
  for (const [who, ca] of [['server', 'ca'], ['client', 'ca'], ['stranger', 'other-ca']] as const) {
    ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=${who === 'server' ? 'localhost' : who}`);
    ssl('x509', '-req', '-in', `${who}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${who}.pem`, '-days', '2');
  }
  return dir;
}

async function start(dir: string): Promise<TestIngest> {
  return startTestIngest((c) => {
    c.ingest.radius.tls = { ...c.ingest.radius.tls, host: '127.0.0.1', port: 0, cert: join(dir, 'server.pem'), key: join(dir, 'server.key'), ca: join(dir, 'ca.pem') };
  });
}

interface EventRow {
  action: string;
  device: string;
  actor: string | null;
  command: string | null;
  session: string | null;
  raw: string;
  transport: string;
}
const events = (db: TestIngest['db']): EventRow[] =>
  db.prepare('SELECT action, device, actor, command, session, raw, transport FROM events ORDER BY id').all() as EventRow[];

/** radsecproxy in the foreground: UDP clients on `udpPort` with `secret`, every Accounting-Request to aaawatch over TLS. */
async function radsecproxy(tool: string, dir: string, udpPort: number, secret: string, tlsPort: number): Promise<ChildProcess> {
  const conf = join(dir, 'radsecproxy.conf');
  writeFileSync(
    conf,
    `ListenUDP 127.0.0.1:${udpPort}
LogLevel 3
tls aaawatch {
    CACertificateFile ${join(dir, 'ca.pem')}
    CertificateFile ${join(dir, 'client.pem')}
    CertificateKeyFile ${join(dir, 'client.key')}
}
client nas {
    host 127.0.0.1
    type udp
    secret ${secret}
}
server aaawatch {
    host 127.0.0.1
    port ${tlsPort}
    type tls
    tls aaawatch
    CertificateNameCheck off
}
realm * {
    accountingServer aaawatch
}
`,
  );
  const p = spawn(tool, ['-f', '-c', conf, '-i', join(dir, 'radsecproxy.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let said = '';
  p.stdout!.on('data', (d: Buffer) => (said += d.toString()));
  p.stderr!.on('data', (d: Buffer) => (said += d.toString()));
  cleanups.push(() => new Promise<void>((r) => {
    if (p.exitCode !== null) return r();
    p.once('exit', () => r());
    p.kill('SIGTERM');
  }));
  // Listening once its UDP socket is bound: /proc/net/udp lists the port.
  const hex = udpPort.toString(16).toUpperCase().padStart(4, '0');
  for (let i = 0; i < 100; i++) {
    if (new RegExp(`:${hex} `).test(readFileSync('/proc/net/udp', 'utf8'))) return p;
    if (p.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`radsecproxy did not start: ${said.slice(-1000)}`);
}

function radclient(tool: string, port: number, secret: string, packets: string, dir: string): Promise<{ code: number | null; out: string }> {
  const file = join(dir, `packets-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(file, packets);
  return new Promise((resolve) => {
    execFile(tool, ['-f', file, '-r', '2', '-t', '5', `127.0.0.1:${port}`, 'acct', secret], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
    });
  });
}

/** An Accounting-Request Start signed with `secret` (support/radius.ts), from this file's NAS. */
const accountingRequest = (identifier: number, session: string, secret: string, user = 'tlsuser'): Buffer => accountingStart(identifier, session, secret, user, 'radsec-nas');

/** A TLS connection of the test's own: writes `chunks` one by one, collects what comes back until the server closes or `want` octets arrived. */
/** With `halfClose`, the client ends its side with its last chunk and reads on. */
function exchange(port: number, dir: string, chunks: Buffer[], opts: { cert?: 'client' | 'stranger' | 'none'; want?: number; halfClose?: boolean } = {}): Promise<{ got: Buffer; closed: boolean; error?: string }> {
  const who = opts.cert ?? 'client';
  return new Promise((resolve) => {
    let got = Buffer.alloc(0);
    let settled = false;
    const done = (closed: boolean, error?: string): void => {
      if (settled) return;
      settled = true;
      s.destroy();
      resolve({ got, closed, ...(error ? { error } : {}) });
    };
    const s = tls.connect({
      host: '127.0.0.1', port, ca: readFileSync(join(dir, 'ca.pem')), servername: 'localhost',
      ...(who !== 'none' ? { cert: readFileSync(join(dir, `${who}.pem`)), key: readFileSync(join(dir, `${who}.key`)) } : {}),
    }, async () => {
      for (const [i, c] of chunks.entries()) {
        // Half-closing: the end goes with the last chunk, before any answer can come.
        if (opts.halfClose && i === chunks.length - 1) {
          s.end(c);
          return;
        }
        s.write(c);
        await new Promise((r) => setTimeout(r, 30));
      }
    });
    s.on('data', (d: Buffer) => {
      got = Buffer.concat([got, d]);
      if (opts.want !== undefined && got.length >= opts.want) done(false);
    });
    s.on('close', () => done(true));
    s.on('error', (err) => done(true, err.message));
    setTimeout(() => done(false), 10_000);
  });
}

describe('RadSec (RADIUS over TLS, RFC 6614)', () => {
  it('radclient → radsecproxy (UDP → TLS, client certificate, secret "radsec"): Start, a command, Stop answered after commit and stored', async (ctx) => {
    const proxy = toolOrSkip(ctx, 'radsecproxy');
    const client = toolOrSkip(ctx, 'radclient');
    toolOrSkip(ctx, 'openssl');
    const dir = certificates();
    t = await start(dir);
    const tlsPort = t.ingest.native.radsec!.port;
    const udpPort = await freePort();
    await radsecproxy(proxy, dir, udpPort, 'nas-secret', tlsPort);
    const packets = [
      'Acct-Status-Type = Start, User-Name = "netops", Acct-Session-Id = "rs-1", NAS-Identifier = "edge-sw-3", Service-Type = NAS-Prompt-User, Calling-Station-Id = "10.9.8.7", Cisco-AVPair = "shell:priv-lvl=15"',
      'Acct-Status-Type = Interim-Update, User-Name = "netops", Acct-Session-Id = "rs-1", NAS-Identifier = "edge-sw-3", Cisco-AVPair = "cmd=username backup privilege 15 secret 0 NeverStoredOverTls"',
      'Acct-Status-Type = Stop, User-Name = "netops", Acct-Session-Id = "rs-1", NAS-Identifier = "edge-sw-3", Acct-Session-Time = 60',
    ].join('\n\n') + '\n';
    const r = await radclient(client, udpPort, 'nas-secret', packets, dir);
    expect(r.code, r.out).toBe(0);
    // Each answer was sent only after its commit, so the rows are there as radclient returns.
    const rows = events(t.db);
    expect(rows.map((e) => [e.action, e.device, e.actor, e.command, e.session, e.transport])).toEqual([
      ['session.start', 'edge-sw-3', 'netops', null, 'rs-1', 'radius'],
      ['command', 'edge-sw-3', 'netops', 'username backup privilege 15 secret 0 <redacted>', null, 'radius'],
      ['account.create', 'edge-sw-3', 'netops', 'username backup privilege 15 secret 0 <redacted>', null, 'radius'],
      ['session.stop', 'edge-sw-3', 'netops', null, 'rs-1', 'radius'],
    ]);
    expect(rows[0]!.raw).toMatch(/^RADIUS Accounting-Request id=\d+\tAcct-Status-Type=Start\tUser-Name=netops\t/);
    expect(JSON.stringify(rows)).not.toContain('NeverStoredOverTls');
    expect(t.counter('received.radius')).toBe(3);
    // A known sender's counts are held with the traffic counts (up to a second, writer.ts): settled, they are all there.
    await t.ingest.settle();
    expect(t.db.prepare("SELECT accepted, bad_key FROM native_senders WHERE transport = 'radius'").get()).toEqual({ accepted: 3, bad_key: 0 });
  });

  it('radsecproxy configured as a RADIUS proxy (proxy: true on the entry naming its address): each request filed under the NAS it names; without it, under radsecproxy with the claim kept', async (ctx) => {
    const proxy = toolOrSkip(ctx, 'radsecproxy');
    const client = toolOrSkip(ctx, 'radclient');
    toolOrSkip(ctx, 'openssl');
    const dir = certificates();
    process.env.AAAWATCH_TEST_RADSEC_PROXY = 'unused-over-tls';
    const packets = ['nas-a', 'nas-b'].map((s, i) => `Acct-Status-Type = Start, User-Name = "netops", Acct-Session-Id = "${s}", Service-Type = NAS-Prompt-User, ${i ? 'NAS-Identifier = "branch-9"' : 'NAS-IP-Address = 192.0.2.12'}`).join('\n\n') + '\n';
    for (const proxied of [true, false]) {
      t = await startTestIngest((c) => {
        c.ingest.radius.tls = { ...c.ingest.radius.tls, host: '127.0.0.1', port: 0, cert: join(dir, 'server.pem'), key: join(dir, 'server.key'), ca: join(dir, 'ca.pem') };
        c.ingest.radius.port = 0;
        c.devices = [{ name: 'core-sw1', address: '192.0.2.12', platform: 'cisco-ios', groups: [], port: 22, pull: false }];
        c.ingest.radius.secrets = [{ devices: [], sources: ['127.0.0.1'], secret: { env: 'AAAWATCH_TEST_RADSEC_PROXY' }, proxy: proxied }];
      });
      const udpPort = await freePort();
      // Stopped with the others after the test (cleanups).
      await radsecproxy(proxy, dir, udpPort, 'nas-secret', t.ingest.native.radsec!.port);
      const r = await radclient(client, udpPort, 'nas-secret', packets, dir);
      expect(r.code, r.out).toBe(0);
      expect(events(t.db).map((e) => [e.session, e.device])).toEqual(proxied ? [['nas-a', 'core-sw1'], ['nas-b', 'branch-9']] : [['nas-a', '127.0.0.1'], ['nas-b', 'branch-9']]);
      expect(t.db.prepare('SELECT device, accepted, named FROM native_senders ORDER BY device').all()).toEqual(
        proxied
          ? [{ device: 'branch-9', accepted: 1, named: 0 }, { device: 'core-sw1', accepted: 1, named: 0 }]
          : [{ device: '127.0.0.1', accepted: 1, named: 0 }, { device: 'branch-9', accepted: 1, named: 0 }, { device: 'core-sw1', accepted: 0, named: 1 }],
      );
      await t.stop();
      t = undefined;
    }
  });

  it('framing by the Length field: packets split across writes and two in one write are each answered; a bad Length is counted and closes the connection', async (ctx) => {
    toolOrSkip(ctx, 'openssl');
    const dir = certificates();
    t = await start(dir);
    const port = t.ingest.native.radsec!.port;
    const a = accountingRequest(1, 'split-1', 'radsec');
    const b = accountingRequest(2, 'pair-2', 'radsec');
    const c = accountingRequest(3, 'pair-3', 'radsec');
    const ok = await exchange(port, dir, [a.subarray(0, 3), a.subarray(3, 25), Buffer.concat([a.subarray(25), b, c])], { want: 60 });
    expect(ok.error).toBeUndefined();
    expect([ok.got.length, ok.got[0], ok.got[1], ok.got[20], ok.got[21], ok.got[40], ok.got[41]]).toEqual([60, 5, 1, 5, 2, 5, 3]);
    // The Response Authenticator is MD5 over the answer, the request's authenticator and "radsec".
    const answer = Buffer.from(ok.got.subarray(0, 20));
    const claimed = Buffer.from(answer.subarray(4, 20));
    a.subarray(4, 20).copy(answer, 4);
    expect(createHash('md5').update(answer).update('radsec').digest()).toEqual(claimed);
    expect(events(t.db).map((e) => e.session)).toEqual(['split-1', 'pair-2', 'pair-3']);

    const badLength = Buffer.from(accountingRequest(4, 'never', 'radsec'));
    badLength.writeUInt16BE(5000, 2);
    const bad = await exchange(port, dir, [badLength]);
    expect(bad.closed).toBe(true);
    expect(bad.got.length).toBe(0);
    await t.until(() => t!.counter('rejected.radsec-bad-length') === 1);
    // Counted against the sender too, with the reason: filed under the sender itself, as a wrong key is (a packet that does not read names no NAS).
    await t.until(() => t!.db.prepare("SELECT 1 FROM native_senders WHERE malformed = 1 AND last_malformed_reason = 'radsec-bad-length'").get() !== undefined);
    expect(t.db.prepare('SELECT source, device, accepted, malformed FROM native_senders ORDER BY accepted').all()).toMatchObject([
      { source: '127.0.0.1', device: '127.0.0.1', accepted: 0, malformed: 1 }, { source: '127.0.0.1', accepted: 3, malformed: 0 },
    ]);

    // Another secret than "radsec": discarded and counted, as over UDP; the connection stays, and
    // the next request on it is answered alone.
    const wrong = await exchange(port, dir, [accountingRequest(5, 'wrong-secret', 'not-radsec'), accountingRequest(6, 'after-wrong', 'radsec')], { want: 20 });
    expect([wrong.got.length, wrong.got[1]]).toEqual([20, 6]);
    await t.until(() => t!.counter('rejected.radius-bad-authenticator') === 1);
    expect(events(t.db).map((e) => e.session)).toEqual(['split-1', 'pair-2', 'pair-3', 'after-wrong']);
  });

  it('half a packet cut by a close or by a reset is counted as a truncated packet against the sender, its header kept', async (ctx) => {
    toolOrSkip(ctx, 'openssl');
    const dir = certificates();
    t = await start(dir);
    const port = t.ingest.native.radsec!.port;
    const half = accountingRequest(9, 'cut', 'radsec').subarray(0, 30);
    for (const cut of ['end', 'reset'] as const) {
      // TLS over a TCP socket of the test's own, so that socket can be reset.
      const raw = net.connect(port, '127.0.0.1');
      raw.on('error', () => {});
      await new Promise<void>((r) => raw.once('connect', () => r()));
      const s = tls.connect({ socket: raw, ca: readFileSync(join(dir, 'ca.pem')), servername: 'localhost', cert: readFileSync(join(dir, 'client.pem')), key: readFileSync(join(dir, 'client.key')) });
      s.on('error', () => {});
      await new Promise<void>((r) => s.once('secureConnect', () => r()));
      await new Promise<void>((r) => s.write(half, () => r()));
      await new Promise((r) => setTimeout(r, 200));
      // A reset: the sender killed or its link gone, no close_notify and no FIN.
      if (cut === 'end') s.end();
      else raw.resetAndDestroy();
      await t.until(() => t!.counter('rejected.radsec-truncated') === (cut === 'end' ? 1 : 2));
    }
    expect(t.counter('rejected.radsec-connection-error')).toBe(0);
    expect(t.db.prepare("SELECT raw FROM rejects WHERE reason = 'radsec-truncated'").pluck().all()).toEqual([half.subarray(0, 20), half.subarray(0, 20)]);
    await t.until(() => t!.db.prepare("SELECT 1 FROM native_senders WHERE malformed = 2 AND last_malformed_reason = 'radsec-truncated'").get() !== undefined);
    expect(events(t.db)).toEqual([]);
  });

  it('a client that half-closes after its last request still gets each answer after the commit, then the connection ends', async (ctx) => {
    toolOrSkip(ctx, 'openssl');
    const dir = certificates();
    t = await start(dir);
    const r = await exchange(t.ingest.native.radsec!.port, dir, [Buffer.concat([accountingRequest(7, 'last-1', 'radsec'), accountingRequest(8, 'last-2', 'radsec')])], { halfClose: true });
    expect(r.closed).toBe(true);
    expect([r.got.length, r.got[1], r.got[21]]).toEqual([40, 7, 8]);
    expect(events(t.db).map((e) => e.session)).toEqual(['last-1', 'last-2']);
  });

  it('a client without a certificate, or with one from another CA, is refused at the handshake and counted', async (ctx) => {
    toolOrSkip(ctx, 'openssl');
    const dir = certificates();
    t = await start(dir);
    const port = t.ingest.native.radsec!.port;
    for (const cert of ['none', 'stranger'] as const) {
      const r = await exchange(port, dir, [accountingRequest(9, `refused-${cert}`, 'radsec')], { cert, want: 1 });
      expect(r.got.length).toBe(0);
    }
    await t.until(() => t!.counter('rejected.radsec-tls-client-certificate') + t!.counter('rejected.radsec-tls-handshake') >= 2);
    expect(events(t.db)).toEqual([]);
  });
});
