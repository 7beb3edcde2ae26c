// The unmoved tail of account records (events_target_tail: those past the last move into
// events_by_target, src/store/index-moves.ts), known to the reconcile connection between its
// reads. The tail has no index by account, so the view is one scan of every unmoved account
// record (~1.9 µs each: each is a lookup of its events row), and account-created scanned it once
// a creation write (run.ts named) and once a held-check step (store.ts heldHistory): with ~4,300
// tail account records, 8 ms a scan. Here each record of the tail is read once, as it arrives, and
// only its place (id, device, account) is kept: the records a caller needs are read again by id,
// so what it gets is the stored row as it is now (purge-secret may rewrite a record's text).

import { Buffer } from 'node:buffer';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/db.js';
import { MOVE_EVERY } from '../store/index-moves.js';
import { loginKey } from './model.js';

interface MoveState {
  moved: number;
  upto: number;
  key: string;
}

/**
 * Unmoved account records held at most: a move starts at MOVE_EVERY unmoved records, so a tail
 * past twice that means moves are not running (a full disk); the view is read instead, as before.
 */
export const TAIL_HELD = 2 * MOVE_EVERY;

export class AccountTail {
  /** The tail's records by account (loginKey), their ids ascending. */
  private byAccount = new Map<string, number[]>();
  /** The device of each account held (the move's key is the device). */
  private readonly devices = new Map<string, string>();
  private held = 0;
  /** The last id read; the records after it are not known yet. */
  private through = 0;
  /** The move position the held records were read against. */
  private moved = 0;
  /** The move position at which the tail was found past `max`: the view is read until a move. */
  private overflowAt: number | undefined;
  private readonly state: Statement;
  private readonly after: Statement;
  private readonly view: Statement;

  constructor(
    db: Db,
    private readonly max = TAIL_HELD,
  ) {
    this.state = db.prepare(`SELECT moved, upto, key FROM index_moves WHERE name = 'target'`);
    this.after = db.prepare(`SELECT id, device, target FROM events INDEXED BY events_accounts WHERE kind = 'account' AND id > ? AND target IS NOT NULL ORDER BY id LIMIT ?`).raw();
    this.view = db.prepare('SELECT id, device, target FROM events_target_tail').raw();
  }

  /**
   * The ids of the tail's records of `accounts` (loginKey), ascending, as events_target_tail shows
   * them now: the move position is read before the records past the last read, so a record moved
   * meanwhile is in the table and may be here too (callers keep one of each id), never in neither.
   */
  idsOf(accounts: Iterable<string>): number[] {
    const s = this.state.get() as MoveState;
    if (s.moved > this.moved) this.dropMoved(s.moved);
    if (this.overflowAt === s.moved) return this.fromView(accounts);
    const room = this.max - this.held;
    const fresh = this.after.all(this.through, room + 1) as Array<[number, string, string]>;
    if (fresh.length > room) {
      this.overflowAt = s.moved;
      return this.fromView(accounts);
    }
    for (const [id, device, target] of fresh) {
      const key = loginKey(device, target);
      const ids = this.byAccount.get(key);
      if (ids) ids.push(id);
      else {
        this.byAccount.set(key, [id]);
        this.devices.set(key, device);
      }
    }
    this.held += fresh.length;
    if (fresh.length) this.through = fresh[fresh.length - 1]![0];
    const out: number[] = [];
    for (const key of new Set(accounts)) {
      const ids = this.byAccount.get(key);
      if (!ids) continue;
      // A move begun by an older version in key ranges: its records below the key are in the table already (the view's condition).
      if (s.key !== '' && Buffer.compare(Buffer.from(this.devices.get(key)!), Buffer.from(s.key)) < 0) out.push(...ids.filter((id) => id > s.upto));
      else out.push(...ids);
    }
    return out.sort((a, b) => a - b);
  }

  /** Forget the records a move has put in the table (ids up to `moved`). */
  private dropMoved(moved: number): void {
    this.moved = moved;
    this.through = Math.max(this.through, moved);
    for (const [key, ids] of this.byAccount) {
      const kept = ids.filter((id) => id > moved);
      this.held -= ids.length - kept.length;
      if (kept.length) this.byAccount.set(key, kept);
      else {
        this.byAccount.delete(key);
        this.devices.delete(key);
      }
    }
  }

  /** A tail past `max`: nothing held, the view read (one scan) for this call. */
  private fromView(accounts: Iterable<string>): number[] {
    this.byAccount = new Map();
    this.devices.clear();
    this.held = 0;
    this.through = this.moved;
    const wanted = new Set(accounts);
    return (this.view.all() as Array<[number, string, string]>).filter(([, device, target]) => wanted.has(loginKey(device, target))).map(([id]) => id);
  }
}
