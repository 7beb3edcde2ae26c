// A record's time text read back by position must give exactly what Date.parse gives, for every
// text: the canonical shape it reads itself, and everything else it hands to Date.parse.
import { describe, expect, it } from 'vitest';
import { isoEpoch } from '../../src/store/iso-epoch.js';

describe('isoEpoch', () => {
  it('reads ISO 8601 UTC texts as Date.parse does, across four centuries and leap days', () => {
    for (let t = Date.parse('1900-01-01T00:00:00Z'); t < Date.parse('2300-01-01T00:00:00Z'); t += 86_400_000 * 29 + 3_723_456) {
      const text = new Date(t).toISOString();
      expect(isoEpoch(text), text).toBe(Date.parse(text));
    }
    for (const text of ['0000-01-01T00:00:00.000Z', '0000-02-29T23:59:59.999Z', '1970-01-01T00:00:00.000Z', '2000-02-29T12:00:00.500Z',
      '2024-02-29T00:00:00.001Z', '9999-12-31T23:59:59.999Z', '1969-12-31T23:59:59.999Z']) expect(isoEpoch(text), text).toBe(Date.parse(text));
  });

  it('hands every other text to Date.parse: impossible dates, other shapes, zones, junk', () => {
    for (const text of ['2023-02-29T00:00:00.000Z', '2100-02-29T00:00:00.000Z', '2026-04-31T00:00:00.000Z', '2026-13-01T00:00:00.000Z',
      '2026-00-10T00:00:00.000Z', '2026-01-00T00:00:00.000Z', '2026-01-01T24:00:00.000Z', '2026-01-01T23:60:00.000Z', '2026-01-01T23:00:60.000Z',
      '2026-01-01T00:00:00Z', '2026-12-03T12:00:00+01:00', '2026-12-03T12:00:00.000+', '2026-12-03 12:00:00.000Z', '+002026-12-03T12:00:00.000Z',
      '2026-1a-03T12:00:00.000Z', '2026-12-03T12:00:00.0a0Z', ' 026-12-03T12:00:00.000Z', 'not a time', '', '2026-12-03T12:00:00.000z']) {
      const want = Date.parse(text);
      const got = isoEpoch(text);
      if (Number.isNaN(want)) expect(got, text).toBeNaN();
      else expect(got, text).toBe(want);
    }
  });
});
