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
      // Behind a relay that writes each sender's address as its host (`%fromhost-ip%`).
      { name: 'v4-sw', address: '192.0.2.15', platform: 'cisco-ios', groups: [], port: 22, pull: false },
      { name: 'v6-sw', address: '2001:db8::6', platform: 'cisco-ios', groups: [], port: 22, pull: false },
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

describe('a relay that writes its senders\' addresses as their hosts', () => {
  it('files an address written any way under the inventory device at it: IPv4-mapped, IPv6 in capitals or uncompressed', async () => {
    const cmd = (user: string, c: string): string => `%PARSER-5-CFGLOG_LOGGEDCMD: User:${user}  logged command:${c}`;
    await p.send([
      `<189>1 2026-11-20T11:00:00Z ::ffff:192.0.2.15 - - - - ${cmd('m', 'username u1 privilege 1 secret *')}`,
      `<189>1 2026-11-20T11:00:00Z 2001:DB8:0:0:0:0:0:6 - - - - ${cmd('m', 'username u2 privilege 1 secret *')}`,
      `<189>1 2026-11-20T11:00:00Z 192.0.2.15 - - - - ${cmd('m', 'username u3 privilege 1 secret *')}`,
      `<189>Nov 20 11:00:00 2001:db8::6 ${cmd('m', 'username u4 privilege 1 secret *')}`,
    ], 8);
    expect(p.db.prepare(`SELECT target, device FROM events WHERE kind = 'account' AND target LIKE 'u_' ORDER BY target`).raw().all()).toEqual([
      ['u1', 'v4-sw'], ['u2', 'v6-sw'], ['u3', 'v4-sw'], ['u4', 'v6-sw'],
    ]);
  });
});
