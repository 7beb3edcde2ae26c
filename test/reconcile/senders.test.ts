// The sender check without I/O: which of a device's sender addresses are not its own.

import { describe, expect, it } from 'vitest';
import { canonicalAddress, createAllowList } from '../../src/ingest/allow.js';
import { DeviceDirectory } from '../../src/ingest/devices.js';
import { senderFinding, senderMismatches } from '../../src/reconcile/senders.js';

const row = (device: string, source: string, last = 2000) => ({ device, source, first_seen: 1000, last_seen: last });
const none = (): boolean => false;

describe('sender mismatches', () => {
  it('flags a device heard from an address that is not its inventory address, its own senders, or a relay', () => {
    const inventory = [
      { name: 'core-sw1', address: '192.0.2.11' },
      { name: 'edge-sw2', address: '192.0.2.12', senders: ['198.51.100.0/24'] },
      // A host name is compared only with what reconciliation resolved it to (`resolved`, src/reconcile/inventory-names.ts): here nothing.
      { name: 'fw1', address: 'fw1.example.net' },
      { name: 'v6', address: '2001:db8::7' },
    ];
    const rows = [
      row('core-sw1', '::ffff:192.0.2.11'),
      row('core-sw1', '10.66.6.6', 3000),
      row('core-sw1', '10.66.6.7', 5000),
      row('edge-sw2', '198.51.100.12'),
      row('edge-sw2', '203.0.113.9'),
      row('fw1', '10.0.0.1'),
      row('v6', '2001:db8::7'),
      row('not-in-inventory', '10.0.0.1'),
    ];
    const found = senderMismatches(inventory, rows, none);
    expect(found.map((m) => [m.device, m.expected, m.senders.map((s) => s.source)])).toEqual([
      ['core-sw1', '192.0.2.11', ['10.66.6.7', '10.66.6.6']],
      ['edge-sw2', '192.0.2.12', ['203.0.113.9']],
    ]);
    expect(senderMismatches(inventory, rows, createAllowList(['10.66.6.0/24', '203.0.113.9']))).toEqual([]);
    const f = senderFinding(found[0]!, [7, 8], 9000);
    expect(f).toMatchObject({ kind: 'sender-mismatch', severity: 'high', device: 'core-sw1', evidence: { events: [7, 8] } });
    expect(f.summary).toBe(
      'messages naming core-sw1 arrived from 10.66.6.7 (last 1970-01-01 00:00 UTC), 10.66.6.6 (last 1970-01-01 00:00 UTC), not from its inventory address 192.0.2.11: a relay not listed in ingest.relays (a RADIUS proxy not marked proxy in ingest.radius.secrets), an interface not listed in its senders, or records forged in its name',
    );
  });

  it('compares inventory addresses written any way as a socket reports them: IPv6 case and zeros, IPv4-mapped forms', () => {
    const inventory = [
      { name: 'mapped', address: '::FFFF:192.0.2.12' },
      { name: 'mapped-hex', address: '::ffff:c000:20d' },
      { name: 'long', address: '2001:0DB8:0000:0000::0013' },
      { name: 'plain', address: '192.0.2.14' },
    ];
    // What a dual-stack socket reports for each sender: mapped IPv4 (stripped or not) and compressed lower-case IPv6.
    const own = [row('mapped', '192.0.2.12'), row('mapped', '::ffff:192.0.2.12'), row('mapped-hex', '192.0.2.13'), row('long', '2001:db8::13'), row('plain', '::ffff:192.0.2.14')];
    expect(senderMismatches(inventory, own, none)).toEqual([]);
    const foreign = senderMismatches(inventory, [row('mapped', '192.0.2.99'), row('long', '2001:db8::14')], none);
    expect(foreign.map((m) => [m.device, m.expected])).toEqual([['mapped', '192.0.2.12'], ['long', '2001:db8::13']]);
    expect(['::FFFF:192.0.2.12', '::ffff:c000:20c', '2001:DB8::1', 'fe80::1%eth0', 'fw1.example.net', '10.0.0.1'].map(canonicalAddress)).toEqual([
      '192.0.2.12', '192.0.2.12', '2001:db8::1', 'fe80::1%eth0', 'fw1.example.net', '10.0.0.1',
    ]);
    // A message without a hostname is the inventory device's its sender's address names, however the inventory writes it.
    const directory = new DeviceDirectory(inventory.map((d) => ({ ...d, platform: 'linux', groups: [], port: 22, pull: false })), 'UTC');
    expect(directory.canonical(undefined, '::ffff:192.0.2.12')).toBe('mapped');
    expect(directory.canonical(undefined, '2001:db8::13')).toBe('long');
    // A device the inventory does not hold, named by address (a tac_plus NAS, a relay's sender): one
    // spelling whichever the line used, as a socket reports it; a name that is not an address stays as written.
    const empty = new DeviceDirectory([], 'UTC');
    expect(['::ffff:10.1.1.1', '::FFFF:10.1.1.1', '10.1.1.1', '2001:DB8:0:0::6', '2001:db8::6', 'fe80::1%eth0', 'Core-SW1', 'a:b'].map((n) => empty.canonical(n, undefined))).toEqual([
      '10.1.1.1', '10.1.1.1', '10.1.1.1', '2001:db8::6', '2001:db8::6', 'fe80::1%eth0', 'Core-SW1', 'a:b',
    ]);
    expect(directory.canonical('::ffff:10.1.1.1', '192.0.2.12')).toBe('10.1.1.1');
  });
});
