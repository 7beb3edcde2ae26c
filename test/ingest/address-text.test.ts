// Sender addresses spelled from the kernel's bytes as Node spells rinfo.address (libuv's
// inet_ntop): checked against the forms RFC 5952 and libuv's rules give, and against Node itself
// wherever a loopback socket can show it.

import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ipv4Text, ipv6Text, isLinkLocal } from '../../src/ingest/address-text.js';

/** The 16 bytes of an address written in full (eight groups, no `::`). */
function bytesOf(full: string): Uint8Array {
  const groups = full.split(':');
  expect(groups).toHaveLength(8);
  const b = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    b[2 * i] = v >> 8;
    b[2 * i + 1] = v & 0xff;
  });
  return b;
}

describe('address text', () => {
  it('IPv4 dotted', () => {
    expect(ipv4Text(new Uint8Array([9, 0, 192, 0, 2, 255, 7]), 2)).toBe('192.0.2.255');
  });

  it.each([
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    // libuv writes a dotted tail only for ::ffff:a.b.c.d and ::a.b.c.d (IPv4-compatible)
    ['0:0:0:0:0:0:0:2', '::2'],
    ['0:0:0:0:0:ffff:c000:20c', '::ffff:192.0.2.12'],
    ['0:0:0:0:0:0:c000:20c', '::192.0.2.12'],
    ['0:0:0:0:ffff:0:c000:20c', '::ffff:0:c000:20c'],
    ['2001:db8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0:0:0:0:0:0', '2001:db8::'],
    // the longest run of zeros; of equal runs the first; a single zero group is not compressed
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['fe80:0:0:0:abcd:ef01:2345:6789', 'fe80::abcd:ef01:2345:6789'],
    ['2001:DB8:AAAA:BBBB:CCCC:DDDD:EEEE:1', '2001:db8:aaaa:bbbb:cccc:dddd:eeee:1'],
  ])('%s is written %s', (full, text) => {
    expect(ipv6Text(bytesOf(full), 0)).toBe(text);
    expect(isIPv6(text)).toBe(true);
  });

  it('reads at an offset', () => {
    const b = new Uint8Array(24);
    b.set(bytesOf('2001:db8:0:0:0:0:0:1'), 8);
    expect(ipv6Text(b, 8)).toBe('2001:db8::1');
  });

  it('fe80::/10 is link-local', () => {
    expect(isLinkLocal(bytesOf('fe80:0:0:0:0:0:0:1'), 0)).toBe(true);
    expect(isLinkLocal(bytesOf('febf:0:0:0:0:0:0:1'), 0)).toBe(true);
    expect(isLinkLocal(bytesOf('fec0:0:0:0:0:0:0:1'), 0)).toBe(false);
    expect(isLinkLocal(bytesOf('2001:db8:0:0:0:0:0:1'), 0)).toBe(false);
  });

  it('the loopback senders Node shows are written the same', async () => {
    const socket = dgram.createSocket({ type: 'udp6', ipv6Only: false });
    await new Promise<void>((r) => socket.bind(0, '::', () => r()));
    const seen = new Promise<string[]>((resolve) => {
      const got: string[] = [];
      socket.on('message', (_m, rinfo) => {
        got.push(rinfo.address);
        if (got.length === 2) resolve(got);
      });
    });
    for (const [type, host] of [['udp6', '::1'], ['udp4', '127.0.0.1']] as const) {
      const c = dgram.createSocket(type);
      await new Promise<void>((r) => c.send('x', socket.address().port, host, () => r()));
      c.close();
    }
    const got = (await seen).sort();
    socket.close();
    expect(got).toEqual([ipv6Text(bytesOf('0:0:0:0:0:ffff:7f00:1'), 0), ipv6Text(bytesOf('0:0:0:0:0:0:0:1'), 0)].sort());
  });
});
