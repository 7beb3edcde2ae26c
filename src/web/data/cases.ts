// One case as its page shows it (src/web/cases.ts): the account's standing in the population, its
// findings with their history, its timeline, and the records they cite. Read from a SQLite handle:
// the store itself, or on PostgreSQL the rows of that one account copied in memory (pg-rows.ts), so
// both engines run the same rules; the cited records are then read from the store itself, which on
// PostgreSQL says which collector received each.

import { caseFindings, type CaseFinding, type CaseKey } from '../../reconcile/cases.js';
import { populationRow, RowCache, type PopulationContext, type PopulationRow } from '../../reconcile/population.js';
import { accountTimeline, type TimelineEntry } from '../../reconcile/timeline.js';
import type { Db } from '../../store/db.js';
import type { EventWithRaw } from './events.js';
import { findingHistory, parseEvidence, type HistoryRow } from './findings.js';

export interface CaseModel {
  device: string;
  account: string;
  row: PopulationRow | undefined;
  findings: Array<CaseFinding & { history: HistoryRow[] }>;
  timeline: TimelineEntry[];
  records: EventWithRaw[];
}

/** Records a case page shows at most: the latest cited. */
const RECORDS_SHOWN = 100;

/**
 * The case without its records, and the ids of the records to show; undefined when nothing is known
 * by that key. Its findings as they stand at `now` (an acceptance that ran out is open). `cache`: where the row reads its records (on PostgreSQL the page's `PageRecords`, which
 * also reads a renamed account's old names, not in the copy).
 */
export function readCase(db: Db, key: CaseKey, ctx: PopulationContext, now: number, cache: RowCache = new RowCache()): { model: Omit<CaseModel, 'records'>; cited: number[] } | undefined {
  const findings = caseFindings(db, key, now);
  const row = key.account ? populationRow(db, ctx, key, false, cache) : undefined;
  if (!findings.length && !row) return undefined;
  const cited = new Set<number>();
  for (const f of findings.filter((x) => x.status !== 'resolved')) {
    const ev = db.prepare('SELECT evidence FROM findings WHERE id = ?').get(f.id) as { evidence: string };
    for (const id of parseEvidence(ev.evidence).events.slice(-50)) cited.add(id);
  }
  for (const id of row?.records ?? []) cited.add(id);
  return {
    model: {
      device: key.device,
      account: key.account,
      row,
      findings: findings.map((f) => ({ ...f, history: findingHistory(db, f.id) })),
      timeline: key.account ? accountTimeline(db, key.device, key.account) : [],
    },
    cited: [...cited].sort((a, b) => a - b).slice(-RECORDS_SHOWN),
  };
}
