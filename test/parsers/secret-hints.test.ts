// The secret gate's first step: which hints a line holds, in one pass. It must say exactly what
// `line.toLowerCase().includes(hint)` says for every hint, whatever the line's case, its characters
// past ASCII (two of which lower to ASCII letters) and hints inside or overlapping other hints.

import { describe, expect, it } from 'vitest';
import { grammars } from '../../parsers/secrets.js';
import { compile, form, rx } from '../../parsers/lib/secrets/grammar.js';
import { hintScanner, hintWord, WORD_END, WORD_START } from '../../parsers/lib/secrets/hints.js';
import { mulberry32 } from '../support/random.js';

/** `includes` on the lowered text; for a word-start hint (`\bnet`), at a place no word character of the text precedes. */
const expected = (hints: readonly string[], text: string): number[] => {
  let lower = '';
  const origin: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const l = text[i]!.toLowerCase();
    lower += l;
    for (let n = 0; n < l.length; n++) origin.push(i);
  }
  return hints.flatMap((h, k) => {
    const start = h.startsWith(WORD_START) && h.length > WORD_START.length;
    const end = h.endsWith(WORD_END) && h.length > (start ? WORD_START.length : 0) + WORD_END.length;
    if (!start && !end) return lower.includes(h) ? [k] : [];
    const w = h.slice(start ? WORD_START.length : 0, end ? -WORD_END.length : undefined);
    for (let q = lower.indexOf(w); q >= 0; q = lower.indexOf(w, q + 1)) {
      if (start && /\w/.test(text[origin[q]! - 1] ?? '')) continue;
      if (end && /\w/.test(text[origin[q + w.length - 1]! + 1] ?? '')) continue;
      return [k];
    }
    return [];
  });
};
const found = (scan: ReturnType<typeof hintScanner>, text: string): number[] => {
  const at = scan(text);
  return at === undefined ? [] : [...at].sort((a, b) => a - b);
};

describe('hintScanner', () => {
  const hints = ['pass', 'password', 'sshpass', 'key', 'pki', 'tacacs', 'acs', 'secret', '$', ':/' + '/', 'login ok', 'ping'];
  const scan = hintScanner(hints);

  it.each([
    ['a line with none of them', []],
    ['PassWord: x', ['pass', 'password']],
    ['sshpass -p', ['pass', 'sshpass']],
    ['TACACS+ accounting', ['tacacs', 'acs']],
    ['tatacacs', ['tacacs', 'acs']],
    ['tacacacs', ['acs']],
    ['price $5 via https://x', ['$', ':/' + '/']],
    ['LOGIN OK for bob', ['login ok']],
    ['login  ok', []],
    // Kelvin sign lowers to k; dotted capital I lowers to i and a combining dot.
    ['\u212aEY', ['key']],
    ['PK\u0130', ['pki']],
    ['P\u0130NG', []],
    ['P\u0130 PING', ['ping']],
    ['pa\u00dfs', []],
    ['secr\u00e9t secret', ['secret']],
    ['', []],
  ])('%j', (text, names) => {
    expect(found(scan, text).map((k) => hints[k])).toEqual(names);
    expect(found(scan, text)).toEqual(expected(hints, text));
  });

  it('agrees with lowering and searching on every hint of every grammar, over random text built from them', () => {
    const all = compile(grammars).hints;
    const every = hintScanner(all);
    const r = mulberry32(14);
    const pieces = [...all, ...all.map((h) => h.toUpperCase()), ...all.map((h) => h.slice(0, -1)), ' ', '=', 'x', '\u0130', '\u212a', '\u00e9', '\ud83d\ude00'];
    for (let n = 0; n < 20_000; n++) {
      let text = '';
      for (let k = 1 + Math.floor(r() * 8); k > 0; k--) text += pieces[Math.floor(r() * pieces.length)];
      expect(found(every, text), text).toEqual(expected(all, text));
    }
  });

  it('agrees on long texts, read as two halves side by side, with hints across the middle', () => {
    const all = compile(grammars).hints;
    const every = hintScanner(all);
    const r = mulberry32(15);
    const pieces = [...all, ...all.map((h) => h.toUpperCase()), ' ', 'x', '\u0130', '\u212a', '\u00e9'];
    for (let n = 0; n < 2_000; n++) {
      let text = '';
      const length = 256 + Math.floor(r() * 700);
      while (text.length < length) text += r() < 0.7 ? 'x'.repeat(1 + Math.floor(r() * 40)) : pieces[Math.floor(r() * pieces.length)];
      expect(found(every, text), text).toEqual(expected(all, text));
    }
    // Every place a hint can stand across the middle of a 300-character text, and the İ before it.
    const longest = all.reduce((x, h) => (h.length > x.length ? h : x), '');
    for (const hint of ['password', 'tacacs-server', longest]) {
      for (let at = 150 - hint.length; at <= 150; at++) {
        // A space before: a word-start hint (WORD_START) counts only there.
        const word = hint.startsWith(WORD_START) ? hint.slice(WORD_START.length) : hint;
        const text = 'x'.repeat(at - 1) + ' ' + word.toUpperCase() + 'x'.repeat(300 - at - word.length);
        expect(found(every, text).map((k) => all[k]), `${hint} at ${at}`).toContain(hint);
        expect(found(every, text.slice(0, at - 1) + '\u0130' + text.slice(at))).toEqual(expected(all, text.slice(0, at - 1) + '\u0130' + text.slice(at)));
      }
    }
  });

  it('agrees on long ASCII texts, read as bytes, and on long texts with one character past ASCII anywhere, read as a string', () => {
    const all = compile(grammars).hints;
    const every = hintScanner(all);
    const r = mulberry32(16);
    const pieces = [...all, ...all.map((h) => h.toUpperCase()), ' ', '=', ',', '\t', '\n'];
    for (let n = 0; n < 1_500; n++) {
      let text = '';
      const length = 40 + Math.floor(r() * 2_960);
      while (text.length < length) text += r() < 0.6 ? 'x'.repeat(1 + Math.floor(r() * 60)) : pieces[Math.floor(r() * pieces.length)];
      expect(found(every, text), text).toEqual(expected(all, text));
      // One character past ASCII (two of them lower to ASCII letters; a lone surrogate), anywhere.
      const at = Math.floor(r() * text.length);
      const odd = text.slice(0, at) + ['\u0130', '\u212a', '\u00e9', '\ud800', '\ud83d\ude00'][n % 5] + text.slice(at + 1);
      expect(found(every, odd), odd).toEqual(expected(all, odd));
    }
    // Around the length from which a text is read as bytes, a hint at its start, across its middle and at its end.
    for (const length of [40, 63, 64, 65, 127, 128, 255, 256, 257, 510, 511, 512, 513, 1_024, 1_025]) {
      for (const hint of ['password', 'tacacs-server']) {
        for (const at of [0, (length >> 1) - 3, (length >> 1) - hint.length, length - hint.length]) {
          const text = 'x'.repeat(Math.max(0, at - 1)) + (at > 0 ? ' ' : '') + hint.toUpperCase() + 'x'.repeat(Math.max(0, length - at - hint.length));
          expect(found(every, text).map((k) => all[k]), `${hint} at ${at} of ${text.length}`).toContain(hint);
          expect(found(every, text)).toEqual(expected(all, text));
        }
      }
    }
  });

  it('agrees on long ASCII texts read as four quarters, with a hint across each quarter\'s end and at the text\'s', () => {
    const all = compile(grammars).hints;
    const every = hintScanner(all);
    const longest = all.reduce((x, h) => (h.length > x.length ? h : x), '');
    // 512 is the first length read as quarters; 515 leaves the last quarter 3 characters longer; ISE's ~1,160.
    for (const length of [511, 512, 515, 700, 1_161]) {
      const q = length >> 2;
      for (const end of [q, 2 * q, 3 * q, length]) {
        for (const hint of ['password', '\\bnet\\b', 'des\\b', longest]) {
          const word = hintWord(hint).text;
          for (let at = end - word.length - 1; at <= Math.min(end, length - word.length); at++) {
            // Spaces around it, so a word-start or word-end hint counts: the characters either side are read by another quarter.
            const text = 'x'.repeat(at - 1) + ' ' + word.toUpperCase() + ' ' + 'x'.repeat(Math.max(0, length - at - word.length - 1));
            expect(found(every, text).map((k) => all[k]), `${hint} at ${at} of ${text.length}`).toContain(hint);
            expect(found(every, text)).toEqual(expected(all, text));
            // A word character before or after it: a word-start or word-end hint does not count, across a quarter's end too.
            const joined = text.slice(0, at - 1) + 'y' + text.slice(at, at + word.length) + 'y' + text.slice(at + word.length + 1);
            expect(found(every, joined)).toEqual(expected(all, joined));
          }
        }
      }
    }
  });

  it('finds a word-start hint only where no word character precedes it', () => {
    const words = ['\\bnet', '\\b-u', 'net', '\\bdes', '\\bnet\\b'];
    const scan = hintScanner(words);
    for (const [text, names] of [
      ['GigabitEthernet1/0/1', ['net']],
      ['net user', ['\\bnet', 'net', '\\bnet\\b']],
      ['CmdAV=NET', ['\\bnet', 'net', '\\bnet\\b']],
      ['x_net Net', ['net', '\\bnet', '\\bnet\\b']], [', NetworkDeviceName=sw1, net1', ['net', '\\bnet']], ['net.exe', ['net', '\\bnet', '\\bnet\\b']],
      ['%LINK-3-UPDOWN', []],
      ['mysql -u bob', ['\\b-u']],
      ['--user', ['\\b-u']],
      ['destination', ['\\bdes']],
      ['\u212anet \u00e9des', ['net', '\\bnet', '\\bdes', '\\bnet\\b']],
      ['3des des', ['\\bdes']],
    ] as const) {
      expect(found(scan, text).map((k) => words[k]).sort(), text).toEqual([...names].sort());
      expect(found(scan, text), text).toEqual(expected(words, text));
    }
    // Across the middle of a long text, where the character before is read by the other half.
    for (let at = 120; at <= 140; at++) {
      const text = 'x'.repeat(at) + ' NET ' + 'y'.repeat(300 - at);
      expect(found(scan, text).map((k) => words[k]).sort()).toEqual(['\\bnet', '\\bnet\\b', 'net']);
      expect(found(scan, text.replace(' NET', 'xNET')).map((k) => words[k])).toEqual(['net']);
    }
  });

  it('finds a word-end hint only where no word character follows it, whatever precedes it', () => {
    const words = ['des\\b', 'des', '\\bdes', 'pass\\b'];
    const scan = hintScanner(words);
    for (const [text, names] of [
      ['the destination-address="192.0.2.1"', ['des', '\\bdes']],
      ['CmdArgAV=description', ['des', '\\bdes']],
      ['login = des X', ['des\\b', 'des', '\\bdes']],
      ['login =#011des#011X', ['des\\b', 'des']],
      ['3DES', ['des\\b', 'des']],
      ['des', ['des\\b', 'des', '\\bdes']],
      ['modes: DES_x des1 des\u212a', ['des', '\\bdes', 'des\\b']],
      ['passwd pass_ pass-', ['pass\\b']],
      ['desdes,', ['des\\b', 'des', '\\bdes']],
    ] as const) {
      expect(found(scan, text).map((k) => words[k]).sort(), text).toEqual([...names].sort());
      expect(found(scan, text), text).toEqual(expected(words, text));
    }
    // Across the middle of a long text, where the character after is read by the other half.
    for (let at = 120; at <= 140; at++) {
      const text = 'x'.repeat(at) + 'DES ' + 'y'.repeat(300 - at);
      expect(found(scan, text).map((k) => words[k]).sort()).toEqual(['des', 'des\\b']);
      expect(found(scan, text.replace('DES ', 'DESy')).map((k) => words[k])).toEqual(['des']);
    }
  });

  it('refuses an empty hint, one past ASCII or with capitals', () => {
    expect(() => hintScanner([''])).toThrow(/lower-case ASCII/);
    expect(() => hintScanner(['clé'])).toThrow(/lower-case ASCII/);
    expect(() => hintScanner(['Key'])).toThrow(/lower-case ASCII/);
  });

  it('refuses such a hint when a matcher is compiled, not at its first line (its automaton is built on first use)', () => {
    expect(() => compile([[form('clé', rx()`clé (?<v>\S+)`)]])).toThrow(/lower-case ASCII/);
  });

  it("gives a compiled matcher's answer on its first line (which builds the automaton) as on later ones", () => {
    const m = compile(grammars);
    const texts = ['enable secret 5 $1$x', 'no hint here', 'TACACS+ key 7 0822455D0A16'];
    const first = texts.map((t) => found(m.scan, t));
    expect(first).toEqual(texts.map((t) => expected(m.hints, t)));
    expect(texts.map((t) => found(m.scan, t))).toEqual(first);
  });
});
