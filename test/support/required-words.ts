// Which words every match of an expression holds, read from the expression itself: a secret form's
// hints must be such words (the gate runs a form only on a line holding one of them), and
// test/parsers/secret-hints-sound.test.ts checks every form's against its pattern with this.
//
// The answer is a conjunction of clauses, each a list of words of which every match holds one:
// as the match has them for an expression without the `i` flag, lowered under `i`. It is sound by
// construction, never complete: whatever is not understood (a class too wide to list, a back
// reference, a character past ASCII, a look-ahead's text beside what follows it) is read as "any
// text", which asks for nothing.

import { hintWord } from '../../parsers/lib/secrets/hints.js';

/**
 * Marks in a word for what is known of the character there without knowing it, so a hint that
 * counts only at a word start (`\bnet`, hints.ts) can be checked: BOUNDARY for `\b` (zero width),
 * NOT_AFTER_WORD for `^` or a look-behind that no word character may pass (`(?<![\w-])`, zero
 * width), NON_WORD for one character of a class without word characters (`\s`, `[\s=]`). Past ASCII,
 * so no hint holds one; `holds` reads them.
 */
export const BOUNDARY = '\uE000';
export const NOT_AFTER_WORD = '\uE001';
export const NON_WORD = '\uE002';
const ZERO_WIDTH = /[\uE000\uE001]/g;
const IS_WORD = /^\w$/;

/** A marked word without its zero-width marks: the text a match holds, its unknown characters still marked. */
export function withoutWidthless(word: string): string {
  return word.replace(ZERO_WIDTH, '');
}

/**
 * Whether a word of `requiredWords` (as matched; lowered here) holds `hint`: for a word-start hint
 * (`\bnet`), at a place where the character before is known to be no word character; for a
 * word-end hint (`des\b`, `\bnet\b`), where the character after is known to be none.
 */
export function holds(word: string, hint: string): boolean {
  const w = word.toLowerCase();
  const { text, start, end } = hintWord(hint);
  if (!start && !end) return withoutWidthless(w).includes(hint);
  const nonWord = (c: string | undefined): boolean => c !== undefined && ((c.charCodeAt(0) < 128 && !IS_WORD.test(c)) || c === NON_WORD);
  for (let p = w.indexOf(text); p >= 0; p = w.indexOf(text, p + 1)) {
    const before = w[p - 1];
    const starts = before === NOT_AFTER_WORD || nonWord(before) || (before === BOUNDARY && IS_WORD.test(text[0]!));
    // After it: a character no word character, or `\b` after a word character.
    const after = w[p + text.length];
    const ends = nonWord(after) || (after === BOUNDARY && IS_WORD.test(text[text.length - 1]!));
    if ((!start || starts) && (!end || ends)) return true;
  }
  return false;
}

/** Clauses of which a match holds one word each. */
export type Words = readonly (readonly string[])[];

/** What is known of the texts a part of an expression matches. */
interface Known {
  /** Every text it can match, when few (a literal, `(?:pwd|passwd)`, `[pP]`); else undefined. */
  all: string[] | undefined;
  /** Every match starts with one of these ("" when nothing is known). */
  pre: string[];
  /** Every match ends with one of these. */
  suf: string[];
  /** Every match holds one word of each. */
  clauses: string[][];
}

/** Most texts a part is listed by before it counts as unknown: a larger product is no better a hint. */
const MOST = 48;
/** Most clauses kept for a part: the most selective (longest shortest word). */
const MOST_CLAUSES = 12;

const ANY: Known = { all: undefined, pre: [''], suf: [''], clauses: [] };
const EMPTY: Known = { all: [''], pre: [''], suf: [''], clauses: [] };

function uniq(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}

/** Every `a + b`, or undefined when there would be too many. */
function cross(a: readonly string[], b: readonly string[]): string[] | undefined {
  if (a.length * b.length > MOST) return undefined;
  if (a.length === 1 && a[0] === '') return b as string[];
  if (b.length === 1 && b[0] === '') return a as string[];
  const out: string[] = [];
  for (const x of a) for (const y of b) out.push(x + y);
  return uniq(out);
}

/** How selective a clause is: its shortest word's length (0 when it holds "", which any text holds). */
function strength(clause: readonly string[]): number {
  let n = Infinity;
  for (const w of clause) if (w.length < n) n = w.length;
  return n;
}

/** Clauses already made unique and sorted by `keep`: most are kept again by each enclosing group. */
const SORTED = new WeakSet<readonly string[]>();

/** The clauses, each once, without those any text satisfies, the most selective first, at most MOST_CLAUSES. */
function keep(clauses: readonly (readonly string[])[]): string[][] {
  const ranked = clauses.map((c) => ({ c, n: strength(c) })).filter((x) => x.n > 0);
  ranked.sort((a, b) => b.n - a.n);
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const { c } of ranked) {
    const words = SORTED.has(c) ? (c as string[]) : uniq(c).sort();
    SORTED.add(words);
    const key = words.join('\0');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(words);
    if (out.length === MOST_CLAUSES) break;
  }
  return out;
}

/** The clauses a part gives a whole: its own, and its starts, ends and texts as clauses. */
function asClauses(k: Known): string[][] {
  return [...k.clauses, k.pre, k.suf, ...(k.all ? [k.all] : [])];
}

/** `a` then `b`; their own clauses are the caller's to gather (`alternative`), this gives only what is read across. */
function concat(a: Known, b: Known): Known {
  const all = a.all && b.all ? cross(a.all, b.all) : undefined;
  const pre = (a.all && (cross(a.all, b.pre) ?? cross(a.all, firsts(b.pre)))) ?? a.pre;
  const suf = (b.all && cross(a.suf, b.all)) ?? b.suf;
  // What is read across the two is a clause once the run of listed text ends (b not listed); while
  // it goes on, the words grow in `suf` and become a clause where it ends.
  const across = b.all ? [] : (cross(a.suf, b.pre) ?? cross(a.suf, firsts(b.pre)) ?? a.suf);
  return { all, pre, suf, clauses: across.length > 0 && strength(across) > 0 ? [across] : [] };
}

/**
 * Starts too many to join to what is before them, cut to their first characters, a character no
 * word character read as NON_WORD: what follows a word (`net` then a separator) stays known.
 */
function firsts(starts: readonly string[]): string[] {
  return uniq(starts.map((t) => (t.length > 0 && t.charCodeAt(0) < 128 && !IS_WORD.test(t[0]!) ? NON_WORD : t.slice(0, 1))));
}

function alternate(branches: readonly Known[]): Known {
  if (branches.length === 1) return branches[0]!;
  const lists = (pick: (k: Known) => string[] | undefined): string[] | undefined => {
    const out: string[] = [];
    for (const b of branches) {
      const l = pick(b);
      if (!l) return undefined;
      out.push(...l);
    }
    const u = uniq(out);
    return u.length > MOST ? undefined : u;
  };
  // One clause: from each branch the word list it is surest to hold, the most selective.
  const best = branches.map((b) => keep(asClauses(b))[0]);
  const either = best.every((c) => c !== undefined) ? uniq(best.flat()) : undefined;
  return {
    all: lists((b) => b.all),
    pre: lists((b) => b.pre) ?? lists((b) => firsts(b.pre)) ?? [''],
    suf: lists((b) => b.suf) ?? [''],
    clauses: either && either.length <= MOST ? [either] : [],
  };
}

function repeat(k: Known, min: number, max: number): Known {
  if (min === 0) {
    const all = max === 1 && k.all ? uniq(['', ...k.all]) : undefined;
    return { all, pre: [''], suf: [''], clauses: [] };
  }
  let all: string[] | undefined;
  if (min === max && k.all) {
    all = [''];
    for (let n = 0; n < min && all; n++) all = cross(all, k.all);
  }
  return { all, pre: k.pre, suf: k.suf, clauses: keep(asClauses(k)) };
}

/** A look-around that must hold: its words are on the line, beside the match or not. */
function assertion(k: Known): Known {
  return { all: [''], pre: [''], suf: [''], clauses: keep(asClauses(k)) };
}

/**
 * The character set a class or escape stands for, lowered, when small and all of it readable by
 * the hint scan (ASCII, and under `i` with `u` no letter that Unicode folds from outside ASCII:
 * `ſ` is an `s`, the Kelvin sign a `k`); undefined otherwise.
 */
function chars(set: readonly number[] | undefined, o: Flags): string[] | undefined {
  if (!set) return undefined;
  const out = new Set<string>();
  for (const c of set) {
    if (c >= 128) return undefined;
    const ch = o.i ? String.fromCharCode(c).toLowerCase() : String.fromCharCode(c);
    if (o.i && o.unicode && (ch === 's' || ch === 'k')) return undefined;
    out.add(ch);
  }
  return out.size === 0 || out.size > MOST ? undefined : [...out];
}

interface Flags {
  i: boolean;
  unicode: boolean;
}

/** Reads a pattern's source; any construct it does not know throws (a test reads every form). */
class Reader {
  private at = 0;
  constructor(
    private readonly src: string,
    private readonly o: Flags,
  ) {}

  whole(): Known {
    const k = this.disjunction();
    if (this.at < this.src.length) throw new Error(`unexpected ${this.src[this.at]} at ${this.at} in /${this.src}/`);
    return k;
  }

  private disjunction(): Known {
    const branches = [this.alternative()];
    while (this.src[this.at] === '|') {
      this.at++;
      branches.push(this.alternative());
    }
    return alternate(branches);
  }

  private alternative(): Known {
    let k = EMPTY;
    const clauses: string[][] = [];
    while (this.at < this.src.length && this.src[this.at] !== '|' && this.src[this.at] !== ')') {
      const part = this.run() ?? this.quantified();
      clauses.push(...part.clauses);
      k = concat(k, part);
      clauses.push(...k.clauses);
    }
    return { ...k, clauses: keep(clauses) };
  }

  /**
   * A run of plain characters no quantifier follows (`password`, `config`), read at once: most of a
   * pattern's literal text, which read a character at a time made reading every form take ~0.5 s.
   */
  private run(): Known | undefined {
    const s = this.src;
    let end = this.at;
    const plain = this.o.i && this.o.unicode ? PLAIN_FOLDED : PLAIN;
    while (end < s.length && plain.test(s[end]!)) end++;
    // The last character belongs to a quantifier after it.
    if (end < s.length && '*+?{'.includes(s[end]!)) end--;
    if (end - this.at < 2) return undefined;
    const text = this.o.i ? s.slice(this.at, end).toLowerCase() : s.slice(this.at, end);
    this.at = end;
    return { all: [text], pre: [text], suf: [text], clauses: [] };
  }

  private quantified(): Known {
    const atom = this.atom();
    const s = this.src;
    let min: number;
    let max: number;
    const c = s[this.at];
    if (c === '*' || c === '+' || c === '?') {
      this.at++;
      [min, max] = c === '*' ? [0, Infinity] : c === '+' ? [1, Infinity] : [0, 1];
    } else {
      const q = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.at, this.at + 24));
      if (c !== '{' || !q) return atom.k;
      this.at += q[0].length;
      min = Number(q[1]);
      max = q[2] === undefined ? min : q[3] === '' ? Infinity : Number(q[3]);
    }
    if (s[this.at] === '?') this.at++;
    // A repeated assertion holds once or, at no repeat, need not.
    if (atom.zeroWidth) return min === 0 ? EMPTY : atom.k;
    return repeat(atom.k, min, max);
  }

  private atom(): { k: Known; zeroWidth?: boolean } {
    const s = this.src;
    const c = s[this.at]!;
    if (c === '(') {
      // Forms are built from the same blocks (a separator, a value): a group read once is known again.
      const end = groupEnd(s, this.at);
      if (end - this.at < 24) return this.group();
      const key = (this.o.i ? 'i' : '') + (this.o.unicode ? 'u' : '') + ':' + s.slice(this.at, end);
      const known = GROUPS.get(key);
      if (known) {
        this.at = end;
        return known;
      }
      const read = this.group();
      GROUPS.set(key, read);
      return read;
    }
    return this.other();
  }

  private group(): { k: Known; zeroWidth?: boolean } {
    const s = this.src;
    const start = this.at;
    {
      this.at++;
      let kind: 'group' | 'ahead' | 'not';
      if (s.startsWith('?:', this.at)) [kind, this.at] = ['group', this.at + 2];
      else if (s.startsWith('?=', this.at) || s.startsWith('?<=', this.at)) [kind, this.at] = ['ahead', this.at + (s[this.at + 1] === '<' ? 3 : 2)];
      else if (s.startsWith('?!', this.at) || s.startsWith('?<!', this.at)) [kind, this.at] = ['not', this.at + (s[this.at + 1] === '<' ? 3 : 2)];
      else if (s.startsWith('?<', this.at)) {
        const end = s.indexOf('>', this.at);
        if (end < 0) throw new Error(`group name in /${s}/`);
        [kind, this.at] = ['group', end + 1];
      } else if (s[this.at] === '?') throw new Error(`unknown group (${s.slice(this.at, this.at + 3)} in /${s}/`);
      else kind = 'group';
      const inner = this.disjunction();
      if (s[this.at] !== ')') throw new Error(`unclosed group in /${s}/`);
      this.at++;
      if (kind === 'group') return { k: inner };
      if (kind === 'not' && s[start + 2] === '<' && notAfterWord(s.slice(start + 4, this.at - 1))) return { k: mark(NOT_AFTER_WORD), zeroWidth: true };
      return { k: kind === 'ahead' ? assertion(inner) : EMPTY, zeroWidth: true };
    }
  }

  private other(): { k: Known; zeroWidth?: boolean } {
    const s = this.src;
    const c = s[this.at]!;
    if (c === '^' || c === '$') {
      this.at++;
      return { k: c === '^' ? mark(NOT_AFTER_WORD) : EMPTY, zeroWidth: true };
    }
    if (c === '.') {
      this.at++;
      return { k: ANY };
    }
    if (c === '[') {
      const from = this.at;
      const set = chars(this.classSet(), this.o);
      return { k: set ? this.literal(set) : classReads(s.slice(from, this.at)) === 'non-word' ? mark(NON_WORD) : ANY };
    }
    if (c === '\\') {
      const e = s[this.at + 1];
      if (e === 'b' || e === 'B') {
        this.at += 2;
        return { k: e === 'b' ? mark(BOUNDARY) : EMPTY, zeroWidth: true };
      }
      if (e === 's' || e === 'W') {
        this.at += 2;
        return { k: mark(NON_WORD) };
      }
      if (e !== undefined && /[1-9]/.test(e)) {
        this.at += 2;
        while (/\d/.test(s[this.at] ?? '')) this.at++;
        return { k: ANY };
      }
      if (e === 'k' && s[this.at + 2] === '<') {
        this.at = s.indexOf('>', this.at) + 1;
        return { k: ANY };
      }
      return { k: this.literal(chars(this.escape(false), this.o)) };
    }
    if (c === ')' || c === '|') throw new Error(`unexpected ${c} in /${s}/`);
    if (c === '*' || c === '+' || c === '?') throw new Error(`nothing to repeat in /${s}/`);
    this.at++;
    return { k: this.literal(chars([c.charCodeAt(0)], this.o)) };
  }

  /** One character out of `set`. */
  private literal(set: string[] | undefined): Known {
    return set ? { all: set, pre: set, suf: set, clauses: [] } : ANY;
  }

  /** A class's characters (with both cases under `i`), or undefined when negated or too wide. */
  private classSet(): number[] | undefined {
    const s = this.src;
    this.at++;
    let negated = false;
    if (s[this.at] === '^') {
      negated = true;
      this.at++;
    }
    const out: number[] = [];
    let wide = false;
    while (this.at < s.length && s[this.at] !== ']') {
      const lo = this.classAtom();
      if (s[this.at] === '-' && s[this.at + 1] !== ']' && this.at + 1 < s.length) {
        this.at++;
        const hi = this.classAtom();
        if (!lo || !hi || lo.length !== 1 || hi.length !== 1) {
          wide = true;
          continue;
        }
        if (hi[0]! - lo[0]! > 256) wide = true;
        else for (let c = lo[0]!; c <= hi[0]!; c++) out.push(c);
      } else if (!lo) wide = true;
      else out.push(...lo);
    }
    if (s[this.at] !== ']') throw new Error(`unclosed class in /${s}/`);
    this.at++;
    if (negated || wide) return undefined;
    return this.o.i ? out.flatMap(bothCases) : out;
  }

  private classAtom(): number[] | undefined {
    const s = this.src;
    if (s[this.at] === '\\') return this.escape(true);
    const c = s.charCodeAt(this.at);
    this.at++;
    return [c];
  }

  /** An escape's characters, or undefined for a class escape (`\s`, `\w`, …). */
  private escape(inClass: boolean): number[] | undefined {
    const s = this.src;
    const e = s[this.at + 1];
    if (e === undefined) throw new Error(`trailing \\ in /${s}/`);
    this.at += 2;
    const simple: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11, '0': 0 };
    if ('dDwWsS'.includes(e)) return undefined;
    if (e === 'b' && inClass) return [8];
    if (e in simple) return [simple[e]!];
    if (e === 'x') {
      const h = /^[0-9a-fA-F]{2}/.exec(s.slice(this.at));
      if (!h) throw new Error(`\\x in /${s}/`);
      this.at += 2;
      return [parseInt(h[0], 16)];
    }
    if (e === 'u') {
      const h = /^(?:[0-9a-fA-F]{4}|\{[0-9a-fA-F]+\})/.exec(s.slice(this.at));
      if (!h) throw new Error(`\\u in /${s}/`);
      this.at += h[0].length;
      // A surrogate or a character past ASCII: the hint scan reads neither.
      return [parseInt(h[0].replace(/[{}]/g, ''), 16)];
    }
    if (e === 'c' || e === 'p' || e === 'P' || e === 'k' || /\d/.test(e)) throw new Error(`escape \\${e} in /${s}/`);
    const c = e.charCodeAt(0);
    return this.o.i ? bothCases(c) : [c];
  }
}

/** One known mark, read as a one-character text. */
function mark(m: string): Known {
  return { all: [m], pre: [m], suf: [m], clauses: [] };
}

/**
 * Whether a class's source (`[\s=]`, `[^\w-]`) reads only non-word characters ('non-word'), every
 * word character ('word', e.g. `[\w-]`), or neither: its members are read, ranges by their ends.
 */
function classReads(src: string): 'non-word' | 'word' | 'mixed' {
  const negated = src[1] === '^';
  const body = src.slice(negated ? 2 : 1, -1);
  // What `[^\S…]` reads is spaces at most.
  if (negated && /^(?:[^\\]|\\.)*?\\S/.test(body)) return 'non-word';
  let anyWord = false;
  let allWord = false;
  for (let i = 0; i < body.length; i++) {
    const lo = body[i]!;
    if (lo === '\\') {
      const e = body[++i]!;
      if (e === 'w') [anyWord, allWord] = [true, true];
      else if ('sWnrtfv0'.includes(e)) continue;
      else if ('dDSbBpPuxc'.includes(e) || /\w/.test(e)) anyWord = true;
      continue;
    }
    if (body[i + 1] === '-' && i + 2 < body.length) {
      const hi = body[i + 2] === '\\' ? '\uffff' : body[i + 2]!;
      i += body[i + 2] === '\\' ? 3 : 2;
      for (let c = lo.charCodeAt(0); c <= Math.min(hi.charCodeAt(0), 127); c++) if (IS_WORD.test(String.fromCharCode(c))) anyWord = true;
      if (hi.charCodeAt(0) > 127) anyWord = true;
      continue;
    }
    if (IS_WORD.test(lo)) anyWord = true;
  }
  const reads = allWord ? 'word' : anyWord ? 'mixed' : 'non-word';
  // A negated class reads what the class leaves.
  if (!negated) return reads;
  return reads === 'word' ? 'non-word' : reads === 'non-word' ? 'word' : 'mixed';
}

/** Whether a negative look-behind's source (`\w`, `[\w-]`, `[^\s+]`) leaves no word character before. */
function notAfterWord(inner: string): boolean {
  if (inner === '\\w') return true;
  return /^\[(?:[^\]\\]|\\.)*\]$/.test(inner) && classReads(inner) === 'word';
}

/** Characters that stand for themselves in a pattern, all ASCII (the hint scan's). */
const PLAIN = /[A-Za-z0-9 !"#%&',\-/:;<=>@_`~]/;
/** The same under `i` with `u`, where `ſ` matches `s` and the Kelvin sign `k` (see `chars`). */
const PLAIN_FOLDED = /[A-Za-jl-rt-z0-9 !"#%&',\-/:;<=>@_`~]/;

/** What is known of groups already read, by flags and source (the blocks of grammar.ts recur in most forms). */
const GROUPS = new Map<string, { k: Known; zeroWidth?: boolean }>();

/** Where the group opened at `at` ends (past its `)`): escapes and classes skipped. */
function groupEnd(s: string, at: number): number {
  let depth = 0;
  for (let i = at; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '[') {
      for (i++; i < s.length && s[i] !== ']'; i++) if (s[i] === '\\') i++;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return s.length;
}

function bothCases(c: number): number[] {
  const ch = String.fromCharCode(c);
  return uniq([ch, ch.toLowerCase(), ch.toUpperCase()]).map((x) => x.charCodeAt(0));
}

/**
 * The words every match of `pattern` holds: clauses, each a list of lower-case words of which
 * every match holds one, most selective first. Throws on syntax it does not read.
 */
export function requiredWords(pattern: RegExp): Words {
  return keep(markedWords(pattern).map((c) => c.map(plain)));
}

/** A marked word read plainly: zero-width marks dropped, its longest piece between unknown characters. */
function plain(word: string): string {
  return withoutWidthless(word)
    .split(NON_WORD)
    .reduce((a, b) => (b.length > a.length ? b : a), '');
}

/** As `requiredWords`, with the marks (BOUNDARY, NOT_AFTER_WORD, NON_WORD) in the words: what `holds` reads. */
export function markedWords(pattern: RegExp): Words {
  const o: Flags = { i: pattern.flags.includes('i'), unicode: pattern.flags.includes('u') || pattern.flags.includes('v') };
  return keep(asClauses(new Reader(pattern.source, o).whole()));
}
