// The RADIUS accounting server against what proxies and NASes send that the other tests do not:
// Proxy-State (RFC 2865 §5.33, RFC 2866 §4.2), Accounting-On/Off and the other Acct-Status-Type
// values (RFC 2866 §5.1, RFC 2867 §4.1), vendor attributes of admin sessions, tagged attributes
// (RFC 2868 §3), vendor-specific attributes whose lengths do not add up. From radclient
// (freeradius-utils) where it can send them, else built byte for byte from the RFCs' layouts.

import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import type { TestIngest } from '../support/ingest.js';
import { radiusEvents, runRadclient, startRadiusIngest, udpAnswers } from '../support/radius.js';

const SECRET_ENV = 'AAAWATCH_TEST_RADIUS_EDGE_SECRET';

let t: TestIngest | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const start = (secret: string, patch?: (c: Config) => void): Promise<TestIngest> => startRadiusIngest(SECRET_ENV, secret, patch);

const radclient = (port: number, secret: string, packets: string, extra: string[] = []): Promise<{ code: number | null; out: string }> =>
  runRadclient(t!.dir, port, 'acct', secret, packets, extra);

const attr = (type: number, value: Buffer | string): Buffer => {
  const v = typeof value === 'string' ? Buffer.from(value) : value;
  return Buffer.concat([Buffer.from([type, v.length + 2]), v]);
};
const int = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
/** A vendor-specific attribute (RFC 2865 §5.26) holding `subs` (type, value) laid out as the RFC recommends. */
const vsa = (vendor: number, ...subs: Array<[number, Buffer | string]>): Buffer => attr(26, Buffer.concat([int(vendor), ...subs.map(([ty, v]) => attr(ty, v))]));

/** An Accounting-Request of `attrs`, its Request Authenticator MD5(Code, Identifier, Length, 16 zeros, attributes, secret) (RFC 2866 §3). */
function request(identifier: number, attrs: Buffer[], secret: string): Buffer {
  const body = Buffer.concat(attrs);
  const p = Buffer.concat([Buffer.from([4, identifier, 0, 0]), Buffer.alloc(16), body]);
  p.writeUInt16BE(p.length, 2);
  createHash('md5').update(p).update(secret).digest().copy(p, 4);
  return p;
}

/** Whether `response` is an Accounting-Response to `req` with a Response Authenticator right for `secret` (RFC 2866 §3). */
function responseValid(response: Buffer, req: Buffer, secret: string): boolean {
  const copy = Buffer.from(response);
  req.copy(copy, 4, 4, 20);
  const digest = createHash('md5').update(copy).update(secret).digest();
  return response[0] === 5 && response[1] === req[1] && response.readUInt16BE(2) === response.length && digest.equals(response.subarray(4, 20));
}

/** The response's attributes as [type, hex value]. */
function attributes(response: Buffer): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  for (let i = 20; i + 2 <= response.length; i += response[i + 1]!) out.push([response[i]!, response.toString('hex', i + 2, i + response[i + 1]!)]);
  return out;
}

const events = radiusEvents;

describe('RADIUS Proxy-State (RFC 2865 §5.33, RFC 2866 §4.2): a proxy gets its states back', () => {
  it('radclient: every Proxy-State in the Accounting-Response, in order and unmodified, and the Response Authenticator verifies', async () => {
    t = await start('proxy-secret');
    const r = await radclient(t.ingest.native.radius!.port, 'proxy-secret',
      'Acct-Status-Type = Start, Acct-Session-Id = "sess-7", NAS-Identifier = "edge-nas", User-Name = "via-proxy", Service-Type = NAS-Prompt-User, ' +
        'Proxy-State = 0x0a0b0c, Proxy-State = 0x3132\n', ['-x']);
    expect(r.code, r.out).toBe(0);
    const received = r.out.slice(r.out.indexOf('Received Accounting-Response'));
    expect(received).toMatch(/Proxy-State = 0x0a0b0c[\s\S]*Proxy-State = 0x3132/);
    expect(events(t.db).map((e) => [e.action, e.actor])).toEqual([['session.start', 'via-proxy']]);
  });

  it('byte for byte: the states copied after the header, the authenticator over them; a retransmission gets the same answer and is stored once', async () => {
    t = await start('s');
    const states = [Buffer.from('state-one'), Buffer.from([0, 1, 2, 0xff]), Buffer.from('x')];
    const req = request(42, [attr(40, int(1)), attr(1, 'proxied'), attr(33, states[0]!), attr(44, 'p-1'), attr(6, int(6)), attr(33, states[1]!), attr(33, states[2]!)], 's');
    const [first, again] = await udpAnswers(t.ingest.native.radius!.port, [req, req]);
    for (const a of [first, again]) {
      expect(a).toBeDefined();
      expect(responseValid(a!, req, 's')).toBe(true);
      expect(attributes(a!)).toEqual(states.map((s) => [33, s.toString('hex')]));
    }
    expect(again).toEqual(first);
    await t.until(() => t!.counter('duplicate.radius') === 1);
    expect(events(t.db).map((e) => [e.action, e.actor])).toEqual([['session.start', 'proxied']]);
    // Proxy-State is the proxy's, not the device's: not in the raw line's evidence as anything but hex.
    expect(events(t.db)[0]!.raw).toContain('\tProxy-State=0x73746174652d6f6e65');
  });
});

describe('A Message-Authenticator that cannot be one (RFC 3579 §3.2: 18 octets)', () => {
  it('of another length is discarded as one that does not verify, not read as absent', async () => {
    t = await start('s');
    const attrs = (ma: Buffer): Buffer[] => [attr(40, int(1)), attr(1, 'short-ma'), attr(44, 'm-1'), attr(32, 'nas-m'), attr(6, int(7)), attr(80, ma)];
    const answers = await udpAnswers(t.ingest.native.radius!.port, [request(1, attrs(Buffer.alloc(8, 0xab)), 's'), request(2, attrs(Buffer.alloc(0)), 's')], 500);
    expect(answers).toEqual([undefined, undefined]);
    await t.until(() => t!.counter('rejected.radius-bad-message-authenticator') === 2);
    expect(events(t.db)).toEqual([]);
  });
});

describe('Acct-Status-Type beyond Start, Interim-Update and Stop (RFC 2866 §5.1, RFC 2867 §4.1)', () => {
  it('Accounting-On (a NAS restarted): each admin session open on that NAS ends there; a session id reused after it starts afresh', async () => {
    t = await start('s');
    const nas = (name: string): string => `NAS-Identifier = "${name}", NAS-IP-Address = 127.0.0.1`;
    const packets = [
      `Acct-Status-Type = Start, Acct-Session-Id = "00000001", ${nas('nas-a')}, User-Name = "ann", Service-Type = NAS-Prompt-User, Calling-Station-Id = "10.1.1.1", Cisco-AVPair = "shell:priv-lvl=15", Event-Timestamp = 1795000000`,
      `Acct-Status-Type = Start, Acct-Session-Id = "00000002", ${nas('nas-a')}, User-Name = "bob", Service-Type = NAS-Prompt-User, Calling-Station-Id = "10.1.1.2", Cisco-AVPair = "shell:priv-lvl=1", Event-Timestamp = 1795000010`,
      `Acct-Status-Type = Start, Acct-Session-Id = "00000001", ${nas('nas-b')}, User-Name = "cat", Service-Type = NAS-Prompt-User, Calling-Station-Id = "10.1.1.3", Event-Timestamp = 1795000020`,
      `Acct-Status-Type = Accounting-On, ${nas('nas-a')}, Acct-Session-Id = "", Event-Timestamp = 1795000500`,
      // After the restart its counter starts again: session 00000001 is someone else's, and its Stop says only what it says.
      `Acct-Status-Type = Stop, Acct-Session-Id = "00000001", ${nas('nas-a')}, Acct-Session-Time = 5, Event-Timestamp = 1795000600`,
      `Acct-Status-Type = Accounting-Off, ${nas('nas-b')}, Event-Timestamp = 1795000700`,
    ].join('\n\n') + '\n';
    const r = await radclient(t.ingest.native.radius!.port, 's', packets);
    expect(r.code, r.out).toBe(0);
    expect(r.out.match(/Received Accounting-Response/g)?.length).toBe(6);
    expect(events(t.db).map((e) => [e.action, e.device, e.actor, e.privilege, e.session, e.time / 1000])).toEqual([
      ['session.start', 'nas-a', 'ann', '15', '00000001', 1795000000],
      ['session.start', 'nas-a', 'bob', '1', '00000002', 1795000010],
      ['session.start', 'nas-b', 'cat', null, '00000001', 1795000020],
      ['session.stop', 'nas-a', 'ann', '15', '00000001', 1795000500],
      ['session.stop', 'nas-a', 'bob', '1', '00000002', 1795000500],
      ['session.stop', 'nas-a', null, null, '00000001', 1795000600],
      ['session.stop', 'nas-b', 'cat', null, '00000001', 1795000700],
    ]);
    expect(events(t.db)[3]!.raw).toContain('\tAcct-Status-Type=Accounting-On\t');
  });

  it('Failed (15) for an admin login is a failed login; tunnel accounting (9–14) is answered, named, never recorded; none throws', async () => {
    t = await start('s', (c) => {
      c.store.storeAllMessages = true;
    });
    const statuses = [15, 9, 10, 11, 12, 13, 14, 0, 4, 99, 0xffffffff];
    const reqs = statuses.map((status, i) => request(i, [attr(40, int(status)), attr(1, `u${status}`), attr(44, `f-${i}`), attr(32, 'nas-f'), attr(6, int(7)), attr(31, '10.2.2.2')], 's'));
    const answers = await udpAnswers(t.ingest.native.radius!.port, reqs);
    expect(answers.map((a, i) => a !== undefined && responseValid(a, reqs[i]!, 's'))).toEqual(statuses.map(() => true));
    expect(events(t.db).map((e) => [e.action, e.actor])).toEqual([['login.failed', 'u15']]);
    expect(events(t.db)[0]!.raw.split('\t')[1]).toBe('Acct-Status-Type=Failed');
    // The rest have no record: kept as messages (storeAllMessages), each status by its name.
    const raws = (t.db.prepare('SELECT raw FROM messages ORDER BY id').all() as Array<{ raw: string }>).map((m) => m.raw.split('\t')[1]);
    expect(raws).toEqual([
      'Acct-Status-Type=Tunnel-Start', 'Acct-Status-Type=Tunnel-Stop', 'Acct-Status-Type=Tunnel-Reject', 'Acct-Status-Type=Tunnel-Link-Start',
      'Acct-Status-Type=Tunnel-Link-Stop', 'Acct-Status-Type=Tunnel-Link-Reject', 'Acct-Status-Type=0', 'Acct-Status-Type=4', 'Acct-Status-Type=99', 'Acct-Status-Type=4294967295',
    ]);
    expect(t.counter('errors.radius')).toBe(0);
  });
});

describe('Vendor attributes of admin sessions, tagged attributes, and vendor-specific attributes whose lengths do not add up', () => {
  it('radclient: Palo Alto, Arista, Fortinet, Microsoft and tagged tunnel attributes named; their roles read; secret-bearing ones never written', async () => {
    t = await start('s', (c) => {
      c.store.storeAllMessages = true;
    });
    const packets = [
      `Acct-Status-Type = Start, Acct-Session-Id = "pa-1", NAS-Identifier = "pa-fw", User-Name = "pan-admin", Service-Type = Administrative-User, PaloAlto-Admin-Role = "superuser", PaloAlto-Admin-Access-Domain = "dmz"`,
      `Acct-Status-Type = Start, Acct-Session-Id = "pa-2", NAS-Identifier = "pa-fw", User-Name = "pano", Service-Type = Administrative-User, PaloAlto-Panorama-Admin-Role = "panorama-admin"`,
      `Acct-Status-Type = Start, Acct-Session-Id = "ar-1", NAS-Identifier = "eos-1", User-Name = "eos-admin", Service-Type = NAS-Prompt-User, Arista-AVPair = "shell:roles=network-admin"`,
      `Acct-Status-Type = Start, Acct-Session-Id = "fg-1", NAS-Identifier = "fgt-1", User-Name = "fgt-admin", Service-Type = Administrative-User, Fortinet-Group-Name = "admins", Fortinet-Access-Profile = "super_admin"`,
      `Acct-Status-Type = Start, Acct-Session-Id = "fg-2", NAS-Identifier = "fgt-1", User-Name = "fgt-ro", Service-Type = Administrative-User, Fortinet-Group-Name = "readers"`,
      `Acct-Status-Type = Start, Acct-Session-Id = "ms-1", NAS-Identifier = "ise-1", User-Name = "svc", Service-Type = Login-User, MS-Machine-Name = "WKS-042", Cisco-Subscriber-Password = "SubLeak1x"`,
      `Acct-Status-Type = Start, Acct-Session-Id = "tn-1", NAS-Identifier = "sw-9", User-Name = "aa:bb:cc:dd:ee:ff", Tunnel-Type:1 = VLAN, Tunnel-Medium-Type:1 = IEEE-802, Tunnel-Private-Group-Id:1 = "100", Tunnel-Assignment-Id = "plain"`,
    ].join('\n\n') + '\n';
    const r = await radclient(t.ingest.native.radius!.port, 's', packets);
    expect(r.code, r.out).toBe(0);
    expect(r.out.match(/Received Accounting-Response/g)?.length).toBe(7);
    const rows = events(t.db);
    expect(rows.map((e) => [e.device, e.actor, e.privilege])).toEqual([
      ['pa-fw', 'pan-admin', 'superuser'], ['pa-fw', 'pano', 'panorama-admin'], ['eos-1', 'eos-admin', 'network-admin'],
      ['fgt-1', 'fgt-admin', 'super_admin'], ['fgt-1', 'fgt-ro', 'readers'], ['ise-1', 'svc', null],
    ]);
    expect(rows[0]!.raw).toContain('\tPaloAlto-Admin-Role=superuser\tPaloAlto-Admin-Access-Domain=dmz');
    expect(rows[2]!.raw).toContain('\tArista-AVPair=shell:roles=network-admin');
    expect(rows[5]!.raw).toContain('\tMS-Machine-Name=WKS-042\tCisco-Subscriber-Password=<redacted>');
    expect(JSON.stringify(t.db.prepare('SELECT * FROM events').all())).not.toMatch(/SubLeak1x|5375624c65616b3178/i);
    // The 802.1X session is network access: answered, not recorded; its rendering reads the tags (RFC 2868 §3).
    const kept = t.db.prepare('SELECT raw FROM messages').all() as Array<{ raw: string }>;
    expect(kept).toHaveLength(1);
    expect(kept[0]!.raw).toContain('\tTunnel-Type:1=VLAN\tTunnel-Medium-Type:1=IEEE-802\tTunnel-Private-Group-Id:1=100\tTunnel-Assignment-Id=plain');
    expect(t.counter('malformed.radius-vendor-attribute')).toBe(0);
  });

  it('radclient: Huawei, H3C, MikroTik and Foundry (Ruckus/Brocade FastIron) attributes as FreeRADIUS\'s dictionaries name them: levels, roles and commands read, passwords never written', async () => {
    t = await start('s');
    const packets = [
      `Acct-Status-Type = Start, Acct-Session-Id = "hw-1", NAS-Identifier = "vrp-1", User-Name = "hw-admin", Service-Type = Login-User, Huawei-Exec-Privilege = 15, Huawei-User-Password = "HwLeak1x"`,
      `Acct-Status-Type = Start, Acct-Session-Id = "h3-1", NAS-Identifier = "cw-1", User-Name = "cw5-admin", Service-Type = Login-User, H3C-Exec-Privilege = Manage`,
      `Acct-Status-Type = Start, Acct-Session-Id = "h3-2", NAS-Identifier = "cw-1", User-Name = "cw7-admin", Service-Type = Login-User, H3C-User-Role = "network-admin"`,
      `Acct-Status-Type = Start, Acct-Session-Id = "mt-1", NAS-Identifier = "ros-1", User-Name = "ros-admin", Service-Type = Login-User, Mikrotik-Group = "full"`,
      `Acct-Status-Type = Stop, Acct-Session-Id = "fi-1", NAS-Identifier = "icx-1", User-Name = "icx-admin", Service-Type = Login-User, Foundry-Privilege-Level = 0, Foundry-Command-String = "username ops password OpsLeak2x"`,
    ].join('\n\n') + '\n';
    const r = await radclient(t.ingest.native.radius!.port, 's', packets);
    expect(r.code, r.out).toBe(0);
    expect(r.out.match(/Received Accounting-Response/g)?.length).toBe(5);
    const rows = events(t.db);
    expect(rows.map((e) => [e.device, e.actor, e.action, e.privilege])).toEqual([
      ['vrp-1', 'hw-admin', 'session.start', '15'], ['cw-1', 'cw5-admin', 'session.start', '15'], ['cw-1', 'cw7-admin', 'session.start', 'network-admin'],
      ['ros-1', 'ros-admin', 'session.start', 'full'],
      // FastIron's level 0 is its most privileged: not read as a level of 0.
      ['icx-1', 'icx-admin', 'command', null], ['icx-1', 'icx-admin', 'account.create', null],
    ]);
    expect(rows[4]!.command).toBe('username ops password <redacted>');
    expect(rows[5]!.target).toBe('ops');
    expect(rows[0]!.raw).toContain('\tHuawei-Exec-Privilege=15\tHuawei-User-Password=<redacted>');
    expect(rows[1]!.raw).toContain('\tH3C-Exec-Privilege=Manage');
    expect(rows[3]!.raw).toContain('\tMikrotik-Group=full');
    expect(rows[4]!.raw).toContain('\tFoundry-Privilege-Level=0\tFoundry-Command-String=username ops password <redacted>');
    expect(JSON.stringify(t.db.prepare('SELECT * FROM events').all())).not.toMatch(/HwLeak1x|OpsLeak2x|48774c65616b3178|4f70734c65616b3278/i);
  });

  it('radclient: strings a NAS ends with a NUL (Cisco-AVPair `cmd=exit <cr>` and its NUL, as Radiator\'s createavpairs hook strips) read without it; the raw line keeps it', async () => {
    t = await start('s');
    const packets = [
      'Acct-Status-Type = Start, Acct-Session-Id = "nul-1\\000", NAS-Identifier = "ios-nul\\000", User-Name = "nul-admin\\000", Service-Type = NAS-Prompt-User, Cisco-AVPair = "shell:priv-lvl=15\\000\\000"',
      'Acct-Status-Type = Interim-Update, Acct-Session-Id = "nul-1\\000", NAS-Identifier = "ios-nul\\000", User-Name = "nul-admin\\000", Service-Type = NAS-Prompt-User, ' +
        'Cisco-AVPair = "task_id=62\\000", Cisco-AVPair = "cmd=username ops privilege 15 secret 0 NulLeak3x <cr>\\000"',
      'Acct-Status-Type = Stop, Acct-Session-Id = "nul-1", NAS-Identifier = "ios-nul", Service-Type = NAS-Prompt-User',
    ].join('\n\n') + '\n';
    const r = await radclient(t.ingest.native.radius!.port, 's', packets);
    expect(r.code, r.out).toBe(0);
    expect(r.out.match(/Received Accounting-Response/g)?.length).toBe(3);
    const rows = events(t.db);
    // The Stop, sent without NULs, is the same session: it takes the Start's user and level.
    expect(rows.map((e) => [e.device, e.actor, e.action, e.privilege, e.session, e.target])).toEqual([
      ['ios-nul', 'nul-admin', 'session.start', '15', 'nul-1', null], ['ios-nul', 'nul-admin', 'command', '15', null, null],
      ['ios-nul', 'nul-admin', 'account.create', '15', null, 'ops'], ['ios-nul', 'nul-admin', 'session.stop', '15', 'nul-1', null],
    ]);
    expect(rows[1]!.command).toBe('username ops privilege 15 secret 0 <redacted>');
    expect(rows[0]!.raw).toContain('\tUser-Name=nul-admin\\x00\t');
    expect(rows[0]!.raw).toContain('\tCisco-AVPair=shell:priv-lvl=15\\x00\\x00');
    expect(JSON.stringify(t.db.prepare('SELECT * FROM events').all())).not.toMatch(/NulLeak3x|4e756c4c65616b3378/i);
  });

  it('several sub-attributes in one Vendor-Specific, a WiMAX-style continuation octet, a VSA that overruns its length, one too short for a vendor id: read, counted, sampled, never thrown', async () => {
    t = await start('s');
    const cisco = 9;
    const reqs = [
      // Cisco-AVPair twice in one attribute 26 (RFC 2865 §5.26 allows several sub-attributes).
      request(1, [attr(40, int(3)), attr(1, 'multi'), attr(44, 'v-1'), attr(32, 'nas-v'), attr(6, int(7)), vsa(cisco, [1, 'shell:priv-lvl=15'], [1, 'cmd=show ip route <cr>'])], 's'),
      // WiMAX (vendor 24757): type, length, a continuation octet, then the value.
      request(2, [attr(40, int(3)), attr(1, 'wimax'), attr(44, 'v-2'), attr(32, 'nas-v'), attr(6, int(7)), attr(26, Buffer.concat([int(24757), Buffer.from([1, 7, 0]), Buffer.from('abcd')]))], 's'),
      // A Cisco sub-attribute claiming 40 octets in a 12-octet VSA, then the command that still reads.
      request(3, [attr(40, int(3)), attr(1, 'overrun'), attr(44, 'v-3'), attr(32, 'nas-v'), attr(6, int(7)), attr(26, Buffer.concat([int(cisco), Buffer.from([1, 40]), Buffer.from('priv-l')])), vsa(cisco, [1, 'cmd=show clock <cr>'])], 's'),
      // An attribute 26 of four octets: no room for the vendor id.
      request(4, [attr(40, int(3)), attr(1, 'short'), attr(44, 'v-4'), attr(32, 'nas-v'), attr(6, int(7)), attr(26, Buffer.from([0, 0])), vsa(cisco, [1, 'cmd=show users <cr>'])], 's'),
    ];
    const answers = await udpAnswers(t.ingest.native.radius!.port, reqs);
    expect(answers.map((a, i) => a !== undefined && responseValid(a, reqs[i]!, 's'))).toEqual([true, true, true, true]);
    expect(events(t.db).filter((e) => e.kind === 'command').map((e) => [e.actor, e.privilege, e.command])).toEqual([
      ['multi', '15', 'show ip route'], ['overrun', null, 'show clock'], ['short', null, 'show users'],
    ]);
    expect(t.counter('malformed.radius-vendor-attribute')).toBe(2);
    expect(t.counter('errors.radius')).toBe(0);
    // Against the sender: the two requests (stored all the same) among its four, with the reason.
    await t.until(() => (t!.db.prepare('SELECT malformed FROM native_senders').pluck().get() as number | undefined) === 2);
    expect(t.db.prepare('SELECT source, accepted, malformed, last_malformed_reason FROM native_senders').all()).toEqual([
      { source: '127.0.0.1', accepted: 4, malformed: 2, last_malformed_reason: 'radius-vendor-attribute' },
    ]);
    const samples = t.db.prepare("SELECT source, transport, CAST(raw AS TEXT) AS raw FROM rejects WHERE reason = 'radius-vendor-attribute' ORDER BY id").all() as Array<{ source: string; transport: string; raw: string }>;
    expect(samples.map((s) => [s.source, s.transport])).toEqual([['127.0.0.1', 'radius'], ['127.0.0.1', 'radius']]);
    // The malformed attribute's bytes are not rendered: as hex, a secret in them would pass the gate.
    expect(samples[0]!.raw).toContain('\tCisco-Specific=<redacted>\tCisco-AVPair=cmd=show clock <cr>');
    expect(samples[1]!.raw).toContain('\tAttr-26=<2 octets>\t');
  });
});

describe('A retransmission the NAS made new with a longer Acct-Delay-Time (RFC 2866 §5.2)', () => {
  it('answered as itself once the first is stored, and not stored again; a command typed twice stays two commands', async () => {
    t = await start('s');
    const port = t.ingest.native.radius!.port;
    const start1 = (id: number, delay: number): Buffer =>
      request(id, [attr(40, int(1)), attr(1, 'delayed'), attr(44, 'd-1'), attr(32, 'nas-d'), attr(6, int(7)), attr(55, int(1795001000)), attr(41, int(delay))], 's');
    // Event-Timestamp says when: the retransmission names the same moment whenever it comes.
    const firstThenAgain = [start1(10, 0), start1(11, 4), start1(12, 8)];
    const answers = await udpAnswers(port, firstThenAgain);
    expect(answers.map((a, i) => a !== undefined && responseValid(a, firstThenAgain[i]!, 's'))).toEqual([true, true, true]);
    // Without Event-Timestamp the moment is the arrival less the delay: one second later, a delay of one.
    const command = (id: number, delay: number): Buffer =>
      request(id, [attr(40, int(3)), attr(1, 'typist'), attr(44, 'd-2'), attr(32, 'nas-d'), attr(6, int(7)), attr(41, int(delay)), vsa(9, [1, 'cmd=show clock <cr>'])], 's');
    const [c1] = await udpAnswers(port, [command(20, 0)]);
    await new Promise((r) => setTimeout(r, 1000));
    const [c2, c3] = await udpAnswers(port, [command(21, 1), command(22, 0)]);
    expect([c1, c2, c3].every((a) => a !== undefined)).toBe(true);
    expect(responseValid(c2!, command(21, 1), 's')).toBe(true);
    await t.until(() => t!.counter('duplicate.radius') === 3);
    // The Start once; the command once for its retransmission, and again when typed again (a delay of 0 is a new request).
    expect(events(t.db).map((e) => [e.action, e.actor, e.command])).toEqual([
      ['session.start', 'delayed', null], ['command', 'typist', 'show clock'], ['command', 'typist', 'show clock'],
    ]);
  });

  it('one right behind the first (read while the first is being stored) gets an answer of its own, once, and nothing is stored twice', async () => {
    t = await start('s');
    const stop = (id: number, delay: number): Buffer =>
      request(id, [attr(40, int(2)), attr(1, 'racer'), attr(44, 'd-3'), attr(32, 'nas-d'), attr(6, int(7)), attr(55, int(1795002000)), attr(41, int(delay))], 's');
    const sent = [stop(30, 0), stop(31, 2)];
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    const got: Buffer[] = [];
    const both = new Promise<void>((resolve) => s.on('message', (m) => got.push(m) === 2 && resolve()));
    // Back to back: the second is read before the first's commit (3 ms gathering, requests.ts GATHER_MS).
    for (const d of sent) s.send(d, t.ingest.native.radius!.port, '127.0.0.1');
    await both;
    s.close();
    expect(got.map((a) => a[1]).sort()).toEqual([30, 31]);
    for (const a of got) expect(responseValid(a, sent.find((d) => d[1] === a[1])!, 's')).toBe(true);
    expect(events(t.db).map((e) => [e.action, e.actor])).toEqual([['session.stop', 'racer']]);
    expect(t.counter('duplicate.radius')).toBe(1);
  });

  it('relayed by a proxy that gives each relayed request a Proxy-State of its own: still one request, answered with its own state', async () => {
    t = await start('s');
    const relayed = (id: number, delay: number, state: string): Buffer =>
      request(id, [attr(40, int(1)), attr(1, 'proxied'), attr(44, 'd-4'), attr(32, 'nas-p'), attr(6, int(7)), attr(55, int(1795003000)), attr(41, int(delay)), attr(33, state)], 's');
    const sent = [relayed(40, 0, 'proxy-state-1'), relayed(41, 5, 'proxy-state-2')];
    const answers = await udpAnswers(t.ingest.native.radius!.port, sent);
    expect(answers.map((a, i) => a !== undefined && responseValid(a, sent[i]!, 's'))).toEqual([true, true]);
    expect(attributes(answers[1]!)).toEqual([[33, Buffer.from('proxy-state-2').toString('hex')]]);
    expect(events(t.db).map((e) => [e.action, e.actor])).toEqual([['session.start', 'proxied']]);
  });
});
