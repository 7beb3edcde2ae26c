// Recognising what a RELP sender sends again. A `syslog` command is answered after its commit, so a
// crash (or a broken connection) between the commit and the answer leaves the sender holding a
// message that is already stored; librelp sends every unanswered frame again, in order and before
// anything new, at the start of its next session (with new TXNRs, so nothing but the bytes says
// which ones they are). Each session's last `window` committed frames are remembered (a digest per
// frame, persisted in the same transaction as the frames, so a kill -9 cannot separate them); a new
// session from the same address whose first frames repeat, in order, a run of an unfinished
// session's frames is resending them: they are answered, not stored again. Matching stops at the
// first frame that does not continue the run.
//
// What it costs: a sender that, right after a crash or broken connection, sends byte for byte the
// same lines it had just sent (stamp included) has those taken for resends. rsyslog's forwarding
// templates carry the message's stamp; a device sending identical lines within one second across a
// collector crash is the case in which one of them is not stored twice but once.

import { createHash, randomUUID } from 'node:crypto';

/** A frame's identity: SHA-256 of its DATA, 22 base64url characters (132 bits) kept. */
export function frameDigest(data: Buffer): string {
  return createHash('sha256').update(data).digest('base64url').slice(0, 22);
}

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
  /** Digests of committed frames, oldest first (at most `window`, trimmed in steps). */
  digests: string[];
  /** Frames handed to the writer whose commit has not settled. */
  inflight: number;
  settled: Array<() => void>;
  open: boolean;
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
}

export class ResendLedger {
  private readonly tails = new Map<string, Tail>();

  constructor(
    private readonly store: ResendStore | undefined,
    private readonly opts: ResendOptions,
    remembered: readonly RememberedSession[] = [],
  ) {
    for (const r of remembered) {
      this.tails.set(r.session, { id: r.session, source: r.source, digests: r.digests.slice(-opts.window), inflight: 0, settled: [], open: false });
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
    this.tails.set(own.id, own);
    let seq = 0;
    /** Runs still matching: a tail and the position the next frame must equal; undefined before the first frame. */
    let runs: Array<{ tail: Tail; at: number }> | undefined;
    let matching = true;
    const earlier = (): Tail[] => [...this.tails.values()].filter((t) => t !== own && t.source === source && !t.open);

    const stopMatching = (): void => {
      matching = false;
      // A tail a run started in was this sender's: what it did not resend it had been answered for.
      const used = new Set((runs ?? []).map((r) => r.tail));
      for (const r of startedIn) used.add(r);
      this.drop([...used]);
      runs = [];
    };
    const startedIn = new Set<Tail>();

    return {
      ready: () => {
        const waiting = earlier().filter((t) => t.inflight > 0);
        return Promise.all(waiting.map((t) => new Promise<void>((resolve) => t.settled.push(resolve)))).then(() => {});
      },
      check: (data) => {
        if (!matching) return false;
        const d = frameDigest(data);
        if (runs === undefined) {
          runs = [];
          for (const t of earlier()) {
            t.digests.forEach((x, i) => {
              if (x === d) runs!.push({ tail: t, at: i + 1 });
            });
          }
          for (const r of runs) startedIn.add(r.tail);
        } else {
          runs = runs.filter((r) => r.at < r.tail.digests.length && r.tail.digests[r.at] === d);
          for (const r of runs) r.at++;
        }
        if (runs.length === 0) {
          stopMatching();
          return false;
        }
        return true;
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
            own.digests.push(d);
            if (own.digests.length >= 2 * this.opts.window) own.digests.splice(0, own.digests.length - this.opts.window);
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
