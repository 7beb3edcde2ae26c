// Which of a set of hints (lower-case ASCII words) a text holds, as `text.toLowerCase().includes(hint)`
// would say for each, found in one pass over the text: an Aho-Corasick automaton over ASCII that
// reads capitals as small letters. The secret gate asks this of every line it keeps: lowering the
// line, running one expression of the hints over it and searching each longer hint cost 11 µs of
// CPU per aaa-only line, this pass under 1 µs (the gate as a whole 11 → 4 µs; shared machine).
// Written here rather than taken from npm: what is needed is only which hints occur, capitals read
// as small letters without lowering a copy of the line, in ~120 lines.

const ASCII = 128;

/**
 * A hint written `\bnet` counts only where the character before it is not a word character
 * (`[A-Za-z0-9_]`, or the text's start): `net` is inside `GigabitEthernet` on most switch lines.
 * Checked by one table look-up when the automaton finds the hint; a character past ASCII counts as
 * no word character (the pattern's `\w` under `iu` holds `ſ` and the Kelvin sign: reading them as
 * word starts keeps more lines, never fewer).
 */
export const WORD_START = '\\b';
/**
 * A hint ending `\b` counts only where no word character follows it: `\bnet\b` (a word start too:
 * ISE's `NetworkDeviceName`), `des\b` (tac_plus's `login = des X`; `des` begins `destination` and
 * `description` on a tenth of traffic's lines). A character past ASCII after it counts as none, as
 * before a word-start hint.
 */
export const WORD_END = '\\b';
/** 1 for the word characters a word-start hint may not follow, nor a word-end hint precede. */
const WORD = Uint8Array.from({ length: ASCII }, (_, c) => (/\w/.test(String.fromCharCode(c)) ? 1 : 0));

/** The indexes of the hints a text holds, each once, in the order first found; `undefined` when it holds none (most lines). */
export type HintScan = (text: string) => number[] | undefined;

/** What `toLowerCase` makes of the only characters past ASCII that it lowers to ASCII. */
const DOTTED_CAPITAL_I = 0x130; // İ → i + U+0307 (combining dot, no ASCII)
const KELVIN = 0x212a; // K → k

export function hintScanner(hints: readonly string[]): HintScan {
  checkHints(hints);
  const words = hints.map(hintWord);
  const { move, accepting, endsFrom, endsAll } = build(words.map((w) => w.text));
  // For a word-start hint, its length (the character before it is `end - back`); 0 for the rest.
  const back = Int32Array.from(words, (w) => (w.start ? w.text.length : 0));
  // 1 for a word-end hint (the character after it is `end + 1`).
  const wordEnd = Uint8Array.from(words, (w) => (w.end ? 1 : 0));

  // Which hints this scan found already, and in which order: one table and one list for every
  // scan, cleared after each (a table of every hint made per line was ~0.45 µs: a typed array past
  // 64 bytes is allocated outside the heap).
  const seen = new Uint8Array(hints.length);
  const hits: number[] = [];
  const note = (s: number, text: string, end: number): void => {
    for (let e = endsFrom[s]!; e < endsFrom[s + 1]!; e++) {
      const h = endsAll[e]!;
      if (seen[h] === 1) continue;
      // Past the text's start or end charCodeAt gives NaN, past ASCII a code the table lacks: no word character.
      if ((back[h] !== 0 && WORD[text.charCodeAt(end - back[h]!)] === 1) || (wordEnd[h] === 1 && WORD[text.charCodeAt(end + 1)] === 1)) continue;
      seen[h] = 1;
      hits.push(h);
    }
  };
  /** The state after a character past ASCII: only two lower to ASCII letters. */
  const wide = (s: number, c: number, text: string, at: number): number => {
    if (c === KELVIN) return move[(s << 7) | 107]!;
    // The lowered text has a combining dot after this `i`, which ends any hint running through it.
    if (c === DOTTED_CAPITAL_I) {
      const t = move[(s << 7) | 105]!;
      if (t >= accepting) note(t, text, at);
    }
    return 0;
  };
  const longest = Math.max(...words.map((w) => w.text.length));

  /**
   * A long ASCII text's characters as bytes, read from a typed array instead of by `charCodeAt`:
   * copying the text there is one call (TextEncoder writes ASCII as it stands; it says so when
   * every character took one byte), and each character then costs a load, where `charCodeAt`
   * asks the string's kind every time. Worth it on ISE accounting lines (~1,150 characters: the scan
   * 2.96 → 2.00 ns a character, 2026-12-05) and from 64 characters on: the first threshold (512)
   * left mixed-random's lines of 128–511 characters (RT_FLOW, FortiOS, tac_plus; half its lines,
   * and the commands gated alone) on `charCodeAt`, where they cost more a scan: 256–511 characters
   * 3.17 → 2.05 µs, 128–255 1.12 → 0.77, 64–127 0.79 → 0.59; under 64 the same (the profile's lines,
   * every hint of every grammar, medians of 8 alternated rounds, thread CPU, 2026-12-06, load 18–21).
   * A text with any character past ASCII is read as a string. The loops are the string's below,
   * reading bytes: one loop for both would ask which at every step.
   */
  const encoder = new TextEncoder();
  let bytes = new Uint8Array(4096);
  const BYTES_FROM = 64;
  const scanBytes = (text: string, n: number): void => {
    const by = bytes;
    if (n >= QUARTERS_FROM) return scanQuarters(by, text, n);
    // Two halves side by side from 256 characters, as the string's loops below read them: a shorter
    // text read as two overlapping halves read its second half twice (64–127 characters 0.70 → 0.59 µs).
    const mid = n >= 256 ? n >> 1 : n;
    const endA = Math.min(n, mid + longest - 1);
    let a = 0;
    let b = 0;
    let i = 0;
    let j = mid;
    for (; i < endA && j < n; i++, j++) {
      a = move[(a << 7) | by[i]!]!;
      b = move[(b << 7) | by[j]!]!;
      if (a >= accepting) note(a, text, i);
      if (b >= accepting) note(b, text, j);
    }
    for (; i < endA; i++) {
      a = move[(a << 7) | by[i]!]!;
      if (a >= accepting) note(a, text, i);
    }
    for (; j < n; j++) {
      b = move[(b << 7) | by[j]!]!;
      if (b >= accepting) note(b, text, j);
    }
  };

  /**
   * A text from 512 characters as four quarters side by side, each but the last reading on past its
   * end by a hint's length less one (as the halves do): each step waits on its own quarter's last
   * step only, so four overlap where two did. On ISE accounting lines (~1,160 characters, three
   * quarters of the characters mixed-random's kept lines hold) the scan 0.87×, over those kept lines
   * 0.88–0.95× (in process, alternated, thread CPU) and in the reading pipeline 1.18–1.22 → 1.04–1.09
   * µs a message (perf samples; 2026-12-07, load 4–6). Eight lanes were 1.22× four (registers);
   * quarters from 256 characters made every text slower (1.37× over those lines), not kept.
   */
  const QUARTERS_FROM = 512;
  const scanQuarters = (by: Uint8Array, text: string, n: number): void => {
    const q = n >> 2;
    const endA = Math.min(n, q + longest - 1);
    const endB = Math.min(n, 2 * q + longest - 1);
    const endC = Math.min(n, 3 * q + longest - 1);
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    let i = 0;
    let j = q;
    let k = 2 * q;
    let l = 3 * q;
    for (; i < endA && l < n; i++, j++, k++, l++) {
      a = move[(a << 7) | by[i]!]!;
      b = move[(b << 7) | by[j]!]!;
      c = move[(c << 7) | by[k]!]!;
      d = move[(d << 7) | by[l]!]!;
      if (a >= accepting) note(a, text, i);
      if (b >= accepting) note(b, text, j);
      if (c >= accepting) note(c, text, k);
      if (d >= accepting) note(d, text, l);
    }
    // The last quarter ends first (it reads no further than the text); the others read on to their ends.
    for (; i < endA; i++) {
      a = move[(a << 7) | by[i]!]!;
      if (a >= accepting) note(a, text, i);
    }
    for (; j < endB; j++) {
      b = move[(b << 7) | by[j]!]!;
      if (b >= accepting) note(b, text, j);
    }
    for (; k < endC; k++) {
      c = move[(c << 7) | by[k]!]!;
      if (c >= accepting) note(c, text, k);
    }
    for (; l < n; l++) {
      d = move[(d << 7) | by[l]!]!;
      if (d >= accepting) note(d, text, l);
    }
  };

  return (text) => {
    const n = text.length;
    if (n >= BYTES_FROM) {
      if (n > bytes.length) bytes = new Uint8Array(n * 2);
      const copied = encoder.encodeInto(text, bytes);
      if (copied.read === n && copied.written === n) {
        scanBytes(text, n);
        return found();
      }
    }
    // A long text is read as two halves side by side, the first reading on past the middle by a
    // hint's length less one, so a hint across the middle is found in it: each step waits for the
    // one before it in its half only, and the two halves' steps overlap (ISE accounting lines are
    // ~1,100 characters).
    const mid = n >= 256 ? n >> 1 : n;
    const endA = Math.min(n, mid + longest - 1);
    let a = 0;
    let b = 0;
    let i = 0;
    let j = mid;
    for (; i < endA && j < n; i++, j++) {
      const c = text.charCodeAt(i);
      const d = text.charCodeAt(j);
      a = c < ASCII ? move[(a << 7) | c]! : wide(a, c, text, i);
      b = d < ASCII ? move[(b << 7) | d]! : wide(b, d, text, j);
      if (a >= accepting) note(a, text, i);
      if (b >= accepting) note(b, text, j);
    }
    for (; i < endA; i++) {
      const c = text.charCodeAt(i);
      a = c < ASCII ? move[(a << 7) | c]! : wide(a, c, text, i);
      if (a >= accepting) note(a, text, i);
    }
    for (; j < n; j++) {
      const d = text.charCodeAt(j);
      b = d < ASCII ? move[(b << 7) | d]! : wide(b, d, text, j);
      if (b >= accepting) note(b, text, j);
    }
    return found();
  };

  /** The hints this scan found (undefined: none), the tables cleared for the next. */
  function found(): number[] | undefined {
    if (hits.length === 0) return undefined;
    const out = hits.slice();
    for (const h of out) seen[h] = 0;
    hits.length = 0;
    return out;
  }
}

/** A hint's text and the word boundaries it counts only at (`\\bnet`, `des\\b`, `\\bnet\\b`). */
export function hintWord(hint: string): { text: string; start: boolean; end: boolean } {
  const start = hint.startsWith(WORD_START) && hint.length > WORD_START.length;
  const from = start ? WORD_START.length : 0;
  const end = hint.endsWith(WORD_END) && hint.length > from + WORD_END.length;
  return { text: hint.slice(from, end ? -WORD_END.length : undefined), start, end };
}

/** Throws unless every hint is lower-case ASCII (what the automaton reads). */
export function checkHints(hints: readonly string[]): void {
  for (const h of hints) {
    if (!/^[\x00-\x40\x5b-\x7f]+$/.test(h)) throw new Error(`secret hint ${JSON.stringify(h)}: hints are lower-case ASCII`);
  }
}

interface Automaton {
  /**
   * A row of 128 moves per state, indexed by the character itself (no more than a few thousand
   * states, 256 bytes each). Columns by class instead (the gate's hints' 84 characters and one for
   * the rest, capitals folded, a 128-byte class map, the rows still a shift apart) made the scan
   * alone 0.77–0.79× (1.79 → 1.40 µs a line, warm), but inside the pipeline, where the table is out
   * of the caches between lines, the scans 0.2–0.6 µs a message slower (77 cache lines a message
   * against 88: the states a line visits decide that, not the columns) and the reading thread
   * 0.975–1.020×, no gain (aaa-only and mixed-random, in process, alternated, 2026-12-05, load 2.5–5).
   */
  move: Uint16Array | Int32Array;
  /**
   * The states from this number on each end at least one hint, the others none: one comparison per
   * character, where a table of them was one more load (the scan 1.04-1.12x faster, scratch measure
   * alternated, 2026-12-04, load 10).
   */
  accepting: number;
  /** The hints state `s` ends: `endsAll[endsFrom[s]]` up to `endsAll[endsFrom[s + 1]]`. */
  endsFrom: Int32Array;
  endsAll: Int32Array;
}

function build(hints: readonly string[]): Automaton {
  // The trie of the hints, then each state's moves completed along its failure link (breadth
  // first), all in one typed array sized for the most states the hints can make: rows of arrays
  // took 40–75 ms for the gate's hints, this 3–5 ms (scratch measure, 2026-12-04).
  let most = 1;
  for (const h of hints) most += h.length;
  const next = new Int32Array(most * ASCII).fill(-1);
  const ends: number[][] = [[]];
  let states = 1;
  hints.forEach((h, k) => {
    let s = 0;
    for (let i = 0; i < h.length; i++) {
      const at = (s << 7) | h.charCodeAt(i);
      if (next[at]! < 0) {
        next[at] = states++;
        ends.push([]);
      }
      s = next[at]!;
    }
    ends[s]!.push(k);
  });
  const fail = new Int32Array(states);
  const queue = new Int32Array(states);
  let tail = 0;
  for (let c = 0; c < ASCII; c++) {
    const t = next[c]!;
    if (t < 0) next[c] = 0;
    else queue[tail++] = t;
  }
  for (let q = 0; q < tail; q++) {
    const s = queue[q]!;
    const row = s << 7;
    const failRow = fail[s]! << 7;
    for (const k of ends[fail[s]!]!) ends[s]!.push(k);
    for (let c = 0; c < ASCII; c++) {
      const t = next[row | c]!;
      if (t < 0) next[row | c] = next[failRow | c]!;
      else {
        fail[t] = next[failRow | c]!;
        queue[tail++] = t;
      }
    }
  }
  // Capitals move as their small letters do: the text is read as lowered without lowering it.
  for (let row = 0; row < states * ASCII; row += ASCII) for (let c = 65; c <= 90; c++) next[row | c] = next[row | (c + 32)]!;
  // Renumbered: the states that end no hint first (the root stays 0), then those that end one.
  const order: number[] = [];
  for (let s = 0; s < states; s++) if (ends[s]!.length === 0) order.push(s);
  const accepting = order.length;
  for (let s = 0; s < states; s++) if (ends[s]!.length > 0) order.push(s);
  const renamed = new Int32Array(states);
  order.forEach((s, k) => (renamed[s] = k));
  const move = states < 65536 ? new Uint16Array(states * ASCII) : new Int32Array(states * ASCII);
  order.forEach((s, k) => {
    for (let c = 0; c < ASCII; c++) move[(k << 7) | c] = renamed[next[(s << 7) | c]!]!;
  });
  const endsFrom = new Int32Array(states + 1);
  order.forEach((s, k) => (endsFrom[k + 1] = endsFrom[k]! + ends[s]!.length));
  return { move, accepting, endsFrom, endsAll: Int32Array.from(order.flatMap((s) => ends[s]!)) };
}
