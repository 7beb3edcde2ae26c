// Which device a line was heard as, for the sender check and the unverified senders: the name it
// carries, not the inventory device at its address; and a device only a record's body names (a
// FortiGate's devname) heard from the line's address too. Real ingest over UDP into SQLite, then
// a reconciliation and the pages' own query.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../../src/reconcile/run.js';
import { reconcileOptions, reconcileSetup } from '../../src/reconcile/setup.js';
import { unverifiedSenders } from '../../src/web/data/devices.js';
import { startPipeline, type Pipeline } from './support.js';

let p: Pipeline;
beforeAll(async () => {
  p = await startPipeline('administrators: [jdoe]\n', (c) => {
    c.devices = [
      // The collector's own host is an inventory device (an emulated device, a local relay): lines from loopback with other names are not its.
      { name: 'lab-sw1', address: '127.0.0.1', platform: 'cisco-ios', groups: [], port: 22, pull: false },
      { name: 'forti-1', address: '192.0.2.40', platform: 'fortinet-fortios', groups: [], port: 22, pull: false },
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
    // Sender rows are written a second after their batch at most (src/store/held-counts.ts).
    const heard = (): string[] => (p.db.prepare(`SELECT device FROM device_activity ORDER BY device`).all() as Array<{ device: string }>).map((r) => r.device);
    const deadline = Date.now() + 10_000;
    const senders = (): number => p.db.prepare(`SELECT count(*) FROM device_senders`).pluck().get() as number;
    while ((heard().length < 42 || senders() < 42) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    // The FortiGate line carries no header hostname: it is the line of the device at its address (lab-sw1), and forti-1's, whom its records name.
    expect(heard()).toEqual([...junk, 'forti-1', 'lab-sw1'].sort());
    const listed = unverifiedSenders(p.db, p.config.devices.map((d) => ({ name: d.name, platform: d.platform })), 100);
    expect(listed.total).toBe(40);
    expect(listed.rows.map((r) => r.device).sort()).toEqual(junk);
    expect(listed.rows.map((r) => [r.records, r.senders])).toEqual(junk.map(() => [1, ['127.0.0.1']]));
    // The junk lines are not lab-sw1's traffic: only the nameless line is.
    expect(p.db.prepare(`SELECT sum(messages) FROM traffic WHERE device = 'lab-sw1'`).pluck().get()).toBe(1);

    reconcile(p.db, reconcileOptions(p.config, reconcileSetup(p.config), Date.now()));
    expect(p.findings('sender-mismatch').map((f) => [f.device, f.severity])).toEqual([['forti-1', 'high']]);
  });
});
