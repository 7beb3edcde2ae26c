// The cases list on PostgreSQL: reconcile/cases.ts `listCases`'s grouping with PostgreSQL's
// aggregates (count … FILTER for SQLite's sum of a comparison, string_agg for group_concat), and
// names ordered byte-wise as SQLite orders them, so a cursor means the same on either engine.

import type pg from 'pg';
import { casesPage, type CaseAggregate, type CaseCursor, type CaseQuery, type CaseSummary } from '../../reconcile/cases.js';
import { SEVERITY_RANK } from '../../reconcile/findings.js';

const RANK_SQL = `CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END`;

/** Open cases, worst first; keyset-paged by (severity, last seen, device, account). */
export async function listCasesPg(pool: pg.Pool, q: CaseQuery, after: CaseCursor | undefined, limit: number): Promise<{ rows: CaseSummary[]; next?: CaseCursor }> {
  const args: unknown[] = [];
  const arg = (v: unknown): string => `$${args.push(v)}`;
  const where: string[] = [`status <> 'resolved'`];
  if (q.device !== undefined) where.push(`device = ${arg(q.device)}`);
  if (q.account !== undefined) where.push(`account = ${arg(q.account)}`);
  const having: string[] = [];
  if (q.kind !== undefined) having.push(`count(*) FILTER (WHERE kind = ${arg(q.kind)}) > 0`);
  if (q.undecided) having.push(`count(*) FILTER (WHERE status = 'open') > 0`);
  if (q.severity !== undefined) having.push(`max(${RANK_SQL}) >= ${arg(SEVERITY_RANK[q.severity])}`);
  const outer = after
    ? `WHERE (-rank, -last, device COLLATE "C", account COLLATE "C") > (${arg(-after.rank)}::int, ${arg(-after.lastSeen)}::bigint, ${arg(after.device)}::text, ${arg(after.account)}::text)`
    : '';
  const { rows } = await pool.query<CaseAggregate>(
    `SELECT * FROM (
       SELECT device, account, min(id) AS id, max(${RANK_SQL}) AS rank, count(*) AS n, count(*) FILTER (WHERE status = 'open') AS undecided,
              string_agg(DISTINCT kind, ',') AS kinds, max(last_seen) AS last
         FROM findings WHERE ${where.join(' AND ')}
        GROUP BY device, account ${having.length ? `HAVING ${having.join(' AND ')}` : ''}) c
      ${outer}
      ORDER BY rank DESC, last DESC, device COLLATE "C", account COLLATE "C" LIMIT ${arg(limit + 1)}`,
    args,
  );
  return casesPage(rows, limit);
}
