// A device the inventory names otherwise than its syslog does: the pulls file under the inventory's
// name, the lines under the name they carry. Real ingest over UDP into SQLite, pulls from the SSH
// emulator, then a reconciliation and the population row an auditor reads.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { populationRow } from '../../src/reconcile/population.js';
import { reconcileSetup } from '../../src/reconcile/setup.js';
import { inventoryRefs, populationContext } from '../../src/report/document.js';
import { inventoryNamer } from '../../src/reconcile/scope.js';
import { unverifiedSenders } from '../../src/web/data/devices.js';
import { IOS_C9200, iosLine, startPipeline, withUsers, type Pipeline } from './support.js';

const T0 = Date.UTC(2026, 10, 20, 9, 0);
const MIN = 60_000;

let p: Pipeline;
beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: T0, shouldAdvanceTime: true });
  p = await startPipeline('administrators: [jdoe]\n', (c) => {
    c.devices = [
      // Named by FQDN (as NetBox or Oxidized name it); the switch logs `logging origin-id hostname`: core-sw1.
      { name: 'core-sw1.example.net', address: '127.0.0.1', platform: 'cisco-ios', groups: [], port: 22, pull: true },
      // Two FQDNs sharing a first label: `edge` names neither.
      { name: 'edge.dc1.example.net', address: '192.0.2.21', platform: 'cisco-ios', groups: [], port: 22, pull: false },
      { name: 'edge.dc2.example.net', address: '192.0.2.22', platform: 'cisco-ios', groups: [], port: 22, pull: false },
    ];
  });
});
afterAll(async () => {
  await p?.stop();
  vi.useRealTimers();
});

describe('an inventory that names devices by FQDN, devices that log their short hostname', () => {
  it('files the short name\'s lines under the FQDN: the pulled account is attributed, not unlogged, and appears once', async () => {
    await p.pull('core-sw1.example.net', IOS_C9200());
    p.service.run();
    const t = T0 + 30 * MIN;
    vi.setSystemTime(t);
    await p.send([iosLine(1, 'core-sw1', t, 'PARSER-5-CFGLOG_LOGGEDCMD', 'User:mallory  logged command:username eve privilege 15 secret *')], 2);
    vi.setSystemTime(t + 30 * MIN);
    await p.pull('core-sw1.example.net', withUsers(IOS_C9200(), 'username eve privilege 15 secret 9 $9$xxxxxxxxxxSECRET_EVExxxxxxxxxxxxx'));
    vi.setSystemTime(t + 40 * MIN);
    p.service.run();

    expect(p.db.prepare(`SELECT DISTINCT device FROM events`).pluck().all()).toEqual(['core-sw1.example.net']);
    const eve = p.findings().filter((f) => f.account === 'eve');
    expect(eve.map((f) => [f.device, f.kind, f.severity]).sort()).toEqual([
      ['core-sw1.example.net', 'account-created', 'critical'],
      ['core-sw1.example.net', 'unauthorised-account', 'critical'],
    ]);
    const ctx = populationContext(p.config, reconcileSetup(p.config).roster, T0, Date.now());
    const row = populationRow(p.db, ctx, { device: 'core-sw1.example.net', account: 'eve' })!;
    expect([row.source, row.state, row.createdBy, row.createdPath]).toEqual(['pulled', 'present', 'mallory', 'cli']);
    expect(populationRow(p.db, ctx, { device: 'core-sw1', account: 'eve' })).toBeUndefined();
    expect(unverifiedSenders(p.db, p.config.devices, 100).rows.map((r) => r.device)).not.toContain('core-sw1');
    // The Accounts view's and the command line's device filter read the short name as ingest does.
    expect(['core-sw1', 'CORE-SW1', 'edge', 'core-sw1.example.net'].map(inventoryNamer(inventoryRefs(p.config)))).toEqual([
      'core-sw1.example.net', 'core-sw1.example.net', 'edge', 'core-sw1.example.net',
    ]);
  });

  it('keeps a short name two inventory FQDNs share as the name it is: an unverified sender, neither device', async () => {
    const t = Date.now();
    await p.send([iosLine(2, 'edge', t, 'PARSER-5-CFGLOG_LOGGEDCMD', 'User:mallory  logged command:username zed privilege 15 secret *')], 2);
    expect(p.db.prepare(`SELECT DISTINCT device FROM events WHERE target = 'zed'`).pluck().all()).toEqual(['edge']);
  });
});
