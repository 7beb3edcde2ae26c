// The cases list on PostgreSQL: reconcile/cases.ts `listCases`'s cases, read from the summary the
// database keeps of them (finding_cases, src/store/schema/findings.ts) in the list's order —
// worst first, then the most recent, then names byte-wise as SQLite orders them — so a page is one
// indexed read and a cursor means the same on either engine.

import type pg from 'pg';
import { casesPage, type CaseAggregate, type CaseCursor, type CaseQuery, type CaseSummary } from '../../reconcile/cases.js';
import { SEVERITY_RANK } from '../../reconcile/findings.js';
import { keyEquals, keyPrefix } from '../../store/pg/text-keys.js';

// The order's index holds the device's prefix (src/store/pg/text-keys.ts), which keeps byte order:
// the index gives the order up to it, and the cases sharing it (one device's, or longer names') are
// put in order by whole names. (A pair of prefixes would not keep the pair's order: two devices
// sharing a prefix, their accounts the other way round.)
const DEVICE = `${keyPrefix('device')} COLLATE "C"`;

/**
 * Open cases, worst first; keyset-paged by (severity, last seen, device, account). Undecided as each
 * finding stands at `now` (findingNow): the summary counts open findings as stored, so the cases
 * holding an acceptance that ran out (the few `ended`, read from the status index) add theirs.
 */
export async function listCasesPg(pool: pg.Pool, q: CaseQuery, after: CaseCursor | undefined, limit: number, now: number): Promise<{ rows: CaseSummary[]; next?: CaseCursor }> {
  const args: unknown[] = [];
  const arg = (v: unknown): string => `$${args.push(v)}`;
  const ended = `SELECT device, account, count(*) AS n FROM findings WHERE status = 'accepted' AND accepted_until <= ${arg(now)}::bigint GROUP BY device, account`;
  const where: string[] = [];
  if (q.device !== undefined) where.push(keyEquals('device', `${arg(q.device)}::text`));
  if (q.account !== undefined) where.push(keyEquals('account', `${arg(q.account)}::text`));
  if (q.kind !== undefined) where.push(`${arg(q.kind)}::text = ANY(string_to_array(kinds, ','))`);
  if (q.undecided) where.push('(undecided > 0 OR (device, account) IN (SELECT device, account FROM ended))');
  // As the order's index has it (-rank): a range at its start.
  if (q.severity !== undefined) where.push(`-rank <= ${arg(-SEVERITY_RANK[q.severity])}::bigint`);
  if (after) {
    const [rank, last, device, account] = [`${arg(-after.rank)}::bigint`, `${arg(-after.lastSeen)}::bigint`, `${arg(after.device)}::text`, `${arg(after.account)}::text`];
    // The index's range (up to the device's prefix, which keeps the order: text-keys.ts), then the whole names past the cursor.
    where.push(`(-rank, -last, ${DEVICE}) >= (${rank}, ${last}, ${keyPrefix(device)})`);
    where.push(`(-rank, -last, device COLLATE "C", account COLLATE "C") > (${rank}, ${last}, ${device}, ${account})`);
  }
  const { rows } = await pool.query<CaseAggregate>(
    `WITH ended AS MATERIALIZED (${ended})
     SELECT device, account, id, rank, n, undecided + coalesce((SELECT e.n FROM ended e WHERE e.device = c.device AND e.account = c.account), 0) AS undecided, kinds, last
       FROM finding_cases c ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY -rank, -last, ${DEVICE}, device COLLATE "C", account COLLATE "C" LIMIT ${arg(limit + 1)}`,
    args,
  );
  return casesPage(rows, limit);
}
