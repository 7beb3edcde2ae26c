// What an Accounting-Request says by meaning (records.ts `accountingFacts`): the Cisco-AVPair a NAS
// repeats in every request is answered from the last one read when its octets are that pair's
// text, and each other pair is read from its own octets.

import { describe, expect, it } from 'vitest';
import { readPacket } from '../../src/ingest/radius/packet.js';
import { accountingFacts } from '../../src/ingest/radius/records.js';

const attr = (type: number, value: Buffer): Buffer => Buffer.concat([Buffer.from([type, value.length + 2]), value]);
const ciscoAvPair = (value: Buffer): Buffer => attr(26, Buffer.concat([Buffer.from([0, 0, 0, 9, 1, value.length + 2]), value]));

function privilegeOf(pair: Buffer): string | undefined {
  const b = Buffer.concat([Buffer.from([4, 1, 0, 0]), Buffer.alloc(16), attr(1, Buffer.from('alice')), ciscoAvPair(pair)]);
  b.writeUInt16BE(b.length, 2);
  const p = readPacket(b);
  if (typeof p === 'string') throw new Error(p);
  return accountingFacts(p).privilege;
}

describe('accountingFacts: Cisco-AVPair', () => {
  it('reads a pair repeated from the request before as it, and one of the same length that differs as itself', () => {
    expect(privilegeOf(Buffer.from('shell:priv-lvl=15'))).toBe('15');
    expect(privilegeOf(Buffer.from('shell:priv-lvl=15'))).toBe('15');
    expect(privilegeOf(Buffer.from('shell:priv-lvl=14'))).toBe('14');
    expect(privilegeOf(Buffer.from('shell:priv-lvl=14'))).toBe('14');
    expect(privilegeOf(Buffer.from('shell:roles="ops"'))).toBe('ops');
  });

  it('reads non-ASCII octets by their encoding, even where they match the last text character for character', () => {
    // UTF-8 for "Ã©": the last pair's text then holds the characters 0xC3 0xA9, which are also the
    // octets of UTF-8 "é" in the next request, read as "é".
    expect(privilegeOf(Buffer.concat([Buffer.from('shell:roles='), Buffer.from('Ã©', 'utf8')]))).toBe('Ã©');
    expect(privilegeOf(Buffer.concat([Buffer.from('shell:roles='), Buffer.from([0xc3, 0xa9])]))).toBe('é');
    // Not UTF-8: each octet one character (Latin-1), whichever pair came before.
    expect(privilegeOf(Buffer.concat([Buffer.from('shell:roles='), Buffer.from([0xe9])]))).toBe('é');
    expect(privilegeOf(Buffer.concat([Buffer.from('shell:roles='), Buffer.from([0xe9])]))).toBe('é');
  });
});
