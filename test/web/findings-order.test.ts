// The findings list's orders over a real SQLite file: by default most severe first and, within a
// severity, most recently seen first (how an auditor reads a findings list), or by any column
// either way round; and keyset pages that, walked forwards and back, give every finding once, in
// that order, whatever the sort column holds (hostile device and account text included).

import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { raiseFinding } from '../../src/reconcile/findings.js';
import type { Severity } from '../../src/reconcile/findings.js';
import { openDatabase } from '../../src/store/db.js';
import { FINDING_SORTS, listFindings, type FindingRow, type FindingSort } from '../../src/web/data/findings.js';
import type { Direction } from '../../src/web/paging.js';
import { transition } from '../../src/reconcile/lifecycle.js';
import { hostileStrings } from './fixture.js';
import { tempDir } from '../support/temp.js';

const SEVERITY: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
const STATUS: Record<string, number> = { open: 0, acknowledged: 1, accepted: 2, resolved: 3 };
const bytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** The order expected, written apart from the SQL: the column (its natural way or reversed), then newest, then id. */
function expectedOrder(rows: FindingRow[], sort: FindingSort, reverse: boolean): number[] {
  const newest = (a: FindingRow, b: FindingRow): number => b.last_seen - a.last_seen || b.id - a.id;
  const flip = reverse ? -1 : 1;
  const first: Record<FindingSort, (a: FindingRow, b: FindingRow) => number> = {
    severity: (a, b) => SEVERITY[b.severity]! - SEVERITY[a.severity]!,
    last_seen: () => 0,
    first_seen: (a, b) => b.first_seen - a.first_seen,
    status: (a, b) => STATUS[a.status]! - STATUS[b.status]!,
    kind: (a, b) => bytes(a.kind, b.kind),
    device: (a, b) => bytes(a.device, b.device),
    account: (a, b) => bytes(a.account ?? '', b.account ?? ''),
    id: (a, b) => b.id - a.id,
  };
  const compare = (a: FindingRow, b: FindingRow): number => {
    if (sort === 'last_seen' || sort === 'id') return flip * first[sort](a, b) || flip * newest(a, b);
    return flip * first[sort](a, b) || newest(a, b);
  };
  return [...rows].sort(compare).map((r) => r.id);
}

describe('the findings list', () => {
  const dir = tempDir('aaawatch-findings-order-');
  const db = openDatabase(join(dir, 'a.db'));
  const hostile = hostileStrings();
  const severities: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
  const kinds = ['account-created', 'unauthorised-account', 'unlogged-change', 'privilege-mismatch'];
  const base = Date.UTC(2026, 10, 20);
  // A fixed pseudo-random mix: severities, kinds, devices and stamps that do not follow the ids,
  // repeated stamps (ties), hostile device and account names.
  let seed = 7;
  const next = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  for (let i = 0; i < 83; i++) {
    const finding = {
      kind: kinds[next(kinds.length)]!,
      severity: severities[next(severities.length)]!,
      device: next(3) === 0 ? hostile[next(hostile.length)]! : `sw-${next(9)}`,
      // Distinct accounts: one finding per kind, device and account is open at a time.
      account: next(4) === 0 ? `${hostile[next(hostile.length)]!}${i}` : `user${i}`,
      summary: `finding ${i}`,
      evidence: { events: [] },
    };
    const { id } = raiseFinding(db, { ...finding, at: base + next(20) * 60_000 });
    if (next(5) === 0) transition(db, id, 'acknowledged', { by: 'auditor', path: { kind: 'web', user: 'auditor' }, reason: 'looking', at: base + 3_600_000 });
    // Seen again later: last_seen moves away from first_seen.
    if (next(4) === 0) raiseFinding(db, { ...finding, severity: 'info', at: base + (20 + next(20)) * 60_000 });
  }
  const all = listFindings(db, { status: 'any' }, {}, 500, Date.now()).rows;
  afterAll(() => db.close());

  it('lists most severe first and, within a severity, the most recently seen first', () => {
    const page = listFindings(db, { status: 'any' }, {}, 500, Date.now()).rows;
    expect(page.map((r) => r.id)).toEqual(expectedOrder(all, 'severity', false));
    for (let i = 1; i < page.length; i++) {
      const [a, b] = [page[i - 1]!, page[i]!];
      expect(SEVERITY[a.severity]! >= SEVERITY[b.severity]!).toBe(true);
      if (a.severity === b.severity) expect(a.last_seen >= b.last_seen).toBe(true);
    }
  });

  it('lists one severity most recently seen first, either way round, like the whole list', () => {
    for (const severity of ['high', 'info'] as const) {
      for (const reverse of [false, true]) {
        const page = listFindings(db, { status: 'any', severity, reverse }, {}, 500, Date.now()).rows;
        const expected = expectedOrder(all, 'severity', reverse).filter((id) => all.find((r) => r.id === id)!.severity === severity);
        expect(page.map((r) => r.id)).toEqual(expected);
      }
    }
  });

  for (const sort of FINDING_SORTS) {
    for (const reverse of [false, true]) {
      it(`pages by ${sort}${reverse ? ' reversed' : ''}: forwards and back, every finding once, in order`, () => {
        const q = { status: 'any' as const, sort, reverse };
        const expected = expectedOrder(all, sort, reverse);
        const pages: number[][] = [];
        let dir: Direction = {};
        for (;;) {
          const page = listFindings(db, q, dir, 9, Date.now());
          pages.push(page.rows.map((r) => r.id));
          if (!page.older) break;
          dir = { before: page.older };
          expect(pages.length).toBeLessThan(20);
        }
        expect(pages.flat()).toEqual(expected);
        // Back from the last page by its "newer" links: the same pages in reverse.
        let back = listFindings(db, q, dir, 9, Date.now());
        for (let i = pages.length - 2; i >= 0; i--) {
          back = listFindings(db, q, { after: back.newer! }, 9, Date.now());
          expect(back.rows.map((r) => r.id)).toEqual(pages[i]);
        }
        expect(back.newer).toBeUndefined();
      });
    }
  }
});
