// A RADIUS request's rendering (its raw evidence): the usual packet is written byte by byte into a
// scratch buffer, any other the general way; both must give the same line, for every attribute
// kind, value and length, and for packets whose rendering outgrows the scratch buffer.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../parsers/lib/secrets.js';
import { readPacket, type RadiusPacket } from '../../src/ingest/radius/packet.js';
import { attributesText, renderRequest } from '../../src/ingest/radius/render.js';
import { CORPUS } from '../support/corpus.js';
import { mulberry32 } from '../support/random.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261205);
const hostile = readFileSync(join(CORPUS, 'hostile-strings.txt'), 'utf8').split('\n').filter(Boolean);

/** What the rendering must be: the heading, then the attributes' general text through the gate. */
const expected = (p: RadiusPacket): string => `RADIUS Accounting-Request id=${p.identifier}` + redactSecrets(attributesText(p));

function packet(attributes: Buffer[], id = 7): RadiusPacket {
  const b = Buffer.concat([Buffer.from([4, id, 0, 0]), Buffer.alloc(16), ...attributes]);
  b.writeUInt16BE(b.length, 2);
  const p = readPacket(b);
  if (typeof p === 'string') throw new Error(p);
  return p;
}

const attr = (type: number, value: Buffer): Buffer => Buffer.concat([Buffer.from([type, value.length + 2]), value]);
const int = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};
const vsa = (vendor: number, type: number, value: Buffer): Buffer => attr(26, Buffer.concat([int(vendor), Buffer.from([type, value.length + 2]), value]));

describe('RADIUS rendering', () => {
  it("renders bench:aaa's Start as the line stored for it", () => {
    const p = packet([
      attr(40, int(1)), attr(1, Buffer.from('bench7')), attr(44, Buffer.from('r0-7')), attr(4, Buffer.from([127, 0, 0, 1])),
      attr(32, Buffer.from('bench-nas-7')), attr(6, int(7)), attr(31, Buffer.from('10.0.7.7')), vsa(9, 1, Buffer.from('shell:priv-lvl=15')), attr(41, int(0)),
    ]);
    expect(renderRequest(p)).toBe(
      'RADIUS Accounting-Request id=7\tAcct-Status-Type=Start\tUser-Name=bench7\tAcct-Session-Id=r0-7\tNAS-IP-Address=127.0.0.1\tNAS-Identifier=bench-nas-7' +
        '\tService-Type=NAS-Prompt-User\tCalling-Station-Id=10.0.7.7\tCisco-AVPair=shell:priv-lvl=15\tAcct-Delay-Time=0',
    );
  });

  it('escapes, redacts and names every kind as the general rendering does', () => {
    const cases: Buffer[][] = [
      [attr(1, Buffer.from('back\\slash')), attr(1, Buffer.from('tab\there')), attr(1, Buffer.from([0x41, 0x7f, 0x42])), attr(1, Buffer.from('café'))],
      [attr(1, Buffer.from([0xe9, 0x41])), attr(2, Buffer.from('hunter2')), attr(40, int(99)), attr(40, Buffer.from([1, 2])), attr(4, Buffer.from([1, 2, 3]))],
      [attr(55, int(1_700_000_000)), attr(55, Buffer.from([1])), attr(95, Buffer.alloc(16, 0xab)), attr(95, Buffer.alloc(3)), attr(200, Buffer.from([0, 255, 16]))],
      [vsa(9, 1, Buffer.from('cmd=username admin secret 0 Sup3rSecret')), vsa(311, 16, Buffer.from('key')), vsa(14179, 1, Buffer.from('x')), vsa(2636, 8, Buffer.from('set system login password "p"'))],
      [attr(1, Buffer.alloc(0)), attr(26, Buffer.from([0, 0, 0, 9, 1])), attr(40, int(0xffffffff)), attr(4, Buffer.from([255, 0, 10, 100]))],
    ];
    // Each attribute alone (one that is not the usual kind sends its whole packet the general way), then each set together.
    for (const attributes of [...cases.flat().map((a) => [attr(1, Buffer.from('before')), a]), ...cases]) {
      const p = packet(attributes);
      expect(renderRequest(p)).toBe(expected(p));
    }
  });

  it('shows an attribute no dictionary here describes by its length alone: its bytes may be a password, a key or a hash the gate cannot tell', () => {
    const secret = 'Sup3rS3cretPSK';
    const p = packet([
      attr(1, Buffer.from('admin')),
      // An unassigned standard type, an unknown vendor's attribute and a known vendor's attribute not in the dictionary.
      attr(200, Buffer.from(secret)),
      vsa(4242, 3, Buffer.from(secret)),
      vsa(14823, 250, Buffer.from([0xde, 0xad, 0xbe, 0xef])),
      attr(25, Buffer.from('class-1')),
    ]);
    const line = renderRequest(p);
    expect(line).toBe('RADIUS Accounting-Request id=7\tUser-Name=admin\tAttr-200=<14 octets>\tVendor-4242-Attr-3=<14 octets>\tAruba-Attr-250=<4 octets>\tClass=0x636c6173732d31');
    expect(line).toBe(expected(p));
    for (const trace of [secret, Buffer.from(secret).toString('hex'), 'deadbeef']) expect(line).not.toContain(trace);
  });

  it('renders a packet too long for the scratch buffer the general way, to the same line', () => {
    // 2,037 two-octet attributes of no known type: ~13 characters each, past the 16 KiB scratch buffer.
    const p = packet(Array.from({ length: 2037 }, (_, i) => attr(200 + (i % 50), Buffer.alloc(0))));
    const line = renderRequest(p);
    expect(line.length).toBeGreaterThan(16_384);
    expect(line).toBe(expected(p));
  });

  it(`renders 20,000 random packets as the general rendering does (seed ${SEED})`, () => {
    const rnd = mulberry32(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const types = [1, 2, 4, 5, 6, 8, 11, 18, 25, 30, 31, 32, 40, 41, 44, 45, 46, 49, 55, 61, 64, 79, 80, 81, 87, 95, 168, 200, 255];
    const vendors = [9, 11, 311, 2636, 12356, 14823, 30065, 4242];
    const value = (): Buffer => {
      switch (Math.floor(rnd() * 6)) {
        case 0: return int(Math.floor(rnd() * 20));
        case 1: return int(Math.floor(rnd() * 2 ** 32));
        case 2: return Buffer.from(pick(hostile)).subarray(0, 200);
        case 3: return Buffer.from(Array.from({ length: Math.floor(rnd() * 40) }, () => 0x20 + Math.floor(rnd() * 95)));
        case 4: return Buffer.from(Array.from({ length: Math.floor(rnd() * 20) }, () => Math.floor(rnd() * 256)));
        default: return Buffer.alloc(Math.floor(rnd() * 17), Math.floor(rnd() * 256));
      }
    };
    for (let n = 0; n < 20_000; n++) {
      const attributes: Buffer[] = [];
      let size = 20;
      for (let k = Math.floor(rnd() * 12); k > 0; k--) {
        const v = value();
        const a = rnd() < 0.3 ? vsa(pick(vendors), Math.floor(rnd() * 50), v.subarray(0, 240)) : attr(pick(types), v.subarray(0, 250));
        if (size + a.length > 4096) break;
        size += a.length;
        attributes.push(a);
      }
      const p = packet(attributes, n & 255);
      expect(renderRequest(p)).toBe(expected(p));
    }
  });
});
