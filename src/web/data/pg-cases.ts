// The cases list on PostgreSQL: reconcile/cases.ts `listCases`'s cases, read from the summary the
// database keeps of them (finding_cases, src/store/pg/finding-tables.ts) in the list's order —
// worst first, then the most recent, then names byte-wise as SQLite orders them — so a page is one
// indexed read and a cursor means the same on either engine.

import type pg from 'pg';
import { casesPage, type CaseAggregate, type CaseCursor, type CaseQuery, type CaseSummary } from '../../reconcile/cases.js';
import { SEVERITY_RANK } from '../../reconcile/findings.js';

/** Open cases, worst first; keyset-paged by (severity, last seen, device, account). */
export async function listCasesPg(pool: pg.Pool, q: CaseQuery, after: CaseCursor | undefined, limit: number): Promise<{ rows: CaseSummary[]; next?: CaseCursor }> {
  const args: unknown[] = [];
  const arg = (v: unknown): string => `$${args.push(v)}`;
  const where: string[] = [];
  if (q.device !== undefined) where.push(`device = ${arg(q.device)}`);
  if (q.account !== undefined) where.push(`account = ${arg(q.account)}`);
  if (q.kind !== undefined) where.push(`${arg(q.kind)}::text = ANY(string_to_array(kinds, ','))`);
  if (q.undecided) where.push('undecided > 0');
  // As the order's index has it (-rank): a range at its start.
  if (q.severity !== undefined) where.push(`-rank <= ${arg(-SEVERITY_RANK[q.severity])}::bigint`);
  if (after) {
    where.push(
      `(-rank, -last, device COLLATE "C", account COLLATE "C") > (${arg(-after.rank)}::bigint, ${arg(-after.lastSeen)}::bigint, ${arg(after.device)}::text, ${arg(after.account)}::text)`,
    );
  }
  const { rows } = await pool.query<CaseAggregate>(
    `SELECT device, account, id, rank, n, undecided, kinds, last FROM finding_cases ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY -rank, -last, device COLLATE "C", account COLLATE "C" LIMIT ${arg(limit + 1)}`,
    args,
  );
  return casesPage(rows, limit);
}
