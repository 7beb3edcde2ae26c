// A device that logs under a name other than its inventory name (a FortiGate's `devname`, its
// hostname, against the inventory's `fw-edge-1`): the inventory's `logNames` makes its lines and
// records the device's, and the sender check still holds the name to the device's addresses.
// Real ingest over UDP into SQLite, then a reconciliation and the devices page's own queries.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../../src/reconcile/run.js';
import { reconcileOptions, reconcileSetup } from '../../src/reconcile/setup.js';
import { inventoryNamer } from '../../src/reconcile/scope.js';
import { inventoryRefs } from '../../src/report/document.js';
import { unverifiedSenders, withSenderDevices, type InventoryDevice } from '../../src/web/data/devices.js';
import { startPipeline, type Pipeline } from './support.js';

let p: Pipeline;
beforeAll(async () => {
  p = await startPipeline('administrators: [jdoe]\n', (c) => {
    c.devices = [
      // The lines come from 127.0.0.1: fw-local's own address; fw-edge-1's is elsewhere.
      { name: 'fw-local', address: '127.0.0.1', platform: 'fortinet-fortios', groups: [], port: 22, pull: false, logNames: ['FGT60F-HQ'] },
      { name: 'fw-edge-1', address: '192.0.2.40', platform: 'fortinet-fortios', groups: [], port: 22, pull: false, logNames: ['FGT100F-DC'] },
    ];
  });
});
afterAll(async () => {
  await p?.stop();
});

// The FortiOS admin-add line of test/reconcile/sender-names.test.ts (the corpus's psirt-admin-add shape), under other devnames.
const fortiLine = (devname: string, admin: string): string =>
  `<185>date=2026-12-05 time=07:40:12 devname="${devname}" devid="FG100F" eventtime=1796456412000000000 tz="+0000" logid="0100044547" type="event" subtype="system" level="information" vd="root" logdesc="Object attribute configured" user="mallory" ui="ssh(10.6.6.6)" action="Add" cfgtid=1 cfgpath="system.admin" cfgobj="${admin}" cfgattr="accprofile[super_admin]" msg="Add system.admin ${admin}"`;

describe('names a device logs under', () => {
  it('files a listed devname under its inventory device from its address; from another address it is a sender mismatch, never an unverified sender', async () => {
    await p.send([fortiLine('FGT60F-HQ', 'fadm1'), fortiLine('fgt100f-dc', 'fadm2'), fortiLine('FGT-UNLISTED', 'fadm3')], 3);
    const devices = (): string[] => (p.db.prepare(`SELECT device FROM events ORDER BY id`).all() as Array<{ device: string }>).map((r) => r.device);
    expect(devices()).toEqual(['fw-local', 'fw-edge-1', 'FGT-UNLISTED']);
    const heard = (): string[] => (p.db.prepare(`SELECT device FROM device_activity ORDER BY device`).all() as Array<{ device: string }>).map((r) => r.device);
    const deadline = Date.now() + 10_000;
    while ((heard().length < 3 || (p.db.prepare(`SELECT count(*) FROM device_senders`).pluck().get() as number) < 3) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(heard()).toEqual(['FGT-UNLISTED', 'fw-edge-1', 'fw-local']);

    // The unlisted devname is an unverified sender, and the page says whose address it came from.
    const inventory: InventoryDevice[] = p.config.devices.map((d) => ({ name: d.name, address: d.address, platform: d.platform, groups: d.groups, pull: d.pull }));
    const listed = unverifiedSenders(p.db, inventory, 100);
    expect(listed.rows.map((r) => r.device)).toEqual(['FGT-UNLISTED']);
    expect(withSenderDevices(listed.rows, inventory).map((r) => r.fromDevice)).toEqual(['fw-local']);

    // fw-edge-1's log name arrived from 127.0.0.1, not its 192.0.2.40: flagged as any claim of its name is.
    reconcile(p.db, reconcileOptions(p.config, reconcileSetup(p.config), Date.now()));
    expect(p.findings('sender-mismatch').map((f) => f.device)).toEqual(['fw-edge-1']);
    // The Accounts view's and the command line's device filter read a log name as ingest does.
    expect(['fgt60f-hq', 'FGT100F-DC', 'FGT-UNLISTED'].map(inventoryNamer(inventoryRefs(p.config)))).toEqual(['fw-local', 'fw-edge-1', 'FGT-UNLISTED']);
  });
});
