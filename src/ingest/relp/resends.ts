// Recognising what a RELP sender sends again. A `syslog` command is answered after its commit, so a
// crash (or a broken connection) between the commit and the answer leaves the sender holding a
// message that is already stored, and it sends it again on its next session: librelp resends every
// unanswered frame first (with new TXNRs, so nothing but the bytes says which ones they are), and
// rsyslog's action may send again a message it had held while it could not connect (seen with
// rsyslog 8.2302 in the kill -9 test: the first line of the stream, the first frame of the first
// session and answered thousands of frames before, sent again after the next reconnect). So each
// session's first FIRST_KEPT and last `window` committed frames are remembered (a digest per frame,
// persisted in the same transaction as the frames, so a kill -9 cannot separate them); when a session from the same address ends without a RELP `close` (which a client sends only
// holding every answer), a frame a later session from that address sends that is byte for byte one
// of those is a resend: answered, not stored again. Each remembered frame is taken once, and for
// `seconds` after the sender came back.
//
// What it costs: a line sent again by the device itself, byte for byte (stamp included), right after
// a collector crash or broken connection, within the last window of the broken session, is taken
// for a resend and stored once. Frames within one session are never compared.

import { createHash, randomUUID } from 'node:crypto';

/** A frame's identity: SHA-256 of its DATA, 22 base64url characters (132 bits) kept. */
export function frameDigest(data: Buffer): string {
  return createHash('sha256').update(data).digest('base64url').slice(0, 22);
}

/** A session's first frames, always remembered: where rsyslog puts the message it held while it could not connect. */
export const FIRST_KEPT = 16;

/** What is persisted with each batch (see src/store/batch.ts). */
export interface ResendStore {
  /** A frame of `session` handed to the writer: stored with it in the same transaction. */
  frame(session: string, source: string, seq: number, digest: string): void;
  /** These sessions' frames need not be remembered any more (closed cleanly, or resent). */
  forget(sessions: string[]): void;
}

/** A session's remembered frames, as loaded at start (what the previous process left). */
export interface RememberedSession {
  session: string;
  source: string;
  /** Oldest first. */
  digests: string[];
}

interface Tail {
  id: string;
  source: string;
  /** Digests of committed frames, oldest first: the first FIRST_KEPT, then the last `window` (trimmed in steps). */
  digests: string[];
  /** Frames handed to the writer whose commit has not settled. */
  inflight: number;
  settled: Array<() => void>;
  open: boolean;
  /** Once ended: its digests not yet taken by a resend, and when a later session from its address first looked. */
  unclaimed?: Map<string, number>;
  since?: number;
}

/** One session's view: which of its frames are resends, and what it committed. */
export interface SessionResends {
  /** Resolves once every earlier session from this address has settled its commits (answer `open` then). */
  ready(): Promise<void>;
  /** Whether this frame repeats an earlier session's committed frame (then it is answered, not stored). */
  check(data: Buffer): boolean;
  /** The frame goes to the writer now: call `committed` or `failed` once its commit settles. */
  handing(data: Buffer): { committed(): void; failed(): void };
  end(clean: boolean): void;
}

export interface ResendOptions {
  /** Committed frames remembered per session: at least the sender's window (librelp: 128). */
  window: number;
  /** Unfinished sessions remembered per address, newest kept. */
  perSource: number;
  /** How long after the sender comes back a remembered frame can still be a resend. */
  seconds: number;
}

export class ResendLedger {
  private readonly tails = new Map<string, Tail>();

  constructor(
    private readonly store: ResendStore | undefined,
    private readonly opts: ResendOptions,
    remembered: readonly RememberedSession[] = [],
    private readonly now: () => number = Date.now,
  ) {
    for (const r of remembered) {
      this.tails.set(r.session, { id: r.session, source: r.source, digests: r.digests, inflight: 0, settled: [], open: false });
      this.trim(r.source);
    }
  }

  /** Unfinished sessions remembered (for tests and stats). */
  get remembered(): number {
    let n = 0;
    for (const t of this.tails.values()) if (!t.open) n++;
    return n;
  }

  begin(source: string): SessionResends {
    const own: Tail = { id: randomUUID(), source, digests: [], inflight: 0, settled: [], open: true };
    let seq = 0;
    this.tails.set(own.id, own);
    const earlier = (): Tail[] => [...this.tails.values()].filter((t) => t !== own && t.source === source && !t.open);
    const remember = (d: string): void => {
      own.digests.push(d);
      if (own.digests.length >= FIRST_KEPT + 2 * this.opts.window) own.digests.splice(FIRST_KEPT, own.digests.length - FIRST_KEPT - this.opts.window);
    };

    return {
      ready: () => {
        const waiting = earlier().filter((t) => t.inflight > 0);
        return Promise.all(waiting.map((t) => new Promise<void>((resolve) => t.settled.push(resolve)))).then(() => {});
      },
      check: (data) => {
        const candidates = earlier();
        if (candidates.length === 0) return false;
        const now = this.now();
        for (const t of candidates) {
          if (t.unclaimed) continue;
          // First looked at now, once its commits have settled (the new session's open waited for them).
          t.since = now;
          t.unclaimed = new Map();
          for (const d of t.digests) t.unclaimed.set(d, (t.unclaimed.get(d) ?? 0) + 1);
        }
        const expired = candidates.filter((t) => now - t.since! > this.opts.seconds * 1000);
        this.drop(expired);
        const d = frameDigest(data);
        for (const t of candidates) {
          const n = t.unclaimed!.get(d);
          if (!n || expired.includes(t)) continue;
          if (n === 1) t.unclaimed!.delete(d);
          else t.unclaimed!.set(d, n - 1);
          // Stored already; remembered as this session's, should its answer be lost too.
          this.store?.frame(own.id, source, ++seq, d);
          remember(d);
          return true;
        }
        return false;
      },
      handing: (data) => {
        const d = frameDigest(data);
        this.store?.frame(own.id, source, ++seq, d);
        own.inflight++;
        const settle = (): void => {
          own.inflight--;
          if (own.inflight === 0) for (const f of own.settled.splice(0)) f();
        };
        return {
          committed: () => {
            remember(d);
            settle();
          },
          failed: settle,
        };
      },
      end: (clean) => {
        own.open = false;
        if (clean || own.digests.length + own.inflight === 0) this.drop([own]);
        else this.trim(source);
      },
    };
  }
  private drop(tails: Tail[]): void {
    if (tails.length === 0) return;
    for (const t of tails) this.tails.delete(t.id);
    this.store?.forget(tails.map((t) => t.id));
  }

  /** Keep the newest `perSource` unfinished sessions of an address. */
  private trim(source: string): void {
    const ended = [...this.tails.values()].filter((t) => t.source === source && !t.open);
    if (ended.length > this.opts.perSource) this.drop(ended.slice(0, ended.length - this.opts.perSource));
  }
}
