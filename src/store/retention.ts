// Retention: records older than the configured number of days are removed from the front of
// the chain, and the anchor keeps the hash the first remaining row follows, so `verify` still
// proves the rest intact. Messages kept whole, traffic hours, rejected input and native senders'
// rows last heard before the cutoff go too, and unverified senders' rows past their bound.

import type { Db } from './db.js';
import { forgetEntries } from './index-moves.js';

export interface RetentionResult {
  events: number;
  messages: number;
  /** Native senders' rows removed: last heard before the cutoff, or unverified past UNVERIFIED_SENDER_ROWS. */
  senders: number;
}

/**
 * Native senders' rows kept that nothing verified (no request accepted, named or refused: a wrong
 * key, packets that did not read), the latest heard. The writer gives at most
 * MAX_UNVERIFIED_SENDERS (1,024) such senders a row in one process, so forged datagrams from a
 * subnet given a RADIUS secret add that many at each start; here the table keeps ten starts' worth.
 */
export const UNVERIFIED_SENDER_ROWS = 10_240;

/** A native sender's row that nothing verified (see UNVERIFIED_SENDER_ROWS). */
export const UNVERIFIED = 'accepted = 0 AND named = 0 AND refused = 0';

/** Rows removed per transaction: the ingest store thread waits for each, so each stays short. */
const CHUNK = 5000;

export function applyRetention(db: Db, days: number, now = Date.now()): RetentionResult {
  const cutoff = now - days * 86_400_000;
  const result: RetentionResult = { events: 0, messages: 0, senders: 0 };
  // Ids follow arrival order, so "received before the cutoff" is a prefix of the chain: remove it
  // from the front, a chunk at a time, moving the anchor with each chunk.
  const oldest = db.prepare(
    'SELECT id, hash FROM events WHERE received_at < ? AND id <= (SELECT min(id) + ? FROM events) ORDER BY id DESC LIMIT 1',
  );
  const removeEvents = db.transaction((last: { id: number; hash: Buffer }): number => {
    forgetEntries(db, 0, last.id);
    const n = db.prepare('DELETE FROM events WHERE id <= ?').run(last.id).changes;
    db.prepare(
      `INSERT INTO chain_anchor (id, before_id, hash, removed_at) VALUES (1, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET before_id = excluded.before_id, hash = excluded.hash, removed_at = excluded.removed_at`,
    ).run(last.id + 1, last.hash, now);
    return n;
  });
  for (;;) {
    const last = oldest.get(cutoff, CHUNK - 1) as { id: number; hash: Buffer } | undefined;
    if (!last) break;
    result.events += removeEvents(last);
  }
  // Messages kept whole (store.storeAllMessages) stand alone: the old ones go, a chunk at a time.
  const removeMessages = db.prepare(
    'DELETE FROM messages WHERE id IN (SELECT id FROM messages WHERE received_at < ? ORDER BY id LIMIT ?)',
  );
  for (let n = -1; n !== 0; ) {
    n = removeMessages.run(cutoff, CHUNK).changes;
    result.messages += n;
  }
  db.prepare('DELETE FROM traffic WHERE hour < ?').run(Math.floor(cutoff / 3_600_000));
  db.prepare('DELETE FROM rejects WHERE received_at < ?').run(cutoff);
  result.senders += db.prepare('DELETE FROM native_senders WHERE last_seen < ?').run(cutoff).changes;
  result.senders += db
    .prepare(
      `DELETE FROM native_senders WHERE ${UNVERIFIED} AND (transport, source, device) NOT IN (
         SELECT transport, source, device FROM native_senders WHERE ${UNVERIFIED} ORDER BY last_seen DESC LIMIT ?)`,
    )
    .run(UNVERIFIED_SENDER_ROWS).changes;
  return result;
}
