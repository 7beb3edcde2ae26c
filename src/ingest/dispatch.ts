// Which platforms a message is worth offering to, from the prefixes each declares (`Platform.offer`):
// an index built once, by first character, so a message costs a few character comparisons instead
// of a call into every platform. Chatter no platform declares (links, flows, cron) reaches none.
// A platform that declares nothing is offered everything.

import type { Platform, SyslogMessage } from '../types.js';

/** A prefix and the platforms (bits of one word) it selects; platforms declaring the same prefix share one entry. */
interface Entry {
  prefix: string;
  word: number;
  bits: number;
}

/** True when `text` starts with `prefix`, whose first `from` characters are already known to match. */
function restMatches(text: string, prefix: string, from: number): boolean {
  const n = prefix.length;
  if (text.length < n) return false;
  for (let k = from; k < n; k++) if (text.charCodeAt(k) !== prefix.charCodeAt(k)) return false;
  return true;
}

function addTo(bucket: Entry[], prefix: string, k: number): void {
  const word = k >> 5;
  const same = bucket.find((e) => e.prefix === prefix && e.word === word);
  if (same) same.bits |= 1 << (k & 31);
  else bucket.push({ prefix, word, bits: 1 << (k & 31) });
}

/**
 * Prefixes indexed by their first two characters (one-character prefixes by their one), so a
 * message meets only the prefixes that share its start, compared character by character from the
 * third: with startsWith over a first-character bucket (`A` alone holds eight tags), the index was
 * 6% of bench:parse's CPU (profile without inlining, 2026-12-03). Prefixes starting past ASCII
 * are few (none among the platforms): kept by first character.
 */
class PrefixIndex {
  private readonly one: Array<Entry[] | undefined> = new Array<Entry[] | undefined>(128).fill(undefined);
  private readonly two: Array<Entry[] | undefined> = new Array<Entry[] | undefined>(128 * 128).fill(undefined);
  private readonly other = new Map<number, Entry[]>();

  add(prefix: string, k: number): void {
    if (prefix.length === 0) throw new Error(`platform offer: an empty prefix offers every message (declare no offer instead)`);
    const c0 = prefix.charCodeAt(0);
    const c1 = prefix.length > 1 ? prefix.charCodeAt(1) : -1;
    let bucket: Entry[] | undefined;
    if (c0 < 128 && c1 < 0) bucket = this.one[c0] ??= [];
    else if (c0 < 128 && c1 < 128) bucket = this.two[(c0 << 7) | c1] ??= [];
    else {
      bucket = this.other.get(c0);
      if (bucket === undefined) this.other.set(c0, (bucket = []));
    }
    addTo(bucket, prefix, k);
  }

  /** Sets the bit of every platform one of whose prefixes starts `text`. */
  select(text: string, into: Int32Array): void {
    const c0 = text.charCodeAt(0);
    if (c0 < 128) {
      const one = this.one[c0];
      if (one !== undefined) for (let i = 0; i < one.length; i++) into[one[i]!.word]! |= one[i]!.bits;
      // Past the end charCodeAt gives NaN, which no comparison holds for.
      const c1 = text.charCodeAt(1);
      if (c1 < 128) {
        const two = this.two[(c0 << 7) | c1];
        if (two !== undefined) {
          for (let i = 0; i < two.length; i++) {
            const e = two[i]!;
            if (restMatches(text, e.prefix, 2)) into[e.word]! |= e.bits;
          }
        }
      }
    }
    if (this.other.size === 0) return;
    const rest = this.other.get(c0);
    if (rest === undefined) return;
    for (let i = 0; i < rest.length; i++) {
      const e = rest[i]!;
      if (restMatches(text, e.prefix, 1)) into[e.word]! |= e.bits;
    }
  }
}

/**
 * For platforms in this order, a function that marks in a bit set (platform k is bit `k & 31` of
 * word `k >> 5`) those a message is offered to. The set is reused from call to call.
 */
export function createDispatch(platforms: readonly Platform[]): (msg: SyslogMessage) => Int32Array {
  const words = Math.max(1, Math.ceil(platforms.length / 32));
  const always = new Int32Array(words);
  const tags = new PrefixIndex();
  const programs = new PrefixIndex();
  const texts = new PrefixIndex();
  const msgIds = new PrefixIndex();
  platforms.forEach((p, k) => {
    const o = p.offer;
    if (!o) {
      always[k >> 5]! |= 1 << (k & 31);
      return;
    }
    for (const t of o.tags ?? []) tags.add(t, k);
    for (const t of o.programs ?? []) programs.add(t, k);
    for (const t of o.texts ?? []) texts.add(t, k);
    for (const t of o.msgIds ?? []) msgIds.add(t, k);
  });
  const chosen = new Int32Array(words);
  return (msg) => {
    // A copy word by word: TypedArray#set is a builtin call that cost more than the lookups.
    for (let w = 0; w < words; w++) chosen[w] = always[w]!;
    const tag = msg.tag;
    if (tag !== undefined) tags.select(tag, chosen);
    const app = msg.appName;
    if (app !== undefined) programs.select(app, chosen);
    texts.select(msg.message, chosen);
    const id = msg.msgId;
    if (id !== undefined) msgIds.select(id, chosen);
    return chosen;
  };
}
