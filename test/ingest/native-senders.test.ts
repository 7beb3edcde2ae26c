// The sender check for native accounting (issue 15): which device a RADIUS request is filed under
// when its sender is a configured proxy (the NAS it names) or not (the sender itself), the
// (sender, device) pairs kept, a claim on an inventory device from another address raising the
// same sender-mismatch as syslog, and names the inventory does not know shown as unverified
// senders, never devices. radclient (freeradius-utils) over a real socket, a real SQLite store, the
// real reconciliation and the data the pages read; TACACS+ (Perl client) in tacacs.test.ts.

import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { NativeDevices } from '../../src/ingest/native/device.js';
import { reconcile } from '../../src/reconcile/run.js';
import { reconcileOptions, reconcileSetup } from '../../src/reconcile/setup.js';
import { allDeviceHealth, deviceView, unverifiedSenders, type InventoryDevice } from '../../src/web/data/devices.js';
import { startTestIngest, type TestIngest } from '../support/ingest.js';
import { requireTool } from '../support/tools.js';
import { timeView } from '../../src/web/time.js';
import { unverifiedTable } from '../../src/web/views/devices.js';

const SECRET_ENV = 'AAAWATCH_TEST_NATIVE_SENDERS_SECRET';
const SECRET = 'proxy-s3cret';
const CORE = { name: 'core-sw1', address: '192.0.2.12', platform: 'cisco-ios', groups: [], port: 22, pull: false };
const EDGE6 = { name: 'edge-v6', address: '2001:db8::5', platform: 'cisco-ios', groups: [], port: 22, pull: false };
const INVENTORY: InventoryDevice[] = [CORE, EDGE6].map(({ port: _port, ...d }) => d);

let t: TestIngest | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

async function start(proxy: boolean | undefined, patch: (c: Config) => void = () => {}): Promise<TestIngest> {
  process.env[SECRET_ENV] = SECRET;
  return startTestIngest((c) => {
    c.ingest.radius.port = 0;
    c.devices = [CORE, EDGE6];
    c.ingest.radius.secrets = [{ devices: [], sources: ['127.0.0.0/8', '::1'], secret: { env: SECRET_ENV }, ...(proxy === undefined ? {} : { proxy }) }];
    patch(c);
  });
}

/** radclient sending `packets` (blank-line separated attribute lists) from 127.0.0.1; its exit code and output. */
function radclient(packets: string[]): Promise<{ code: number | null; out: string }> {
  const tool = requireTool('radclient');
  if (!tool) throw new Error('radclient is not installed');
  const file = join(t!.dir, `packets-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(file, packets.join('\n\n') + '\n');
  return new Promise((resolve) => {
    execFile(tool, ['-f', file, '-r', '2', '-t', '2', `127.0.0.1:${t!.ingest.native.radius!.port}`, 'acct', SECRET], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
    });
  });
}

const start_ = (session: string, nas: string): string =>
  `Acct-Status-Type = Start, Acct-Session-Id = "${session}", User-Name = "netops", Service-Type = NAS-Prompt-User, Cisco-AVPair = "shell:priv-lvl=15", ${nas}`;

const sessions = (db: TestIngest['db']): Array<{ session: string; device: string; source: string }> =>
  db.prepare("SELECT session, device, source FROM events WHERE transport = 'radius' ORDER BY session").all() as Array<{ session: string; device: string; source: string }>;
const pairs = (db: TestIngest['db']): unknown[] =>
  db.prepare('SELECT source, device, accepted, named, last_named IS NOT NULL AS dated FROM native_senders ORDER BY device').all();

describe('native accounting senders: proxies, claims and unverified names', () => {
  it('a configured proxy relaying for several NASes: each request filed under the NAS it names, one pair per NAS, no finding', async () => {
    t = await start(true);
    const r = await radclient([
      start_('via-ip', 'NAS-IP-Address = 192.0.2.12'),
      // Named by NAS-Identifier as an FQDN: its short name is the inventory's.
      start_('via-fqdn', 'NAS-Identifier = "CORE-SW1.example.net", NAS-IP-Address = 198.51.100.1'),
      start_('via-v6', 'NAS-IPv6-Address = 2001:db8:0:0:0:0:0:5'),
      start_('unknown-nas', 'NAS-Identifier = "branch-9"'),
      start_('names-none', 'Calling-Station-Id = "10.9.8.7"'),
    ]);
    expect(r.code, r.out).toBe(0);
    expect(sessions(t.db)).toEqual([
      { session: 'names-none', device: '127.0.0.1', source: '127.0.0.1' },
      { session: 'unknown-nas', device: 'branch-9', source: '127.0.0.1' },
      { session: 'via-fqdn', device: 'core-sw1', source: '127.0.0.1' },
      { session: 'via-ip', device: 'core-sw1', source: '127.0.0.1' },
      { session: 'via-v6', device: 'edge-v6', source: '127.0.0.1' },
    ]);
    expect(pairs(t.db)).toEqual([
      { source: '127.0.0.1', device: '127.0.0.1', accepted: 1, named: 0, dated: 0 },
      { source: '127.0.0.1', device: 'branch-9', accepted: 1, named: 0, dated: 0 },
      { source: '127.0.0.1', device: 'core-sw1', accepted: 2, named: 0, dated: 0 },
      { source: '127.0.0.1', device: 'edge-v6', accepted: 1, named: 0, dated: 0 },
    ]);
    // A proxy is no foreign sender of its NASes.
    expect(t.db.prepare('SELECT count(*) AS n FROM device_senders').get()).toEqual({ n: 0 });
    expect(reconcile(t.db, reconcileOptions(t.config, reconcileSetup(t.config), Date.now())).senderMismatches).toBe(0);
    // The NAS is heard natively through its proxy; the names the inventory does not know are unverified senders, not devices.
    const health = allDeviceHealth(t.db, INVENTORY, Date.now());
    expect(health.map((h) => h.device).sort()).toEqual(['core-sw1', 'edge-v6']);
    expect(health.find((h) => h.device === 'core-sw1')!.lastNative).not.toBeNull();
    const unverified = unverifiedSenders(t.db, INVENTORY, 10);
    expect(unverified.total).toBe(2);
    expect(unverified.rows.map((u) => [u.device, u.senders]).sort()).toEqual([['127.0.0.1', ['127.0.0.1']], ['branch-9', ['127.0.0.1']]]);
    const page = deviceView(t.db, INVENTORY, 'branch-9', [], Date.now());
    expect(page?.unverified).toBe(true);
    expect(page?.detail.native.map((n) => [n.source, n.device, n.accepted])).toEqual([['127.0.0.1', 'branch-9', 1]]);
  });

  it('a NAS-Identifier with a terminal escape, a line break or a bidi override becomes a device name with those characters written out', async () => {
    t = await start(true);
    // radclient reads \033 and \n in a string as the octets; \342\200\256 is U+202E (right-to-left override) in UTF-8.
    const r = await radclient([
      start_('escape', 'NAS-Identifier = "nas\\033[2J\\nforged-row  radius  10.0.0.1"'),
      start_('bidi', 'NAS-Identifier = "nas\\342\\200\\256gnp.exe"'),
    ]);
    expect(r.code, r.out).toBe(0);
    const names = ['nas\\u{1b}[2J\\u{a}forged-row  radius  10.0.0.1', 'nas\\u{202e}gnp.exe'];
    expect(sessions(t.db).map((s) => s.device)).toEqual([names[1], names[0]]);
    expect((t.db.prepare('SELECT device FROM native_senders ORDER BY device').all() as Array<{ device: string }>).map((d) => d.device).sort()).toEqual([...names].sort());
    const unverified = unverifiedSenders(t.db, INVENTORY, 10);
    expect(unverified.rows.map((u) => u.device).sort()).toEqual([...names].sort());
    const ctx = { user: { id: 1, name: 'a', role: 'admin' as const }, csrf: 'c', time: timeView('UTC'), zone: 'UTC', now: Date.now(), path: '/devices' };
    const table = unverifiedTable(ctx, unverified).toString();
    expect(table).toContain('Names that arrived in syslog headers or in native accounting (the NAS a RADIUS proxy relays for');
    expect(table).toContain('nas\\u{1b}[2J\\u{a}forged-row');
  });

  it('a sender that is no proxy naming an inventory device (NAS-IP-Address, IPv4-mapped NAS-IPv6-Address, NAS-Identifier): filed under itself, the claim raises sender-mismatch', async () => {
    t = await start(undefined);
    const r = await radclient([
      start_('claim-ip', 'NAS-IP-Address = 192.0.2.12'),
      start_('claim-mapped', 'NAS-IPv6-Address = ::ffff:192.0.2.12'),
      start_('claim-name', 'NAS-Identifier = "core-sw1"'),
      // A name the inventory does not know: the sender's own name for itself, an unverified sender.
      start_('self-named', 'NAS-Identifier = "lab-nas", NAS-IP-Address = 127.0.0.1'),
    ]);
    expect(r.code, r.out).toBe(0);
    expect(sessions(t.db)).toEqual([
      { session: 'claim-ip', device: '127.0.0.1', source: '127.0.0.1' },
      { session: 'claim-mapped', device: '127.0.0.1', source: '127.0.0.1' },
      { session: 'claim-name', device: '127.0.0.1', source: '127.0.0.1' },
      { session: 'self-named', device: 'lab-nas', source: '127.0.0.1' },
    ]);
    // Each pair's first row went with its request's records; a known pair's counts are held with the traffic counts (up to a second, writer.ts).
    await t.ingest.settle();
    expect(pairs(t.db)).toEqual([
      { source: '127.0.0.1', device: '127.0.0.1', accepted: 3, named: 0, dated: 0 },
      { source: '127.0.0.1', device: 'core-sw1', accepted: 0, named: 3, dated: 1 },
      { source: '127.0.0.1', device: 'lab-nas', accepted: 1, named: 0, dated: 0 },
    ]);
    expect(t.db.prepare('SELECT device, source FROM device_senders').all()).toEqual([{ device: 'core-sw1', source: '127.0.0.1' }]);
    const result = reconcile(t.db, reconcileOptions(t.config, reconcileSetup(t.config), Date.now()));
    expect(result.senderMismatches).toBe(1);
    const finding = t.db.prepare("SELECT device, summary FROM findings WHERE kind = 'sender-mismatch'").get() as { device: string; summary: string };
    expect(finding.device).toBe('core-sw1');
    expect(finding.summary).toContain('arrived from 127.0.0.1');
    expect(finding.summary).toContain('not from its inventory address 192.0.2.12');
    // The badge, and the claim on its page; core-sw1 is not heard through a claim.
    const core = deviceView(t.db, INVENTORY, 'core-sw1', [], Date.now());
    expect(core?.health?.senderMismatch).toBe(1);
    expect(core?.health?.lastNative).toBeNull();
    expect(core?.detail.native.map((n) => [n.source, n.device, n.accepted, n.named])).toEqual([['127.0.0.1', 'core-sw1', 0, 3]]);
  });

  it('a proxy setting follows the secrets entry that names the sender: a proxy entry for one address, a plain one for the rest of the subnet', async () => {
    t = await start(undefined, (c) => {
      c.ingest.radius.secrets = [
        { devices: [], sources: ['127.0.0.0/8'], secret: { env: SECRET_ENV } },
        { devices: [], sources: ['127.0.0.1'], secret: { env: SECRET_ENV }, proxy: true },
      ];
    });
    const r = await radclient([start_('relayed', 'NAS-IP-Address = 192.0.2.12')]);
    expect(r.code, r.out).toBe(0);
    expect(sessions(t.db)).toEqual([{ session: 'relayed', device: 'core-sw1', source: '127.0.0.1' }]);
  });
});

describe('NativeDevices (the resolution alone)', () => {
  const devices = new NativeDevices([CORE, EDGE6], ['10.0.0.100/32']);
  it('a sender with no NAS attributes (TACACS+) is its inventory device, else its address', () => {
    expect(devices.resolve('::ffff:192.0.2.12')).toEqual({ device: 'core-sw1', platform: 'cisco-ios', claimed: undefined });
    expect(devices.resolve('2001:db8:0::5')).toEqual({ device: 'edge-v6', platform: 'cisco-ios', claimed: undefined });
    expect(devices.resolve('::ffff:10.9.9.9')).toEqual({ device: '10.9.9.9', platform: undefined, claimed: undefined });
  });
  it('an inventory device naming another inventory device claims it; naming itself or an unknown NAS claims nothing', () => {
    expect(devices.resolve('192.0.2.12', undefined, '2001:db8::5').claimed).toBe('edge-v6');
    expect(devices.resolve('192.0.2.12', 'core-sw1', '192.0.2.12').claimed).toBeUndefined();
    expect(devices.resolve('192.0.2.12', 'whatever', undefined)).toEqual({ device: 'core-sw1', platform: 'cisco-ios', claimed: undefined });
  });
  it('a device sending from an address listed in its senders (a radius source-interface) is that device, naming itself claims nothing', () => {
    const looped = new NativeDevices([{ ...CORE, senders: ['198.51.100.0/24'] }], []);
    expect(looped.resolve('198.51.100.7', undefined, '192.0.2.12')).toEqual({ device: 'core-sw1', platform: 'cisco-ios', claimed: undefined });
    expect(looped.resolve('198.51.101.7', undefined, '192.0.2.12')).toEqual({ device: '198.51.101.7', platform: undefined, claimed: 'core-sw1' });
  });
  it('a proxy relaying an unknown NAS by address: the address in its canonical form', () => {
    expect(devices.resolve('10.0.0.100', undefined, '2001:DB8:0:0:0:0:0:77').device).toBe('2001:db8::77');
    expect(devices.resolve('10.0.0.100', undefined, '0:0:0:0:0:ffff:c000:20c').device).toBe('core-sw1');
  });
});
