import { describe, expect, it } from 'vitest';
import { parseSnmp, parseSocketDrops, readSocketDrops, readUdpKernelCounters } from '../../src/ingest/kernel.js';

// The layouts of /proc/net/snmp and /proc/net/udp as Linux 6.x prints them.
const SNMP = `Ip: Forwarding DefaultTTL InReceives
Ip: 1 64 123
Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors
Udp: 1000 2 848947 900 848947 0 0 0 0
UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors
UdpLite: 0 0 0 0 0 0 0 0 0
`;
const UDP = `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  101: 00000000:157A 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 31337 2 0000000000000000 4834
  102: 0100007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4242 2 0000000000000000 7
`;

describe('kernel UDP drop counters', () => {
  it('reads InErrors and RcvbufErrors from /proc/net/snmp, not the UdpLite line', () => {
    expect(parseSnmp(SNMP)).toEqual({ inErrors: 848947, rcvbufErrors: 848947 });
  });

  it('reads the drops of the socket bound to a port from /proc/net/udp', () => {
    expect(parseSocketDrops(UDP, 5498)).toBe(4834);
    expect(parseSocketDrops(UDP, 53)).toBe(7);
    expect(parseSocketDrops(UDP, 9999)).toBe(0);
  });

  it('reads this machine’s counters', () => {
    expect(readUdpKernelCounters()).toEqual({ inErrors: expect.any(Number), rcvbufErrors: expect.any(Number) });
    expect(readSocketDrops(1)).toBe(0);
  });
});
