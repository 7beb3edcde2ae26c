// Retention: records older than the configured number of days are removed from the front of
// the chain, and the anchor keeps the hash the first remaining row follows, so `verify` still
// proves the rest intact.

import type { Db } from './db.js';

export interface RetentionResult {
  events: number;
  messages: number;
}

export function applyRetention(db: Db, days: number, now = Date.now()): RetentionResult {
  const cutoff = now - days * 86_400_000;
  return db.transaction((): RetentionResult => {
    // Ids follow arrival order, so "received before the cutoff" is a prefix of the chain.
    const last = db
      .prepare(
        `SELECT e.id, e.hash FROM events e JOIN messages m ON m.id = e.message_id
          WHERE m.received_at < ? ORDER BY e.id DESC LIMIT 1`,
      )
      .get(cutoff) as { id: number; hash: Buffer } | undefined;
    let events = 0;
    if (last) {
      events = db.prepare('DELETE FROM events WHERE id <= ?').run(last.id).changes;
      db.prepare(
        `INSERT INTO chain_anchor (id, before_id, hash, removed_at) VALUES (1, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET before_id = excluded.before_id, hash = excluded.hash, removed_at = excluded.removed_at`,
      ).run(last.id + 1, last.hash, now);
    }
    const messages = db
      .prepare('DELETE FROM messages WHERE received_at < ? AND id NOT IN (SELECT message_id FROM events WHERE message_id IS NOT NULL)')
      .run(cutoff).changes;
    db.prepare('DELETE FROM traffic WHERE hour < ?').run(Math.floor(cutoff / 3_600_000));
    db.prepare('DELETE FROM rejects WHERE received_at < ?').run(cutoff);
    return { events, messages };
  })();
}
