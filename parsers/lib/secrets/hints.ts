// Which of a set of hints (lower-case ASCII words) a text holds, as `text.toLowerCase().includes(hint)`
// would say for each, found in one pass over the text: an Aho-Corasick automaton over ASCII that
// reads capitals as small letters. The secret gate asks this of every line it keeps: lowering the
// line, running one expression of the hints over it and searching each longer hint cost 11 µs of
// CPU per aaa-only line, this pass under 1 µs (the gate as a whole 11 → 4 µs; shared machine).
// Written here rather than taken from npm: what is needed is only which hints occur, capitals read
// as small letters without lowering a copy of the line, in 80 lines.

/** Every hint a text holds, by index; `undefined` when it holds none (most lines). */
export type HintScan = (text: string) => Uint8Array | undefined;

const ASCII = 128;
/** What `toLowerCase` makes of the only characters past ASCII that it lowers to ASCII. */
const DOTTED_CAPITAL_I = 0x130; // İ → i + U+0307 (combining dot, no ASCII)
const KELVIN = 0x212a; // K → k

export function hintScanner(hints: readonly string[]): HintScan {
  checkHints(hints);
  const { move, accepts, endsFrom, endsAll } = build(hints);

  return (text) => {
    let found: Uint8Array | undefined;
    let s = 0;
    // After an İ: the lowered text has a combining dot after its `i`, which ends any hint running through it.
    let dot = false;
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      if (c >= ASCII) {
        if (c === KELVIN) c = 107;
        else if (c === DOTTED_CAPITAL_I) {
          c = 105;
          dot = true;
        } else {
          s = 0;
          continue;
        }
      }
      s = move[(s << 7) | c]!;
      if (accepts[s] === 1) {
        found ??= new Uint8Array(hints.length);
        for (let e = endsFrom[s]!; e < endsFrom[s + 1]!; e++) found[endsAll[e]!] = 1;
      }
      if (dot) {
        s = 0;
        dot = false;
      }
    }
    return found;
  };
}

/** Throws unless every hint is lower-case ASCII (what the automaton reads). */
export function checkHints(hints: readonly string[]): void {
  for (const h of hints) {
    if (!/^[\x00-\x40\x5b-\x7f]*$/.test(h)) throw new Error(`secret hint ${JSON.stringify(h)}: hints are lower-case ASCII`);
  }
}

interface Automaton {
  /** A row of 128 moves per state, indexed by the character itself: looking up a class first doubled
   * the scan's cost (no more than a few thousand states, 256 bytes each). */
  move: Uint16Array | Int32Array;
  /** 1 where a state ends at least one hint. */
  accepts: Uint8Array;
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
  const used = next.subarray(0, states * ASCII);
  const endsFrom = new Int32Array(states + 1);
  ends.forEach((e, s) => (endsFrom[s + 1] = endsFrom[s]! + e.length));
  return {
    move: states < 65536 ? new Uint16Array(used) : used.slice(),
    accepts: Uint8Array.from(ends, (e) => (e.length > 0 ? 1 : 0)),
    endsFrom,
    endsAll: Int32Array.from(ends.flat()),
  };
}
