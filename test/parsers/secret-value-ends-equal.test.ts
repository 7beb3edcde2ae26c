// The line cursor and a bare value's end (grammar.ts `LineCursor`, `bareEnd`) read the text by
// character code (read16, 2026-12-06: the gate 0.94× on aaa-only lines, 0.86× on ISE accounting
// lines). They must say what the reading by one-character strings said before, byte for byte:
// here that reading, as it stood, against the engine's over random hostile text (brackets, quotes,
// backslashes, line breaks, `,;&=` lists, surrogates, lone or paired) at random positions.

import { describe, expect, it } from 'vitest';
import { bareEnd, LineCursor, StatementEnds, type Open } from '../../parsers/lib/secrets/grammar.js';
import { mulberry32 } from '../support/random.js';

// ---- The reading before read16, copied as it was (reference only). ----
const OPENER: Readonly<Record<string, string>> = { ')': '(', ']': '[', '>': '<', '}': '{' };
const isWordChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
function escaped(text: string, at: number, from: number): boolean {
  let n = 0;
  while (at - 1 - n >= from && text.charCodeAt(at - 1 - n) === 92) n++;
  return n % 2 === 1;
}
class OldCursor {
  private at = 0;
  private lineStart = 0;
  private state: Open = OldCursor.fresh();
  constructor(private readonly text: string) {}
  private static fresh(): Open {
    return { '(': 0, '[': 0, '<': 0, '{': 0, single: false, double: false, escapedDouble: false };
  }
  seek(pos: number): { open: Open; lineStart: number } {
    const t = this.text;
    if (pos < this.at) {
      this.at = 0;
      this.lineStart = 0;
      this.state = OldCursor.fresh();
    }
    let o = this.state;
    for (let i = this.at; i < pos; i++) {
      const c = t[i]!;
      if (c === '\n' || c === '\r') {
        this.lineStart = i + 1;
        o = this.state = OldCursor.fresh();
      } else if (c === '(' || c === '[' || c === '<' || c === '{') o[c]++;
      else if (c in OPENER) o[OPENER[c] as '('] = Math.max(0, o[OPENER[c] as '('] - 1);
      else if (c === "'" && !(isWordChar(t.charCodeAt(i - 1)) && isWordChar(t.charCodeAt(i + 1)))) o.single = !o.single;
      else if (c === '"') {
        if (!escaped(t, i, this.lineStart)) o.double = !o.double;
        else o.escapedDouble = !o.escapedDouble;
      }
    }
    this.at = pos;
    return { open: o, lineStart: this.lineStart };
  }
}
function oldBareEnd(text: string, start: number, end: number, line: OldCursor, ends: StatementEnds): number {
  const { open, lineStart } = line.seek(start);
  const assigned = /=(?:ENC\s+)?$/.test(text.slice(Math.max(lineStart, start - 5), start));
  const listed = assigned && /;[\w .-]{1,40}=$/.test(text.slice(Math.max(lineStart, start - 42), start));
  const inner = { '(': 0, '[': 0, '<': 0, '{': 0 };
  for (let i = start; i < end; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const n = text[i + 1];
      if (n === '"' && open.escapedDouble) return i;
      if (open.double && (n === 'n' || n === 'r' || n === 't')) return i;
      i++;
    } else if (c === '(' || c === '[' || c === '<' || c === '{') inner[c]++;
    else if (c in OPENER) {
      const o = OPENER[c] as '(';
      if (inner[o] > 0) inner[o]--;
      else if (open[o] > 0) return i;
    } else if (c === "'" && open.single && i === end - 1) return i;
    else if (c === '"' && open.double) return i;
    else if (c === ',' && assigned && /^,[\w.+-]{1,40}=/.test(text.slice(i, i + 42))) return i;
    else if (c === ';' && (listed || (assigned && /^;[\w.+-][\w .+-]{0,39}=/.test(text.slice(i, i + 42))))) return i;
    else if (c === '&' && assigned && /^&[\w.+-]{1,40}=/.test(text.slice(i, i + 42))) return i;
  }
  if (text[end - 1] === ';' && ends.at(end, lineStart)) return end - 1;
  return end;
}
// ---- end of the reference ----

/** Characters the two readings tell apart, and ordinary ones, weighted towards the first. */
const PIECES = [
  '(', ')', '[', ']', '<', '>', '{', '}', "'", '"', '\\', '\\"', '\\n', '\\t', '\n', '\r', ';', ',', '&', '=', ' ', '\t',
  'a', 'b', 'Z', '0', '7', '_', '-', '.', 'ENC ', 'key=', ';Pwd=', ',secret=', '&token=', 'é', '\u0000', '\u00ff', '\ud83d\ude00', '\ud800', '\udc00', '\u2028',
];

function randomText(r: () => number): string {
  const n = Math.floor(r() * 120);
  let s = '';
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(r() * PIECES.length)]!;
  return s;
}

describe('a bare value’s end, read by character code', () => {
  it('is where the reading by one-character strings put it, over 20,000 random hostile texts', () => {
    const r = mulberry32(16);
    let compared = 0;
    for (let t = 0; t < 20_000; t++) {
      const text = randomText(r);
      const always = r() < 0.2;
      const cursor = new LineCursor(text);
      const old = new OldCursor(text);
      // Several values a text, mostly forward (as a form's matches come), now and then back.
      for (let v = 0; v < 4; v++) {
        const start = Math.floor(r() * (text.length + 1));
        const end = Math.min(text.length, start + Math.floor(r() * 40));
        const got = bareEnd(text, start, end, cursor, new StatementEnds(text, always));
        const want = oldBareEnd(text, start, end, old, new StatementEnds(text, always));
        if (got !== want) expect({ text, start, end, got }).toEqual({ text, start, end, got: want });
        compared++;
      }
      const at = Math.floor(r() * (text.length + 1));
      const [a, b] = [cursor.seek(at), old.seek(at)];
      if (JSON.stringify(a) !== JSON.stringify(b)) expect({ text, at, seek: a }).toEqual({ text, at, seek: b });
    }
    expect(compared).toBe(80_000);
  });
});
