// The orders an auditor sorts the population in (the Accounts page and its exports): by roster
// standing, privilege, when and by whom an account was made, last login, open findings, severity.
// A pure comparison over computed rows — both engines compute the same rows (population.ts), so
// one sort serves both. Ties always fall back to (device, account) in the store's byte order, so an
// order is total and the same on every read. An unknown value (no creator, never logged in) sorts
// below every known one: first when the order is turned round ("oldest login first" starts with
// accounts that never logged in).

import { SEVERITY_RANK } from './findings.js';
import { keyCompare, utf8Compare, type PopulationRow } from './population.js';

/** The columns the population sorts by; `device` (then account) is the stored order. */
export const POPULATION_SORTS = ['device', 'account', 'roster', 'privilege', 'created', 'createdBy', 'lastLogin', 'findings', 'severity'] as const;
export type PopulationSort = (typeof POPULATION_SORTS)[number];

/** What each order is called, in its natural direction (`reverse` turns it round). */
export const SORT_LABELS: Readonly<Record<PopulationSort, string>> = {
  device: 'device, A to Z',
  account: 'account, A to Z',
  roster: 'roster standing, most concerning first',
  privilege: 'privilege, highest first',
  created: 'created, newest first',
  createdBy: 'created by, A to Z',
  lastLogin: 'last login, newest first',
  findings: 'open findings, most first',
  severity: 'worst open severity, most severe first',
};

/** Roster standings from least to most concerning. */
const CONCERN: Readonly<Record<PopulationRow['rosterMatch'], number>> = {
  authorised: 0, 'no roster': 1, 'not yet valid': 2, expired: 3, 'privilege above roster': 4, 'not on roster': 5, missing: 6,
};

type Key = number | string | null;

const open = (r: PopulationRow): PopulationRow['findings'] => r.findings.filter((f) => f.status !== 'resolved');

/** A row's sort key, compared element by element; and whether its natural order is descending. */
const KEYS: Readonly<Record<PopulationSort, { key: (r: PopulationRow) => Key[]; descending: boolean }>> = {
  device: { key: (r) => [r.device, r.account], descending: false },
  account: { key: (r) => [r.account], descending: false },
  roster: { key: (r) => [CONCERN[r.rosterMatch]], descending: true },
  // Full administration above any level; then the level's number (`privilege 15` above `privilege 2`), then its words.
  privilege: { key: (r) => (r.privilege === '' ? [null] : [r.superuser ? 1 : 0, Number(/\d+/.exec(r.privilege)?.[0] ?? -1), r.privilege]), descending: true },
  created: { key: (r) => [r.createdAt], descending: true },
  createdBy: { key: (r) => [r.createdBy], descending: false },
  lastLogin: { key: (r) => [r.lastLogin], descending: true },
  findings: { key: (r) => [open(r).length], descending: true },
  severity: { key: (r) => [Math.max(-1, ...open(r).map((f) => SEVERITY_RANK[f.severity]))], descending: true },
};

function compareKeys(a: readonly Key[], b: readonly Key[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === y) continue;
    if (x === null) return -1;
    if (y === null) return 1;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : utf8Compare(String(x), String(y));
    if (c !== 0) return c;
  }
  return 0;
}

/** The order asked for as a comparison of two rows (as `sortPopulation` sorts; each call computes both keys). */
export function populationComparator(sort: PopulationSort, reverse = false): (a: PopulationRow, b: PopulationRow) => number {
  const { key, descending } = KEYS[sort];
  const sign = descending !== reverse ? -1 : 1;
  return (a, b) => sign * compareKeys(key(a), key(b)) || keyCompare(a, b);
}

/** The sorts whose key a row's standing, privilege and findings give (population.ts `countOnly`): not when or by whom it was made, nor its last login. */
export const EARLY_KEYED: ReadonlySet<PopulationSort> = new Set(['device', 'account', 'roster', 'privilege', 'findings', 'severity']);

/** The rows in the order asked for (a new array): the column's natural order, turned round by `reverse`, ties by (device, account). */
export function sortPopulation(rows: readonly PopulationRow[], sort: PopulationSort, reverse = false): PopulationRow[] {
  const { key, descending } = KEYS[sort];
  const sign = descending !== reverse ? -1 : 1;
  const keyed = rows.map((r) => ({ r, k: key(r) }));
  keyed.sort((a, b) => sign * compareKeys(a.k, b.k) || keyCompare(a.r, b.r));
  return keyed.map((x) => x.r);
}
