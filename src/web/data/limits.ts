// The sign-in limiter's rows (src/web/limiter.ts) on each engine: a step reads its keys' rows under
// a lock that makes it the only step on them (SQLite: the write lock, `BEGIN IMMEDIATE`; PostgreSQL:
// its keys' rows, locked by one upsert that also makes a placeholder for a key not stored yet), applies the limiter's pure step, writes what it says,
// deletes rows that say nothing (`expires_at` passed), and, when the step added a key past
// `maxKeys`, deletes those ending soonest down to 90% of the bound (one pass per tenth of the bound,
// not one count per attempt), returning how many it had to forget.

import type pg from 'pg';
import type { Db } from '../../store/db.js';
import { inTransaction } from '../../store/pg/transaction.js';
import type { LimitRow, LimitStep } from '../limiter.js';

interface StoredRow {
  key: string;
  attempts: string;
  locked_until: number;
  refused: number;
  last_at: number;
  expires_at: number;
}

const fromStored = (r: StoredRow): LimitRow => ({
  key: r.key,
  attempts: JSON.parse(r.attempts) as number[],
  lockedUntil: r.locked_until,
  refused: r.refused,
  lastAt: r.last_at,
  expiresAt: r.expires_at,
});

/** Rows to delete past the bound: down to 90% of it, so a spray prunes once per tenth of the bound. */
const excess = (n: number, maxKeys: number): number => (n > maxKeys ? n - maxKeys + Math.floor(maxKeys / 10) : 0);

/** SQLite's statements, prepared once per connection. */
function sqliteStatements(db: Db) {
  return {
    read: db.prepare('SELECT key, attempts, locked_until, refused, last_at, expires_at FROM web_login_limits WHERE key = ?'),
    write: db.prepare(
      `INSERT INTO web_login_limits (key, attempts, locked_until, refused, last_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET attempts = excluded.attempts, locked_until = excluded.locked_until, refused = excluded.refused,
         last_at = excluded.last_at, expires_at = excluded.expires_at`,
    ),
    remove: db.prepare('DELETE FROM web_login_limits WHERE key = ?'),
    expired: db.prepare('DELETE FROM web_login_limits WHERE expires_at <= ?'),
    count: db.prepare('SELECT count(*) AS n FROM web_login_limits'),
    prune: db.prepare('DELETE FROM web_login_limits WHERE key IN (SELECT key FROM web_login_limits ORDER BY expires_at, last_at, key LIMIT ?)'),
  };
}
const prepared = new WeakMap<Db, ReturnType<typeof sqliteStatements>>();

export function limitStepSqlite<T>(db: Db, keys: readonly string[], now: number, maxKeys: number, step: LimitStep<T>): { value: T; pruned: number } {
  let st = prepared.get(db);
  if (!st) prepared.set(db, (st = sqliteStatements(db)));
  const sql = st;
  return db.transaction(() => {
    const rows = new Map<string, LimitRow>();
    for (const key of keys) {
      const r = sql.read.get(key) as StoredRow | undefined;
      if (r) rows.set(key, fromStored(r));
    }
    const { value, change } = step(rows);
    for (const r of change.write) sql.write.run(r.key, JSON.stringify(r.attempts), r.lockedUntil, r.refused, r.lastAt, r.expiresAt);
    for (const key of change.remove) sql.remove.run(key);
    sql.expired.run(now);
    let pruned = 0;
    // count(*) is ~12 µs at 100,000 rows here (PostgreSQL's ~6 ms: below), so it is asked at every new key.
    if (change.write.some((r) => !rows.has(r.key))) {
      const over = excess((sql.count.get() as { n: number }).n, maxKeys);
      if (over > 0) pruned = sql.prune.run(over).changes;
    }
    return { value, pruned };
  }).immediate();
}

/**
 * PostgreSQL's steps over `pool`. count(*) costs the server ~6 ms at 100,000 rows (against SQLite's
 * ~12 µs), so a node counts after every thousandth of the bound's worth of keys it added (each
 * 100th at 100,000, each one at 1,000 or fewer): the table stays within the bound and that much per
 * node, ~60 µs of the server a new key.
 */
export function pgLimitSteps(pool: pg.Pool): <T>(keys: readonly string[], now: number, maxKeys: number, step: LimitStep<T>) => Promise<{ value: T; pruned: number }> {
  let added = 0;
  return <T>(keys: readonly string[], now: number, maxKeys: number, step: LimitStep<T>) => {
    const countNow = (n: number): boolean => {
      added += n;
      if (added < Math.max(1, Math.floor(maxKeys / 1000))) return false;
      added = 0;
      return true;
    };
    return limitStepPg(pool, keys, now, maxKeys, step, countNow);
  };
}

function limitStepPg<T>(pool: pg.Pool, keys: readonly string[], now: number, maxKeys: number, step: LimitStep<T>, countNow: (added: number) => boolean): Promise<{ value: T; pruned: number }> {
  const sorted = [...new Set(keys)].sort();
  return inTransaction(pool, async (c) => {
    // Each key's row locked, in key order (so two steps never wait on each other in a cycle), and
    // read: an upsert, so a key not stored yet gets a placeholder (expires_at -1, which the step
    // writes or removes) that is locked as well, and a row another step deletes meanwhile cannot
    // slip between a read and the lock. Two nodes' first attempts on a key also take turns.
    const locked = (
      await c.query<StoredRow>(
        `INSERT INTO web_login_limits (key, attempts, locked_until, refused, last_at, expires_at)
           SELECT k, '[]', 0, 0, $2, -1 FROM unnest($1::text[]) AS k ORDER BY k
         ON CONFLICT (key) DO UPDATE SET key = excluded.key
         RETURNING key, attempts, locked_until, refused, last_at, expires_at`,
        [sorted, now],
      )
    ).rows;
    const fresh = new Set(locked.filter((r) => r.expires_at === -1).map((r) => r.key));
    const rows = new Map(locked.filter((r) => !fresh.has(r.key)).map((r) => [r.key, fromStored(r)]));
    const { value, change } = step(rows);
    if (change.write.length > 0) {
      await c.query(
        `UPDATE web_login_limits t SET attempts = w.attempts, locked_until = w.locked_until, refused = w.refused, last_at = w.last_at, expires_at = w.expires_at
           FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[]) AS w(key, attempts, locked_until, refused, last_at, expires_at)
          WHERE t.key = w.key`,
        [
          change.write.map((r) => r.key), change.write.map((r) => JSON.stringify(r.attempts)), change.write.map((r) => r.lockedUntil),
          change.write.map((r) => r.refused), change.write.map((r) => r.lastAt), change.write.map((r) => r.expiresAt),
        ],
      );
    }
    // Rows that say nothing: this step's, and others' that ended (skipping those another step holds,
    // which that step writes or removes itself).
    await c.query(
      `DELETE FROM web_login_limits WHERE key = ANY($1::text[])
          OR key IN (SELECT key FROM web_login_limits WHERE expires_at <= $2 FOR UPDATE SKIP LOCKED)`,
      [change.remove, now],
    );
    let pruned = 0;
    if (countNow(change.write.filter((r) => fresh.has(r.key)).length)) {
      const over = excess(Number((await c.query<{ n: number }>('SELECT count(*) AS n FROM web_login_limits')).rows[0]!.n), maxKeys);
      if (over > 0) {
        pruned = (await c.query('DELETE FROM web_login_limits WHERE key IN (SELECT key FROM web_login_limits ORDER BY expires_at, last_at, key LIMIT $1 FOR UPDATE SKIP LOCKED)', [over])).rowCount ?? 0;
      }
    }
    return { value, pruned };
  });
}
