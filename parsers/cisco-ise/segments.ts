// Cisco ISE splits a long syslog message into numbered segments that share one message id:
// `CISE_Passed_Authentications 0001514749 7 0 2025-01-09 09:28:49.914 +01:00 …`, then
// `… 0001514749 7 1  SelectedAuthenticationIdentityStores=…` up to segment 6. Segments after the
// first carry no stamp; each ends on a field boundary (`…,`). This puts them back together.
//
// Everything here is bounded: pending groups are capped and aged out, and a group given up is
// reported, with the text of the segments that did arrive, so the loss is counted (against the
// NAS, when those segments name it) rather than silent.

export interface Segment {
  category: string;
  id: string;
  total: number;
  seq: number;
  text: string;
}

const HEAD = /^(\d{1,12}) (\d{1,4}) (\d{1,4})(?: |$)/;

/** The segment header after the category: id, total, sequence number, then the text. */
export function readSegment(category: string, rest: string): Segment | undefined {
  const m = HEAD.exec(rest);
  if (!m) return undefined;
  return { category, id: m[1]!, total: Number(m[2]), seq: Number(m[3]), text: rest.slice(m[0].length).trim() };
}

export interface Limits {
  /** Groups waiting for segments at once; the oldest is given up beyond this. */
  groups: number;
  /** A group older than this (by receive time) is given up: ISE sends all segments at once. */
  ageMs: number;
  /** Segments per message: ISE's largest messages have about a dozen. */
  segments: number;
  /** Characters per reassembled message. */
  chars: number;
}

export const DEFAULT_LIMITS: Limits = { groups: 1024, ageMs: 60_000, segments: 64, chars: 65_536 };

/** Told of a message given up: its category and the text of the segments that arrived. */
export type Abandoned = (category: string, text: string) => void;

interface Pending {
  category: string;
  parts: (string | undefined)[];
  got: number;
  chars: number;
  firstAt: number;
}

// ISE writes the reply it sent (`Response={…}`) as the last field of a message.
const ENDS_WITH_RESPONSE = /Response=\{[^{}]*\},?$/;

export class Reassembler {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly limits: Limits = DEFAULT_LIMITS) {}

  get size(): number {
    return this.pending.size;
  }

  /**
   * The whole message text once `seg` completes it, else undefined. `abandoned(category, text)` is
   * called for every group given up (aged out, evicted, superseded, oversized or malformed), with
   * the text of the segments received (bounded by the size limit).
   */
  add(key: string, seg: Segment, now: number, abandoned: Abandoned): string | undefined {
    this.expire(now, abandoned);
    if (seg.total <= 1) return seg.text;
    if (seg.seq >= seg.total || seg.total > this.limits.segments) {
      abandoned(seg.category, seg.text.slice(0, this.limits.chars));
      return undefined;
    }
    let p = this.pending.get(key);
    if (p && (p.parts.length !== seg.total || p.parts[seg.seq] !== undefined)) {
      // A repeated segment means the id was reused: the earlier message will never complete.
      this.drop(key, p, abandoned);
      p = undefined;
    }
    // Some relays and archives (Elastic's fixtures among them) deliver the whole record as segment
    // 0 while its header still counts the original segments: the closing `Response={…}` shows it.
    if (!p && seg.seq === 0 && ENDS_WITH_RESPONSE.test(seg.text)) return seg.text;
    if (!p) {
      if (this.pending.size >= this.limits.groups) this.evictOldest(abandoned);
      p = { category: seg.category, parts: new Array<string | undefined>(seg.total), got: 0, chars: 0, firstAt: now };
      this.pending.set(key, p);
    }
    p.parts[seg.seq] = seg.text;
    p.got++;
    p.chars += seg.text.length;
    if (p.chars > this.limits.chars) {
      this.drop(key, p, abandoned);
      return undefined;
    }
    if (p.got < seg.total) return undefined;
    this.pending.delete(key);
    return p.parts.join(' ');
  }

  private drop(key: string, p: Pending, abandoned: Abandoned): void {
    this.pending.delete(key);
    abandoned(p.category, p.parts.filter((x) => x !== undefined).join(' ').slice(0, this.limits.chars));
  }

  private evictOldest(abandoned: Abandoned): void {
    for (const [key, p] of this.pending) {
      this.drop(key, p, abandoned);
      return;
    }
  }

  /** Groups are kept in arrival order, so the expired ones are at the front. */
  private expire(now: number, abandoned: Abandoned): void {
    for (const [key, p] of this.pending) {
      if (now - p.firstAt <= this.limits.ageMs) return;
      this.drop(key, p, abandoned);
    }
  }
}
