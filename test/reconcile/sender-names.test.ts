// Which device a line was heard as, for the sender check and the unverified senders: the name it
// carries, not the inventory device at its address; and a device only a record's body names (a
// FortiGate's devname) heard from the line's address too. Real ingest over UDP into SQLite, then
// a reconciliation and the pages' own query.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InventoryNames, systemLookup, type Lookup } from '../../src/reconcile/inventory-names.js';
import { reconcile } from '../../src/reconcile/run.js';
import { ReconcileService } from '../../src/reconcile/service.js';
import { reconcileOptions, reconcileSetup, withInventoryNames } from '../../src/reconcile/setup.js';
import { pino } from 'pino';
import { unverifiedSenders } from '../../src/web/data/devices.js';
import { startPipeline, type Pipeline } from './support.js';

let p: Pipeline;
beforeAll(async () => {
  p = await startPipeline('administrators: [jdoe]\n', (c) => {
    c.devices = [
      // The collector's own host is an inventory device (an emulated device, a local relay): lines from loopback with other names are not its.
      { name: 'lab-sw1', address: '127.0.0.1', platform: 'cisco-ios', groups: [], port: 22, pull: false },
      { name: 'forti-1', address: '192.0.2.40', platform: 'fortinet-fortios', groups: [], port: 22, pull: false },
      // Host names: one that resolves elsewhere, one that resolves to loopback (the system's resolver), one that resolves to nothing.
      { name: 'dns-fw', address: 'fw1.example.test', platform: 'linux', groups: [], port: 22, pull: false },
      { name: 'dns-local', address: 'localhost', platform: 'linux', groups: [], port: 22, pull: false },
      { name: 'dns-none', address: 'nowhere.invalid', platform: 'linux', groups: [], port: 22, pull: false },
    ];
  });
});
afterAll(async () => {
  await p?.stop();
});

const fortiLine =
  '<185>date=2026-12-05 time=07:40:12 devname="forti-1" devid="FG100F" eventtime=1796456412000000000 tz="+0000" logid="0100044547" type="event" subtype="system" level="information" vd="root" logdesc="Object attribute configured" user="mallory" ui="ssh(10.6.6.6)" action="Add" cfgtid=1 cfgpath="system.admin" cfgobj="fadm" cfgattr="accprofile[super_admin]" msg="Add system.admin fadm"';

describe('names heard from an inventory device address', () => {
  it('files 40 made-up hostnames as unverified senders, not as the device at that address; a devname from the wrong address is a sender mismatch', async () => {
    const junk = Array.from({ length: 40 }, (_, i) => `junk-${String(i).padStart(3, '0')}`);
    const lines = junk.map((h, i) => `<86>Dec  5 07:47:${String(i % 60).padStart(2, '0')} ${h} useradd[${1000 + i}]: new user: name=u${i}, UID=${1000 + i}, GID=100, home=/home/u${i}, shell=/bin/sh, from=/dev/pts/0`);
    await p.send([...lines, fortiLine], 41);
    // A known device's sender rows are written a second after their batch at most (src/store/writer.ts COUNTS_MS).
    const heard = (): string[] => (p.db.prepare(`SELECT device FROM device_activity ORDER BY device`).all() as Array<{ device: string }>).map((r) => r.device);
    const deadline = Date.now() + 10_000;
    const senders = (): number => p.db.prepare(`SELECT count(*) FROM device_senders`).pluck().get() as number;
    while ((heard().length < 42 || senders() < 42) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    // The FortiGate line carries no header hostname: it is the line of the device at its address (lab-sw1), and forti-1's, whom its records name.
    expect(heard()).toEqual([...junk, 'forti-1', 'lab-sw1'].sort());
    const listed = unverifiedSenders(p.db, p.config.devices, 100);
    expect(listed.total).toBe(40);
    expect(listed.rows.map((r) => r.device).sort()).toEqual(junk);
    expect(listed.rows.map((r) => [r.records, r.senders])).toEqual(junk.map(() => [1, ['127.0.0.1']]));
    // The junk lines are not lab-sw1's traffic: only the nameless line is.
    expect(p.db.prepare(`SELECT sum(messages) FROM traffic WHERE device = 'lab-sw1'`).pluck().get()).toBe(1);

    // An AAA server's accounting (its header names it: tacsrv) reports on its NAS, nas-9: heard as tacsrv, not as nas-9.
    await p.send([`<86>Dec  5 07:48:30 tacsrv tac_plus[77]: nas-9\tjdoe\ttty1\t10.1.2.3\tstop\ttask_id=5\ttimezone=UTC\tservice=shell\tpriv-lvl=15\tcmd=username nasuser privilege 15 secret 0 Cleartext1 <cr>`], 2);
    expect(p.db.prepare(`SELECT count(*) FROM events WHERE device = 'nas-9'`).pluck().get()).toBe(2);
    while (!heard().includes('tacsrv') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(heard().filter((d) => d === 'tacsrv' || d === 'nas-9')).toEqual(['tacsrv']);

    // The same FortiGate line read from a file (`aaawatch import` without --source) was heard from no address: no sender row for anyone.
    const fileLine = fortiLine.replace(/forti-1/g, 'forti-file');
    p.ingest.pipeline.message(fileLine, false, undefined, 'file');
    await p.ingest.settle();
    expect(p.db.prepare(`SELECT count(*) FROM events WHERE device = 'forti-file'`).pluck().get()).toBe(1);
    expect(p.db.prepare(`SELECT count(*) FROM device_activity WHERE device = 'forti-file'`).pluck().get()).toBe(0);
    // Nor is the line itself anybody's: it names no device and came from no address, so its
    // placeholder name is counted in the traffic but never heard, never an unverified sender.
    // Traffic rows are held and written in a batch of their own, a second after theirs at most (src/store/writer.ts COUNTS_MS).
    const counted = (): unknown => p.db.prepare(`SELECT sum(messages) FROM traffic WHERE device = 'unknown'`).pluck().get();
    const until = Date.now() + 10_000;
    while (counted() === null && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(counted()).toBe(1);
    expect(p.db.prepare(`SELECT count(*) FROM device_activity WHERE device = 'unknown'`).pluck().get()).toBe(0);
    expect(unverifiedSenders(p.db, p.config.devices, 100).rows.map((r) => r.device)).not.toContain('unknown');

    reconcile(p.db, reconcileOptions(p.config, reconcileSetup(p.config), Date.now()));
    expect(p.findings('sender-mismatch').map((f) => [f.device, f.severity])).toEqual([['forti-1', 'high']]);
  });

  it('compares a device whose inventory address is a host name with what the name resolves to', async () => {
    const lines = ['dns-fw', 'dns-local', 'dns-none'].map((h, i) => `<86>Dec  5 07:48:0${i} ${h} useradd[${2000 + i}]: new user: name=d${i}, UID=${2000 + i}, GID=100, home=/home/d${i}, shell=/bin/sh, from=/dev/pts/0`);
    await p.send(lines, 3);
    const deadline = Date.now() + 10_000;
    const senders = (): number => p.db.prepare(`SELECT count(*) FROM device_senders WHERE device LIKE 'dns-%'`).pluck().get() as number;
    while (senders() < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    // fw1.example.test is 192.0.2.50 (a test resolver), localhost the system's; nowhere.invalid never answers.
    const lookup: Lookup = (host) =>
      host === 'fw1.example.test' ? Promise.resolve(['192.0.2.50']) : host === 'nowhere.invalid' ? new Promise<string[]>(() => {}) : systemLookup(host);
    const names = new InventoryNames(lookup, 200);
    const setup = await withInventoryNames(reconcileSetup(p.config), names);
    expect(setup.addresses.find((a) => a.name === 'dns-fw')?.resolved).toEqual(['192.0.2.50']);
    expect(setup.addresses.find((a) => a.name === 'dns-none')?.resolved).toBeUndefined();

    // serve's service resolves after its first run, then runs again: no finding is missed for waiting on DNS.
    const service = new ReconcileService({ config: p.config, db: p.db, log: pino({ level: 'silent' }), lookup: (h) => lookup(h) });
    service.start();
    const until = Date.now() + 10_000;
    while (!p.findings('sender-mismatch').some((f) => f.device === 'dns-fw') && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    await service.stop();
    const found = p.findings('sender-mismatch').filter((f) => f.device.startsWith('dns-'));
    expect(found.map((f) => f.device)).toEqual(['dns-fw']);
    expect(found[0]!.summary).toContain('not from its inventory address fw1.example.test (192.0.2.50)');
  });
});
