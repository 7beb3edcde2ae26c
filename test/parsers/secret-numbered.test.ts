// The gate runs each form's pattern with its named groups made plain captures (grammar.ts
// `numbered`: a match's `d` indices cost far less without the object of named ones), and reads a
// value from the capture its name numbered. A capture miscounted would read the wrong text as the
// value, or miss it: every form of every grammar is checked against V8's own count and names.

import { describe, expect, it } from 'vitest';
import { grammars } from '../../parsers/secrets.js';
import { compile, form, numbered, redactWith, rx } from '../../parsers/lib/secrets/grammar.js';
import { loadSecretCorpus } from '../support/secret-corpus.js';

/** Every match's `d` indices of `re` over `text`, read as the gate reads them (lastIndex past an empty match). */
function matches(re: RegExp, text: string): Array<Array<[number, number] | undefined>> {
  const out: Array<Array<[number, number] | undefined>> = [];
  re.lastIndex = 0;
  let x: RegExpExecArray | null;
  while ((x = re.exec(text)) !== null) {
    if (x[0].length === 0) re.lastIndex++;
    out.push([...x.indices!]);
  }
  return out;
}

describe('numbered', () => {
  it('counts the captures of every form and chain of every grammar as V8 does', () => {
    let checked = 0;
    for (const g of grammars) {
      for (const f of g) {
        for (const re of f.chain ? [f.pattern, f.chain] : [f.pattern]) {
          const n = numbered(re);
          const plainCount = new RegExp(`${n.re.source}|`, n.re.flags.replace(/[gy]/g, '')).exec('')!.length - 1;
          const v8 = new RegExp(`${re.source}|`, re.flags.replace(/[gy]/g, '')).exec('')!.length - 1;
          expect(plainCount, re.source.slice(0, 200)).toBe(v8);
          expect(n.kinds.length - 1, re.source.slice(0, 200)).toBe(v8);
          expect(n.re.flags).toBe(re.flags);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(600);
  });

  it('gives each value group the number V8 gives it, by name, on patterns mixing plain and named captures', () => {
    const cases: Array<[RegExp, Array<[string, number]>]> = [
      [/(a)(?<vw>b)(c)(?<vq>d)/dg, [['vw', 2], ['vq', 4]]],
      [/(?:x)(?<=y)(?<!z)(?=w)(?!u)(?<v>v)/dg, [['v', 1]]],
      // An escaped parenthesis, and a class holding `(` and `(?<vq>`, are no captures.
      [/\((?<vw>a)[(?<vq>]\[(b)(?<ve>c)/dg, [['vw', 1], ['ve', 3]]],
      [/[\]((](?<vs>s)(?<other>o)(?<vx>x)/dg, [['vs', 1], ['vx', 3]]],
    ];
    for (const [re, values] of cases) {
      const n = numbered(re);
      const kinds = [...n.kinds].slice(1);
      for (const [name, at] of values) expect(kinds[at - 1], `${re} ${name}`).toBe(name.length > 1 ? name.charCodeAt(1) : 1);
      // Every other capture holds no value (`other` is named but not a value).
      expect(kinds.filter((k) => k !== 0)).toHaveLength(values.length);
      expect(new RegExp(`${n.re.source}|`).exec('')!.length).toBe(new RegExp(`${re.source}|`).exec('')!.length);
      expect(new RegExp(`${n.re.source}|`).exec('')!.groups).toBeUndefined();
    }
  });

  it("finds the same matches, capture for capture, as each form's named pattern on every secret corpus text holding its hints", () => {
    const m = compile(grammars);
    let compared = 0;
    for (const e of loadSecretCorpus()) {
      for (const text of [e.text, ...e.text.split('\n')]) {
        const present = m.scan(text) ?? [];
        for (const k of new Set(present.flatMap((h) => m.formsOf[h]!))) {
          const f = m.forms[k]!.form;
          for (const re of f.chain ? [f.pattern, f.chain] : [f.pattern]) {
            const plain = numbered(re).re;
            // A chain is sticky: it is tried from every place, as the gate tries it after a match.
            const from = re.sticky ? Array.from({ length: text.length }, (_, i) => i) : [0];
            for (const at of from) {
              re.lastIndex = plain.lastIndex = at;
              if (re.sticky) expect(plain.exec(text)?.indices?.slice() ?? null).toEqual(re.exec(text)?.indices?.slice() ?? null);
              else expect(matches(plain, text), `${re.source.slice(0, 120)} on ${text.slice(0, 120)}`).toEqual(matches(re, text));
              compared++;
            }
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000);
  });

  it('runs a pattern with a named back-reference as written', () => {
    const re = /(?<q>["'])(?<vw>[^"']*)\k<q>/dg;
    expect(numbered(re).re).toBe(re);
    const m = compile([[form('key', rx()`key (?<q>["'])(?<vq>[^"']*)\k<q>`)]]);
    expect(redactWith(m, `key "abc" key 'def' key "x'`)).toBe(`key "<redacted>" key '<redacted>' key "x'`);
  });

  it('reads the same values as the named groups did, on lines with every kind of value', () => {
    const m = compile(grammars);
    for (const [line, out] of [
      ['username bob privilege 15 secret 9 $9$abc$def', 'username bob privilege 15 secret 9 <redacted>'],
      ['snmp-server community "pub lic" RO', 'snmp-server community "<redacted>" RO'],
      ["radius-server key 'k e y'", "radius-server key '<redacted>'"],
      ['{"cmd":"set password \\"Zq7\\""}', '{"cmd":"set password \\"<redacted>\\""}'],
    ] as const) {
      expect(redactWith(m, line)).toBe(out);
    }
  });
});
