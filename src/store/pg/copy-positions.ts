// Reconciliation's positions (reconcile_state) as `aaawatch migrate` copies them with the estate.
// A name means one thing on SQLite and another on PostgreSQL, so each is translated for the
// migrated collector rather than copied:
//
//   SQLite                          PostgreSQL (src/store/pg/estate-store.ts, estate-alerts.ts)
//   events.created  last events.id   events.created@<collector>  a place in that collector's chain
//                   account-created                              (seq); events.created itself is the
//                   has judged                                   time account-created started
//   senders.seen    device_senders   senders.seen@<collector>    the same, per collector
//                   last_seen (ms)
//   changes.judged  account_changes  changes.judged              the same ids (copied with them)
//                   id
//   history.alerted finding_history  history.alerted             the same ids (copied with them)
//                   id
//   pulls.vanished  pull_runs id     pulls.vanished              the same ids (copied with them)
//   pulls.seen      pull_runs id     (none: the leader runs when it becomes leader and when the
//                                     latest run it read grows)
//
// Then account-created is started as the leader starts it (startCreationsAt): every chain's
// records stored so far, but those SQLite had not yet judged, raise nothing, and a chain that
// appears later raises from its records received since.

import type pg from 'pg';
import type { Db } from '../db.js';
import { startCreationsAt } from './estate-store.js';

export interface TranslatedPositions {
  /** PostgreSQL's names and values. */
  positions: Record<string, number>;
  /** SQLite names with no PostgreSQL meaning: not copied. */
  left: string[];
}

/**
 * SQLite's positions in PostgreSQL's names for `collector`; `seqOf(id)`: the place in the copied
 * chain of the last record whose SQLite id is at most `id` (0 when none).
 */
export function translatePositions(sqlite: Readonly<Record<string, number>>, collector: string, seqOf: (id: number) => number): TranslatedPositions {
  const positions: Record<string, number> = {};
  const left: string[] = [];
  for (const [name, value] of Object.entries(sqlite)) {
    if (name === 'events.created') positions[`events.created@${collector}`] = seqOf(value);
    else if (name === 'senders.seen') positions[`senders.seen@${collector}`] = value;
    else if (name === 'changes.judged' || name === 'history.alerted' || name === 'pulls.vanished') positions[name] = value;
    else left.push(name);
  }
  return { positions, left: left.sort() };
}

/**
 * Write the store's positions, translated, into the target's reconcile_state (the estate's,
 * emptied before the copy), then start account-created there at `now` unless it was. `head`: the
 * copied chain's last place. Returns the names not copied.
 */
export async function copyPositions(db: Db, client: pg.ClientBase, collector: string, head: number, now: number): Promise<string[]> {
  const rows = db.prepare('SELECT name, value FROM reconcile_state').all() as Array<{ name: string; value: number }>;
  // The copy numbers the chain 1, 2, … in id order: the records after `id` are the chain's last ones.
  const after = db.prepare('SELECT count(*) FROM events WHERE id > ?').pluck();
  const { positions, left } = translatePositions(Object.fromEntries(rows.map((r) => [r.name, r.value])), collector, (id) => head - (after.get(id) as number));
  const names = Object.keys(positions);
  if (names.length) {
    await client.query('INSERT INTO reconcile_state (name, value) SELECT * FROM unnest($1::text[], $2::bigint[])', [names, names.map((n) => positions[n])]);
  }
  await startCreationsAt(client, now);
  return left;
}

/**
 * A collector's chain copied without the estate (--records-only) is new to the target: positions
 * its name held there belong to a chain --replace removed, and are dropped, so the target's
 * leader reads the new chain as any chain that appears (its records received since account-created
 * started there).
 */
export async function forgetCollectorPositions(client: pg.ClientBase, collector: string): Promise<void> {
  await client.query('DELETE FROM reconcile_state WHERE name = ANY($1::text[])', [[`events.created@${collector}`, `senders.seen@${collector}`]]);
}
