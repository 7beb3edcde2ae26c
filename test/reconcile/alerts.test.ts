// Alerts: RFC 5424 messages (checked by aaawatch's own header parser, which reads them like any
// sender's), CEF, what is alerted (new, escalated, reopened; by severity), and delivery to real
// listeners — UDP, TCP (octet counting), TLS with a CA, an HTTP webhook with a token and an HMAC
// signature — retried while a receiver is down, given up (counted and logged) after the attempts.

import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { alertsSchema } from '../../src/config/reconcile.js';
import { parseSyslog } from '../../src/ingest/header.js';
import { cefMessage, collectAlerts, deliverDue, payloadOf, SD_ID, startAlertsHere, syslogMessage, type AlertPayload } from '../../src/reconcile/alerts.js';
import { destinationsFrom } from '../../src/reconcile/deliver.js';
import { raiseFinding, type FindingRow } from '../../src/reconcile/findings.js';
import { accept, reopenExpired } from '../../src/reconcile/lifecycle.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { capturingLogger } from '../support/emulator/targets.js';
import { corpusPath } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';
import { requireTool } from '../support/tools.js';

const HOSTILE = 'bob"] \\x\n\u001b[31mroot\u202e';

function payload(over: Partial<AlertPayload['finding']> = {}, event: AlertPayload['event'] = 'new'): AlertPayload {
  return {
    source: 'aaawatch', version: '0.1.0', event, at: '2026-11-21T02:13:00Z',
    finding: {
      id: 42, kind: 'account-created', severity: 'high', status: 'open', device: 'core-sw1', account: 'backdoor',
      summary: 'account created on core-sw1: backdoor by mallory (mallory is not an authorised administrator, outside any change window)',
      attribution: 'backdoor (privilege 15) on core-sw1 created 2026-11-21 02:13 UTC by mallory from 198.51.100.7 over CLI, recorded by device log, outside any change window',
      technique: 'T1136.001', firstSeen: '2026-11-21T02:13:00Z', lastSeen: '2026-11-21T02:13:00Z', evidence: { events: [8, 9], snapshots: [] },
      ...over,
    },
  };
}

const read = (text: string) => parseSyslog(text, { receivedAt: Date.now(), transport: 'udp' });

describe('formats', () => {
  it('RFC 5424 with the finding in structured data, read back by a syslog parser', () => {
    const m = read(syslogMessage(payload(), { format: 'rfc5424', facility: 13, hostname: 'collector1' }));
    expect(m.format).toBe('rfc5424');
    expect(m.malformed).toBeUndefined();
    expect(m.facility).toBe(13);
    expect(m.severity).toBe(3); // high → err
    expect(m.hostname).toBe('collector1');
    expect(m.appName).toBe('aaawatch');
    expect(m.msgId).toBe('finding.new');
    expect(new Date(m.time).toISOString()).toBe('2026-11-21T02:13:00.000Z');
    expect(m.sd?.[SD_ID]).toEqual({
      id: '42', event: 'new', kind: 'account-created', severity: 'high', status: 'open', device: 'core-sw1', account: 'backdoor',
      technique: 'T1136.001', firstSeen: '2026-11-21T02:13:00Z', lastSeen: '2026-11-21T02:13:00Z',
    });
    expect(m.message).toBe(`${payload().finding.summary} — ${payload().finding.attribution}`);
  });

  it('hostile device text cannot break out of a parameter or the line', () => {
    const text = syslogMessage(payload({ account: HOSTILE, device: 'sw]1"' }), { format: 'rfc5424', facility: 13 });
    expect(text).not.toMatch(/[\n\r\u001b]/);
    const m = read(text);
    expect(m.malformed).toBeUndefined();
    expect(m.sd?.[SD_ID]?.account).toBe('bob"] \\x  [31mroot\u202e');
    expect(m.sd?.[SD_ID]?.device).toBe('sw]1"');
  });

  it('CEF escapes its separators; carried in an RFC 5424 message', () => {
    const cef = cefMessage(payload({ device: 'a|b=c', account: 'x=y\\z' }));
    expect(cef.startsWith('CEF:0|aaawatch|aaawatch|0.1.0|account-created|account-created on a\\|b=c|8|')).toBe(true);
    expect(cef).toContain(' dvchost=a|b\\=c ');
    expect(cef).toContain(' duser=x\\=y\\\\z ');
    expect(cef).toContain(' cs1Label=findingId cs1=42 ');
    const m = read(syslogMessage(payload(), { format: 'cef', facility: 10 }));
    expect(m.message.startsWith('CEF:0|aaawatch|')).toBe(true);
    expect(m.facility).toBe(10);
  });
});

describe('what is alerted', () => {
  let db: Db;
  beforeEach(() => {
    db = openDatabase(':memory:');
  });
  afterEach(() => db.close());
  const outbox = (): Array<{ destination: string; event: string; finding_id: number }> =>
    db.prepare('SELECT destination, event, finding_id FROM alert_outbox ORDER BY id').all() as Array<{ destination: string; event: string; finding_id: number }>;

  it('new, escalated and reopened findings at or above the minimum severity, once each, for every destination; not the past', () => {
    raiseFinding(db, { kind: 'pull-failed', severity: 'high', device: 'old', summary: 'before alerts', evidence: {}, at: 1 });
    startAlertsHere(db);
    const low = raiseFinding(db, { kind: 'dormant-account', severity: 'low', device: 'sw1', account: 'x', summary: 's', evidence: {}, at: 2 });
    const gap = raiseFinding(db, { kind: 'telemetry-gap', severity: 'medium', device: 'sw1', summary: 's', evidence: {}, at: 3 });
    raiseFinding(db, { kind: 'telemetry-gap', severity: 'medium', device: 'sw1', summary: 's', evidence: {}, at: 4 }); // a repeat: nothing
    raiseFinding(db, { kind: 'telemetry-gap', severity: 'high', device: 'sw1', summary: 's2', evidence: {}, at: 5 }); // escalated
    accept(db, gap.id, { by: 'netlead', path: { kind: 'web', user: 'netlead' }, reason: 'rollout', until: 10, at: 6 });
    reopenExpired(db, 11);
    expect(collectAlerts(db, ['siem', 'hook'], 'medium', 12)).toBe(6);
    expect(outbox().map((o) => [o.destination, o.event, o.finding_id])).toEqual([
      ['siem', 'new', gap.id], ['hook', 'new', gap.id],
      ['siem', 'escalated', gap.id], ['hook', 'escalated', gap.id],
      ['siem', 'reopened', gap.id], ['hook', 'reopened', gap.id],
    ]);
    expect(outbox().some((o) => o.finding_id === low.id)).toBe(false);
    expect(collectAlerts(db, ['siem', 'hook'], 'medium', 13)).toBe(0);
    // The severity sent is the one the entry left: the first alert says medium, the escalation high.
    const sent = (db.prepare(`SELECT payload FROM alert_outbox WHERE destination = 'siem' ORDER BY id`).all() as Array<{ payload: string }>).map((r) => (JSON.parse(r.payload) as AlertPayload).finding.severity);
    expect(sent).toEqual(['medium', 'high', 'high']);
  });
});

describe('delivery', () => {
  let db: Db;
  let clock: number;
  const now = (): number => clock;
  const servers: Array<{ close(): unknown }> = [];
  let certs: { dir: string; ca: string; cert: string; key: string } | undefined;

  beforeAll(() => {
    if (!requireTool('openssl')) return;
    const dir = tempDir('aaawatch-siem-');
    const run = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=siem-ca');
    run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'siem.key', '-out', 'siem.csr', '-subj', '/CN=siem.test');
    run('x509', '-req', '-in', 'siem.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'siem.pem', '-days', '2');
    certs = { dir, ca: join(dir, 'ca.pem'), cert: join(dir, 'siem.pem'), key: join(dir, 'siem.key') };
  });
  beforeEach(() => {
    db = openDatabase(':memory:');
    clock = Date.UTC(2026, 10, 21, 2, 14);
    startAlertsHere(db);
  });
  afterEach(async () => {
    for (const s of servers.splice(0)) s.close();
    db.close();
  });

  /** A stream listener collecting RFC 6587 octet-counted frames. */
  function frames(socketData: Buffer[]): string[] {
    let buf = Buffer.concat(socketData).toString('utf8');
    const out: string[] = [];
    while (buf.length) {
      const sp = buf.indexOf(' ');
      const len = Number(buf.slice(0, sp));
      out.push(Buffer.from(buf.slice(sp + 1)).subarray(0, len).toString('utf8'));
      buf = Buffer.from(buf.slice(sp + 1)).subarray(len).toString('utf8');
    }
    return out;
  }

  function streamServer(make: (onSocket: (s: net.Socket) => void) => net.Server, port = 0): Promise<{ port: number; received: () => string[] }> {
    const chunks: Buffer[] = [];
    const server = make((s) => s.on('data', (d: Buffer) => chunks.push(d)));
    servers.push(server);
    server.listen(port, '127.0.0.1');
    return once(server, 'listening').then(() => ({ port: (server.address() as net.AddressInfo).port, received: () => frames(chunks) }));
  }

  const raise = (account: string): void => {
    raiseFinding(db, { kind: 'unauthorised-account', severity: 'high', device: 'core-sw1', account, summary: `${account} (privilege 15) on core-sw1 is not on the roster`, evidence: { events: [1] }, at: clock });
  };

  it('to UDP, TCP and TLS syslog receivers and a signed webhook, each as its receiver expects', async (ctx) => {
    if (!certs) ctx.skip('openssl is not installed');
    const udp = dgram.createSocket('udp4');
    servers.push(udp);
    const datagrams: string[] = [];
    udp.on('message', (m) => datagrams.push(m.toString('utf8')));
    udp.bind(0, '127.0.0.1');
    await once(udp, 'listening');
    const tcp = await streamServer((on) => net.createServer(on));
    const tlsServer = await streamServer((on) => tls.createServer({ cert: readFileSync(certs!.cert), key: readFileSync(certs!.key) }, on));
    const posts: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
    const web = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString('utf8')));
      req.on('end', () => {
        posts.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    servers.push(web);
    web.listen(0, '127.0.0.1');
    await once(web, 'listening');

    process.env.AAAWATCH_TEST_WEBHOOK_TOKEN = 'Bearer test-token-1';
    const config = alertsSchema.parse({
      syslog: [
        { name: 'siem-udp', host: '127.0.0.1', port: (udp.address() as net.AddressInfo).port, transport: 'udp' },
        { name: 'siem-tcp', host: '127.0.0.1', port: tcp.port, transport: 'tcp', format: 'cef' },
        { name: 'siem-tls', host: '127.0.0.1', port: tlsServer.port, transport: 'tls', ca: certs!.ca, serverName: 'siem.test' },
      ],
      webhooks: [{ url: `http://127.0.0.1:${(web.address() as net.AddressInfo).port}/hook`, headers: { Authorization: { env: 'AAAWATCH_TEST_WEBHOOK_TOKEN' } }, hmacSecret: { env: 'AAAWATCH_TEST_WEBHOOK_TOKEN' } }],
    });
    const destinations = destinationsFrom(config);
    expect(destinations.map((d) => d.name)).toEqual(['siem-udp', 'siem-tcp', 'siem-tls', 'webhook-1']);
    raise('backdoor');
    expect(collectAlerts(db, destinations.map((d) => d.name), 'low', clock)).toBe(4);
    const { log, lines } = capturingLogger();
    expect(await deliverDue(db, destinations, { attempts: 3, retryDelayMs: 1000 }, log, now)).toEqual({ sent: 4, retried: 0, failed: 0 });
    for (const d of destinations) d.close?.();

    const start = Date.now();
    while ((datagrams.length < 1 || tcp.received().length < 1 || tlsServer.received().length < 1) && Date.now() - start < 3000) await new Promise((r) => setTimeout(r, 10));
    expect(read(datagrams[0]!).sd?.[SD_ID]).toMatchObject({ kind: 'unauthorised-account', account: 'backdoor', event: 'new' });
    expect(read(tcp.received()[0]!).message).toMatch(/^CEF:0\|aaawatch\|aaawatch\|[^|]+\|unauthorised-account\|/);
    expect(read(tlsServer.received()[0]!).sd?.[SD_ID]?.severity).toBe('high');
    expect(posts).toHaveLength(1);
    const post = posts[0]!;
    expect(post.headers['content-type']).toBe('application/json');
    expect(post.headers.authorization).toBe('Bearer test-token-1');
    expect(post.headers['x-aaawatch-signature']).toBe(`sha256=${createHmac('sha256', 'Bearer test-token-1').update(post.body).digest('hex')}`);
    expect(JSON.parse(post.body)).toMatchObject({ source: 'aaawatch', event: 'new', finding: { kind: 'unauthorised-account', account: 'backdoor', evidence: { events: [1], snapshots: [] } } });
    // Nothing logged the token.
    expect(lines.join('')).not.toContain('test-token-1');
    expect(db.prepare(`SELECT value FROM counters WHERE name = 'alerts.sent'`).get()).toEqual({ value: 4 });
  });

  it('retried while the receiver is down, delivered in order once it is up; given up after the attempts, counted and logged', async () => {
    // A port with nothing listening.
    const probe = net.createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = (probe.address() as net.AddressInfo).port;
    probe.close();
    let status = 503;
    const posts: string[] = [];
    const web = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString('utf8')));
      req.on('end', () => {
        if (status === 200) posts.push(body);
        res.writeHead(status).end();
      });
    });
    servers.push(web);
    web.listen(0, '127.0.0.1');
    await once(web, 'listening');
    const destinations = destinationsFrom(
      alertsSchema.parse({
        syslog: [{ name: 'siem', host: '127.0.0.1', port, transport: 'tcp' }],
        webhooks: [{ name: 'hook', url: `http://127.0.0.1:${(web.address() as net.AddressInfo).port}/` }],
      }),
    );
    const names = destinations.map((d) => d.name);
    const { log, lines } = capturingLogger();
    const o = { attempts: 4, retryDelayMs: 1000 };
    raise('first');
    raise('second');
    collectAlerts(db, names, 'low', clock);

    expect(await deliverDue(db, destinations, o, log, now)).toEqual({ sent: 0, retried: 2, failed: 0 });
    expect(lines.join('')).toMatch(/"destination":"siem".*ECONNREFUSED.*will retry/);
    expect(lines.join('')).toMatch(/"destination":"hook".*HTTP 503/);
    // Not due yet: nothing is tried.
    clock += 500;
    expect(await deliverDue(db, destinations, o, log, now)).toEqual({ sent: 0, retried: 0, failed: 0 });

    // The SIEM comes up on its port; the webhook answers again.
    const siem = await streamServer((on) => net.createServer(on), port);
    status = 200;
    clock += 600;
    expect(await deliverDue(db, destinations, o, log, now)).toEqual({ sent: 4, retried: 0, failed: 0 });
    const start = Date.now();
    while (siem.received().length < 2 && Date.now() - start < 3000) await new Promise((r) => setTimeout(r, 10));
    expect(siem.received().map((m) => read(m).sd?.[SD_ID]?.account)).toEqual(['first', 'second']);
    expect(posts.map((b) => (JSON.parse(b) as AlertPayload).finding.account)).toEqual(['first', 'second']);

    // A receiver that stays down: retried with doubling waits, then given up.
    status = 500;
    raise('third');
    collectAlerts(db, ['hook'], 'low', clock);
    const hook = destinations.filter((d) => d.name === 'hook');
    for (const wait of [0, 1000, 2000, 4000]) {
      clock += wait;
      await deliverDue(db, hook, o, log, now);
    }
    const row = db.prepare(`SELECT attempts, failed_at, last_error FROM alert_outbox WHERE destination = 'hook' ORDER BY id DESC LIMIT 1`).get() as { attempts: number; failed_at: number | null; last_error: string };
    expect(row).toMatchObject({ attempts: 4, last_error: 'HTTP 500' });
    expect(row.failed_at).not.toBeNull();
    expect(db.prepare(`SELECT value FROM counters WHERE name = 'alerts.failed'`).get()).toEqual({ value: 1 });
    expect(lines.join('')).toMatch(/"level":50.*"destination":"hook".*"attempts":4.*alert given up/);
  });

  it('the payload carries ids, not configuration text', () => {
    raiseFinding(db, { kind: 'telemetry-gap', severity: 'medium', device: 'sw1', summary: 's', evidence: { snapshots: [3], checks: [{ check: 'logging-host', detail: 'no `logging host …`' }] }, at: clock });
    const f = db.prepare('SELECT * FROM findings').get() as FindingRow;
    expect(payloadOf(f, 'new', clock, 'medium').finding.evidence).toEqual({ events: [], snapshots: [3] });
  });
});

describe('hostile strings from the corpus, as account, device and actor names', () => {
  const hostile = readFileSync(corpusPath('hostile-strings.txt'), 'utf8').split('\n').filter((l) => l.length > 0);

  it('every alert stays one well-formed RFC 5424 line whose parameters read back as sent; CEF keeps its seven header fields', () => {
    for (const h of hostile) {
      const p = payload({ account: h, device: h, summary: `${h} on ${h} is not on the roster` });
      const text = syslogMessage(p, { format: 'rfc5424', facility: 13 });
      expect(text, h).not.toMatch(/[\u0000-\u001f\u007f]/);
      const m = read(text);
      expect(m.malformed, h).toBeUndefined();
      expect(m.sd?.[SD_ID]?.account, h).toBe(h.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' '));
      // The seventh unescaped `|` ends the header: the severity before it is intact.
      expect(cefMessage(p).split(/(?<!\\)\|/)[6], h).toBe('8');
    }
  });
});
