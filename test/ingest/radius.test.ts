// The RADIUS accounting server over a real UDP socket, driven by FreeRADIUS's own client
// (`radclient`, Debian freeradius-utils): Start, Interim-Update, Stop, a lossy path that makes it
// retransmit, wrong secrets, Status-Server; and accounting requests from public captures replayed
// byte for byte (test/corpus/native/radius, provenance in test/corpus/README.md).

import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { CORPUS } from '../support/corpus.js';
import type { TestIngest } from '../support/ingest.js';
import { accountingStart, radiusEvents, runRadclient, startRadiusIngest, udpAnswers } from '../support/radius.js';

const CAPTURES = join(CORPUS, 'native', 'radius');
const SECRET_ENV = 'AAAWATCH_TEST_RADIUS_SECRET';

let t: TestIngest | undefined;
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  await t?.stop();
  t = undefined;
});

const start = (secret: string, patch?: (c: Config) => void): Promise<TestIngest> => startRadiusIngest(SECRET_ENV, secret, patch);

/** radclient (test/support/radius.ts) with its packets file in this test's folder. */
const radclient = (port: number, command: 'acct' | 'status', secret: string, packets: string, extra: string[] = []): Promise<{ code: number | null; out: string }> =>
  runRadclient(t!.dir, port, command, secret, packets, extra);

const events = radiusEvents;

const admin = (status: string, extra: string): string =>
  `Acct-Status-Type = ${status}, Acct-Session-Id = "sess-0042", NAS-Identifier = "core-rtr-9", NAS-IP-Address = 127.0.0.1, ${extra}`;

describe('RADIUS accounting from radclient (freeradius-utils)', () => {
  it('Start, Interim-Update with a Juniper command, Stop without a user: answered after commit, stitched into one session', async () => {
    t = await start('radius-s3cret');
    const packets = [
      admin('Start', 'User-Name = "netops", Service-Type = NAS-Prompt-User, Calling-Station-Id = "10.9.8.7", NAS-Port-Type = Virtual, Cisco-AVPair = "shell:priv-lvl=15"'),
      admin('Interim-Update', 'User-Name = "netops", Juniper-Interactive-Command = "set system login user eve class super-user authentication encrypted-password \\"$6$salt$NeverStoredHash\\""'),
      admin('Stop', 'Acct-Session-Time = 300, Acct-Terminate-Cause = User-Request'),
    ].join('\n\n') + '\n';
    const r = await radclient(t.ingest.native.radius!.port, 'acct', 'radius-s3cret', packets);
    expect(r.code, r.out).toBe(0);
    expect(r.out.match(/Received Accounting-Response/g)?.length).toBe(3);
    // radclient has its answers: the records are committed already.
    const rows = events(t.db);
    expect(rows.map((e) => [e.kind, e.action, e.device, e.actor, e.actor_address, e.privilege, e.session ?? e.target ?? e.command, e.path])).toEqual([
      ['session', 'session.start', 'core-rtr-9', 'netops', '10.9.8.7', '15', 'sess-0042', 'radius'],
      ['command', 'command', 'core-rtr-9', 'netops', '10.9.8.7', '15', 'set system login user eve class super-user authentication encrypted-password "<redacted>"', 'radius'],
      // The account's own privilege: a Junos class names none (its role is the class).
      ['account', 'account.create', 'core-rtr-9', 'netops', '10.9.8.7', null, 'eve', 'radius'],
      // The Stop names no user: the session's Start does.
      ['session', 'session.stop', 'core-rtr-9', 'netops', '10.9.8.7', '15', 'sess-0042', 'radius'],
    ]);
    expect(rows[0]!.raw).toContain('RADIUS Accounting-Request id=');
    expect(rows[0]!.raw).toContain('\tAcct-Status-Type=Start\t');
    expect(rows[0]!.raw).toContain('\tCisco-AVPair=shell:priv-lvl=15');
    expect(JSON.stringify(t.db.prepare('SELECT * FROM events').all())).not.toContain('NeverStoredHash');
    expect(t.counter('received.radius')).toBe(3);
    expect(t.counter('duplicate.radius')).toBe(0);
    // A known sender's counts are held with the traffic counts (up to a second, writer.ts): settled, they are all there.
    await t.ingest.settle();
    expect(t.db.prepare("SELECT device, accepted, bad_key FROM native_senders WHERE transport = 'radius'").get()).toEqual({ device: 'core-rtr-9', accepted: 3, bad_key: 0 });
  });

  it('command attributes read as TACACS+ `cmd=` is: Junos\'s change log names the account changed, NX-OS\'s outcome says whether the command ran', async () => {
    // The same texts the devices account over TACACS+ (tacacs.test.ts: Junos `set: [system login
    // user …]`, NX-OS `configure terminal ; username … (SUCCESS)`), here in Juniper-Configuration-Change
    // and Cisco-AVPair `cmd=`: one reading whichever protocol carries the command.
    t = await start('s');
    const packets = [
      admin('Interim-Update', 'User-Name = "jun", Juniper-Configuration-Change = "set: [system login user eve authentication encrypted-password]"'),
      admin('Interim-Update', 'User-Name = "jun", Juniper-Configuration-Change = "delete: [system login user mallory]"'),
      admin('Interim-Update', 'User-Name = "nx", Cisco-AVPair = "cmd=configure terminal ; username dave password 5 $5$Hx0Ab$QmVyeVNlY3JldEhhc2g role network-admin (SUCCESS)"'),
      admin('Interim-Update', 'User-Name = "nx", Cisco-AVPair = "cmd=configure terminal ; username erin password S3cretPw1 role network-admin (FAILURE)"'),
      admin('Interim-Update', 'User-Name = "nx", Cisco-AVPair = "cmd=configure terminal ; interface loopback1 ; username x (SUCCESS)"'),
    ].join('\n\n') + '\n';
    const r = await radclient(t.ingest.native.radius!.port, 'acct', 's', packets);
    expect(r.code, r.out).toBe(0);
    expect(r.out.match(/Received Accounting-Response/g)?.length).toBe(5);
    expect(events(t.db).map((e) => [e.action, e.actor, e.target ?? e.command])).toEqual([
      ['command', 'jun', 'set: [system login user eve authentication encrypted-password]'],
      ['account.create', 'jun', 'eve'],
      ['command', 'jun', 'delete: [system login user mallory]'],
      ['account.delete', 'jun', 'mallory'],
      ['command', 'nx', 'configure terminal ; username dave password 5 <redacted> role network-admin'],
      ['account.create', 'nx', 'dave'],
      // The FAILURE did not run: no record; a `username` under an interface is no account.
      ['command', 'nx', 'configure terminal ; interface loopback1 ; username x'],
    ]);
    expect(t.db.prepare("SELECT command FROM events WHERE kind = 'account' AND target = 'dave'").pluck().get()).toBe('username dave password 5 <redacted> role network-admin');
    expect(JSON.stringify(t.db.prepare('SELECT * FROM events').all())).not.toMatch(/S3cretPw1|QmVyeVNlY3JldEhhc2g/);
  });

  it('a secret in a vendor command attribute whose command starts with it is redacted in the raw line too, not only in the command', async () => {
    // ArubaOS-Switch's `password manager … plaintext X`, EOS's line `password 0 X`, a `pre-shared-key X`:
    // the gate reads each as a command, but not right after `Name=` in the rendered line.
    t = await start('s');
    const packets = [
      admin('Interim-Update', 'User-Name = "hp", HP-Command-String = "password manager user-name mgr plaintext HpLeak1x"'),
      admin('Interim-Update', 'User-Name = "eos", Arista-Command = "password 0 AristaLeak2x"'),
      admin('Interim-Update', 'User-Name = "aruba", Aruba-Command-String = "pre-shared-key ArubaLeak3x"'),
      admin('Interim-Update', 'User-Name = "junos", Juniper-Interactive-Command = "password 0 JunosLeak4x"'),
    ].join('\n\n') + '\n';
    const r = await radclient(t.ingest.native.radius!.port, 'acct', 's', packets);
    expect(r.code, r.out).toBe(0);
    const rows = events(t.db);
    expect(rows.filter((e) => e.kind === 'command').map((e) => e.command)).toEqual([
      'password manager user-name mgr plaintext <redacted>', 'password 0 <redacted>', 'pre-shared-key <redacted>', 'password 0 <redacted>',
    ]);
    expect(rows.map((e) => e.raw.split('\t').find((f) => /Command/.test(f)))).toEqual([
      'HP-Command-String=password manager user-name mgr plaintext <redacted>',
      'Arista-Command=password 0 <redacted>',
      'Aruba-Command-String=pre-shared-key <redacted>',
      'Juniper-Interactive-Command=password 0 <redacted>',
    ]);
    expect(JSON.stringify(t.db.prepare('SELECT * FROM events').all())).not.toMatch(/Leak\dx/);
  });

  it('a burst from several senders, answered in groups: each Accounting-Response arrives only once its record can be read from the store', async () => {
    t = await start('burst-secret');
    const port = t.ingest.native.radius!.port;
    const secret = Buffer.from('burst-secret');
    const SENDERS = 4;
    const EACH = 120;
    const byId = t.db.prepare('SELECT count(*) AS n FROM events WHERE session = ?');
    let answered = 0;
    const early: string[] = [];
    const sockets = await Promise.all(Array.from({ length: SENDERS }, () => new Promise<dgram.Socket>((resolve) => {
      const s = dgram.createSocket('udp4');
      s.bind(0, '127.0.0.1', () => resolve(s));
    })));
    cleanups.push(() => Promise.all(sockets.map((s) => new Promise<void>((r) => s.close(() => r())))).then(() => undefined));
    const done = new Promise<void>((resolve) => {
      sockets.forEach((s, k) => s.on('message', (m) => {
        // Read here, in the turn the answer is received: an answer sent before its commit finds no row.
        const session = `burst-${k}-${m[1]!}`;
        if (m[0] !== 5 || (byId.get(session) as { n: number }).n !== 1) early.push(session);
        if (++answered === SENDERS * EACH) resolve();
      }));
    });
    for (let i = 0; i < EACH; i++) {
      sockets.forEach((s, k) => s.send(accountingStart(i, `burst-${k}-${i}`, secret), port, '127.0.0.1'));
    }
    await done;
    expect(early).toEqual([]);
    expect(t.counter('received.radius')).toBe(SENDERS * EACH);
    expect((t.db.prepare("SELECT count(*) AS n FROM events WHERE transport = 'radius'").get() as { n: number }).n).toBe(SENDERS * EACH);
  });

  it('a session first heard of in an Interim-Update is recorded as started Acct-Session-Time before it', async () => {
    t = await start('s');
    const r = await radclient(t.ingest.native.radius!.port, 'acct', 's', admin('Interim-Update', 'User-Name = "late", Service-Type = Administrative-User, Acct-Session-Time = 3600, Event-Timestamp = 1795003600') + '\n');
    expect(r.code, r.out).toBe(0);
    expect(events(t.db).map((e) => [e.action, e.actor, e.time])).toEqual([['session.start', 'late', (1795003600 - 3600) * 1000]]);
  });

  it('a wrong secret gets no answer (RFC 2866 §3), is counted against the sender, and stores nothing', async () => {
    t = await start('the-right-one', (c) => {
      c.devices = [{ name: 'nas-7', address: '127.0.0.1', platform: 'juniper-junos', groups: [], port: 22, pull: false }];
    });
    const r = await radclient(t.ingest.native.radius!.port, 'acct', 'a-wrong-one', admin('Start', 'User-Name = "x"') + '\n', ['-r', '1', '-t', '0.5']);
    expect(r.code).not.toBe(0);
    expect(r.out).not.toContain('Received Accounting-Response');
    await t.until(() => t!.counter('rejected.radius-bad-authenticator') >= 1);
    expect(events(t.db)).toEqual([]);
    expect(t.db.prepare('SELECT device, accepted, bad_key > 0 AS bad FROM native_senders').get()).toEqual({ device: 'nas-7', accepted: 0, bad: 1 });
  });

  it('retransmissions over a lossy path are answered from the duplicate cache and stored once', async () => {
    t = await start('s');
    const relay = await lossyRelay(t.ingest.native.radius!.port, 1);
    cleanups.push(() => relay.close());
    const r = await radclient(relay.port, 'acct', 's', admin('Start', 'User-Name = "once", Service-Type = NAS-Prompt-User') + '\n', ['-r', '3', '-t', '1']);
    expect(r.code, r.out).toBe(0);
    expect(relay.dropped).toBe(1);
    await t.until(() => t!.counter('duplicate.radius') >= 1);
    expect(events(t.db).map((e) => [e.action, e.actor])).toEqual([['session.start', 'once']]);
  });

  it('Status-Server (RFC 5997) is answered', async () => {
    t = await start('s');
    const r = await radclient(t.ingest.native.radius!.port, 'status', 's', 'Message-Authenticator = 0x00\n');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('Received Accounting-Response');
    await t.until(() => t!.counter('radius.status-server') === 1);
  });

  it('an Accounting-Request with a Message-Authenticator: stored when it verifies (radclient signs it), discarded when it does not', async () => {
    t = await start('ma-secret');
    const r = await radclient(t.ingest.native.radius!.port, 'acct', 'ma-secret', admin('Start', 'User-Name = "signed", Service-Type = NAS-Prompt-User, Message-Authenticator = 0x00') + '\n');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('Received Accounting-Response');
    // The same request by hand, its Request Authenticator right for the secret, the Message-Authenticator not.
    const attrs = Buffer.concat([
      Buffer.from([40, 6, 0, 0, 0, 1]), Buffer.from([1, 8]), Buffer.from('forged'), Buffer.from([44, 4]), Buffer.from('s2'),
      Buffer.from([80, 18]), Buffer.alloc(16, 0xab),
    ]);
    const head = Buffer.from([4, 99, 0, 20 + attrs.length]);
    const auth = createHash('md5').update(Buffer.concat([head, Buffer.alloc(16), attrs, Buffer.from('ma-secret')])).digest();
    expect(await udpExchange(t.ingest.native.radius!.port, [Buffer.concat([head, auth, attrs])], 500)).toHaveLength(0);
    await t.until(() => t!.counter('rejected.radius-bad-message-authenticator') === 1);
    expect(events(t.db).map((e) => e.actor)).toEqual(['signed']);
  });

  it('Status-Server signed with a wrong secret gets no answer and counts as a wrong key against the sender', async () => {
    t = await start('the-right-one', (c) => {
      c.devices = [{ name: 'nas-8', address: '127.0.0.1', platform: 'cisco-ios', groups: [], port: 22, pull: false }];
    });
    const r = await radclient(t.ingest.native.radius!.port, 'status', 'a-wrong-one', 'Message-Authenticator = 0x00\n', ['-r', '1', '-t', '0.5']);
    expect(r.out).not.toContain('Received Accounting-Response');
    await t.until(() => t!.counter('rejected.radius-bad-authenticator') === 1);
    expect(t.counter('radius.status-server')).toBe(0);
    expect(t.counter('rejected.radius-status-server-unsigned')).toBe(0);
    await t.until(() => t!.db.prepare('SELECT 1 FROM native_senders').get() !== undefined);
    expect(t.db.prepare('SELECT device, accepted, bad_key FROM native_senders').get()).toEqual({ device: 'nas-8', accepted: 0, bad_key: 1 });
  });

  it('network access (Framed-User, 802.1X) is answered and not recorded', async () => {
    t = await start('s');
    const r = await radclient(t.ingest.native.radius!.port, 'acct', 's', admin('Start', 'User-Name = "laptop-1", Service-Type = Framed-User, Framed-IP-Address = 10.20.30.40') + '\n');
    expect(r.code, r.out).toBe(0);
    expect(events(t.db)).toEqual([]);
  });
});

describe('RADIUS accounting requests from public captures, replayed byte for byte', () => {
  it("node-radius's Cisco WLC capture (secret nearbuy): the Accounting-Response is the captured one to the byte; wireless access is not recorded", async () => {
    t = await start('nearbuy');
    const request = readFileSync(join(CAPTURES, 'cisco_accounting.packet'));
    const answers = await udpExchange(t.ingest.native.radius!.port, [request, request]);
    const expected = readFileSync(join(CAPTURES, 'cisco_accounting_response.packet')).toString('hex');
    expect(answers.map((a) => a.toString('hex'))).toEqual([expected, expected]);
    await t.until(() => t!.counter('duplicate.radius') === 1);
    expect(events(t.db)).toEqual([]);
    expect(t.db.prepare('SELECT device, accepted FROM native_senders').get()).toEqual({ device: 'Cisco 4400 (Anchor)', accepted: 1 });
  });

  it('Access-Requests from tcpdump\'s and Wireshark\'s captures sent to the accounting port: never answered, counted against the sender, only their header kept', async () => {
    // An accounting server answers no Access-Request (an Access-Accept from here would let a
    // misconfigured NAS in): its user, EAP identity and encrypted User-Password stay out of the store.
    t = await start('testing123');
    const requests = ['tcpdump-RADIUS-access-request.packet', 'wireshark-radius_localhost-access-request.packet'].map((f) => readFileSync(join(CAPTURES, f)));
    expect(await udpExchange(t.ingest.native.radius!.port, requests, 500)).toHaveLength(0);
    await t.until(() => t!.counter('rejected.radius-unexpected-code') === 2);
    await t.until(() => (t!.db.prepare('SELECT malformed FROM native_senders').pluck().get() as number | undefined) === 2);
    expect(t.db.prepare('SELECT accepted, bad_key, malformed, last_malformed_reason FROM native_senders').all()).toEqual([
      { accepted: 0, bad_key: 0, malformed: 2, last_malformed_reason: 'radius-unexpected-code' },
    ]);
    expect(events(t.db)).toEqual([]);
    const kept = (t.db.prepare("SELECT raw FROM rejects WHERE reason = 'radius-unexpected-code' ORDER BY id").pluck().all() as Buffer[]).map((r) => Buffer.from(r).toString('hex'));
    expect(kept).toEqual(requests.map((r) => r.subarray(0, 20).toString('hex')));
  });

  it("node-radius's Motorola AP capture verifies with its secret and is answered; with another secret it is discarded", async () => {
    t = await start('nearbuy');
    const request = readFileSync(join(CAPTURES, 'motorola_accounting.packet'));
    expect(await udpExchange(t.ingest.native.radius!.port, [request])).toHaveLength(1);
    await t.stop();
    t = await start('not-nearbuy');
    expect(await udpExchange(t.ingest.native.radius!.port, [request], 500)).toHaveLength(0);
    await t.until(() => t!.counter('rejected.radius-bad-authenticator') === 1);
  });
});

/** Sends datagrams one after another from one socket; the answers that came back. */
/** The answers that came (udpAnswers, test/support/radius.ts). */
const udpExchange = async (port: number, datagrams: Buffer[], waitMs?: number): Promise<Buffer[]> =>
  (await udpAnswers(port, datagrams, waitMs)).filter((a): a is Buffer => a !== undefined);

/** A UDP relay in front of the server that loses its first `drop` answers: the client must retransmit. */
async function lossyRelay(serverPort: number, drop: number): Promise<{ port: number; dropped: number; close(): Promise<void> }> {
  const front = dgram.createSocket('udp4');
  const back = dgram.createSocket('udp4');
  let client: dgram.RemoteInfo | undefined;
  const state = { port: 0, dropped: 0, close: async () => {} };
  front.on('message', (m, rinfo) => {
    client = rinfo;
    back.send(m, serverPort, '127.0.0.1');
  });
  back.on('message', (m) => {
    if (state.dropped < drop) {
      state.dropped++;
      return;
    }
    if (client) front.send(m, client.port, client.address);
  });
  await new Promise<void>((r) => front.bind(0, '127.0.0.1', () => r()));
  await new Promise<void>((r) => back.bind(0, '127.0.0.1', () => r()));
  state.port = front.address().port;
  state.close = async () => {
    await new Promise<void>((r) => front.close(() => r()));
    await new Promise<void>((r) => back.close(() => r()));
  };
  return state;
}

