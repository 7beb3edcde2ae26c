// The record time text: isoTime builds it from a cached day and must print exactly what Date does.

import { describe, expect, it } from 'vitest';
import { isoTime } from '../../parsers/lib/record-time.js';

const dates = (ms: number): string => new Date(ms).toISOString();

describe('isoTime', () => {
  it('prints what Date#toISOString prints, across days, years and leap days, in any order', () => {
    const times = [
      0, 1, 999, 86_399_999, 86_400_000, Date.parse('2024-02-29T23:59:59.999Z'), Date.parse('2024-03-01T00:00:00.000Z'),
      Date.parse('2026-11-21T22:10:01.123Z'), Date.parse('2026-11-21T22:10:01.123Z') - 86_400_000, 253_402_300_799_999,
    ];
    for (let t = Date.parse('2026-12-31T23:00:00Z'), k = 0; k < 5000; k++, t += 997) times.push(t);
    for (let k = 0; k < 2000; k++) times.push(Math.floor((k * 7919 * 104_729 * 1_000_003) % 253_402_300_799_999));
    for (const t of times) expect(isoTime(t), String(t)).toBe(dates(t));
    // More days than the table keeps: emptied, and still right.
    for (let day = 0; day < 5000; day++) expect(isoTime(day * 86_400_000 + 3_723_004)).toBe(dates(day * 86_400_000 + 3_723_004));
  });

  it('leaves times it does not build to Date: before 1970, past year 9999, fractions, invalid', () => {
    for (const t of [-1, -86_400_001, 253_402_300_800_000, 8.64e15, 1.5, Date.parse('2026-11-21T22:10:01Z') + 0.75]) expect(isoTime(t)).toBe(dates(t));
    // A known day must not take a fraction inside it.
    isoTime(Date.parse('2026-11-21T00:00:00Z'));
    expect(isoTime(Date.parse('2026-11-21T10:00:00Z') + 0.5)).toBe('2026-11-21T10:00:00.000Z');
    for (const t of [NaN, Infinity, 8.64e15 + 1]) expect(() => isoTime(t)).toThrow(RangeError);
  });
});
