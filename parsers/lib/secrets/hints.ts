// Which of a set of hints (lower-case ASCII words) a text holds, as `text.toLowerCase().includes(hint)`
// would say for each, found in one pass over the text: an Aho-Corasick automaton over ASCII that
// reads capitals as small letters. The secret gate asks this of every line it keeps: lowering the
// line, running one expression of the hints over it and searching each longer hint cost 11 µs of
// CPU per aaa-only line, this pass under 1 µs (the gate as a whole 11 → 4 µs; shared machine).
// Written here rather than taken from npm: what is needed is only which hints occur, capitals read
// as small letters without lowering a copy of the line, in ~120 lines.

/** The indexes of the hints a text holds, each once, in the order first found; `undefined` when it holds none (most lines). */
export type HintScan = (text: string) => number[] | undefined;

const ASCII = 128;
/** What `toLowerCase` makes of the only characters past ASCII that it lowers to ASCII. */
const DOTTED_CAPITAL_I = 0x130; // İ → i + U+0307 (combining dot, no ASCII)
const KELVIN = 0x212a; // K → k

export function hintScanner(hints: readonly string[]): HintScan {
  for (const h of hints) {
    if (!/^[\x00-\x40\x5b-\x7f]+$/.test(h)) throw new Error(`secret hint ${JSON.stringify(h)}: hints are lower-case ASCII`);
  }
  // The trie of the hints, then each state's moves completed along its failure link (breadth first).
  const next: number[][] = [new Array<number>(ASCII).fill(-1)];
  const ends: number[][] = [[]];
  hints.forEach((h, k) => {
    let s = 0;
    for (let i = 0; i < h.length; i++) {
      const c = h.charCodeAt(i);
      if (next[s]![c]! < 0) {
        next[s]![c] = next.length;
        next.push(new Array<number>(ASCII).fill(-1));
        ends.push([]);
      }
      s = next[s]![c]!;
    }
    ends[s]!.push(k);
  });
  const fail = new Array<number>(next.length).fill(0);
  const queue: number[] = [];
  for (let c = 0; c < ASCII; c++) {
    const t = next[0]![c]!;
    if (t < 0) next[0]![c] = 0;
    else queue.push(t);
  }
  for (let q = 0; q < queue.length; q++) {
    const s = queue[q]!;
    ends[s]!.push(...ends[fail[s]!]!);
    for (let c = 0; c < ASCII; c++) {
      const t = next[s]![c]!;
      if (t < 0) next[s]![c] = next[fail[s]!]![c]!;
      else {
        fail[t] = next[fail[s]!]![c]!;
        queue.push(t);
      }
    }
  }
  // Capitals move as their small letters do: the text is read as lowered without lowering it.
  for (const row of next) for (let c = 65; c <= 90; c++) row[c] = row[c + 32]!;
  // A row per state, indexed by the character itself: looking up a class first doubled the cost (no
  // more than a few hundred states, 256 bytes each).
  const move = next.length < 65536 ? Uint16Array.from(next.flat()) : Int32Array.from(next.flat());
  const accepts = Uint8Array.from(ends, (e) => (e.length > 0 ? 1 : 0));
  const endsFrom = new Int32Array(ends.length + 1);
  ends.forEach((e, s) => (endsFrom[s + 1] = endsFrom[s]! + e.length));
  const endsAll = Int32Array.from(ends.flat());

  // Which hints this scan found already, and in which order: one table and one list for every
  // scan, cleared after each (a table of every hint made per line was ~0.45 µs: a typed array past
  // 64 bytes is allocated outside the heap).
  const seen = new Uint8Array(hints.length);
  const hits: number[] = [];
  const note = (s: number): void => {
    for (let e = endsFrom[s]!; e < endsFrom[s + 1]!; e++) {
      const h = endsAll[e]!;
      if (seen[h] === 1) continue;
      seen[h] = 1;
      hits.push(h);
    }
  };
  /** The state after a character past ASCII: only two lower to ASCII letters. */
  const wide = (s: number, c: number): number => {
    if (c === KELVIN) return move[(s << 7) | 107]!;
    // The lowered text has a combining dot after this `i`, which ends any hint running through it.
    if (c === DOTTED_CAPITAL_I) {
      const t = move[(s << 7) | 105]!;
      if (accepts[t] === 1) note(t);
    }
    return 0;
  };
  const longest = Math.max(...hints.map((h) => h.length));

  return (text) => {
    // A long text is read as two halves side by side, the first reading on past the middle by a
    // hint's length less one, so a hint across the middle is found in it: each step waits for the
    // one before it in its half only, and the two halves' steps overlap (ISE accounting lines are
    // ~1,100 characters).
    const n = text.length;
    const mid = n >= 256 ? n >> 1 : n;
    const endA = Math.min(n, mid + longest - 1);
    let a = 0;
    let b = 0;
    let i = 0;
    let j = mid;
    for (; i < endA && j < n; i++, j++) {
      const c = text.charCodeAt(i);
      const d = text.charCodeAt(j);
      a = c < ASCII ? move[(a << 7) | c]! : wide(a, c);
      b = d < ASCII ? move[(b << 7) | d]! : wide(b, d);
      if (accepts[a] === 1) note(a);
      if (accepts[b] === 1) note(b);
    }
    for (; i < endA; i++) {
      const c = text.charCodeAt(i);
      a = c < ASCII ? move[(a << 7) | c]! : wide(a, c);
      if (accepts[a] === 1) note(a);
    }
    for (; j < n; j++) {
      const d = text.charCodeAt(j);
      b = d < ASCII ? move[(b << 7) | d]! : wide(b, d);
      if (accepts[b] === 1) note(b);
    }
    if (hits.length === 0) return undefined;
    const found = hits.slice();
    for (const h of found) seen[h] = 0;
    hits.length = 0;
    return found;
  };
}
