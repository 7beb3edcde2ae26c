// The accounts page (the population, a page at a time) on PostgreSQL. The candidates — accounts a
// pull showed or syslog named, in (device, account) order after the cursor, merged with the
// must-exist accounts a pulled device lacks — are read from PostgreSQL a chunk at a time; each
// chunk's rows are copied into an in-memory store (pg-rows.ts), their records read beside it
// (`PageRecords`), and read there by the population's own `populationRow`, filled into the page by
// the same `PageFill` SQLite's page uses, so limit,
// budget and cursor behave alike. Names compare byte-wise, SQLite's order: a database whose
// collation is C already does, and its indexes serve the keyset; any other is asked for COLLATE "C"
// (correct, without the indexes' help).

import type pg from 'pg';
import {
  ACCOUNT_ACTIONS, accountKey, keyCompare, skewOf, mergeCandidates, missingOf, PAGE_BUDGET, PageFill, populationRow, inScope, worstMatches,
  type AccountKey, type PopulationContext, type PopulationFilter, type PopulationPage,
} from '../../reconcile/population.js';
import { madeAtSql, STAMP_MARGIN_MS } from '../../reconcile/held.js';
import { beyondPrefix, keyEquals, keyPrefix } from '../../store/pg/text-keys.js';
import { copyForAccounts, PageRecords } from './pg-rows.js';

/** Candidates read per chunk after the first at least: a filter that matches little reads on in bigger steps. */
const CHUNK = 250;

/** A stored key, and whether it is `pulled` (its latest pulled row up to the period's end held in the period: population.ts `populationRow`); else its source is syslog. */
type StoredKey = AccountKey & { pulled: boolean };

/**
 * Stored keys after `at`, in byte order: what a pull showed or syslog named in the period. The
 * pulled side is read first, in its index's order, cut at `limit`; the records' side then only as
 * far as the pulled side's last key when that side filled (the first `limit` keys of the union are
 * among the two), skipping from one key to the next (a recursive probe of the (device, target)
 * index per key: a DISTINCT would read every account record of each key, hundreds per key in a
 * grown store). A UNION of the whole sides, SQLite's statement, makes PostgreSQL sort every key
 * after the cursor. Names compare byte-wise; on a database that does not collate so, with COLLATE
 * "C" and without the indexes' order.
 */
async function storedKeys(c: pg.ClientBase, byteOrder: boolean, ctx: PopulationContext, device: string | undefined, at: AccountKey, limit: number): Promise<StoredKey[]> {
  const C = byteOrder ? '' : ' COLLATE "C"';
  const args: unknown[] = [];
  const arg = (v: unknown): string => `$${args.push(v)}`;
  const [d, n, to, from, lim] = [arg(at.device), arg(at.account), arg(ctx.to), arg(ctx.from), arg(limit)];
  const onDevice = (alias: string): string => (device === undefined ? '' : `AND ${alias}device = ${arg(device)}`);
  const held = `(removed_at IS NULL OR removed_at >= ${from})`;
  const pulledSide = (await c.query<{ device: string; name: string; pulled: boolean }>(
    `SELECT device${C} AS device, name${C} AS name, (array_agg(${held} ORDER BY id DESC))[1] AS pulled FROM accounts
      WHERE (device${C}, name${C}) > (${d}, ${n}) AND first_seen <= ${to} ${onDevice('')}
      GROUP BY 1, 2 HAVING bool_or(${held}) ORDER BY 1, 2 LIMIT ${lim}`,
    args,
  )).rows;
  // The records' side: $1–$5 the cursor, the period's end, the limit and the skew; then the device and the bound, when there are.
  const recordArgs: unknown[] = [at.device, at.account, ctx.to, limit, skewOf(ctx)];
  const next = (v: unknown): string => `$${recordArgs.push(v)}`;
  const deviceArg = device === undefined ? undefined : `${next(device)}::text`;
  const bound = pulledSide.length === limit ? pulledSide[limit - 1]! : undefined;
  const [boundDevice, boundName] = bound === undefined ? [] : [`${next(bound.device)}::text`, `${next(bound.name)}::text`];
  const on = (alias: string): string => (deviceArg === undefined ? '' : `AND ${keyEquals(`${alias}device`, deviceArg)}`);
  // Made by the period's end as the skew rule places it (held.ts madeBySql): by the stamp alone,
  // or, stamped within STAMP_MARGIN_MS after the end (a clock running ahead), by the receipt; as
  // SQLite's candidates (population.ts MADE_BY_END), a record stamped by the end stays a candidate
  // and its row reads its records as placed. The receipt is read by a subquery on the id, so the
  // probe still reads the index alone (time and id are in it) for every entry stamped by the end.
  const madeByEnd = (alias: string): string => `(${alias}time <= $3 OR (${alias}time <= $3::bigint + ${STAMP_MARGIN_MS}
    AND (SELECT ${madeAtSql('x.', '$5::bigint')} FROM events x WHERE x.id = ${alias || 'events.'}id) <= $3))`;
  const records = (alias: string): string => `${alias}target IS NOT NULL AND ${alias}kind = 'account' AND ${alias}${ACCOUNT_ACTIONS} AND ${madeByEnd(alias)} ${on(alias)}`;
  let recordSide: Array<{ device: string; name: string }>;
  if (byteOrder) {
    // The keys in the prefix index's order (text-keys.ts), one probe per key. A key whose names
    // reach the prefix's length may share its prefixes with others: those keys are read apart, from
    // the index of such records (hostile, or none), in whole-name order, and merged in.
    const prefixes = `(${keyPrefix('e.device')}, ${keyPrefix('e.target')})`;
    const upTo = bound === undefined ? '' : `AND ${prefixes} <= (${keyPrefix(boundDevice!)}, ${keyPrefix(boundName!)})`;
    /** The first record key after r's. */
    const nextKey = `SELECT e.device, e.target FROM events e
        WHERE ${prefixes} > (${keyPrefix('r.device')}, ${keyPrefix('r.name')}) ${upTo} AND ${records('e.')}
        ORDER BY ${prefixes.slice(1, -1)} LIMIT 1`;
    // The recursion starts from the cursor itself (a row left out of the answer), so the first
    // probe is planned as the others, not with the cursor and bound as constants: then PostgreSQL
    // expected thousands of account records between them and read every record of the devices
    // there through the (device, time) index to sort them (`/accounts?afterDevice=sw-0673.dc1…`
    // at 10M records: 15,064 pages, 378 ms → 3 pages, 3.8 ms).
    const short = (await c.query<{ device: string; name: string }>(
      `WITH RECURSIVE r(device, name, cursor) AS (
         SELECT $1::text, $2::text, true
         UNION ALL
         SELECT n.device, n.target, false FROM r CROSS JOIN LATERAL (${nextKey}) n)
       SELECT device, name FROM r WHERE NOT cursor AND NOT (${beyondPrefix('device')} OR ${beyondPrefix('name')}) LIMIT $4`,
      recordArgs,
    )).rows;
    const long = (await c.query<{ device: string; name: string }>(
      `SELECT DISTINCT device, target AS name FROM events
        WHERE kind = 'account' AND (${beyondPrefix('device')} OR ${beyondPrefix('target')}) AND (device, target) > ($1, $2)
          ${bound === undefined ? '' : `AND (device, target) <= (${boundDevice}, ${boundName})`} AND ${records('')}
        ORDER BY 1, 2 LIMIT $4`,
      recordArgs,
    )).rows;
    recordSide = long.length === 0 ? short : [...short, ...long].sort((a, b) => keyCompare(toKey(a), toKey(b))).slice(0, limit);
  } else {
    recordSide = (await c.query<{ device: string; name: string }>(
      `SELECT DISTINCT device${C} AS device, target${C} AS name FROM events
        WHERE (device${C}, target${C}) > ($1, $2) ${bound === undefined ? '' : `AND (device${C}, target${C}) <= (${boundDevice}, ${boundName})`} AND ${records('')}
        ORDER BY 1, 2 LIMIT $4`,
      recordArgs,
    )).rows;
  }
  const merged: StoredKey[] = [];
  let i = 0;
  for (const r of recordSide) {
    const k = { device: r.device, account: r.name };
    while (i < pulledSide.length && keyCompare(toKey(pulledSide[i]!), k) < 0) merged.push(stored(pulledSide[i++]!));
    if (i < pulledSide.length && keyCompare(toKey(pulledSide[i]!), k) === 0) merged.push(stored(pulledSide[i++]!));
    else merged.push({ ...k, pulled: false });
  }
  while (i < pulledSide.length) merged.push(stored(pulledSide[i++]!));
  return merged.slice(0, limit);
}

const toKey = (r: { device: string; name: string }): AccountKey => ({ device: r.device, account: r.name });
const stored = (r: { device: string; name: string; pulled: boolean }): StoredKey => ({ device: r.device, account: r.name, pulled: r.pulled });

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
       JOIN findings f ON ${keyEquals('f.device', 'k.device')} AND ${keyEquals('f.account', 'k.account')} AND f.status <> 'resolved' GROUP BY f.device, f.account`,
    [keys.map((k) => k.device), keys.map((k) => k.account)],
  );
  const worst = new Map(rows.map((r) => [accountKey(r.device, r.account), r.rank]));
  return new Set(keys.map((k) => accountKey(k.device, k.account)).filter((key) => worstMatches(worst.get(key) ?? null, f)));
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
  const cache = new PageRecords();
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
      const source = f.source;
      wanted = wanted.filter((k) => (k.missing ? source === 'roster' : source === ('pulled' in k && k.pulled ? 'pulled' : 'syslog')));
    }
    if (f.findings !== undefined || f.severity !== undefined) {
      const passing = await passingFindings(c, wanted, f);
      wanted = wanted.filter((k) => passing.has(accountKey(k.device, k.account)));
    }
    const copied = new Set(wanted.map((k) => accountKey(k.device, k.account)));
    await cache.read(c, wanted, ctx.to, skewOf(ctx));
    const db = await copyForAccounts(c, wanted, ctx.to, { skewMs: ctx.skewMs });
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
