// The chain body is the text every stored hash covers: `chainBody` builds it by hand for speed, and
// must give byte for byte what `JSON.stringify` gives of the same values in the same order, or
// records already chained would no longer verify and new ones would hash differently.

import { describe, expect, it } from 'vitest';
import { chainBody, eventHash, GENESIS, lastBodyHadLoneSurrogate, type ChainedFields } from '../../src/store/chain.js';
import { mulberry32 } from '../support/random.js';

const ORDER = ['kind', 'action', 'time', 'device', 'platform', 'actor', 'actor_address', 'target', 'privilege', 'role', 'grp', 'path', 'technique', 'command', 'session', 'container', 'raw'] as const;

/** The hash of the known record below, computed with the chain body's first definition (JSON.stringify of the array). */
const HASH = '5711598de4a8292a576c8c774195dace856b86f2b70196e563fc77d305888b96';

/** The definition the chain was made with: the values as one JSON array. */
const stringified = (e: ChainedFields): string => JSON.stringify(ORDER.map((k) => e[k]));

// What JSON escapes or might: quotes, backslashes, every control character, DEL, lone and paired
// surrogates (either order), U+2028/2029, non-BMP, Latin-1 and other text past ASCII, `\u` as text.
const PIECES = [
  '"', '\\', '\\"', '\\u0000', '\\ud800', '/', '\u007f', '\u0080', '\u00ff', 'é', 'Zürich €', '\u2028', '\u2029', '\ud800', '\udbff', '\udc00', '\udfff',
  '\ud83d\ude00', '\ude00\ud83d', '\u{10FFFF}', '\ufeff', '\ufffd', ' ', 'admin', 'username bob secret 5 $1$x', '<redacted>', 'CmdAV=show run <cr>', ', ',
  ...Array.from({ length: 32 }, (_, c) => String.fromCharCode(c)),
];

function randomText(r: () => number): string {
  let s = '';
  for (let k = Math.floor(r() * 12); k > 0; k--) {
    const x = r();
    s += x < 0.6 ? PIECES[Math.floor(r() * PIECES.length)] : x < 0.8 ? String.fromCharCode(Math.floor(r() * 0x10000)) : 'x'.repeat(Math.floor(r() * 300));
  }
  return s;
}

function randomFields(r: () => number): ChainedFields {
  const text = (): string => randomText(r);
  const maybe = (): string | null => (r() < 0.3 ? null : text());
  const times = [0, -0, 1_764_790_000_123, -1, 2 ** 53 - 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY];
  return {
    kind: text(), action: text(), time: r() < 0.7 ? Math.floor(r() * 2 ** 42) : times[Math.floor(r() * times.length)]!, device: text(), platform: text(),
    actor: maybe(), actor_address: maybe(), target: maybe(), privilege: maybe(), role: maybe(), grp: maybe(), path: maybe(), technique: maybe(),
    command: maybe(), session: maybe(), container: maybe(), raw: maybe(),
  };
}

describe('chainBody', () => {
  it('is JSON.stringify of the values in chain order, over 20,000 random records of hostile text', () => {
    const r = mulberry32(20261204);
    for (let n = 0; n < 20_000; n++) {
      const e = randomFields(r);
      expect(chainBody(e)).toBe(stringified(e));
    }
  });

  it('writes each single character (all 65,536 code units) as JSON.stringify does', () => {
    const base = randomFields(mulberry32(1));
    for (let c = 0; c < 0x10000; c++) {
      const e = { ...base, raw: `a${String.fromCharCode(c)}b`, actor: String.fromCharCode(c) };
      expect(chainBody(e)).toBe(stringified(e));
    }
  });

  it('writes times and other numbers around where they are written from their millions as JSON.stringify does', () => {
    const base = randomFields(mulberry32(3));
    const times = [
      999_999, 1_000_000, 1_000_001, 1_000_999, 1_001_000, 9_999_999, 10_000_000, 1_764_790_000_000, 1_764_790_999_999, 1_764_791_000_000, 1_764_790_012_345,
      Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 1, 2 ** 53 + 2, 1e21, 1e21 + 2 ** 20, 1_764_790_000_000.5, -1_764_790_000_000, -0, 0, 5e-324, Number.NEGATIVE_INFINITY,
    ];
    // In turn and repeated, so a kept million is met both ways.
    for (const time of [...times, ...times.toReversed()]) {
      const e = { ...base, time };
      expect(chainBody(e), String(time)).toBe(stringified(e));
    }
  });

  it('writes a value missing at run time (undefined) as null, as the array did', () => {
    const e = { ...randomFields(mulberry32(2)), role: undefined } as unknown as ChainedFields;
    expect(chainBody(e)).toBe(stringified(e));
  });

  it('hashes a known record to the hash it has always had', () => {
    const e: ChainedFields = {
      kind: 'command', action: 'command', time: 1_764_790_000_123, device: 'wan7', platform: 'cisco-ise', actor: 'admin', actor_address: '10.1.2.3',
      target: null, privilege: '15', role: null, grp: null, path: 'tacacs', technique: null, command: 'show running-config', session: null, container: null,
      raw: '<182>Dec  4 19:00:00 ise-psn1 CISE_TACACS_Accounting 0000010001 1 0 2026-12-04 19:00:00.123 +00:00 … CmdSet=[ CmdAV=show running-config <cr> ], "q" \\ \t',
    };
    expect(eventHash(GENESIS, e).toString('hex')).toBe(HASH);
  });
});

describe('chainBody, record after record', () => {
  it('says a lone surrogate in any value of the body made last, and only then, over 20,000 random records', () => {
    const r = mulberry32(20261205);
    for (let n = 0; n < 20_000; n++) {
      const e = randomFields(r);
      const values = ORDER.map((k) => e[k]);
      expect(chainBody(e)).toBe(stringified(e));
      expect(lastBodyHadLoneSurrogate()).toBe(values.some((v) => typeof v === 'string' && !v.isWellFormed()));
    }
  });

  it('writes values repeated from record to record as JSON.stringify does, whatever follows them (the last value of each place is remembered)', () => {
    const r = mulberry32(20261206);
    // A few values per place, so records repeat the last one's often: plain, escaped, a lone
    // surrogate, empty, long, the same text as a string of its own, null.
    const choices = ['session', 'session', 'admin', 'a"b', 'tab\there', '\ud800', '', 'x'.repeat(70), 'ünï', null];
    const fresh = (v: string | null): string | null => (v === null || r() < 0.5 ? v : Buffer.from(v, 'utf16le').toString('utf16le'));
    const pick = (): string | null => fresh(choices[Math.floor(r() * choices.length)]!);
    const base = randomFields(r);
    for (let n = 0; n < 20_000; n++) {
      const e: ChainedFields = { ...base, kind: pick() ?? 'command', action: pick() ?? 'command', device: pick() ?? 'd', platform: pick() ?? 'p', actor: pick(), privilege: pick(), path: pick(), raw: pick() };
      const values = ORDER.map((k) => e[k]);
      expect(chainBody(e)).toBe(stringified(e));
      expect(lastBodyHadLoneSurrogate()).toBe(values.some((v) => typeof v === 'string' && !v.isWellFormed()));
    }
  });

  it('leaves no value of one record in the next (the last values are remembered)', () => {
    const full = randomFields(mulberry32(4));
    const empty: ChainedFields = { ...full, actor: null, actor_address: null, target: null, privilege: null, role: null, grp: null, path: null, technique: null, command: null, session: null, container: null, raw: null };
    chainBody(full);
    expect(chainBody(empty)).toBe(stringified(empty));
  });
});
