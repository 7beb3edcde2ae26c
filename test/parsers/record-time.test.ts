// The record time text: isoTime builds it from a cached day and must print exactly what Date does.
// parseIsoLike reads stamps by hand and must answer as the expression it replaced did.

import { describe, expect, it } from 'vitest';
import { isoTime, lastIsoTimeMs, parseIsoLike, type Stamp } from '../../parsers/lib/record-time.js';

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

/** parseIsoLike as it was written before it was read by hand: the oracle. */
function byExpression(text: string): Stamp | undefined {
  if (text.length < 19 || text.length > 40) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?: ?(Z|z|[+-]\d{2}:?\d{2}))?$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const month = Number(mo) - 1;
  const day = Number(d);
  if (month > 11 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined;
  const ms = frac ? Math.floor(Number(frac.padEnd(3, '0').slice(0, 3))) : 0;
  let t = Date.UTC(Number(y), month, day, Number(h), Number(mi), Math.min(Number(s), 59), ms);
  if (zone && zone !== 'Z' && zone !== 'z') {
    const sign = zone.charCodeAt(0) === 45 ? -1 : 1;
    const digits = zone.replace(':', '');
    const offset = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
    if (offset > 14 * 60) return undefined;
    t -= sign * offset * 60_000;
  }
  return Number.isFinite(t) && Math.abs(t) < 8.64e15 ? { ms: t, zoned: zone !== undefined } : undefined;
}

describe('lastIsoTimeMs', () => {
  it('gives the time of the text isoTime made last, and nothing for any other text', () => {
    const t = Date.parse('2026-12-04T22:10:01.234Z');
    const text = isoTime(t);
    expect(lastIsoTimeMs(text)).toBe(t);
    // An equal text made elsewhere is the same time.
    expect(lastIsoTimeMs(JSON.parse(JSON.stringify(text)) as string)).toBe(t);
    isoTime(t + 1);
    expect(lastIsoTimeMs(text)).toBeUndefined();
    expect(lastIsoTimeMs('2026-12-04T22:10:01.235')).toBeUndefined();
    // Date's own text (a fraction, before 1970) is not remembered: its time is not the number given.
    const fraction = isoTime(t + 0.5);
    expect(lastIsoTimeMs(fraction)).toBeUndefined();
    expect(lastIsoTimeMs(isoTime(-1))).toBeUndefined();
  });
});

describe('parseIsoLike', () => {
  it('reads the stamps records carry, and refuses what is not one', () => {
    expect(parseIsoLike('2020-07-17 17:41:26 +0000')).toEqual({ ms: Date.parse('2020-07-17T17:41:26Z'), zoned: true });
    expect(parseIsoLike('2020-02-21 19:13:08.328 +00:00')).toEqual({ ms: Date.parse('2020-02-21T19:13:08.328Z'), zoned: true });
    expect(parseIsoLike('2024-12-16 16:32:16.087554000')).toEqual({ ms: Date.parse('2024-12-16T16:32:16.087Z'), zoned: false });
    expect(parseIsoLike('2019-01-01T00:00:00+05:30')).toEqual({ ms: Date.parse('2018-12-31T18:30:00Z'), zoned: true });
    for (const bad of ['2019-01-01T00:00:00.1234567890Z', '2019-01-01T00:00:00 ', '2019-01-01T00:00:00+05:3', '2019-01-01t00:00:00', '2019-13-01 00:00:00', '2019-01-01 00:00:00+15:00']) {
      expect(parseIsoLike(bad), bad).toBeUndefined();
    }
  });

  it('answers as the expression it replaced, for every text built from the characters stamps hold', () => {
    const texts = ['0050-02-31 10:00:00', '1969-12-31T23:59:59.999-00:01', '2024-02-30 24:00:00', '2024-00-10 10:00:60Z', '9999-12-31T23:59:59.999999999+14:00'];
    // A pseudo-random walk over stamps with one or two characters changed, cut or extended: deterministic, so a failure repeats.
    const alphabet = '0123456789-: T.Zz+-tx';
    let seed = 20261203;
    const next = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 16) % n;
    };
    const bases = ['2020-07-17 17:41:26 +0000', '2020-02-21 19:13:08.328 +00:00', '2024-12-16 16:32:16.087554000', '2019-01-01T00:00:00Z', '2019-01-01T00:00:00.5-0830'];
    for (let k = 0; k < 8000; k++) {
      let t = bases[next(bases.length)]!;
      for (let e = next(3); e >= 0; e--) {
        const at = next(t.length + 1);
        const op = next(3);
        const c = alphabet[next(alphabet.length)]!;
        t = op === 0 ? t.slice(0, at) + c + t.slice(at + 1) : op === 1 ? t.slice(0, at) + c + t.slice(at) : t.slice(0, at) + t.slice(at + 1);
      }
      texts.push(t);
    }
    for (const t of texts) expect(parseIsoLike(t), JSON.stringify(t)).toEqual(byExpression(t));
    // More days than the day table keeps: emptied, and still the same.
    for (let day = 0; day < 4200; day++) {
      const t = new Date(day * 86_400_000 * 3).toISOString().slice(0, 19);
      expect(parseIsoLike(t), t).toEqual(byExpression(t));
    }
  });
});
