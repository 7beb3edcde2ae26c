// The accounts page (the population, a page at a time) on PostgreSQL. The candidates — accounts a
// pull showed or syslog named, in (device, account) order after the cursor, merged with the
// must-exist accounts a pulled device lacks — are read from PostgreSQL a chunk at a time; each
// chunk's rows are copied into an in-memory store (pg-rows.ts) and read there by the population's
// own `populationRow`, filled into the page by the same `PageFill` SQLite's page uses, so limit,
// budget and cursor behave alike. Names compare byte-wise, SQLite's order: a database whose
// collation is C already does, and its indexes serve the keyset; any other is asked for COLLATE "C"
// (correct, without the indexes' help).

import type pg from 'pg';
import {
  ACCOUNT_ACTIONS, accountKey, keyCompare, mergeCandidates, missingOf, PAGE_BUDGET, PageFill, populationRow, RowCache, inScope, worstMatches,
  type AccountKey, type PopulationContext, type PopulationFilter, type PopulationPage,
} from '../../reconcile/population.js';
import { copyForAccounts } from './pg-rows.js';

/** Candidates read per chunk after the first at least: a filter that matches little reads on in bigger steps. */
const CHUNK = 250;

/**
 * Stored keys after `at`, in byte order: what a pull showed or syslog named in the period. Each
 * side is read in its index's order and cut at `limit` before the two are merged: the first
 * `limit` keys of the union are among them, and neither side is read past them (a UNION of the
 * whole sides, SQLite's statement, makes PostgreSQL sort every key after the cursor). The records'
 * side skips from one key to the next (a recursive probe of the (device, target) index per key): a
 * DISTINCT would read every account record of each key, hundreds per key in a grown store.
 */
async function storedKeys(c: pg.ClientBase, byteOrder: boolean, ctx: PopulationContext, device: string | undefined, at: AccountKey, limit: number): Promise<AccountKey[]> {
  const onDevice = (alias: string): string => (device === undefined ? '' : `AND ${alias}device = $6`);
  const args = [at.device, at.account, ctx.to, ctx.from, limit, ...(device === undefined ? [] : [device])];
  const accounts = (C: string): string => `SELECT DISTINCT device${C} AS device, name${C} AS name FROM accounts
         WHERE (device${C}, name${C}) > ($1, $2) AND first_seen <= $3 AND (removed_at IS NULL OR removed_at >= $4) ${onDevice('')}
         ORDER BY 1, 2 LIMIT $5`;
  const recordKey = (alias: string, d: string, n: string): string =>
    `SELECT ${alias}device, ${alias}target FROM events ${alias.slice(0, -1)}
      WHERE ${alias}target IS NOT NULL AND (${alias}device, ${alias}target) > (${d}, ${n}) AND ${alias}kind = 'account' AND ${alias}${ACCOUNT_ACTIONS}
        AND ${alias}time <= $3 ${onDevice(alias)}
      ORDER BY ${alias}device, ${alias}target LIMIT 1`;
  const sql = byteOrder
    ? `WITH RECURSIVE r(device, name) AS (
         (${recordKey('', '$1', '$2')})
         UNION ALL
         SELECT n.device, n.target FROM r CROSS JOIN LATERAL (${recordKey('e.', 'r.device', 'r.name')}) n)
       SELECT device, name FROM ((${accounts('')}) UNION (SELECT device, name FROM r LIMIT $5)) k ORDER BY 1, 2 LIMIT $5`
    : `SELECT device, name FROM (
         (${accounts(' COLLATE "C"')})
         UNION
         (SELECT DISTINCT device COLLATE "C", target COLLATE "C" FROM events
           WHERE target IS NOT NULL AND (device COLLATE "C", target COLLATE "C") > ($1, $2) AND kind = 'account' AND ${ACCOUNT_ACTIONS} AND time <= $3 ${onDevice('')}
           ORDER BY 1, 2 LIMIT $5)) k
       ORDER BY 1, 2 LIMIT $5`;
  const { rows } = await c.query<{ device: string; name: string }>(sql, args);
  return rows.map((r) => ({ device: r.device, account: r.name }));
}

/** Must-exist accounts a pulled inventory device lacks (population.ts `missingOf`), from PostgreSQL's pull state and accounts. */
async function missingKeys(c: pg.ClientBase, ctx: PopulationContext, device: string | undefined): Promise<AccountKey[]> {
  if (!ctx.roster?.mustExist.length) return [];
  const inventory = [...ctx.inventory.keys()].filter((d) => device === undefined || d === device);
  const pulled = new Set((await c.query<{ device: string }>('SELECT device FROM pull_state WHERE last_success IS NOT NULL AND device = ANY($1::text[])', [inventory])).rows.map((r) => r.device));
  const present = new Set(
    (await c.query<{ device: string; name: string }>(
      'SELECT device, name FROM accounts WHERE removed_at IS NULL AND device = ANY($1::text[]) AND name = ANY($2::text[])',
      [[...pulled], [...new Set(ctx.roster.mustExist.map((m) => m.entry.name))]],
    )).rows.map((r) => accountKey(r.device, r.name)),
  );
  return missingOf(ctx, device, (d) => pulled.has(d), (d, n) => present.has(accountKey(d, n)));
}

const RANK_SQL = `CASE f.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END`;

/**
 * The keys whose worst unresolved finding passes the findings and severity filters (population.ts
 * `worstMatches`, the test populationRow makes before reading a row): the others' rows are not
 * copied, as they would come back empty.
 */
async function passingFindings(c: pg.ClientBase, keys: ReadonlyArray<AccountKey>, f: PopulationFilter): Promise<Set<string>> {
  const { rows } = await c.query<{ device: string; account: string; rank: number }>(
    `SELECT f.device, f.account, max(${RANK_SQL}) AS rank FROM unnest($1::text[], $2::text[]) AS k(device, account)
       JOIN findings f ON f.device = k.device AND f.account = k.account AND f.status <> 'resolved' GROUP BY f.device, f.account`,
    [keys.map((k) => k.device), keys.map((k) => k.account)],
  );
  const worst = new Map(rows.map((r) => [accountKey(r.device, r.account), r.rank]));
  return new Set(keys.map((k) => accountKey(k.device, k.account)).filter((key) => worstMatches(worst.get(key) ?? null, f)));
}

/**
 * The stored keys whose source passes the source filter: a key is `pulled` when its latest pulled
 * row up to the period's end was held at some time in the period (population.ts `populationRow`),
 * else `syslog`; missing keys are the `roster` ones and are not asked about here.
 */
async function passingSource(c: pg.ClientBase, keys: ReadonlyArray<AccountKey>, ctx: PopulationContext, source: NonNullable<PopulationFilter['source']>): Promise<Set<string>> {
  if (source === 'roster' || keys.length === 0) return new Set();
  const { rows } = await c.query<{ device: string; name: string; removed_at: number | null }>(
    `SELECT DISTINCT ON (a.device, a.name) a.device, a.name, a.removed_at FROM unnest($1::text[], $2::text[]) AS k(device, name)
       JOIN accounts a ON a.device = k.device AND a.name = k.name AND a.first_seen <= $3 ORDER BY a.device, a.name, a.id DESC`,
    [keys.map((k) => k.device), keys.map((k) => k.account), ctx.to],
  );
  const pulled = new Set(rows.filter((r) => r.removed_at === null || r.removed_at >= ctx.from).map((r) => accountKey(r.device, r.name)));
  return new Set(keys.map((k) => accountKey(k.device, k.account)).filter((key) => pulled.has(key) === (source === 'pulled')));
}

/**
 * How many candidates to read next: at least CHUNK, and as many as the matches so far say the
 * rest of the page needs (half again over), up to what is left of the budget, so a filter that
 * matches one candidate in fifty reads its budget in one or two steps rather than four.
 */
export function nextChunk(read: number, matched: number, wanted: number, left: number): number {
  const rate = matched > 0 ? matched / read : 0;
  const estimate = rate > 0 ? Math.ceil((wanted / rate) * 1.5) : left;
  return Math.max(1, Math.min(left, Math.max(CHUNK, estimate)));
}

/** Whether the database orders text as SQLite does (byte-wise: its collation is C). */
export async function ordersByteWise(c: pg.ClientBase | pg.Pool): Promise<boolean> {
  const { rows } = await c.query<{ c: boolean }>("SELECT datcollate IN ('C', 'POSIX') AS c FROM pg_database WHERE datname = current_database()");
  return rows[0]?.c === true;
}

/**
 * One page of the population after `after`, reading at most `budget` candidates, as of one moment
 * (`c` in a read-only snapshot); `byteOrder`: what ordersByteWise said of the database.
 */
export async function populationPagePg(
  c: pg.ClientBase, byteOrder: boolean, ctx: PopulationContext, f: PopulationFilter, after: AccountKey | undefined, limit: number, budget = PAGE_BUDGET,
): Promise<PopulationPage> {
  const missing = (await missingKeys(c, ctx, f.device)).filter((k) => !after || keyCompare(k, after) > 0);
  const fill = new PageFill(ctx, f, after, limit, budget);
  const cache = new RowCache();
  let at = after ?? { device: '', account: '' };
  // One more than the page or the budget: what follows them tells whether there may be more.
  let chunk = Math.min(limit + 1, budget + 1);
  let m = 0;
  let read = 0;
  let matched = 0;
  for (;;) {
    const stored = await storedKeys(c, byteOrder, ctx, f.device, at, chunk);
    const more = stored.length === chunk;
    const last = stored[stored.length - 1];
    // The missing keys that sort within this chunk; all that are left once no stored key follows.
    let upto = m;
    while (upto < missing.length && (!more || keyCompare(missing[upto]!, last!) <= 0)) upto++;
    const keys = [...mergeCandidates(stored, missing.slice(m, upto))];
    m = upto;
    // What PostgreSQL can judge from its indexes is judged there: only the rows of keys that may
    // pass are copied and read (populationRow would return nothing for the others).
    let wanted = keys.filter((k) => inScope(ctx, f, k));
    if (f.source !== undefined) {
      const passing = await passingSource(c, wanted.filter((k) => !k.missing), ctx, f.source);
      wanted = wanted.filter((k) => (k.missing ? f.source === 'roster' : passing.has(accountKey(k.device, k.account))));
    }
    if (f.findings !== undefined || f.severity !== undefined) {
      const passing = await passingFindings(c, wanted, f);
      wanted = wanted.filter((k) => passing.has(accountKey(k.device, k.account)));
    }
    const copied = new Set(wanted.map((k) => accountKey(k.device, k.account)));
    const db = await copyForAccounts(c, wanted, ctx.to);
    try {
      for (const k of keys) {
        const done = fill.offer(k, () => {
          const row = copied.has(accountKey(k.device, k.account)) ? populationRow(db, ctx, k, k.missing, cache, f) : undefined;
          if (row) matched++;
          return row;
        });
        if (done) return done;
      }
    } finally {
      db.close();
    }
    if (!more) return fill.end();
    read += keys.length;
    at = last!;
    chunk = nextChunk(read, matched, Math.max(1, limit - matched), budget + 1 - read);
  }
}
