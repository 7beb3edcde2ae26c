// The TACACS+ accounting server against what real clients send that the other tests do not: a
// client that half-closes after its last request, flags and sequence numbers RFC 8907 forbids from
// a client that holds the right key, IOS's `cmd=` with a `cmd-arg=` per word, optional `*`
// arguments. Packets are written byte for byte from RFC 8907's layouts (§4.1, §7.1) over real sockets.

import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { startTestIngest, type TestIngest } from '../support/ingest.js';
import { obfuscate, readHeader, writeHeader, type Header } from '../../src/ingest/tacacs/packet.js';

let t: TestIngest | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const KEY_ENV = 'AAAWATCH_TEST_TACACS_EDGE_KEY';
const KEY = 'edge-key';

async function start(patch: (c: Config) => void = () => {}): Promise<TestIngest> {
  process.env[KEY_ENV] = KEY;
  return startTestIngest((c) => {
    c.ingest.tacacs.port = 0;
    c.ingest.tacacs.keys = [{ devices: [], sources: ['127.0.0.0/8', '::1'], key: { env: KEY_ENV } }];
    c.devices = [{ name: 'edge-1', address: '127.0.0.1', platform: 'cisco-ios', groups: [], port: 22, pull: false }];
    patch(c);
  });
}

interface Body {
  flags: number;
  user?: string;
  args: string[];
}

/** An accounting REQUEST body (RFC 8907 §7.1): flags, authen_method, priv_lvl, authen_type, authen_service, the lengths, then the fields. */
function acctBody(b: Body): Buffer {
  const args = b.args.map((a) => Buffer.from(a));
  const [user, port, rem] = [Buffer.from(b.user ?? 'alice'), Buffer.from('tty2'), Buffer.from('192.0.2.44')];
  return Buffer.concat([
    Buffer.from([b.flags, 6, 15, 1, 1, user.length, port.length, rem.length, args.length, ...args.map((a) => a.length)]),
    user, port, rem, ...args,
  ]);
}

/** A packet: the header (RFC 8907 §4.1) and the body obfuscated with the key unless the unencrypted flag is set. */
function packet(h: Omit<Header, 'length'>, body: Buffer, key = KEY): Buffer {
  const header: Header = { ...h, length: body.length };
  return Buffer.concat([writeHeader(header), (h.flags & 1) !== 0 ? body : obfuscate(body, header, Buffer.from(key))]);
}

/** The replies in `got`, each de-obfuscated: header and body. */
function replies(got: Buffer, key = KEY): Array<{ header: Header; body: Buffer }> {
  const out: Array<{ header: Header; body: Buffer }> = [];
  for (let at = 0; at + 12 <= got.length; ) {
    const header = readHeader(got.subarray(at, at + 12));
    const raw = got.subarray(at + 12, at + 12 + header.length);
    out.push({ header, body: (header.flags & 1) !== 0 || raw.length === 0 ? raw : obfuscate(raw, header, Buffer.from(key)) });
    at += 12 + header.length;
  }
  return out;
}

/** Writes `bytes`, then (with `halfClose`) ends its side at once, and reads until the server closes. */
async function exchange(port: number, bytes: Buffer, halfClose = false): Promise<{ got: Buffer; closed: boolean }> {
  const s = net.connect(port, '127.0.0.1');
  let got = Buffer.alloc(0);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (s.destroy(), resolve({ got, closed: false })), 5000);
    s.on('error', reject);
    s.on('data', (d: Buffer) => (got = Buffer.concat([got, d])));
    s.on('close', () => {
      clearTimeout(timer);
      resolve({ got, closed: true });
    });
    if (halfClose) s.end(bytes);
    else s.write(bytes);
  });
}

const events = (db: TestIngest['db']): Array<{ kind: string; action: string; actor: string | null; command: string | null }> =>
  db.prepare('SELECT kind, action, actor, command FROM events ORDER BY id').all() as Array<{ kind: string; action: string; actor: string | null; command: string | null }>;

describe('TACACS+ clients that close their side after the last request', () => {
  it('the REPLY still goes out once the record is committed, and the record is stored', async () => {
    t = await start();
    const body = acctBody({ flags: 0x04, args: ['task_id=9', 'service=shell', 'priv-lvl=15', 'cmd=show running-config <cr>'] });
    const r = await exchange(t.ingest.native.tacacs!.port, packet({ version: 0xc0, type: 3, seq: 1, flags: 0, session: 0x51 }, body), true);
    expect(r.closed).toBe(true);
    const got = replies(r.got);
    expect(got.map((g) => [g.header.seq, g.header.session, g.body[4]])).toEqual([[2, 0x51, 0x01]]);
    expect(events(t.db)).toEqual([{ kind: 'command', action: 'command', actor: 'alice', command: 'show running-config' }]);
  });

  it('in Single Connection Mode: every REPLY of the requests sent before the close', async () => {
    t = await start();
    const bytes = Buffer.concat([1, 2, 3].map((n) => packet(
      { version: 0xc0, type: 3, seq: 1, flags: n === 1 ? 0x04 : 0, session: 0x60 + n },
      acctBody({ flags: 0x04, args: [`task_id=${n}`, 'service=shell', 'priv-lvl=15', `cmd=show version ${n} <cr>`] }),
    )));
    const r = await exchange(t.ingest.native.tacacs!.port, bytes, true);
    expect(r.closed).toBe(true);
    expect(replies(r.got).map((g) => [g.header.session, g.body[4]])).toEqual([[0x61, 1], [0x62, 1], [0x63, 1]]);
    expect(events(t.db).map((e) => e.command)).toEqual(['show version 1', 'show version 2', 'show version 3']);
  });
});

describe('TACACS+ input the server does not read is counted, its header kept', () => {
  it('a request sent on a connection after its one session ended (no Single Connection Mode) is counted against the sender, its header kept', async () => {
    t = await start();
    const port = t.ingest.native.tacacs!.port;
    const request = (n: number): Buffer =>
      packet({ version: 0xc0, type: 3, seq: 1, flags: 0, session: 0x90 + n }, acctBody({ flags: 0x04, args: [`task_id=${n}`, 'service=shell', 'priv-lvl=15', `cmd=show version ${n} <cr>`] }));
    // A client that keeps its side open after our FIN (its next request may already be on the way when the FIN comes).
    const s = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    s.on('error', () => {});
    let got = Buffer.alloc(0);
    let ended = false;
    s.on('data', (d: Buffer) => (got = Buffer.concat([got, d])));
    s.on('end', () => (ended = true));
    s.write(request(1));
    await t.until(() => got.length > 0 && ended);
    const second = request(2);
    s.write(second);
    const ti = t;
    await t.until(() => ti.counter('rejected.tacacs-after-session') === 1);
    expect(replies(got).map((g) => [g.header.session, g.body[4]])).toEqual([[0x91, 1]]);
    expect(events(t.db).map((e) => e.command)).toEqual(['show version 1']);
    // The header only: the body may hold a password or a command with a secret.
    expect(t.db.prepare("SELECT raw FROM rejects WHERE reason = 'tacacs-after-session'").pluck().all()).toEqual([second.subarray(0, 12)]);
    await t.until(() => (ti.db.prepare('SELECT malformed FROM native_senders').pluck().get() as number | undefined) === 1);
    expect(t.db.prepare('SELECT accepted, malformed, last_malformed_reason FROM native_senders').all()).toEqual([{ accepted: 1, malformed: 1, last_malformed_reason: 'tacacs-after-session' }]);
    s.destroy();
  });

  it('a packet cut by a close or a reset keeps as much of its header as came', async () => {
    t = await start();
    const h: Header = { version: 0xc0, type: 3, seq: 1, flags: 0, session: 0xa1, length: 100 };
    for (const [cut, bytes] of [['end', 40], ['reset', 7]] as const) {
      const s = net.connect(t.ingest.native.tacacs!.port, '127.0.0.1');
      s.on('error', () => {});
      await new Promise<void>((r) => s.on('connect', () => r()));
      await new Promise<void>((r) => s.write(Buffer.concat([writeHeader(h), Buffer.alloc(40, 7)]).subarray(0, bytes), () => r()));
      await new Promise((r) => setTimeout(r, 200));
      if (cut === 'end') s.end();
      else s.resetAndDestroy();
    }
    const ti = t;
    await t.until(() => ti.counter('rejected.tacacs-truncated') === 2);
    expect(t.db.prepare("SELECT raw FROM rejects WHERE reason = 'tacacs-truncated' ORDER BY id").pluck().all()).toEqual([writeHeader(h), writeHeader(h).subarray(0, 7)]);
  });
});

describe('TACACS+ accounting arguments as devices write them', () => {
  it("IOS's `cmd=` then a `cmd-arg=` per word, optional `*` arguments, and a watchdog with update (START|WATCHDOG)", async () => {
    t = await start();
    const bodies = [
      acctBody({ flags: 0x04, args: ['task_id=21', 'service=shell', 'priv-lvl=15', 'cmd=username', 'cmd-arg=eve', 'cmd-arg=privilege', 'cmd-arg=15', 'cmd-arg=secret', 'cmd-arg=0', 'cmd-arg=ArgLeak1x', 'cmd-arg=<cr>'] }),
      acctBody({ flags: 0x04, args: ['task_id=22', 'service*shell', 'priv-lvl*15', 'cmd*show clock <cr>'] }),
      acctBody({ flags: 0x0a, args: ['task_id=23', 'service=shell', 'priv-lvl=15', 'cmd=show clock <cr>', 'elapsed_time=30'] }),
    ];
    const bytes = Buffer.concat(bodies.map((b, i) => packet({ version: 0xc0, type: 3, seq: 1, flags: i === 0 ? 0x04 : 0, session: 0x70 + i }, b)));
    const r = await exchange(t.ingest.native.tacacs!.port, bytes, true);
    expect(replies(r.got).map((g) => g.body[4])).toEqual([1, 1, 1]);
    expect(events(t.db).map((e) => [e.kind, e.actor, e.command])).toEqual([
      ['command', 'alice', 'username eve privilege 15 secret 0 <redacted>'],
      ['account', 'alice', 'username eve privilege 15 secret 0 <redacted>'],
      ['command', 'alice', 'show clock'],
    ]);
    expect(JSON.stringify(t.db.prepare('SELECT * FROM events').all())).not.toContain('ArgLeak1x');
  });
});

describe('TACACS+ requests RFC 8907 forbids, from a client that holds the right key', () => {
  it('flags no accounting request may carry (START|STOP, none) are answered ERROR and counted as such, not as a wrong key', async () => {
    t = await start();
    for (const [i, flags] of [0x06, 0x00, 0x0c].entries()) {
      const body = acctBody({ flags, args: ['task_id=31', 'service=shell', 'cmd=show clock <cr>'] });
      const r = await exchange(t.ingest.native.tacacs!.port, packet({ version: 0xc0, type: 3, seq: 1, flags: 0, session: 0x80 + i }, body));
      expect(r.closed).toBe(true);
      // The REPLY reads with the key: the client is told ERROR (RFC 8907 §7.2), so it tries its next server.
      expect(replies(r.got).map((g) => [g.header.seq, g.body[4]])).toEqual([[2, 0x02]]);
    }
    await t.until(() => t!.counter('rejected.tacacs-bad-flags') === 3);
    expect(t.counter('rejected.tacacs-bad-key')).toBe(0);
    await t.ingest.settle();
    expect(t.db.prepare('SELECT bad_key FROM native_senders').all()).not.toContainEqual({ bad_key: 1 });
    // Against the sender, on its device's page: how many, and the last one's reason.
    await t.until(() => (t!.db.prepare('SELECT malformed FROM native_senders').pluck().get() as number | undefined) === 3);
    expect(t.db.prepare('SELECT source, device, accepted, bad_key, malformed, last_malformed_reason FROM native_senders').all()).toEqual([
      { source: '127.0.0.1', device: 'edge-1', accepted: 0, bad_key: 0, malformed: 3, last_malformed_reason: 'tacacs-bad-flags' },
    ]);
    expect(events(t.db)).toEqual([]);
  });
});

describe('TACACS+ sequence numbers and sessions on one connection', () => {
  it('an even sequence number is refused with the header alone; 255, where the number would wrap, ends the session unanswered (RFC 8907 §4.1)', async () => {
    t = await start();
    const body = acctBody({ flags: 0x04, args: ['task_id=41', 'service=shell', 'cmd=show clock <cr>'] });
    const even = await exchange(t.ingest.native.tacacs!.port, packet({ version: 0xc0, type: 3, seq: 2, flags: 0, session: 0x90 }, body));
    expect(even.closed).toBe(true);
    expect(replies(even.got).map((g) => [g.header.seq, g.header.length])).toEqual([[3, 0]]);
    // An authentication CONTINUE at 255: the reply would be sequence number 0.
    const cont = Buffer.from([0, 0, 0, 0, 0]);
    const wrap = await exchange(t.ingest.native.tacacs!.port, packet({ version: 0xc0, type: 1, seq: 255, flags: 0, session: 0x91 }, cont));
    expect(wrap).toEqual({ got: Buffer.alloc(0), closed: true });
    await t.until(() => t!.counter('rejected.tacacs-sequence-wrap') === 1 && t!.counter('rejected.tacacs-bad-sequence') === 1);
    await t.until(() => (t!.db.prepare('SELECT malformed FROM native_senders').pluck().get() as number | undefined) === 2);
    expect(t.db.prepare("SELECT device, malformed, last_malformed_reason FROM native_senders WHERE source = '127.0.0.1'").all()).toEqual([
      { device: 'edge-1', malformed: 2, last_malformed_reason: 'tacacs-sequence-wrap' },
    ]);
    expect(events(t.db)).toEqual([]);
  });

  it('Single Connection Mode: an authorisation REQUEST between accounting sessions is refused with ERROR, and the connection goes on', async () => {
    t = await start();
    const author = (() => {
      // RFC 8907 §6.1: authen_method, priv_lvl, authen_type, authen_service, user_len, port_len, rem_addr_len, arg_cnt, arg lengths, then the fields.
      const args = ['service=shell', 'cmd=reload'].map((a) => Buffer.from(a));
      return Buffer.concat([Buffer.from([6, 15, 1, 1, 5, 4, 10, args.length, ...args.map((a) => a.length)]), Buffer.from('alicetty2192.0.2.44'), ...args]);
    })();
    const acct = (n: number): Buffer => acctBody({ flags: 0x04, args: [`task_id=${n}`, 'service=shell', 'priv-lvl=15', `cmd=show interfaces ${n} <cr>`] });
    const bytes = Buffer.concat([
      packet({ version: 0xc0, type: 3, seq: 1, flags: 0x04, session: 0xa1 }, acct(1)),
      packet({ version: 0xc0, type: 2, seq: 1, flags: 0, session: 0xa2 }, author),
      packet({ version: 0xc0, type: 3, seq: 1, flags: 0, session: 0xa3 }, acct(3)),
    ]);
    const r = await exchange(t.ingest.native.tacacs!.port, bytes, true);
    // Each session's REPLY names it: the refusal needs no commit and may go before the first's SUCCESS.
    const got = replies(r.got).sort((a, b) => a.header.session - b.header.session);
    expect(got.map((g) => [g.header.type, g.header.session, g.header.seq])).toEqual([[3, 0xa1, 2], [2, 0xa2, 2], [3, 0xa3, 2]]);
    // Accounting: SUCCESS (status at 4); authorisation: ERROR (0x11, its first octet).
    expect([got[0]!.body[4], got[1]!.body[0], got[2]!.body[4]]).toEqual([0x01, 0x11, 0x01]);
    expect(events(t.db).map((e) => e.command)).toEqual(['show interfaces 1', 'show interfaces 3']);
    await t.until(() => t!.counter('rejected.tacacs-authorization') === 1);
  });
});
