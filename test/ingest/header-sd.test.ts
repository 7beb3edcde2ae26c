// Structured data read on demand, with element and parameter names kept in a bounded table
// (src/ingest/header.ts sdName): the same answers whatever the table holds, and no prototype keys.

import { describe, expect, it } from 'vitest';
import { parseSyslog } from '../../src/ingest/header.js';

const sdOf = (sd: string) => parseSyslog(`<29>1 2026-11-21T22:10:01Z mx1 mgd 4000 UI_CMDLINE_READ_LINE ${sd} text`, { receivedAt: 0, transport: 'tcp' }).sd;

describe('structured data names', () => {
  it('reads the same elements and parameters before and after the name table is emptied by names nobody reuses', () => {
    const line = '[junos@2636.1.1.1.2.29 username="admin" command="show interfaces terse"]';
    const want = { 'junos@2636.1.1.1.2.29': { username: 'admin', command: 'show interfaces terse' } };
    expect(sdOf(line)).toEqual(want);
    for (let k = 0; k < 3000; k++) expect(sdOf(`[e${k}@1 p${k}="v${k}" username="u"]`)).toEqual({ [`e${k}@1`]: { [`p${k}`]: `v${k}`, username: 'u' } });
    expect(sdOf(line)).toEqual(want);
  });

  it('keeps hostile names as plain keys of null-prototype objects', () => {
    const sd = sdOf('[__proto__ constructor="x" __proto__="y" toString="z"]')!;
    expect(Object.getPrototypeOf(sd)).toBeNull();
    expect(Object.getPrototypeOf(sd['__proto__'])).toBeNull();
    expect(Object.keys(sd)).toEqual(['__proto__']);
    expect({ ...sd['__proto__'] }).toEqual({ constructor: 'x', ['__proto__']: 'y', toString: 'z' });
    expect(sdOf('[a b="1"]')!['constructor']).toBeUndefined();
  });

  it('reads no element whose id is longer than 32 characters, as before', () => {
    expect(sdOf(`[${'x'.repeat(33)} a="1"]`)).toBeUndefined();
    expect(sdOf(`[${'x'.repeat(32)} a="1"]`)).toEqual({ ['x'.repeat(32)]: { a: '1' } });
  });
});
