// Which platforms a message is worth offering to, from the prefixes each declares (`Platform.offer`):
// an index built once, by first character, so a message costs a few character comparisons instead
// of a call into every platform. Chatter no platform declares (links, flows, cron) reaches none.
// A platform that declares nothing is offered everything.

import type { Platform, SyslogMessage } from '../types.js';

/** Prefixes grouped by their first character, each with the platform (bit index) it selects. */
interface Entry {
  prefix: string;
  word: number;
  bit: number;
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
    bucket.push({ prefix, word: k >> 5, bit: 1 << (k & 31) });
  }

  /** Sets the bit of every platform one of whose prefixes starts `text`. */
  select(text: string, into: Int32Array): void {
    const c = text.charCodeAt(0);
    // Most messages open with an ASCII character: an array read, no hashing.
    const bucket = c < 128 ? this.ascii[c] : this.other.size === 0 ? undefined : this.other.get(c);
    if (bucket === undefined) return;
    for (let i = 0; i < bucket.length; i++) {
      const e = bucket[i]!;
      if (text.startsWith(e.prefix)) into[e.word]! |= e.bit;
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
