// inferYear (parsers/lib/wall-clock.ts) keeps the last day's starts in the receive year and the
// next (read16: two Date.UTC calls a message were most of its cost). The year it gives must be the
// one it gave computing them for every call: that computation, as it stood, against it over random
// calls that stay on one day, change day, cross a new year, and give months and days out of range;
// and utcDay, which answers Date.UTC from that day, against Date.UTC.

import { describe, expect, it } from 'vitest';
import { inferYear, utcDay } from '../../parsers/lib/wall-clock.js';
import { mulberry32 } from '../support/random.js';

/** inferYear before read16 (reference only), with its leap-day rule (Feb 29 only in a leap year). */
function computedEachCall(month: number, day: number, msOfDay: number, receivedAt: number): number {
  const y = new Date(receivedAt).getUTCFullYear();
  if (month === 1 && day === 29) {
    for (let year = y + 1; year >= y - 8; year--) {
      if (new Date(Date.UTC(year, 1, 29)).getUTCMonth() === 1 && Date.UTC(year, 1, 29) + msOfDay <= receivedAt + 7 * 86_400_000) return year;
    }
    return y - 1;
  }
  for (const candidate of [y + 1, y]) {
    if (Date.UTC(candidate, month, day) + msOfDay <= receivedAt + 7 * 86_400_000) return candidate;
  }
  return y - 1;
}

describe('inferYear of a leap day', () => {
  it('gives the latest leap year whose Feb 29 is not more than a week after the receive time, never 1 March', () => {
    const at = (y: number, m: number, d: number): number => Date.UTC(y, m, d, 12);
    expect(inferYear(1, 29, 0, at(2027, 2, 1))).toBe(2024);
    expect(inferYear(1, 29, 0, at(2028, 2, 1))).toBe(2028);
    expect(inferYear(1, 29, 0, at(2028, 1, 25))).toBe(2028);
    expect(inferYear(1, 29, 0, at(2028, 1, 10))).toBe(2024);
    expect(inferYear(1, 29, 0, at(2029, 0, 10))).toBe(2028);
    expect(inferYear(1, 29, 0, at(2100, 5, 1))).toBe(2096);
    expect(inferYear(1, 28, 0, at(2027, 2, 1))).toBe(2027);
    expect(inferYear(1, 29, Number.NaN, at(2027, 2, 1))).toBe(2026);
  });
});

describe('inferYear with the last day kept', () => {
  it('gives the year computed afresh, and utcDay the day Date.UTC gives, over 200,000 random calls', () => {
    const r = mulberry32(2026);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    // Receive times near new years (either side), mid-year, and far off.
    const around = [Date.UTC(2026, 0, 1), Date.UTC(2025, 11, 31, 23, 59), Date.UTC(2024, 1, 29), Date.UTC(2026, 6, 15), Date.UTC(1970, 0, 1), Date.UTC(2100, 11, 25)];
    let month = 0;
    let day = 1;
    for (let i = 0; i < 200_000; i++) {
      // Mostly the same day as the call before, as a feed's stamps are; now and then another.
      if (r() < 0.2) {
        month = r() < 0.9 ? Math.floor(r() * 12) : pick([-1, 12, 13, Number.NaN, 1.5]);
        day = r() < 0.9 ? 1 + Math.floor(r() * 31) : pick([0, 32, -3, Number.NaN, 29]);
      }
      const msOfDay = r() < 0.95 ? Math.floor(r() * 86_400_000) : pick([0, 86_399_999, -1, Number.NaN]);
      const receivedAt = pick(around) + Math.floor((r() - 0.5) * 40 * 86_400_000);
      const got = inferYear(month, day, msOfDay, receivedAt);
      const want = computedEachCall(month, day, msOfDay, receivedAt);
      if (got !== want) expect({ month, day, msOfDay, receivedAt, got }).toEqual({ month, day, msOfDay, receivedAt, got: want });
      // The day's start for the year given (the header's next step), and for years either side.
      for (const year of [got, got - 1, got + 1, got + 2]) {
        const start = utcDay(year, month, day);
        if (!Object.is(start, Date.UTC(year, month, day))) expect({ year, month, day, start }).toEqual({ year, month, day, start: Date.UTC(year, month, day) });
      }
    }
  });
});
