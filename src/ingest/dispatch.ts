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

/** True when `text` starts with `prefix`, whose first character is already known to match. */
function restMatches(text: string, prefix: string): boolean {
  const n = prefix.length;
  if (text.length < n) return false;
  for (let k = 1; k < n; k++) if (text.charCodeAt(k) !== prefix.charCodeAt(k)) return false;
  return true;
}

class PrefixIndex {
  private readonly ascii: Array<Entry[] | undefined> = new Array<Entry[] | undefined>(128).fill(undefined);
  private readonly other = new Map<number, Entry[]>();

  add(prefix: string, k: number): void {
    if (prefix.length === 0) throw new Error(`platform offer: an empty prefix offers every message (declare no offer instead)`);
    const c = prefix.charCodeAt(0);
    let bucket = c < 128 ? this.ascii[c] : this.other.get(c);
    if (!bucket) {
      bucket = [];
      if (c < 128) this.ascii[c] = bucket;
      else this.other.set(c, bucket);
    }
    const word = k >> 5;
    const same = bucket.find((e) => e.prefix === prefix && e.word === word);
    if (same) same.bits |= 1 << (k & 31);
    else bucket.push({ prefix, word, bits: 1 << (k & 31) });
  }

  /**
   * Sets the bit of every platform one of whose prefixes starts `text`. The rest of each prefix is
   * compared here, character by character, not with `startsWith` (a builtin call for each prefix of
   * the bucket, `A` alone holding eight tags): the index was 6% of bench:parse's CPU with startsWith
   * (profile without inlining, 2026-12-03).
   */
  select(text: string, into: Int32Array): void {
    const c = text.charCodeAt(0);
    // Most messages open with an ASCII character: an array read, no hashing.
    const bucket = c < 128 ? this.ascii[c] : this.other.size === 0 ? undefined : this.other.get(c);
    if (bucket === undefined) return;
    for (let i = 0; i < bucket.length; i++) {
      const e = bucket[i]!;
      if (restMatches(text, e.prefix)) into[e.word]! |= e.bits;
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
